"""The subcommands of ``kol-desk``. Each module has NAME, HELP, configure(parser) and
run(args) -> exit code; adding a subcommand means adding its module to COMMANDS."""

from __future__ import annotations

from types import ModuleType

from kol_desk.commands import check, demo

COMMANDS: list[ModuleType] = [check, demo]
