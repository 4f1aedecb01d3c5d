"""Translations ship complete: every translated source string has a Chinese entry with
the same placeholders, and no catalog entry is left over from deleted code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kol_desk.i18n import (
    LANGUAGES,
    catalog_files,
    clauses,
    items,
    load_catalog,
    sentences,
    set_language,
    system_language,
    tr,
)
from kol_desk.i18n_scan import placeholders, source_strings


def test_every_string_is_translated_with_matching_placeholders() -> None:
    wanted = source_strings()
    for language in LANGUAGES:
        if language == "en":
            continue
        catalog = load_catalog(language)
        missing = sorted(s for s in wanted if not catalog.get(s))
        assert not missing, f"{language} lacks translations for: {missing[:20]}"
        wrong = [s for s in wanted if placeholders(catalog[s]) != placeholders(s)]
        assert not wrong, f"{language} placeholders differ for: {wrong[:20]}"


def test_catalog_files_are_valid_json_without_duplicate_keys() -> None:
    def no_duplicates(pairs: list[tuple[str, str]]) -> dict[str, str]:
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), f"duplicate keys: {sorted({k for k in keys if keys.count(k) > 1})}"
        return dict(pairs)

    files = catalog_files("zh_CN")
    assert files
    home: dict[str, str] = {}
    for path in files:
        for key in json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=no_duplicates):
            # One file per string: two files could give it two translations, and the later
            # file would win without a word ("Price" was 价格 in one, 报价 in another).
            assert key not in home, f"{key!r} is in {home.get(key)} and {path.name}"
            home[key] = path.name


def test_switching_language() -> None:
    set_language("zh_CN")
    assert tr("Creators") == "达人"
    assert tr("{n} accounts", n=5) == "5 个账号"
    set_language("en")
    assert tr("Creators") == "Creators"


def test_sentences_and_clauses_take_each_language_s_punctuation() -> None:
    set_language("zh_CN")
    try:
        assert sentences("目标价 ¥100。", "", "当前报价高于底线价。") == "目标价 ¥100。当前报价高于底线价。"
        assert clauses(["甲", "乙"]) == "甲；乙"
    finally:
        set_language("en")
    assert sentences("Target ¥100.", "The quote is high.") == "Target ¥100. The quote is high."
    assert clauses(["a", "b"]) == "a; b"


def test_listed_names_take_each_language_s_comma() -> None:
    set_language("zh_CN")
    try:
        assert items([tr("Phone"), tr("Risk level")]) == "电话、风险等级"
        assert items(["甲"]) == "甲"
    finally:
        set_language("en")
    assert items(["Phone", "Risk level"]) == "Phone, Risk level"
    assert items([]) == ""


def test_system_language() -> None:
    assert system_language("zh_CN.UTF-8") == "zh_CN"
    assert system_language("zh_TW") == "zh_CN"
    assert system_language("de_DE") == "en"


def test_errors_below_the_ui_are_worded_where_they_are_shown(tmp_path: Path) -> None:
    """The store raises an English template; the window or command line that shows it
    translates it, in the language of that moment (kol_desk.errors.KnownError)."""
    from kol_desk.errors import NotAWorkspaceError
    from kol_desk.store.migrate import open_workspace

    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"not a database at all " * 50)
    with pytest.raises(NotAWorkspaceError) as raised:
        open_workspace(path)
    set_language("zh_CN")
    assert str(raised.value) == f"{path} 不是 KOL Desk 数据库（它不是 SQLite 文件，或者已损坏）。"
    set_language("en")
    assert str(raised.value).startswith(f"{path} is not a KOL Desk database")
