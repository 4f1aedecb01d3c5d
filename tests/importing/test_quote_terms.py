"""Issue 16, points 3 and 7: discounts and channels read into a quote's own fields, and
handles stored the way their platform compares them, with every spelling kept."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, text

from kol_desk.domain import handle_case
from kol_desk.importing.errors import ValueProblem
from kol_desk.importing.parse import parse_file
from kol_desk.importing.terms import parse_discount
from kol_desk.importing.values import handle_text, normalise_handle, parse_price
from kol_desk.importing.vocabulary import match_header, price_channel
from kol_desk.models import PlatformAccount, Quote
from kol_desk.services.import_batches import undo_batch
from kol_desk.services.import_commit import commit_plan
from kol_desk.services.import_plan import quote_channel
from kol_desk.store.database import Workspace

# the ``workspace`` fixture on SQLite and, with KOL_DESK_TEST_PG_URL, on PostgreSQL
from tests.team.engines import workspace_on_both_engines  # noqa: F401

from .test_commit import plan_for, write_list


@pytest.mark.parametrize(("raw", "off"), [
    ("9折", 10), ("九折", 10), ("八五折", 15), ("85折", 15), ("8.5折", 15), ("打八折", 20),
    ("95折", 5), ("10% off", 10), ("off 12.5%", Decimal("12.5")), ("减10%", 10), ("优惠 15%", 15),
    ("90%", 10), ("10%", 10), (0.9, 10), (0.85, 15), (0.1, 10), (9, 10), ("85", 15), ("20", 20),
    ("不打折", None), ("无", None), ("-", None), (None, None), (1, None),
])
def test_a_discount_is_percent_off_however_it_is_written(raw: object, off: object) -> None:
    assert parse_discount(raw) == (None if off is None else Decimal(str(off)))


@pytest.mark.parametrize("raw", ["半价?", "9折 8折 还有", "abc", "120%", True])
def test_an_unreadable_discount_is_a_problem(raw: object) -> None:
    with pytest.raises(ValueProblem):
        parse_discount(raw)


@pytest.mark.parametrize(("raw", "low", "high", "off"), [
    ("5000 9折", 5000, 5000, 10), ("¥800 (10% off)", 800, 800, 10), ("八五折 1.2w", 12000, 12000, 15),
    ("5000-8000 含税 85折", 5000, 8000, 15), ("5000", 5000, 5000, None), ("1.2万", 12000, 12000, None),
])
def test_a_discount_inside_a_price_cell_is_kept_apart(raw: str, low: int, high: int, off: int | None
                                                     ) -> None:
    price = parse_price(raw)
    assert (price.min, price.max) == (Decimal(low), Decimal(high))
    assert price.discount_pct == (None if off is None else Decimal(off))


@pytest.mark.parametrize(("header", "word"), [
    ("星图价", "报备"), ("蒲公英价", "报备"), ("平台下单价", "报备"), ("图文报价（报备）", "报备"),
    ("Platform order rate", "报备"), ("水下价", "非报备"), ("非报备图文价", "非报备"),
    ("视频（非报备）", "非报备"), ("Direct rate", "非报备"), ("报价", None),
])
def test_channel_headers_are_prices_of_that_channel(header: str, word: str | None) -> None:
    found = match_header(header)
    assert found is not None and found.field.value == "price"
    assert price_channel(header) == word


def test_a_channel_is_the_platforms_marketplace_or_direct() -> None:
    assert [quote_channel("报备", p) for p in ("douyin", "xiaohongshu", "bilibili", "weibo", "tiktok")] \
        == ["xingtu", "pugongying", "huahuo", "weirenwu", "platform_other"]
    assert quote_channel("非报备", "douyin") == "direct" and quote_channel(None, "douyin") is None


@pytest.mark.parametrize("header", ["IG Story", "Story 报价", "快拍", "快拍报价", "Story rate"])
def test_an_instagram_story_is_its_own_deliverable(header: str) -> None:
    found = match_header(header)
    assert found is not None and (found.field.value, found.deliverable) == ("price", "story")


@pytest.mark.parametrize(("platform", "raw", "want"), [
    ("instagram", "@Taozi_Jiang", "taozi_jiang"), ("tiktok", "＠ＴＡＯＺＩ", "taozi"),
    ("douyin", " @DouYin_01 ", "douyin_01"), ("xiaohongshu", "ＸＨＳ１２３", "xhs123"),
    ("x", "@Jack", "jack"), ("youtube", "@MrBeast", "mrbeast"), (None, "@Other", "other"),
    # ids the platform generates keep their case: it is part of the id
    ("youtube", "UCX6OQ3DkcsbYNE6H8uQQuVA", "UCX6OQ3DkcsbYNE6H8uQQuVA"),
    ("douyin", "MS4wLjABAAAAv7iSuuXDJGDvJkmH", "MS4wLjABAAAAv7iSuuXDJGDvJkmH"),
    ("wechat_channels", "sphAbCdEf12", "sphAbCdEf12"), ("wechat_channels", "Taozi", "taozi"),
])
def test_handles_take_the_case_their_platform_compares_them_in(platform: str | None, raw: str,
                                                                 want: str) -> None:
    assert normalise_handle(raw, platform) == want
    assert handle_case(platform, handle_text(raw)) == want


def _terms_list(tmp_path: Path) -> Path:
    header = ["达人昵称", "平台", "账号ID", "粉丝数", "图文报价（报备）", "图文报价（非报备）", "折扣"]
    rows = [["小桃子", "小红书", "@Taozi_Jiang", "1.2w", 8000, "6000 9折", "八五折"],
            ["阿飞", "抖音", "ＡＦＥＩ", "35万", "1.2万", 9000, None]]
    return write_list(tmp_path / "terms.xlsx", rows, header)


def _rows(workspace: Workspace, query: str) -> list[tuple[object, ...]]:
    with workspace.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(query))]


def test_discount_and_channel_reach_the_quotes(workspace: Workspace, tmp_path: Path) -> None:
    parsed = parse_file(_terms_list(tmp_path))
    assert [(r.handle, r.handle_display, r.discount) for r in parsed.rows] == [
        ("taozi_jiang", "@Taozi_Jiang", Decimal(15)), ("afei", "ＡＦＥＩ", None)]
    commit_plan(workspace, plan_for(workspace, _terms_list(tmp_path)))
    with workspace.session() as session:  # typed columns: money as Decimal on both engines
        quotes = [tuple(r) for r in session.execute(
            select(PlatformAccount.handle, Quote.price_min, Quote.channel, Quote.discount_pct,
                   Quote.notes).join(PlatformAccount, PlatformAccount.id == Quote.account_id)
            .order_by(Quote.id))]
    # the cell's own 9折 wins over the row's 八五折; nothing of it is left in the notes
    assert quotes == [
        ("taozi_jiang", Decimal(8000), "pugongying", 15.0, None),
        ("taozi_jiang", Decimal(6000), "direct", 10.0, None),
        ("afei", Decimal(12000), "xingtu", None, None),
        ("afei", Decimal(9000), "direct", None, None)]


def test_spellings_are_kept_once_and_undo_takes_them_back(workspace: Workspace,
                                                         tmp_path: Path) -> None:
    first = commit_plan(workspace, plan_for(workspace, _terms_list(tmp_path)))
    header = ["达人昵称", "平台", "账号ID", "粉丝数", "报价"]
    again = write_list(tmp_path / "again.xlsx", [
        ["小桃子", "小红书", "@Taozi_Jiang", "1.3w", 7000],   # known spelling: not again
        ["小桃子", "小红书", "TAOZI_JIANG", "1.3w", 7000],    # a new one, same account
        ["阿飞", "抖音", "afei", "36万", 9500]], header)   # its stored form: no spelling
    second = commit_plan(workspace, plan_for(workspace, again, agency="另一家MCN"))

    def spellings() -> list[tuple[object, ...]]:
        return _rows(workspace, "SELECT a.handle, s.spelling, s.import_batch_id "
                                "FROM handle_spellings s JOIN platform_accounts a "
                                "ON a.id = s.account_id ORDER BY s.id")

    assert spellings() == [("taozi_jiang", "@Taozi_Jiang", first.batch_id),
                           ("afei", "ＡＦＥＩ", first.batch_id),
                           ("taozi_jiang", "TAOZI_JIANG", second.batch_id)]
    undo_batch(workspace, second.batch_id)
    assert spellings() == [("taozi_jiang", "@Taozi_Jiang", first.batch_id),
                           ("afei", "ＡＦＥＩ", first.batch_id)]
    undo_batch(workspace, first.batch_id)
    assert spellings() == []


def test_a_channel_id_stored_lower_case_before_is_still_matched(workspace: Workspace,
                                                                tmp_path: Path) -> None:
    """Imports before handle_case lowered every handle; a YouTube channel id now keeps
    its case, and the account stored then is found all the same."""
    from kol_desk.services.creator_edit import CreatorFields, create_creator

    channel_id = "UCX6OQ3DkcsbYNE6H8uQQuVA"
    creator_id = create_creator(workspace, CreatorFields("Old"))
    with workspace.transaction() as session:
        session.add(PlatformAccount(creator_id=creator_id,
                                    platform="youtube", handle=channel_id.lower(),
                                    handle_display=channel_id.lower()))
    path = write_list(tmp_path / "yt.xlsx", [["Old", "YouTube", channel_id, "1M", 5000]],
                      ["Name", "Platform", "Channel ID", "Subscribers", "Rate"])
    plan = plan_for(workspace, path)
    [account] = plan.accounts
    assert (account.handle, account.matched_by) == (channel_id, "handle")


def test_length_tiers_stay_apart_per_channel(workspace: Workspace, tmp_path: Path) -> None:
    header = ["达人昵称", "平台", "抖音号", "粉丝数", "星图报价(1-20s)", "星图报价(21-60s)",
              "水下报价(1-20s)", "直播报价"]
    path = write_list(tmp_path / "tiers.xlsx",
                      [["阿飞", "抖音", "afei", "35万", 8000, 12000, 6000, 20000]], header)
    [account] = plan_for(workspace, path).accounts
    assert [(q.deliverable, q.video_length, q.channel, q.price.min) for q in account.quotes] == [
        ("video", "星图报价(1-20s)", "xingtu", Decimal(8000)),
        ("video", "星图报价(21-60s)", "xingtu", Decimal(12000)),
        ("video", "水下报价(1-20s)", "direct", Decimal(6000)),
        ("live", None, None, Decimal(20000))]
