"""``kol-desk budget``: the money figures of every campaign and budget period, from the
same functions as the Campaigns list and the Budget tab (``services.money``,
``services.budget``), as text or ``--json``.

Per campaign: planned budget (its own field), agreed fees (tax included), committed and
spent; per period: total, reserve, reserve left, allocated, committed, spent, remaining
and, per campaign, the same four figures as the Budget tab's table. Amounts are strings
with two decimals (exact, as stored).
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from decimal import Decimal
from typing import Any

from kol_desk.commands.common import EXIT_OK, db_target
from kol_desk.i18n import tr


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--today", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help="the day commitments without dates count on (default: today)")


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def figures(workspace: Any, today: date) -> dict[str, Any]:
    from kol_desk.services.budget import period_money
    from kol_desk.services.campaigns import campaign_overviews

    campaigns = [{
        "id": c.id, "name": c.name, "currency": c.currency, "cards": c.active_cards,
        "planned_budget": _money(c.budget), "agreed_fees": _money(c.agreed_fees),
        "committed": _money(c.committed), "spent": _money(c.spent),
    } for c in campaign_overviews(workspace, include_archived=True)]
    periods = [{
        "id": p.period_id, "name": p.name, "start": p.start_date.isoformat(),
        "end": p.end_date.isoformat(), "currency": p.currency, "total": _money(p.total),
        "reserve": _money(p.reserve), "reserve_left": _money(p.reserve_left),
        "allocated": _money(p.allocated), "committed": _money(p.committed),
        "spent": _money(p.spent), "remaining": _money(p.remaining), "left": _money(p.left),
        "campaigns": [{"id": c.campaign_id, "name": c.name, "allocated": _money(c.allocated),
                       "committed": _money(c.committed), "spent": _money(c.spent),
                       "remaining": _money(c.remaining)} for c in p.campaigns],
    } for p in period_money(workspace, today)]
    return {"campaigns": campaigns, "periods": periods}


def run(args: argparse.Namespace) -> int:
    from kol_desk.store.migrate import open_workspace

    workspace = open_workspace(db_target(args))
    try:
        found = figures(workspace, args.today or date.today())
    finally:
        workspace.dispose()
    if args.json:
        print(json.dumps(found, ensure_ascii=False))
        return EXIT_OK
    for c in found["campaigns"]:
        print(tr("{name}: planned {planned}, agreed {agreed}, committed {committed}, spent {spent} "
                 "{currency}", name=c["name"], planned=c["planned_budget"], agreed=c["agreed_fees"],
                 committed=c["committed"], spent=c["spent"], currency=c["currency"]))
    for p in found["periods"]:
        print(tr("{name} ({start} – {end}): total {total}, allocated {allocated}, committed "
                 "{committed}, spent {spent}, remaining {remaining}, reserve left {reserve_left} "
                 "{currency}", **{k: p[k] for k in ("name", "start", "end", "total", "allocated",
                                                    "committed", "spent", "remaining",
                                                    "reserve_left", "currency")}))
    return EXIT_OK
