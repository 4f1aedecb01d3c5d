"""Correcting and removing a stored quote (services/quote_edit.py): the checks and their
messages, the version check a colleague's save meets, the activity entry, remove and put
back as the undo does, and what undoing the import a quote came from does with it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from kol_desk.i18n import set_language
from kol_desk.models import Quote
from kol_desk.services import activity
from kol_desk.services.conflicts import Resolution, Side, VersionConflict, resolve
from kol_desk.services.creator_edit import (
    AccountFields,
    CreatorFields,
    add_account,
    create_creator,
    remove_account,
)
from kol_desk.services.creator_page import load_creator_page
from kol_desk.services.creators import fetch_accounts
from kol_desk.services.import_batches import undo_batch
from kol_desk.services.import_commit import commit_plan
from kol_desk.services.negotiation import AGREED, record_price
from kol_desk.services.quote_edit import (
    QuoteEditError,
    QuoteFields,
    read_quote,
    read_quote_for_edit,
    remove_quote,
    restore_quote,
    update_quote,
)
from kol_desk.store.database import Workspace
from tests.importing.test_commit import plan_for, write_list

ON = date(2026, 11, 2)


def _account(workspace: Workspace, nickname: str = "小桃子", handle: str = "taozi01") -> tuple[int, int]:
    creator_id = create_creator(workspace, CreatorFields(nickname=nickname))
    return creator_id, add_account(workspace, creator_id, AccountFields("xiaohongshu", handle, followers=12_000))


def _quote(workspace: Workspace, account_id: int, amount: str = "5000") -> int:
    return record_price(workspace, account_id, "image_post", Decimal(amount), AGREED, ON)


def test_a_quote_is_read_corrected_and_logged(workspace: Workspace) -> None:
    creator_id, account_id = _account(workspace)
    quote_id = _quote(workspace, account_id)
    before = read_quote(workspace, quote_id)
    assert before == QuoteFields("image_post", ON, Decimal(5000), Decimal(5000), notes="agreed")
    wanted = replace(before, deliverable="video", price_min=Decimal(6000), price_max=Decimal(8000),
                     tax_included=False, discount_pct=10.0, channel="pugongying",
                     quoted_on=date(2026, 11, 3), video_length="21-60s", notes="  代理填错了  ")
    activity.set_user(workspace, "小王")
    try:
        saved = update_quote(workspace, quote_id, wanted)
    finally:
        activity.set_user(workspace, None)
    assert saved == replace(wanted, notes="代理填错了") == read_quote(workspace, quote_id)
    with workspace.session() as session:
        quote = session.get(Quote, quote_id)
        assert quote is not None and quote.source_kind == "negotiation" and quote.version == 2
    # the page and the list's latest-price column show the corrected price
    page = load_creator_page(workspace, creator_id)
    assert page is not None and [(q.id, q.price_min, q.price_max) for q in page.quotes] == [
        (quote_id, Decimal(6000), Decimal(8000))]
    row = next(r for r in fetch_accounts(workspace, 0, 50) if r.account_id == account_id)
    assert row.latest_price is not None and row.latest_price.low < Decimal(6000) < row.latest_price.high
    entry = activity.creator_history(workspace, creator_id)[0]
    assert (entry.user, entry.action, entry.entity, entry.entity_id, entry.summary) == (
        "小王", "edit", "quotes", quote_id, "taozi01")
    # in the fields' order, low end before high end
    assert entry.details == {"fields": ["deliverable", "quoted_on", "price_min", "price_max", "tax_included",
                                        "discount_pct", "channel", "video_length", "notes"]}
    # saving what is stored changes nothing: no new version, no entry
    update_quote(workspace, quote_id, saved)
    assert read_quote_for_edit(workspace, quote_id)[1].version == 2
    assert len(activity.recent(workspace, entity="quotes")) == 1


def test_negotiable_and_from_prices(workspace: Workspace) -> None:
    _creator, account_id = _account(workspace)
    quote_id = _quote(workspace, account_id)
    base = read_quote(workspace, quote_id)
    negotiable = replace(base, price_min=None, price_max=None, price_unknown=True)
    assert update_quote(workspace, quote_id, negotiable) == read_quote(workspace, quote_id)
    from_price = replace(base, price_min=Decimal(3000), price_max=None)
    update_quote(workspace, quote_id, from_price)
    assert read_quote(workspace, quote_id) == from_price


@pytest.mark.parametrize(("change", "message", "chinese"), [
    ({"price_min": Decimal(0), "price_max": Decimal(0)}, "A price must be above zero.", "价格必须大于零。"),
    ({"price_min": Decimal(-5), "price_max": None}, "A price must be above zero.", None),
    ({"price_min": Decimal(8000), "price_max": Decimal(5000)},
     "The low end of the price range is above its high end.", "价格区间的下限高于上限。"),
    ({"price_min": Decimal("5000.005"), "price_max": None}, "Money has at most two decimals.", None),
    ({"price_min": None, "price_max": None}, "A quote needs a price, or 'negotiable'.", None),
    ({"price_unknown": True}, "A negotiable price has no amount; give one or the other.", None),
    ({"discount_pct": 100.0}, "A discount is between 0 and 100 percent.", "折扣须在 0 到 100% 之间。"),
    ({"discount_pct": -1.0}, "A discount is between 0 and 100 percent.", None),
    ({"deliverable": "podcast"}, "Unknown deliverable: podcast.", "未知的交付类型：podcast。"),
    ({"channel": "wechat_store"}, "Unknown channel: wechat_store.", "未知的渠道：wechat_store。"),
    ({"currency": "RMB"}, "Unknown currency: RMB.", "未知的币种：RMB。"),
    ({"video_length": "x" * 21}, "A video length or variant is at most 20 characters.", None),
])
def test_what_no_quote_can_be_is_refused_and_nothing_is_written(
        workspace: Workspace, change: dict[str, object], message: str, chinese: str | None) -> None:
    _creator, account_id = _account(workspace)
    quote_id = _quote(workspace, account_id)
    before = read_quote(workspace, quote_id)
    with pytest.raises(QuoteEditError) as refused:
        update_quote(workspace, quote_id, replace(before, **change))  # type: ignore[arg-type]
    assert str(refused.value) == message
    if chinese is not None:  # translated where it is shown, in the language of the moment
        set_language("zh_CN")
        try:
            assert str(refused.value) == chinese
        finally:
            set_language("en")
    assert read_quote(workspace, quote_id) == before


def test_a_colleagues_newer_save_is_a_conflict_not_overwritten(workspace: Workspace) -> None:
    _creator, account_id = _account(workspace)
    quote_id = _quote(workspace, account_id)
    mine_from, loaded = read_quote_for_edit(workspace, quote_id)
    theirs_from, theirs_loaded = read_quote_for_edit(workspace, quote_id)
    activity.set_user(workspace, "老李")
    try:
        update_quote(workspace, quote_id, replace(theirs_from, channel="direct"), loaded=theirs_loaded)
    finally:
        activity.set_user(workspace, None)
    mine = replace(mine_from, price_min=Decimal(5500), price_max=Decimal(5500))
    with pytest.raises(VersionConflict) as met:
        update_quote(workspace, quote_id, mine, loaded=loaded)
    conflict = met.value.conflict
    assert conflict.their_user == "老李" and (conflict.my_version, conflict.their_version) == (1, 2)
    assert "was changed by 老李" in str(met.value) and "taozi01" in conflict.title
    assert {f.name for f in conflict.fields if f.i_changed or f.they_changed} == {
        "price_min", "price_max", "channel"}
    assert read_quote(workspace, quote_id).price_min == Decimal(5000)  # nothing written
    # merging keeps both changes, through the same save
    resolve(conflict, Resolution())
    assert read_quote(workspace, quote_id) == replace(mine, channel="direct")
    # a quote removed meanwhile: the save says so
    remove_quote(workspace, quote_id)
    with pytest.raises(QuoteEditError, match="no longer exists"):
        update_quote(workspace, quote_id, mine, loaded=loaded)
    assert resolve(conflict, Resolution(keep=Side.THEIRS)) is None


def test_remove_and_put_back(workspace: Workspace) -> None:
    creator_id, account_id = _account(workspace)
    keep = _quote(workspace, account_id, "4000")
    quote_id = _quote(workspace, account_id)
    update_quote(workspace, quote_id, replace(read_quote(workspace, quote_id), discount_pct=15.0))
    before = read_quote(workspace, quote_id)
    activity.set_user(workspace, "小王")
    try:
        snapshot = remove_quote(workspace, quote_id)
        page = load_creator_page(workspace, creator_id)
        assert page is not None and [q.id for q in page.quotes] == [keep]
        with pytest.raises(QuoteEditError, match="no longer exists"):
            read_quote(workspace, quote_id)
        restore_quote(workspace, snapshot)
    finally:
        activity.set_user(workspace, None)
    assert read_quote(workspace, quote_id) == before  # the same quote, the same id
    # a form still open on the removed quote meets a conflict rather than saving unseen
    assert read_quote_for_edit(workspace, quote_id)[1].version == snapshot["version"] + 1
    assert [e.action for e in activity.creator_history(workspace, creator_id)
            if e.entity == "quotes"] == ["create", "delete"]
    # once its account is gone the quote cannot come back on its own
    snapshot = remove_quote(workspace, quote_id)
    remove_account(workspace, account_id)
    with pytest.raises(QuoteEditError) as refused:
        restore_quote(workspace, snapshot)
    assert str(refused.value) == "The account of this quote was removed; the quote cannot be put back."


def _imported(workspace: Workspace, tmp_path: Path, name: str, rows: list[list[object]]) -> int:
    path = write_list(tmp_path / name, rows, ["达人昵称", "平台", "账号ID", "粉丝数", "报价"])
    return commit_plan(workspace, plan_for(workspace, path)).batch_id


def _quote_ids(workspace: Workspace, account_id: int) -> list[int]:
    with workspace.session() as session:
        return list(session.scalars(select(Quote.id).where(Quote.account_id == account_id).order_by(Quote.id)))


def test_a_corrected_quote_stays_its_imports_and_goes_when_it_is_undone(workspace: Workspace,
                                                                        tmp_path: Path) -> None:
    # an account the import created: the corrected quote does not block the undo
    batch = _imported(workspace, tmp_path, "new.xlsx", [["阿飞说车", "抖音", "afei_car", "35万", "1.2万"]])
    with workspace.session() as session:
        quote = session.scalars(select(Quote).where(Quote.import_batch_id == batch)).one()
        quote_id, new_account = quote.id, quote.account_id
    update_quote(workspace, quote_id, replace(read_quote(workspace, quote_id),
                                              price_min=Decimal(10_000), price_max=Decimal(10_000)))
    with workspace.session() as session:
        assert session.scalar(select(Quote.import_batch_id).where(Quote.id == quote_id)) == batch
    undo_batch(workspace, batch)
    assert _quote_ids(workspace, new_account) == []

    # an account that was there before: its hand-made quote stays, the corrected
    # imported one goes with its list
    _creator, account_id = _account(workspace, "小桃子", "taozi01")
    own = _quote(workspace, account_id, "4800")
    batch = _imported(workspace, tmp_path, "matched.xlsx", [["小桃子", "小红书", "taozi01", "1.2w", "5000"]])
    imported = [q for q in _quote_ids(workspace, account_id) if q != own]
    assert len(imported) == 1
    update_quote(workspace, imported[0], replace(read_quote(workspace, imported[0]), channel="direct"))
    snapshot = remove_quote(workspace, imported[0])
    undo_batch(workspace, batch)
    assert _quote_ids(workspace, account_id) == [own]
    # and a removed quote of an undone import is not put back on its own
    with pytest.raises(QuoteEditError) as refused:
        restore_quote(workspace, snapshot)
    assert "was undone" in str(refused.value)
    assert _quote_ids(workspace, account_id) == [own]
