#!/usr/bin/env bash
# Set up everything the tests need (system packages, .venv, the app with its test extras)
# and run the whole suite. Extra arguments go to pytest.
source "$(dirname "${BASH_SOURCE[0]}")/linux-common.sh"
check_python
# poppler-utils: pdffonts/pdftotext; the CJK font for rendered checks; LibreOffice opens
# our xlsx exports as a real client; xvfb for the real-window smoke test.
apt_install_missing "${QT_PACKAGES[@]}" poppler-utils fonts-wqy-microhei libreoffice-calc-nogui \
  xvfb xauth
make_venv "[test]"
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
set +e
"$VENV/bin/python" -m pytest "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure." >&2
  exit 1
fi
exit "$rc"
