"""Editing creators: fields and accounts with their checks, the trash, bulk tags and
risk, saved filter sets, duplicates and merging, each undone the way the UI undoes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from kol_desk.models import Collaboration, CreatorTag, PlatformAccount, Quote
from kol_desk.services.conflicts import Resolution, VersionConflict, resolve
from kol_desk.services.creator_edit import (
    AccountFields,
    CreatorEditError,
    CreatorFields,
    RiskChange,
    add_account,
    add_tags,
    create_creator,
    delete_creators,
    read_account,
    read_account_for_edit,
    read_fields,
    remove_account,
    remove_tags,
    restore_account,
    restore_creators,
    restore_risk,
    set_risk,
    trash_count,
    update_account,
    update_creator,
)
from kol_desk.services.creator_filters import CreatorFilter
from kol_desk.services.creator_page import load_creator_page
from kol_desk.services.creators import count_accounts, fetch_accounts
from kol_desk.services.duplicates import find_duplicates, merge_creators, unmerge
from kol_desk.services.saved_filters import (
    delete_filter,
    load_filter,
    save_filter,
    saved_filter_names,
)
from kol_desk.store.database import Workspace


def _new(workspace: Workspace, nickname: str, platform: str, handle: str, followers: int,
         url: str | None = None) -> tuple[int, int]:
    creator_id = create_creator(workspace, CreatorFields(nickname=nickname, notes="初次联系"))
    account_id = add_account(workspace, creator_id, AccountFields(
        platform, handle, followers=followers, avg_engagements=500, profile_url=url))
    return creator_id, account_id


def test_edits_keep_the_search_in_step(workspace: Workspace) -> None:
    creator_id, account_id = _new(workspace, "春卷研究所", "douyin", "@ChunJuan_Lab", 120_000)
    assert count_accounts(workspace, "chunjuan") == 1  # handle, via the index
    assert count_accounts(workspace, "春卷") == 1
    fields = read_fields(workspace, creator_id)
    update_creator(workspace, creator_id, CreatorFields(**{**fields.__dict__, "nickname": "芒果布丁",
                                                          "tags": ("测评", "宠物")}))
    assert count_accounts(workspace, "春卷研究") == 0
    assert count_accounts(workspace, "芒果布") == 1 and count_accounts(workspace, "宠物") == 1
    update_account(workspace, account_id, AccountFields("douyin", "mango_pudding", followers=2_000_000))
    assert count_accounts(workspace, "chunjuan") == 0 and count_accounts(workspace, "mango_p") == 1
    page = load_creator_page(workspace, creator_id)
    assert page is not None and page.tier == "top" and page.tags == ["宠物", "测评"]


def test_account_checks(workspace: Workspace) -> None:
    _new(workspace, "一号", "xiaohongshu", "luna123", 5_000)
    second, _unused = _new(workspace, "二号", "douyin", "luna123", 5_000)  # same handle, other platform
    with pytest.raises(CreatorEditError, match="already belongs to 一号"):
        add_account(workspace, second, AccountFields("xiaohongshu", "@LUNA123"))
    with pytest.raises(CreatorEditError):
        add_account(workspace, second, AccountFields("xiaohongshu", "  "))
    with pytest.raises(CreatorEditError):
        add_account(workspace, second, AccountFields("xiaohongshu", "x1", engagement_rate=1.5))
    with pytest.raises(CreatorEditError):
        create_creator(workspace, CreatorFields(nickname=" "))
    assert count_accounts(workspace) == 2


def test_a_colleagues_newer_save_of_an_account_is_a_conflict_not_overwritten(workspace: Workspace) -> None:
    _creator, account_id = _new(workspace, "芒果布丁", "douyin", "mango", 5_000)
    mine_from, loaded = read_account_for_edit(workspace, account_id)
    theirs_from, theirs_loaded = read_account_for_edit(workspace, account_id)
    update_account(workspace, account_id, replace(theirs_from, followers=9_000), loaded=theirs_loaded)
    mine = replace(mine_from, nickname="芒果")
    with pytest.raises(VersionConflict) as met:
        update_account(workspace, account_id, mine, loaded=loaded)
    conflict = met.value.conflict
    assert {f.name for f in conflict.fields if f.i_changed or f.they_changed} == {"nickname", "followers"}
    assert read_account(workspace, account_id).nickname != "芒果"  # nothing written
    resolve(conflict, Resolution())  # merging keeps both changes
    assert read_account(workspace, account_id) == replace(mine, followers=9_000)


def test_remove_account_and_restore_keeps_quotes(demo_workspace: Workspace) -> None:
    with demo_workspace.session() as session:
        account_id = session.scalar(
            select(PlatformAccount.id).where(~PlatformAccount.id.in_(select(Collaboration.account_id)))
            .where(PlatformAccount.id.in_(select(Quote.account_id))).limit(1))
        quotes = session.scalar(select(func.count()).where(Quote.account_id == account_id))
        used = session.scalar(select(Collaboration.account_id).limit(1))
    assert account_id is not None and quotes
    snapshot = remove_account(demo_workspace, account_id)
    with demo_workspace.session() as session:
        assert session.get(PlatformAccount, account_id) is None
    restore_account(demo_workspace, snapshot)
    with demo_workspace.session() as session:
        assert session.scalar(select(func.count()).where(Quote.account_id == account_id)) == quotes
        # Back at a new version: a form still open on the removed account meets a conflict.
        restored = session.get(PlatformAccount, account_id)
        assert restored is not None and restored.version == snapshot["account"]["version"] + 1
        versions = dict(session.execute(select(Quote.id, Quote.version).where(Quote.account_id == account_id)).all())
        assert versions == {q["id"]: q["version"] + 1 for q in snapshot["quotes"]}
    with pytest.raises(CreatorEditError, match="collaborations"):
        remove_account(demo_workspace, used)


def test_trash_bulk_tags_and_risk(demo_workspace: Workspace) -> None:
    rows = fetch_accounts(demo_workspace, 0, 3, by_creator=True)
    ids = [r.creator_id for r in rows]
    before = count_accounts(demo_workspace, by_creator=True)
    assert sorted(delete_creators(demo_workspace, ids)) == sorted(ids)
    assert count_accounts(demo_workspace, by_creator=True) == before - 3
    assert trash_count(demo_workspace) == 3
    assert {r.creator_id for r in fetch_accounts(
        demo_workspace, 0, 10, filters=CreatorFilter(deleted=True), by_creator=True)} == set(ids)
    restore_creators(demo_workspace, ids)
    assert count_accounts(demo_workspace, by_creator=True) == before and trash_count(demo_workspace) == 0

    added = add_tags(demo_workspace, ids, ["待复核"])
    assert len(added) == 3 and count_accounts(demo_workspace, "待复核", by_creator=True) == 3
    remove_tags(demo_workspace, added)
    assert count_accounts(demo_workspace, "待复核") == 0

    with pytest.raises(CreatorEditError):
        set_risk(demo_workspace, ids, RiskChange("high", "", date(2026, 11, 20)))
    previous = set_risk(demo_workspace, ids, RiskChange("high", "刷量", date(2026, 11, 20), True, "删帖"))
    page = load_creator_page(demo_workspace, ids[0])
    assert page is not None and page.risk_level == "high" and page.blacklisted and page.risk_reason == "刷量"
    restore_risk(demo_workspace, previous)
    assert read_fields(demo_workspace, ids[0]).risk_reason == previous[ids[0]]["risk_reason"]


def test_saved_filters_round_trip(workspace: Workspace) -> None:
    flt = CreatorFilter(platforms=("douyin", "xiaohongshu"), tiers=("mid",), price_max=Decimal("8000.5"),
                        never_worked_with=True, search="美妆")
    save_filter(workspace, "腰部 美妆", flt)
    save_filter(workspace, "all", CreatorFilter())
    assert saved_filter_names(workspace) == ["all", "腰部 美妆"]
    assert load_filter(workspace, "腰部 美妆") == flt
    delete_filter(workspace, "all")
    assert saved_filter_names(workspace) == ["腰部 美妆"]


def test_duplicates_are_found_and_merged_without_loss(workspace: Workspace) -> None:
    keep, keep_account = _new(workspace, "小满的厨房", "douyin", "xiaoman_kitchen", 523_000,
                              "https://www.douyin.com/user/xiaoman")
    other, other_account = _new(workspace, "小满的厨房呀", "xiaohongshu", "xm_kitchen", 523_400)
    by_url, _ = _new(workspace, "完全不同", "bilibili", "zz_1", 10,
                                  "https://WWW.douyin.com/user/xiaoman/")
    add_tags(workspace, [other], ["家常菜"])
    with workspace.transaction() as session:
        session.add(Quote(account_id=other_account, deliverable="video", price_min=Decimal(6000),
                          price_max=Decimal(6000), quoted_on=date(2026, 10, 1)))
    pairs = {(frozenset((p.keep_id, p.other_id)), p.reason) for p in find_duplicates(workspace)}
    assert (frozenset((keep, other)), "nickname") in pairs
    assert (frozenset((keep, by_url)), "url") in pairs

    record = merge_creators(workspace, keep, other)
    page = load_creator_page(workspace, keep)
    assert page is not None
    assert {a.id for a in page.accounts} == {keep_account, other_account}
    assert [q.price_min for q in page.quotes] == [Decimal("6000.00")]
    assert "家常菜" in page.tags and page.notes == "初次联系"
    assert count_accounts(workspace, "小满的厨房呀") == 2  # the old name still finds it
    assert count_accounts(workspace, "xm_kitchen", by_creator=True) == 1

    unmerge(workspace, record)
    restored = load_creator_page(workspace, other)
    assert restored is not None and not restored.deleted
    assert [a.id for a in restored.accounts] == [other_account] and restored.tags == ["家常菜"]
    kept = load_creator_page(workspace, keep)
    assert kept is not None and [a.id for a in kept.accounts] == [keep_account] and kept.tags == []
    with workspace.session() as session:
        assert session.scalar(select(func.count()).select_from(CreatorTag).where(
            CreatorTag.creator_id == other)) == 1
