# Shared by run-linux.sh and test-linux.sh: system packages, then a virtual environment.
# Sourced, not run. Works on a fresh Debian/Ubuntu machine with Python 3.11+.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${ZHIBANG_VENV:-$ROOT/.venv}"

# Qt needs these even offscreen; a real window also needs the xcb set (DESIGN.md §5).
QT_PACKAGES=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0
  libx11-6 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
  libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0)

apt_install_missing() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
    missing+=(python3-venv)
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

check_python() {
  python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
    echo "Python 3.11 or newer is required (found $(python3 --version 2>&1))." >&2
    exit 1
  }
}

make_venv() {  # $1: pip extras spec, e.g. "" or "[test]"
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
  fi
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e "$ROOT$1"
  setup_hash >"$(setup_stamp "$1")"
}

# Set up once: a stamp in the venv records the pyproject.toml (and these scripts, which list
# the system packages) it was set up from, so the next start skips apt and pip until they change.
setup_hash() {
  cat "$ROOT/pyproject.toml" "$ROOT"/installer/*.sh | sha256sum | cut -d' ' -f1
}

setup_stamp() {  # $1: pip extras spec
  local name="${1//[^a-z]/}"
  echo "$VENV/.zhibang-setup-${name:-app}"
}

setup_is_current() {  # $1: pip extras spec
  local stamp
  stamp="$(setup_stamp "$1")"
  [ -x "$VENV/bin/zhibang" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(setup_hash)" ]
}
