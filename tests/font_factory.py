"""Font files for tests: the shipped CJK font under another family name, standing in for a
CJK font that a system has (or that a user installs)."""

from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTFont

from kol_desk.paths import CJK_FALLBACK_FONT


def cjk_font_named(family: str, target: Path) -> Path:
    font = TTFont(str(CJK_FALLBACK_FONT))
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            font["name"].setName(family, record.nameID, record.platformID, record.platEncID,
                                 record.langID)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(target))
    return target
