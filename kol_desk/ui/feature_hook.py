"""PySide6's ``__feature__`` import hook, made cheap.

Once PySide6 is imported, its hook asks of every module imported after it whether the
module uses PySide6 (for ``from __feature__ import snake_case``, which KOL Desk does not
use) by reading the module's whole source through ``inspect.getsource``: lines split,
cached in ``linecache`` and joined again. At start-up that is ~0.1 s of CPU for the ~350
modules of SQLAlchemy and our database layer, and later again for every module imported
when first needed (the import wizard, openpyxl, matplotlib). Searching the file's bytes
gives the same answer in a fifth of the time. Importing this module installs it.
"""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6  # noqa: F401  (installs the hook this module replaces)


def uses_pyside(module: ModuleType) -> bool:
    """Whether the module's source file names PySide6 (modules without one do not)."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return False


def install() -> None:
    feature = sys.modules.get("shibokensupport.feature")
    # Only where the hook is as we know it (PySide6 6.5–6.11): otherwise keep PySide's own.
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature.__dict__["_mod_uses_pyside"] = uses_pyside


install()
