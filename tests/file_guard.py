"""An audit hook for the whole suite: only SQLite may open a workspace file while this
process has a connection to it. A descriptor opened and closed by anything else drops
SQLite's locks, and another process then deletes the write-ahead log under us
(kol_desk/store/files.py). A forbidden open fails where it happens, and
``tests/conftest.py`` fails the test even when the code under test swallowed the error.

A module of its own (not conftest.py) so that importing it from a test cannot install
the hook twice."""

from __future__ import annotations

import os
import sys

from kol_desk.store import files as workspace_files

# Events and how many of their first arguments are paths (source and destination).
_FILE_EVENTS = {"open": 1, "os.remove": 1, "os.truncate": 1, "os.rename": 2,
                "shutil.copyfile": 2, "shutil.move": 2}
forbidden_file_use: list[str] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    paths = _FILE_EVENTS.get(event)
    if paths is None:
        return
    for target in args[:paths]:
        if isinstance(target, bytes):
            target = os.fsdecode(target)
        if isinstance(target, str | os.PathLike) and workspace_files.is_open(target):
            forbidden_file_use.append(f"{event} {target}")
            raise workspace_files.WorkspaceFileInUse(
                f"{event} of {target} while SQLite has it open in this process")


sys.addaudithook(_audit)
