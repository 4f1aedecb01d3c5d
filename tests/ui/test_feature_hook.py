"""The cheaper PySide6 ``__feature__`` check answers as PySide's own does, and replaces it
only on the PySide6 releases where that was proven."""

from __future__ import annotations

import sys
import types

import PySide6

from kol_desk.ui import feature_hook


def _feature_like() -> types.ModuleType:
    module = types.ModuleType("feature_like")

    def own(_module: types.ModuleType) -> bool:
        return False

    module.__dict__["_mod_uses_pyside"] = own
    return module


def test_it_is_installed_on_this_proven_release() -> None:
    assert PySide6.__version_info__[:2] in feature_hook.PROVEN
    assert feature_hook.installed
    feature = sys.modules["shibokensupport.feature"]
    assert feature._mod_uses_pyside is feature_hook.uses_pyside


def test_it_answers_as_pyside_for_every_loaded_module() -> None:
    own = feature_hook.pyside_own
    assert own is not None
    modules = [m for m in list(sys.modules.values()) if isinstance(m, types.ModuleType)]
    differ = [m.__name__ for m in modules if feature_hook.uses_pyside(m) != own(m)]
    assert differ == []
    assert any(feature_hook.uses_pyside(m) for m in modules)  # our UI modules, at least


def test_another_release_keeps_pysides_own_check() -> None:
    feature = _feature_like()
    own = feature._mod_uses_pyside
    assert not feature_hook.install(feature, (6, 12, 0))
    assert not feature_hook.install(feature, (7, 0))
    assert feature._mod_uses_pyside is own
    assert feature_hook.install(feature, (6, 11, 0))
    assert feature._mod_uses_pyside is feature_hook.uses_pyside


def test_a_changed_hook_is_left_alone() -> None:
    assert not feature_hook.install(None, (6, 11, 3))
    feature = types.ModuleType("feature_like")  # no _mod_uses_pyside: PySide changed it
    assert not feature_hook.install(feature, (6, 11, 3))
    assert "_mod_uses_pyside" not in feature.__dict__
