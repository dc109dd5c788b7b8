#!/usr/bin/env bash
# The release build, checked on Linux: the one-folder bundle from installer/zhibang.spec (the
# spec the Windows build uses), then the BUILT program run through installer/check_bundle.py
# (--version, init, demo, every print and export, check, the GUI offscreen), then the NSIS
# installer compiled over the bundle with makensis. Prints the bundle's size and start times.
# Needs the venv with the `build` extra (pyinstaller) and `makensis` (Debian package nsis);
# test-linux.sh sets both up. Output in build/bundle/ (ZHIBANG_BUNDLE_DIR to change it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${ZHIBANG_VENV:-$ROOT/.venv}"
OUT="${ZHIBANG_BUNDLE_DIR:-$ROOT/build/bundle}"
cd "$ROOT"

started=$(date +%s)
echo "== PyInstaller: one-folder bundle =="
"$VENV/bin/python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$OUT/dist" --workpath "$OUT/work" installer/zhibang.spec
BUNDLE="$OUT/dist/zhibang"
echo "bundle built in $(( $(date +%s) - started )) s: $BUNDLE"
echo "bundle size: $(du -sm "$BUNDLE" | cut -f1) MB ($(find "$BUNDLE" -type f | wc -l) files)"

echo "== the built program =="
"$VENV/bin/python" installer/check_bundle.py "$BUNDLE"

echo "== NSIS installer over the bundle =="
VERSION="$("$VENV/bin/python" installer/check_bundle.py --print-version)"
# Uncompressed unless ZHIBANG_NSIS_LZMA=1: CI proves the script compiles over this bundle; the
# compression (minutes for LZMA on 2 cores) only matters for the file shipped from Windows.
COMPRESSION=-DNO_COMPRESSION
[ "${ZHIBANG_NSIS_LZMA:-0}" = "1" ] && COMPRESSION=-DLZMA_REQUESTED
makensis -V2 -INPUTCHARSET UTF8 "$COMPRESSION" -DVERSION="$VERSION" -DBUNDLE_DIR="$BUNDLE" \
  -DOUT_FILE="$OUT/zhibang-setup-$VERSION.exe" installer/zhibang.nsi
echo "installer: $OUT/zhibang-setup-$VERSION.exe ($(du -sm "$OUT/zhibang-setup-$VERSION.exe" | cut -f1) MB)"
echo "release build checked in $(( $(date +%s) - started )) s"
