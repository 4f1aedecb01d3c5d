#!/bin/sh
# Install KOL Desk into .venv (with the system libraries Qt needs) and start it.
# Any arguments go to kol-desk, e.g. `sh tools/run.sh --demo`.
set -eu
cd "$(dirname "$0")/.."
sh tools/system-deps.sh gui
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet -e .
exec .venv/bin/kol-desk "$@"
