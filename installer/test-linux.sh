#!/usr/bin/env bash
# Set up everything the tests need (system packages, .venv, the app with its test and build
# extras) and run the whole suite, then the date-sensitive tests again under a system date 400
# days ahead (no test may depend on the day it runs), then the release build: the PyInstaller
# bundle, the built program run through every command and the GUI, the NSIS installer compiled
# over it (installer/build-bundle-linux.sh).
# Extra arguments go to pytest and run just that selection, e.g. `-k archive` or a path.
source "$(dirname "${BASH_SOURCE[0]}")/linux-common.sh"
# poppler-utils: pdffonts/pdftotext; the CJK fonts (黑体- and 宋体-style) for rendered checks; LibreOffice opens
# our xlsx exports as a real client; xvfb for the real-window smoke test; nsis (makensis) compiles
# the Windows installer script. Done once, until pyproject.toml or these scripts change.
if ! setup_is_current "[test,build]"; then
  check_python
  apt_install_missing "${QT_PACKAGES[@]}" poppler-utils fonts-wqy-microhei fonts-arphic-uming libreoffice-calc-nogui \
    xvfb xauth nsis
  make_venv "[test,build]"
fi
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen

run_pytest() {  # pytest's exit 5 (nothing collected) is a failure too
  set +e
  "$@"
  local rc=$?
  set -e
  if [ "$rc" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure." >&2
    return 1
  fi
  return "$rc"
}

PYTEST=("$VENV/bin/python" -m pytest -n auto)
# The server-mode pass: a throw-away PostgreSQL cluster on loopback (installer/pg-test-cluster.sh),
# stopped and deleted when this script ends. ZHIBANG_TEST_PG=start with arguments runs just that
# selection against such a cluster.
start_pg_cluster() {
  PG_DIR="$(mktemp -d /tmp/zhibang-pg.XXXXXX)"
  trap 'bash "$ROOT/installer/pg-test-cluster.sh" stop "$PG_DIR"; rm -rf "$PG_DIR"' EXIT
  ZHIBANG_TEST_PG="$(bash "$ROOT/installer/pg-test-cluster.sh" start "$PG_DIR")"
  export ZHIBANG_TEST_PG
}
if [ "${ZHIBANG_TEST_PG:-}" = "start" ]; then
  start_pg_cluster
fi
if [ "$#" -gt 0 ]; then
  run_pytest "${PYTEST[@]}" "$@"
  exit $?
fi

run_pytest "${PYTEST[@]}" -q
# The tests that work with dates, again in processes that believe the machine's date is
# 400 days later (a year with no holiday data yet): see tests/shifted_date.py.
echo "== date-sensitive tests under a shifted system date (+400 days) =="
ZHIBANG_SHIFT_DAYS=400 run_pytest "${PYTEST[@]}" -q -p no:cacheprovider \
  tests/test_shifted_date.py tests/domain tests/services tests/cli tests/ui
echo "== release build: the bundle, the built program, the NSIS installer =="
bash installer/build-bundle-linux.sh
# Server mode: the storage, services and cli tests again, each test on its own database on a
# PostgreSQL server (tests about the SQLite file itself are marked sqlite_only and skipped).
echo "== storage, services and cli tests against PostgreSQL =="
start_pg_cluster
run_pytest "${PYTEST[@]}" -q -p no:cacheprovider tests/storage tests/services tests/cli
