"""Layers point one way: the models, store, services, import and metrics code never
import Qt, so the command line and tests can use them without a display."""

from __future__ import annotations

import subprocess
import sys


def test_non_ui_packages_do_not_import_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, kol_desk\n"
        "for m in pkgutil.walk_packages(kol_desk.__path__, 'kol_desk.'):\n"
        "    if m.name.startswith(('kol_desk.ui', 'kol_desk.app', 'kol_desk.__main__', 'kol_desk.store.migrations')):\n"
        "        continue\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.startswith('PySide6'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
