"""``kol-desk price``: the negotiation desk's fair-price estimate and its evidence for one
account, or ``--backtest``: how well the estimate would have done on the workspace's own
history, against two naive guesses."""

from __future__ import annotations

import argparse
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from kol_desk.commands.common import EXIT_OK, db_target
from kol_desk.errors import N_, BadInputError
from kol_desk.i18n import current_language, tr
from kol_desk.labels import deliverable_label, platform_label
from kol_desk.metrics import format_money
from kol_desk.store.migrate import open_workspace


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--account", metavar="PLATFORM:HANDLE", action="append",
                        help="the account to price (repeat it, with --sheet, for a shortlist)")
    parser.add_argument("--deliverable", metavar="KIND",
                        help="image_post, video, live, repost or custom (default: its most quoted)")
    parser.add_argument("--quote", metavar="AMOUNT", help="the price on the table (default: its cheapest latest quote)")
    parser.add_argument("--backtest", action="store_true",
                        help="replay history: estimate every agreed fee from what was known before it")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--sheet", metavar="FILE", type=Path,
                        help="write the negotiation sheet: FILE.pdf (one page per creator) or FILE.xlsx")


def run(args: argparse.Namespace) -> int:
    target = db_target(args)
    if "://" not in str(target) and not Path(target).expanduser().exists():
        raise BadInputError(N_("{file}: no database there; check the --db path."), file=str(target))
    if not args.backtest and not args.account:
        raise BadInputError(N_("kol-desk price needs --account PLATFORM:HANDLE (or --backtest)."))
    quote = None
    if args.quote is not None:
        try:
            quote = Decimal(args.quote)
        except InvalidOperation:
            raise BadInputError(N_("--quote {value}: not an amount; give a number such as 5000."),
                                value=repr(args.quote)) from None
    workspace = open_workspace(target)
    try:
        if args.backtest:
            from kol_desk.services.pricing_backtest import run_backtest

            result = run_backtest(workspace).as_json()
            print(json.dumps(result) if args.json else
                  tr("{n} agreed fees: estimate off by {mape}% (median); latest quote "
                     "{latest}%, peer median {peers}%", n=result["n"], mape=result["mape"],
                     latest=result["baselines"]["latest_quote"],
                     peers=result["baselines"]["peer_median"]))
            return EXIT_OK
        from kol_desk.services import pricing

        shortlist = []
        for spec in args.account:
            account_id = pricing.find_account(workspace, spec)
            kind = args.deliverable or pricing.default_deliverable(workspace, account_id)
            shortlist.append(pricing.negotiation_facts(workspace, account_id, kind, quote))
    finally:
        workspace.dispose()
    if args.sheet is not None:
        # --lang, before or after the command, as for every export (kol_desk.cli).
        return _sheet(shortlist, args.sheet, current_language())
    facts = shortlist[0]
    data = pricing.as_json(facts)
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return EXIT_OK
    account = data["account"]
    # Labels, not keys: the JSON above is for scripts, this is for a person.
    print(tr("{nickname} ({platform} · {handle} · {deliverable} · {currency})",
             nickname=account["nickname"], platform=platform_label(account["platform"]),
             handle=account["handle"], deliverable=deliverable_label(data["deliverable"]),
             currency=data["currency"]))
    estimate = facts.estimate
    if estimate is not None:
        # Amounts as the reason line and the window write them (the JSON keeps plain numbers).
        print(tr("Ask {ask} · Target {target} · Walk away {walk}",
                 ask=format_money(estimate.ask, facts.currency),
                 target=format_money(estimate.target, facts.currency),
                 walk=format_money(estimate.walk_away, facts.currency)))
    print(data["reason"])
    print(data["evidence"])
    for route in facts.routes:
        print(f"  {route.source}\t{route.quoted_on.isoformat()}\t{route.price_text}\t"
              + tr("net {net}", net=format_money(route.net, facts.currency)))
    return EXIT_OK


def _sheet(shortlist: list[Any], path: Path, lang: str) -> int:
    from datetime import date

    from kol_desk.exporting.negotiation_sheet import sheet_content, write_pdf, write_xlsx

    suffix = path.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise BadInputError(N_("--sheet {file}: give a .pdf or .xlsx file name."), file=str(path))
    content = sheet_content(shortlist, lang, date.today())
    written = write_pdf(content, path, shortlist) if suffix == ".pdf" else write_xlsx(content, path)
    print(written)
    return EXIT_OK
