"""The same work on SQLite and on PostgreSQL gives the same data: an agency list import,
board moves, fees and payments, budget entries, the report and the exported workbooks.

One scenario runs on each engine; everything a user can see or export is then compared
as equal — stored rows (minus the moments they were written), the report's figures and
every cell of the workbooks."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import DateTime, select
from sqlalchemy.engine import URL

from kol_desk.exporting.budget import export_budget
from kol_desk.exporting.creators import write_creators
from kol_desk.exporting.report import write_report
from kol_desk.models import Base, PlatformAccount
from kol_desk.services import activity, board, budget_ledger, campaigns, payments
from kol_desk.services.budget import period_money
from kol_desk.services.campaigns import CampaignInput
from kol_desk.services.collaboration import add_result_snapshot, update_card
from kol_desk.services.creators import count_accounts, fetch_accounts, filter_choices
from kol_desk.services.import_batches import agency_names
from kol_desk.services.import_commit import commit_plan
from kol_desk.services.import_plan import build_plan
from kol_desk.services.import_reading import read_list
from kol_desk.services.reports import ReportScope, build_report
from kol_desk.services.shortlist import add_to_campaign
from kol_desk.store.database import Workspace
from kol_desk.store.migrate import open_workspace
from tests.conftest import AGENCY_LISTS
from tests.team.engines import _admin

TODAY = date(2026, 11, 20)
LISTS = [("p01_xhs_double11_mcn.xlsx", "星耀"), ("p05_dirty_text_duplicates.xlsx", "青柚"),
         ("p02_platform_sheets.xlsx", None)]
# The moment a row was written differs from run to run; everything else must not.
MOMENTS = {"uid"}


def _import(ws: Workspace) -> None:
    for name, agency in LISTS:
        path = AGENCY_LISTS / name
        commit_plan(ws, build_plan(ws, read_list(ws, path, agency=agency), agency=agency))


def _campaign_work(ws: Workspace) -> tuple[int, int]:
    """A campaign with six creators moved across the board, fees, results and payments,
    and a budget period allocating to it."""
    campaign_id = campaigns.create_campaign(ws, CampaignInput(
        "双11 种草", brand="花西子", budget=Decimal("120000.00"), kpi_impressions=2_000_000,
        kpi_engagements=50_000, kpi_revenue=Decimal("300000.00"), start_date=date(2026, 11, 1)))
    with ws.session() as s:
        accounts = list(s.scalars(select(PlatformAccount.id).order_by(
            PlatformAccount.platform, PlatformAccount.handle).limit(6)))
    add_to_campaign(ws, campaign_id, accounts, user="Amy")
    cards = [c.id for c in board.board_cards(ws, campaign_id, today=TODAY)]
    assert len(cards) == 6
    fees = [Decimal("5000.00"), Decimal("12345.67"), Decimal("800.10"), Decimal("30000.00"),
            Decimal("0.01"), Decimal("9999.99")]
    for number, (card, fee) in enumerate(zip(cards, fees, strict=True)):
        board.move(ws, card, "contacted", user="Amy", today=TODAY)
        if number == 5:
            board.move(ws, card, "dropped", user="Amy", today=TODAY)
            continue
        board.move(ws, card, "negotiating", user="Amy", today=TODAY)
        update_card(ws, card, {"agreed_fee": fee, "quoted_fee": fee * 2, "tax_included": number % 2 == 0,
                               "tax_rate": Decimal("0.06"), "commission_pct": Decimal("3.5")})
        board.move(ws, card, "contracted", user="Amy", today=TODAY)
        if number >= 3:
            continue
        update_card(ws, card, {"post_url": f"https://www.xiaohongshu.com/explore/{number}",
                               "post_date": date(2026, 11, 10 + number),
                               "ad_disclosure_confirmed": True, "score_brand_fit": 4})
        board.move(ws, card, "published", user="Amy", today=TODAY)
        add_result_snapshot(ws, card, date(2026, 11, 17 + number), {
            "impressions": 123_457 * (number + 1), "views": 45_678 + number, "likes": 1_234,
            "comments": 56 + number, "shares": 7, "saves": 89, "clicks": 300 + number,
            "orders": 3 * number, "revenue": Decimal("1234.56") * number})
        plan = payments.set_payment_plan(ws, card, [
            ("deposit", (fee * Decimal("0.3")).quantize(Decimal("0.01")), date(2026, 11, 12)),
            ("balance", fee - (fee * Decimal("0.3")).quantize(Decimal("0.01")), date(2026, 12, 1))])
        payments.mark_paid(ws, plan[0], date(2026, 11, 13), "对公转账", f"FP{number:04d}")
    period_id = budget_ledger.create_period(ws, "2026 Q4", "quarter", date(2026, 10, 1),
                                            date(2026, 12, 31), Decimal("500000.00"),
                                            Decimal("50000.00"))
    budget_ledger.allocate(ws, period_id, campaign_id, Decimal("100000.00"), date(2026, 10, 8),
                           "双11 主推")
    budget_ledger.draw_from_reserve(ws, period_id, campaign_id, Decimal("12345.60"),
                                    date(2026, 11, 11), "热点加投")
    return campaign_id, period_id


def _rows(ws: Workspace) -> dict[str, list[dict[str, Any]]]:
    """Every stored row, ordered by id, without the moments rows were written."""
    result = {}
    with ws.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns
                       if c.name not in MOMENTS and not isinstance(c.type, DateTime)
                       and not isinstance(getattr(c.type, "impl", None), DateTime)]
            rows = conn.execute(select(*columns).order_by(table.c.id)).mappings().all()
            result[table.name] = [dict(r) for r in rows]
    return result


def _cells(path: Path) -> dict[str, list[list[Any]]]:
    book = openpyxl.load_workbook(path)
    return {sheet.title: [[c.value for c in row] for row in sheet.iter_rows()]
            for sheet in book.worksheets}


def _scenario(ws: Workspace, folder: Path) -> dict[str, Any]:
    activity.set_user(ws, "Amy")
    _import(ws)
    campaign_id, period_id = _campaign_work(ws)
    report = build_report(ws, ReportScope(campaign_ids=(campaign_id,)))
    folder.mkdir()
    write_report(report, folder / "report.xlsx")
    export_budget(ws, period_id, folder / "budget.xlsx", today=TODAY)
    write_creators(ws, folder / "creators.xlsx")
    return {
        "rows": _rows(ws),
        "report": (report.totals, report.money, report.kpis, report.findings,
                   [report.group(by) for by in ("creator", "platform", "tier", "agency")]),
        "budget": period_money(ws, TODAY),
        "search": {q: count_accounts(ws, q) for q in ("桃", "yu", "A", "美妆", "%")},
        # Lists sorted by text: Chinese, Latin in both cases, and empty values mixed.
        "sorted": {(key, down): [r.account_id for r in fetch_accounts(ws, 0, 500, sort=key,
                                                                       descending=down)]
                   for key in ("nickname", "handle", "agency", "city", "category")
                   for down in (False, True)},
        "choices": filter_choices(ws),
        "agencies": agency_names(ws),
        "fees": payments.fees_of_campaign(ws, campaign_id),
        "board": [(c.id, c.stage) for c in board.board_cards(ws, campaign_id, today=TODAY)],
        "workbooks": {name: _cells(folder / name)
                      for name in ("report.xlsx", "budget.xlsx", "creators.xlsx")},
    }


def _first_difference(a: Any, b: Any, where: str = "") -> str | None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            found = _first_difference(a.get(key), b.get(key), f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list | tuple) and isinstance(b, list | tuple) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = _first_difference(x, y, f"{where}[{i}]")
            if found:
                return found
        return None
    if a != b or type(a) is not type(b):
        return f"{where}: {a!r} ({type(a).__name__}) != {b!r} ({type(b).__name__})"
    return None


@pytest.fixture
def chinese_server_db(pg_server: URL) -> Iterator[URL]:
    """A database sorting text the way a team's server in China would (ICU, pinyin order),
    not the byte order of the throwaway test server: ORDER BY on a name must not depend
    on it."""
    name = f"kol_test_zh_{uuid.uuid4().hex[:10]}"
    admin = _admin(pg_server)
    admin(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu "
          "ICU_LOCALE 'zh-Hans-CN' LOCALE 'C.UTF-8'")
    yield pg_server.set(database=name)
    admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_the_same_work_gives_the_same_data_on_both_engines(
        chinese_server_db: URL, tmp_path: Path) -> None:
    if not AGENCY_LISTS.is_dir():
        pytest.skip(f"the shared agency-list samples are not at {AGENCY_LISTS}")
    lite = open_workspace(tmp_path / "lite.sqlite", tmp_path / "backups")
    team = open_workspace(chinese_server_db.render_as_string(hide_password=False))
    try:
        on_sqlite = _scenario(lite, tmp_path / "sqlite")
        on_postgres = _scenario(team, tmp_path / "postgresql")
    finally:
        lite.dispose()
        team.dispose()
    assert on_sqlite["rows"]["creators"] and on_sqlite["rows"]["quotes"]
    assert on_sqlite["rows"]["payments"] and on_sqlite["rows"]["budget_entries"]
    assert on_sqlite["report"][0].posts == 3 and on_sqlite["report"][0].counts["impressions"]
    for part in on_sqlite:
        difference = _first_difference(on_sqlite[part], on_postgres[part], part)
        assert difference is None, difference
    # Money stays Decimal (never float) in what both engines return.
    fees = [r["agreed_fee"] for r in on_postgres["rows"]["collaborations"] if r["agreed_fee"]]
    assert fees and all(isinstance(f, Decimal) for f in fees)
