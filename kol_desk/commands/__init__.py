"""The subcommands of ``kol-desk``. Each module has NAME, HELP, configure(parser) and
run(args) -> exit code; adding a subcommand means adding its module to COMMANDS."""

from __future__ import annotations

from types import ModuleType

from kol_desk.commands import backup, check, creators, demo, export, import_list, restore

COMMANDS: list[ModuleType] = [check, demo, export, import_list, creators, backup, restore]
