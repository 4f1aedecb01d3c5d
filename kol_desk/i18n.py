"""Translations: every user-visible string goes through ``tr``.

The source language is English; catalogs are JSON files under
``resources/translations/<language>/`` (one file per area, merged), mapping the English
text to the translation. Placeholders use ``str.format`` names: ``tr("{n} creators", n=3)``.
A test checks that every ``tr`` literal has a translation with the same placeholders.
"""

from __future__ import annotations

import json
import locale
import os
from pathlib import Path

from kol_desk.paths import RESOURCES

LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
DEFAULT_LANGUAGE = "en"
TRANSLATIONS = RESOURCES / "translations"

_catalog: dict[str, str] = {}
_language = DEFAULT_LANGUAGE


def load_catalog(language: str) -> dict[str, str]:
    folder = TRANSLATIONS / language
    catalog: dict[str, str] = {}
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            catalog.update(json.loads(path.read_text(encoding="utf-8")))
    return catalog


def set_language(language: str) -> None:
    global _catalog, _language
    _language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    _catalog = {} if _language == DEFAULT_LANGUAGE else load_catalog(_language)


def current_language() -> str:
    return _language


def system_language(locale_name: str | None = None) -> str:
    """zh_CN for any Chinese locale, else English."""
    name = locale_name or os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    if not name:
        name = locale.getlocale()[0] or ""
    return "zh_CN" if name.lower().startswith("zh") else DEFAULT_LANGUAGE


def tr(text: str, /, **values: object) -> str:
    translated = _catalog.get(text) or text
    return translated.format(**values) if values else translated


def sentences(*texts: str) -> str:
    """Translated sentences in a row: a space between them in English, none in Chinese,
    whose sentences end with their own full-width stop."""
    return ("" if _language == "zh_CN" else " ").join(text for text in texts if text)


def clauses(texts: list[str]) -> str:
    """Translated clauses of one sentence: "; " in English, "；" in Chinese."""
    return ("；" if _language == "zh_CN" else "; ").join(texts)


def items(texts: list[str]) -> str:
    """Translated names listed in a sentence ("Phone, Risk level"): ", " in English, the
    enumeration comma "、" in Chinese ("电话、风险等级")."""
    return ("、" if _language == "zh_CN" else ", ").join(texts)


def catalog_files(language: str) -> list[Path]:
    return sorted((TRANSLATIONS / language).glob("*.json"))
