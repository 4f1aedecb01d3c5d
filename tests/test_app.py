"""The Qt application draws Chinese on any system: with the system's CJK font where it has
one, else with the font shipped with the app (each case a fresh process that sees only
the fonts of its own fontconfig file)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib

from kol_desk.paths import CJK_FALLBACK_FAMILY
from tests.font_factory import cjk_font_named

REPO = Path(__file__).resolve().parents[1]

SCRIPT = """
import json
from PySide6.QtGui import QFontDatabase
from kol_desk.app import make_qt_app
app = make_qt_app()
print(json.dumps(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)))
"""


def fonts_of(tmp_path: Path, fonts: list[Path]) -> dict[str, str]:
    folder = tmp_path / "fonts"
    folder.mkdir(exist_ok=True)
    for font in fonts:
        shutil.copyfile(font, folder / font.name)
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{folder}</dir>\n  <cachedir>{tmp_path / 'cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8")
    return {"FONTCONFIG_FILE": str(config)}


def chinese_families(env: dict[str, str]) -> list[str]:
    full = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen", **env}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=full, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    families: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return families


DEJAVU = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def test_without_a_chinese_font_the_app_loads_its_own(tmp_path: Path) -> None:
    assert chinese_families(fonts_of(tmp_path, [DEJAVU])) == [CJK_FALLBACK_FAMILY]


def test_the_systems_chinese_font_is_used_when_there_is_one(tmp_path: Path) -> None:
    system_font = cjk_font_named("WenQuanYi Zen Hei", tmp_path / "zenhei.ttf")
    assert chinese_families(fonts_of(tmp_path, [DEJAVU, system_font])) == ["WenQuanYi Zen Hei"]
