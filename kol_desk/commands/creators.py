"""``kol-desk creators``: every platform account with its quotes, for scripts."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kol_desk.commands.common import EXIT_OK, db_target
from kol_desk.errors import N_, BadInputError
from kol_desk.i18n import tr
from kol_desk.labels import platform_label
from kol_desk.metrics import DASH
from kol_desk.services.account_listing import list_accounts
from kol_desk.store.migrate import open_workspace


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--search", default="", help="only creators the Creators tab's search finds "
                        "(name, handle, notes, tags, or their pinyin: shiguangji, sgj)")
    parser.add_argument("--json", action="store_true", help="print a JSON array")


def run(args: argparse.Namespace) -> int:
    target = db_target(args)
    if "://" not in str(target) and not Path(target).expanduser().exists():
        raise BadInputError(N_("{file}: no database there; check the --db path."), file=str(target))
    workspace = open_workspace(target)
    try:
        accounts = list_accounts(workspace, args.search)
    finally:
        workspace.dispose()
    if args.json:
        print(json.dumps(accounts, ensure_ascii=False))
        return EXIT_OK
    # For a person, in the command's language; scripts read --json, which keeps the keys.
    for a in accounts:
        followers = f"{a['followers']:,}" if a["followers"] is not None else DASH
        print(f"{platform_label(a['platform'])}\t{a['handle']}\t{a['nickname']}\t{followers}\t"
              + tr("{n} quote(s)", n=len(a["quotes"])))
    return EXIT_OK
