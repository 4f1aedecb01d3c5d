#!/bin/sh
# Qt needs a few shared libraries that a bare Debian/Ubuntu machine may lack.
# usage: sh tools/system-deps.sh [test|gui|bundle]
# Installs the missing Debian packages when run as root (or with sudo available);
# otherwise prints the apt-get command to run. Does nothing when all are present.
set -eu
mode=${1:-test}
packages="libegl1 libgl1 libfontconfig1 libxkbcommon0 libglib2.0-0 libdbus-1-3"
# The exports' LibreOffice tests open the workbooks headless (~70 s to install here) and
# read the printed pages back with poppler's pdftotext; installed where we can install,
# else those tests skip with their reason. A small
# Chinese font makes the charts use a system font as most users' machines do; without it
# they use the one shipped in resources/fonts (both cases are tested either way).
optional=""
[ "$mode" = test ] && optional="libreoffice-calc poppler-utils fonts-wqy-microhei binutils"
# PyInstaller reads and writes executables with binutils' objdump and objcopy (the
# suite builds the bundle too; without them that test skips).
[ "$mode" = bundle ] && optional="binutils"
# ... and bundles Python's shared library, which Debian's own python3 keeps apart.
if [ "$mode" = test ] || [ "$mode" = bundle ]; then
  debian_python=$(python3 -c 'import sys; print(f"libpython{sys.version_info[0]}.{sys.version_info[1]}" if sys.prefix == "/usr" else "")')
  optional="$optional $debian_python"
fi
if [ "$mode" = gui ]; then
  packages="$packages libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1"
  # Nicer Chinese than the app's own fallback font, where it can be installed.
  optional="fonts-noto-cjk"
fi
command -v dpkg-query >/dev/null 2>&1 || exit 0   # not a Debian system: nothing we can check
missing=""
# Debian's own python3 creates virtual environments only with python3-venv installed.
python3 -c "import ensurepip" >/dev/null 2>&1 || missing=" python3-venv"
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ "$(id -u)" = 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  [ -z "$missing" ] && exit 0
  echo "KOL Desk needs these system packages: apt-get install$missing" >&2
  exit 1
fi
for p in $optional; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "Installing system packages KOL Desk needs:$missing" >&2
$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
# Waits for another apt-get (an unattended upgrade, a parallel build) instead of failing.
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -o DPkg::Lock::Timeout=600 -y -qq \
  --no-install-recommends $missing >/dev/null
