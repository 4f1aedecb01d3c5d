#!/bin/sh
# Install KOL Desk with its test tools into .venv and run the whole suite headless:
# ruff (style), mypy (strict, on the whole package), then pytest with pytest-qt.
# Arguments go to pytest, e.g. `sh tools/test.sh tests/store -x`.
set -eu
cd "$(dirname "$0")/.."
sh tools/system-deps.sh test
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet -e '.[test]'
.venv/bin/ruff check .
.venv/bin/mypy
# Team mode: a throwaway PostgreSQL server (installed when missing) for the tests that
# run on both engines; stopped on exit, also on failure or Ctrl+C (tools/postgres.sh).
if [ -z "${KOL_DESK_TEST_PG_URL:-}" ]; then
    PG_STATE=$(mktemp -d)
    trap 'sh tools/postgres.sh stop "$PG_STATE"' EXIT
    trap 'exit 130' INT TERM
    if KOL_DESK_TEST_PG_URL=$(sh tools/postgres.sh start "$PG_STATE"); then
        export KOL_DESK_TEST_PG_URL
    else
        export KOL_DESK_TEST_PG_UNAVAILABLE="tools/postgres.sh could not install or start it (see above)"
    fi
fi
.venv/bin/python -m pytest "$@"
