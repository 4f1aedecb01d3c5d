#!/bin/sh
# Build the desktop bundle for this machine's system with PyInstaller: dist/kol-desk/
# (on macOS dist/kol-desk.app), a folder that runs without Python, and an archive of it
# beside it. Arguments go to tools/bundle.py, e.g. `sh tools/package.sh --smoke` also
# runs the built app headless once.
set -eu
cd "$(dirname "$0")/.."
sh tools/system-deps.sh bundle
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet -e '.[bundle]'
exec .venv/bin/python tools/bundle.py "$@"
