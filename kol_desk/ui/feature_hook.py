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
from collections.abc import Callable
from types import ModuleType

import PySide6  # installs the hook this module replaces

# The PySide6 releases whose ``shibokensupport.feature._mod_uses_pyside`` is known to answer
# exactly as ``uses_pyside`` does (tests/ui/test_feature_hook.py compares both for every
# loaded module). Any other release keeps PySide's own hook: the function is private.
PROVEN = frozenset({(6, 11)})


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


def install(feature: ModuleType | None, version: tuple[int | str, ...]) -> bool:
    """Replace PySide's check in ``feature`` if this release is proven; whether it did."""
    if tuple(version[:2]) not in PROVEN or feature is None:
        return False
    if not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature.__dict__["_mod_uses_pyside"] = uses_pyside
    return True


_feature = sys.modules.get("shibokensupport.feature")
# PySide's own check, kept for the test that compares the two answers.
pyside_own: Callable[[ModuleType], bool] | None = getattr(_feature, "_mod_uses_pyside", None)
installed = install(_feature, PySide6.__version_info__)
