"""Quote figures: a range stays a range, lowest / latest / median are defined once and
compare prices on one tax basis, and the creator page, its agencies-disagree warning, the
creator list and the creator export agree."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl

from kol_desk.exporting.creators import write_creators
from kol_desk.models import Agency, Creator, PlatformAccount, Quote
from kol_desk.services.creator_filters import CreatorFilter
from kol_desk.services.creator_page import load_creator_page
from kol_desk.services.creators import count_accounts, fetch_accounts
from kol_desk.services.quote_prices import Price, price_text
from kol_desk.store.database import Workspace

D = Decimal


def _creator(workspace: Workspace) -> tuple[int, int]:
    """One Douyin account quoted by two agencies: 星耀 a range (tax included) on 1 Oct, 橙子
    an exact price *without* tax on 5 Oct, and 星耀 again with "from 19,000" on 3 Oct."""
    with workspace.transaction() as session:
        star, orange = Agency(name="星耀"), Agency(name="橙子")
        creator = Creator(nickname="小桃子", search_text="小桃子")
        account = PlatformAccount(platform="douyin", handle="xtz", handle_display="xtz",
                                  nickname="小桃子", followers=500_000)
        creator.accounts.append(account)
        session.add_all([star, orange, creator])
        session.flush()
        for agency, low, high, included, day in (
                (star, "17980", "23374", True, date(2026, 10, 1)),
                (star, "19000", None, None, date(2026, 10, 3)),
                (orange, "20000", "20000", False, date(2026, 10, 5))):
            session.add(Quote(account_id=account.id, deliverable="video", price_min=D(low),
                              price_max=D(high) if high else None, tax_included=included,
                              agency_id=agency.id, quoted_on=day))
        return creator.id, account.id


def test_lowest_latest_and_median_are_ranges_on_one_tax_basis(workspace: Workspace, tmp_path: Path) -> None:
    creator_id, account_id = _creator(workspace)
    page = load_creator_page(workspace, creator_id)
    assert page is not None
    [summary] = page.quote_summaries
    # 橙子's 20,000 without tax is 21,200 with 6 % VAT: the newest quote.
    assert summary.latest == Price(D("21200.00"), D("21200.00"))
    assert summary.lowest == Price(D("17980.00"), D("23374.00"))
    # low ends 17,980 / 19,000 / 21,200; high ends 23,374 / 19,000 (a "from") / 21,200
    assert summary.median == Price(D("19000.00"), D("21200.00"))
    assert price_text(summary.lowest) == "¥17,980.00–23,374.00"
    assert price_text(Price(D("19000"), None)) == "from ¥19,000.00"
    # Each agency's newest price, as ranges: no midpoint such as ¥20,677 anywhere.
    assert summary.agency_prices == {"星耀": Price(D("19000.00"), None), "橙子": Price(D("21200.00"), D("21200.00"))}

    [row] = [r for r in fetch_accounts(workspace, 0, 50) if r.account_id == account_id]
    assert row.latest_price == summary.latest
    assert row.latest_quotes["video"] == (D("21200.00"), D("21200.00"))

    exported = _first_exported_row(workspace, tmp_path)
    assert exported["Latest quote (after discount, incl. tax): low"] == 21200
    assert exported["Latest quote (after discount, incl. tax): high"] == 21200
    assert exported["Quoted on"].date() == date(2026, 10, 5)


def _first_exported_row(workspace: Workspace, tmp_path: Path) -> dict[str, Any]:
    """The creator export's first account, by column header, as the workbook holds it."""
    out = tmp_path / "creators.xlsx"
    write_creators(workspace, out)
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    return dict(zip([c.value for c in sheet[4]], [c.value for c in sheet[5]], strict=True))


def test_a_discount_is_compared_after_it_and_channels_apart(workspace: Workspace, tmp_path: Path
                                                            ) -> None:
    """¥10,000 at 八折 (20 % off) is cheaper than a plain ¥9,000: lowest, latest and median
    compare what would be paid, on the creator page, the list and the export alike; a 报备
    price and a direct one are summarised apart."""
    with workspace.transaction() as session:
        creator = Creator(nickname="阿飞", search_text="阿飞")
        account = PlatformAccount(platform="douyin", handle="afei", handle_display="afei")
        creator.accounts.append(account)
        session.add(creator)
        session.flush()
        for low, off, channel, day in (("9000", None, None, date(2026, 10, 1)),
                                       ("12000", None, "xingtu", date(2026, 10, 2)),
                                       ("10000", 20.0, None, date(2026, 10, 3))):
            session.add(Quote(account_id=account.id, deliverable="video", price_min=D(low),
                              price_max=D(low), discount_pct=off, channel=channel, quoted_on=day))
        creator_id, account_id = creator.id, account.id
    page = load_creator_page(workspace, creator_id)
    assert page is not None
    plain, xingtu = sorted(page.quote_summaries, key=lambda s: s.channel or "")
    assert (plain.channel, plain.count, xingtu.channel, xingtu.count) == (None, 2, "xingtu", 1)
    assert plain.lowest == plain.latest == Price(D("8000.00"), D("8000.00"))
    assert plain.median == Price(D("8500.00"), D("8500.00"))
    discounted = next(q for q in page.quotes if q.discount_pct)
    assert (discounted.price_min, discounted.discount_pct) == (D("10000"), 20.0)  # as quoted

    # the newest quote is the discounted one: the list and the export show what it costs
    [row] = [r for r in fetch_accounts(workspace, 0, 50) if r.account_id == account_id]
    assert row.latest_quotes["video"] == (D("8000.00"), D("8000.00"))
    assert _first_exported_row(workspace, tmp_path)["Latest quote (after discount, incl. tax): low"] == 8000
    # and the price filter: ¥10,000 at 八折 is within ≤ 8,000, not within ≤ 7,999
    for low, high, found in ((None, D(8000), 1), (None, D(7999), 0), (D(8000), None, 1),
                             (D(8001), None, 0)):
        flt = CreatorFilter(price_min=low, price_max=high)
        assert count_accounts(workspace, filters=flt) == found, (low, high)
    # the negotiation desk's quote by source: the price after the discount, as quoted beside
    from kol_desk.services.pricing import negotiation_facts

    routes = negotiation_facts(workspace, account_id, "video", today=date(2026, 10, 4)).routes
    [route] = [r for r in routes if r.quoted_on == date(2026, 10, 3)]
    assert (route.price, route.price_text) == (D("8000.00"), "¥10,000.00 −20%")
