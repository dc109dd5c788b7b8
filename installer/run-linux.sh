#!/usr/bin/env bash
# Set up (system libraries, .venv, the app) and start 职帮 on its default local database.
# Extra arguments go to the `zhibang` command, e.g. `--db /path/to/file.sqlite3`.
source "$(dirname "${BASH_SOURCE[0]}")/linux-common.sh"
check_python
apt_install_missing "${QT_PACKAGES[@]}"
make_venv ""
exec "$VENV/bin/zhibang" "$@"
