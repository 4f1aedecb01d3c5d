"""Finding creators by the pinyin of their Chinese nickname and tags: the search text,
the Creators list's search, ``kol-desk creators --search`` and the migration that adds
pinyin to creators written before it."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from kol_desk.cli import main
from kol_desk.services.creator_edit import (
    AccountFields,
    CreatorFields,
    add_account,
    create_creator,
    read_for_edit,
    update_creator,
)
from kol_desk.services.creators import count_accounts, fetch_accounts
from kol_desk.services.search_text import build_search_text, pinyin_forms
from kol_desk.store.database import Workspace
from kol_desk.store.migrate import open_workspace


def test_pinyin_forms_of_chinese_latin_and_digits() -> None:
    assert pinyin_forms("时光机") == ["shi guang ji", "shiguangji", "sgj"]
    assert pinyin_forms("Luna的时光机") == ["luna de shi guang ji", "lunadeshiguangji", "lunadsgj"]
    assert pinyin_forms("小桃子2号") == ["xiao tao zi 2 hao", "xiaotaozi2hao", "xtz2h"]
    assert pinyin_forms("绿") == ["lv", "l"]  # ü typed as v, as every pinyin keyboard does
    assert pinyin_forms("Luna Chen") == []  # nothing to add to Latin text


def test_the_search_text_keeps_the_written_parts_and_adds_pinyin_of_names_and_tags() -> None:
    text = build_search_text("时光机", ["sgj_official"], "档期紧", ["美妆"])
    lines = text.split("\n")
    assert lines[:4] == ["时光机", "sgj_official", "美妆", "档期紧"]
    assert {"shiguangji", "shi guang ji", "sgj", "meizhuang", "mz"} <= set(lines)
    assert "dangqijin" not in text  # notes are searched as written only


def _creators(workspace: Workspace) -> dict[str, int]:
    ids = {}
    for number, (nickname, handle, tags) in enumerate([
            ("时光机", "timemachine", ("数码",)), ("Luna的厨房", "luna_kitchen", ("美食",)),
            ("石光记", "stone", ()), ("Sugar Jam", "sugarjam", ("美妆",))]):
        ids[nickname] = create_creator(workspace, CreatorFields(nickname=nickname, tags=tags))
        add_account(workspace, ids[nickname], AccountFields("douyin", handle, followers=number))
    return ids


def _found(workspace: Workspace, query: str) -> set[str]:
    return {row.nickname for row in fetch_accounts(workspace, 0, 50, query)}


@pytest.mark.parametrize(("query", "expected"), [
    ("shiguangji", {"时光机", "石光记"}),  # same reading, both found
    ("shi guang ji", {"时光机", "石光记"}),
    ("ShiGuangJi", {"时光机", "石光记"}),
    ("sgj", {"时光机", "石光记"}),
    ("时光", {"时光机"}),
    ("luna de chu", {"Luna的厨房"}),
    ("lunadcf", {"Luna的厨房"}),
    ("luna", {"Luna的厨房"}),
    ("shuma", {"时光机"}),  # a tag's pinyin
    ("mz", {"Sugar Jam"}),
    ("sugar", {"Sugar Jam"}),
    ("zz", set()),
])
def test_the_creator_search_finds_pinyin_full_spaced_and_initials(
        workspace: Workspace, query: str, expected: set[str]) -> None:
    _creators(workspace)
    assert _found(workspace, query) == expected
    assert count_accounts(workspace, query) == len(expected)


def test_an_edited_nickname_is_found_by_its_new_pinyin(workspace: Workspace) -> None:
    ids = _creators(workspace)
    fields, loaded = read_for_edit(workspace, ids["时光机"])
    update_creator(workspace, ids["时光机"], replace(fields, nickname="月亮船"), loaded=loaded)
    assert _found(workspace, "yueliangchuan") == {"月亮船"}
    assert _found(workspace, "sgj") == {"石光记"}


def test_the_command_line_search_is_the_tabs_search(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "ws.sqlite"
    workspace = open_workspace(db)
    _creators(workspace)
    workspace.dispose()
    capsys.readouterr()
    assert main(["creators", "--db", str(db), "--search", "sgj", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert sorted(a["nickname"] for a in found) == ["时光机", "石光记"]


def test_the_migration_adds_pinyin_to_creators_written_before_it(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    workspace = open_workspace(db)
    _creators(workspace)
    workspace.dispose()
    with sqlite3.connect(db) as conn:  # as revision 0004 wrote them: the written parts only
        conn.execute("UPDATE creators SET search_text = '时光机' || char(10) || 'timemachine' "
                     "|| char(10) || '数码' WHERE nickname = '时光机'")
        conn.execute("UPDATE creators SET search_text = 'luna的厨房' || char(10) || 'luna_kitchen' "
                     "|| char(10) || '美食' WHERE nickname = 'Luna的厨房'")
        conn.execute("UPDATE alembic_version SET version_num = '0004'")
        # what revision 0006 added comes again with the upgrade (0005 changed data only)
        conn.execute("DROP TABLE handle_spellings")
        for table, column in (("quotes", "discount_pct"), ("quotes", "channel"),
                              ("collaborations", "invoice_type")):
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    workspace = open_workspace(db, tmp_path / "backups")
    try:
        assert _found(workspace, "lunadechufang") == {"Luna的厨房"}
        assert _found(workspace, "meishi") == {"Luna的厨房"}
        assert _found(workspace, "sgj") == {"时光机", "石光记"}
        assert _found(workspace, "luna_kitchen") == {"Luna的厨房"}
    finally:
        workspace.dispose()


def test_the_fast_reading_is_pypinyins_and_falls_back_to_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names of the demo and of heteronyms read as ``lazy_pinyin`` reads them; without
    the dictionaries the fast path needs, ``lazy_pinyin`` itself is used."""
    from pypinyin import lazy_pinyin

    from kol_desk.services import search_text
    from kol_desk.services.demo import _CORES, _PREFIXES, _SUFFIXES, CATEGORIES, CITIES, TAGS

    names = [p + c + s for p in _PREFIXES for c in _CORES for s in _SUFFIXES]
    names += [*CATEGORIES, *CITIES, *TAGS]
    names += ["长沙吃货", "重庆银行行长", "朝阳区的朝霞", "音乐人小乐", "了不起的盖茨比"]
    search_text._reader.cache_clear()
    fast = search_text._reader()
    assert fast is not lazy_pinyin
    runs = [run for name in names for run in search_text._HAN_RUN.findall(name)]  # what it reads
    assert len(runs) > 1000
    assert [fast(run) for run in runs] == [lazy_pinyin(run) for run in runs]

    def missing() -> search_text.Reader:
        raise ImportError("no such module")

    monkeypatch.setattr(search_text, "_longest_match_reader", missing)
    search_text._reader.cache_clear()
    try:
        assert search_text._reader() is lazy_pinyin
    finally:
        search_text._reader.cache_clear()
