"""The subcommands of ``kol-desk``. Each is a module here with configure(parser) and
run(args) -> exit code; adding a subcommand means adding a ``Command`` to COMMANDS.

Only the chosen command's module is imported: `kol-desk` builds its command line at every
start of the GUI, and one command must not pay for another's libraries (openpyxl,
alembic, the import engine...).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Command:
    name: str
    module: str  # under kol_desk.commands
    help: str

    def load(self) -> ModuleType:
        return importlib.import_module(f"{__name__}.{self.module}")


COMMANDS: list[Command] = [
    Command("check", "check",
            "check the database's integrity (exit 0 when intact, 1 when problems were found)"),
    Command("demo", "demo",
            "write a demo database filled with invented creators, campaigns, budget and results"),
    Command("export", "export", "export the boss report workbook or the creator list as .xlsx"),
    Command("import", "import_list",
            "import agency lists (.xlsx .xlsm .xls .ods .csv, or rows pasted into .txt / .tsv) into the workspace"),
    Command("budget", "budget",
            "print every campaign's and budget period's money (as on the Budget tab); --json"),
    Command("creators", "creators",
            "print every platform account (creator facts and quotes); --json for one JSON array"),
    Command("price", "price",
            "a fair-price estimate with its evidence for one account (--backtest: replay history)"),
    Command("backup", "backup",
            "write a consistent copy of the workspace database to FILE (safe while the app runs)"),
    Command("restore", "restore",
            "replace the workspace with a backup FILE (the current state is backed up first)"),
]
