"""``kol-desk demo``: write a demo workspace of any size (also used by tests and benchmarks)."""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from pathlib import Path

from kol_desk.commands.common import EXIT_OK, counts_text
from kol_desk.errors import N_, BadInputError
from kol_desk.services.demo import generate_demo
from kol_desk.store.database import database_url
from kol_desk.store.lock import WorkspaceLock
from kol_desk.store.migrate import open_workspace


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--creators", type=int, default=300, help="how many creators (default 300)")
    parser.add_argument("--seed", type=int, default=20261128, help="random seed (default fixed)")


def run(args: argparse.Namespace) -> int:
    if not args.db:
        raise BadInputError(N_("kol-desk demo needs --db PATH: the file to write the demo into."))
    if args.creators < 0:
        raise BadInputError(N_("--creators must be zero or more."))
    url = database_url(args.db)
    with ExitStack() as held:
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            path = Path(url.database)
            # A window that has the file says so by name (WorkspaceInUseError, exit 3); a
            # window opening it while the demo is written is refused the same way.
            held.enter_context(WorkspaceLock.acquire(path))
            if path.exists() and path.stat().st_size > 0:
                raise BadInputError(N_("{file} already exists; the demo needs a new file (nothing "
                                       "is overwritten)."), file=str(url.database))
        workspace = open_workspace(args.db)
        try:
            summary = generate_demo(workspace, creators=args.creators, seed=args.seed)
        finally:
            workspace.dispose()
    counts = counts_text({"creators": summary.creators, "platform_accounts": summary.accounts,
                          "quotes": summary.quotes, "campaigns": summary.campaigns,
                          "collaborations": summary.collaborations})
    print(f"{workspace.display_location}: {counts}", file=sys.stdout)
    return EXIT_OK
