"""The cheaper PySide6 ``__feature__`` check answers as PySide's own does."""

from __future__ import annotations

import inspect
import sys

from kol_desk.ui import feature_hook


def _pyside_answer(module: object) -> bool:
    # What shibokensupport.feature._mod_uses_pyside does (PySide6 6.11).
    try:
        return "PySide6" in inspect.getsource(module)  # type: ignore[arg-type]
    except (TypeError, OSError, SyntaxError):
        return False


def test_it_is_installed() -> None:
    feature = sys.modules["shibokensupport.feature"]
    assert feature._mod_uses_pyside is feature_hook.uses_pyside


def test_it_answers_as_pyside_for_every_loaded_module() -> None:
    modules = [m for m in list(sys.modules.values()) if m is not None]
    differ = [m.__name__ for m in modules if feature_hook.uses_pyside(m) != _pyside_answer(m)]
    assert differ == []
    assert any(feature_hook.uses_pyside(m) for m in modules)  # our UI modules, at least
