"""The command line loads only the subcommand it runs (start-up and CLI speed)."""

from __future__ import annotations

import json
import subprocess
import sys

from kol_desk.commands import COMMANDS

_LOADED = """
import json, sys
from kol_desk.cli import build_parser
build_parser({chosen!r})
print(json.dumps(sorted(m for m in sys.modules if m.startswith(
    ("kol_desk.commands.", "sqlalchemy", "alembic", "openpyxl", "xlsxwriter", "matplotlib",
     "python_calamine")))))
"""


def _loaded(chosen: str | None) -> list[str]:
    done = subprocess.run([sys.executable, "-c", _LOADED.format(chosen=chosen)],
                          capture_output=True, text=True, check=True)
    found: list[str] = json.loads(done.stdout)
    return found


def test_the_command_line_alone_loads_no_command_and_no_library() -> None:
    # only the exit codes and --db option every command shares
    assert _loaded(None) == ["kol_desk.commands.common"]


def test_a_command_loads_its_own_module_only() -> None:
    loaded = _loaded("import")
    assert [m for m in loaded if m.startswith("kol_desk.commands.")] == [
        "kol_desk.commands.common", "kol_desk.commands.import_list"]
    assert not [m for m in loaded if m.startswith(("openpyxl", "xlsxwriter", "matplotlib"))]


def test_every_command_module_has_configure_and_run() -> None:
    for command in COMMANDS:
        module = command.load()
        assert callable(module.configure) and callable(module.run), command.name
