#!/usr/bin/env bash
# Set up once (system libraries, .venv, the app), then start 职帮 on its default local database.
# Arguments go to the `zhibang` command: `--db /path/to/file.sqlite3` for the GUI on another
# file, or a sub-command (`bash installer/run-linux.sh --help`, `… init --office …`).
# Later starts skip the set-up until pyproject.toml changes. Without a desktop session the GUI
# says what is missing and exits 1 (`xvfb-run -a bash installer/run-linux.sh` gives it one).
source "$(dirname "${BASH_SOURCE[0]}")/linux-common.sh"
if ! setup_is_current "" && ! setup_is_current "[test]" && ! setup_is_current "[test,build]"; then
  check_python
  apt_install_missing "${QT_PACKAGES[@]}"
  make_venv ""
fi
exec "$VENV/bin/zhibang" "$@"
