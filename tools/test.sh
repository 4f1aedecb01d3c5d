#!/bin/sh
# Install KOL Desk with its test tools into .venv and run the whole suite headless:
# ruff (style), mypy (strict, on the non-UI packages), then pytest with pytest-qt.
# Arguments go to pytest, e.g. `sh tools/test.sh tests/store -x`.
set -eu
cd "$(dirname "$0")/.."
sh tools/system-deps.sh test
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet -e '.[test]'
.venv/bin/ruff check .
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
