"""``kol-desk export``: the boss workbook and the creator list, without the GUI.

    kol-desk export report [--campaign ID ...] [--period FROM..TO] [--lang zh_CN] --out FILE.xlsx
    kol-desk export creators [--search TEXT] [--lang zh_CN] --out FILE.xlsx

The workbook speaks ``--lang``, else the language chosen in the app's preferences (see
``cli._command_language``).

``--period`` takes ``2026``, ``2026-Q4``, ``2026-11`` or ``2026-10-01..2026-11-30``
(either end may be left open); it selects posts by their post date.
"""

from __future__ import annotations

import argparse
import calendar
import re
import sys
from datetime import date
from pathlib import Path

from kol_desk.commands.common import EXIT_OK, db_target, without_cycle_collector
from kol_desk.errors import N_, BadInputError
from kol_desk.i18n import tr

_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="what", metavar="WHAT", required=True)
    report = sub.add_parser("report", help="the report workbook (summary, creators, platforms & tiers, charts)")
    report.add_argument("--campaign", type=int, action="append", default=[], metavar="ID",
                        help="a campaign id; repeat for several (default: every active campaign)")
    report.add_argument("--period", metavar="PERIOD",
                        help="posts published in 2026, 2026-Q4, 2026-11 or FROM..TO (YYYY-MM-DD)")
    report.add_argument("--platform", metavar="KEY", help="only this platform (douyin, xiaohongshu ...)")
    report.add_argument("--tier", metavar="KEY", help="only this tier (koc, micro, mid, top, celebrity)")
    report.add_argument("--agency", type=int, metavar="ID", help="only creators of this agency id")
    report.add_argument("--out", required=True, metavar="FILE.xlsx", help="the workbook to write")
    creators = sub.add_parser("creators", help="the creator list, one line per platform account")
    creators.add_argument("--search", default="", metavar="TEXT",
                          help="only creators whose nickname, handle, notes or tags contain TEXT")
    creators.add_argument("--out", required=True, metavar="FILE.xlsx", help="the workbook to write")
    for child in (report, creators):
        # Also accepted after WHAT; a separate dest so it never hides an earlier --db.
        child.add_argument("--db", dest="db_after", metavar="PATH_OR_URL",
                           help="database file or SQLAlchemy URL")
        child.add_argument("--lang", dest="lang_export", choices=["en", "zh_CN"],
                           help="language of the workbook (default: your preferred one)")


def parse_period(text: str) -> tuple[date | None, date | None]:
    """'2026' / '2026-Q4' / '2026-11' / 'FROM..TO' → (start, end), inclusive."""
    value = text.strip()
    try:
        if m := _YEAR.match(value):
            year = int(m.group(1))
            return date(year, 1, 1), date(year, 12, 31)
        if m := _QUARTER.match(value):
            year, quarter = int(m.group(1)), int(m.group(2))
            last_month = quarter * 3
            return (date(year, last_month - 2, 1),
                    date(year, last_month, calendar.monthrange(year, last_month)[1]))
        if m := _MONTH.match(value):
            year, month = int(m.group(1)), int(m.group(2))
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        if ".." in value:
            start_text, end_text = (part.strip() for part in value.split("..", 1))
            start = date.fromisoformat(start_text) if start_text else None
            end = date.fromisoformat(end_text) if end_text else None
            if start and end and start > end:
                raise BadInputError(N_("--period {period}: the start is after the end."),
                                    period=text)
            return start, end
    except ValueError:
        pass
    raise BadInputError(N_("--period {period}: use 2026, 2026-Q4, 2026-11 or 2026-10-01..2026-11-30."),
                        period=text)


def _out_path(text: str) -> Path:
    path = Path(text).expanduser()
    if path.suffix.lower() != ".xlsx":
        raise BadInputError(N_("{file}: the output must be an .xlsx file."), file=str(path))
    if not path.parent.is_dir():
        raise BadInputError(N_("{file}: the folder {folder} does not exist; create it or choose "
                               "another."), file=str(path), folder=str(path.parent))
    # Before any work (the writer checks again): the workspace named by --db, its -wal,
    # or any other database is never overwritten by a workbook. (Imported here: the
    # database layer is imported in run(), with the collector off.)
    from kol_desk.store.files import refuse_to_overwrite_database

    refuse_to_overwrite_database(path)
    return path


# The imports, the report's posts and groups and the
# workbook's cells are many small objects and no cycles; the collector's ~240 passes
# over them cost ~0.1 s of a 2,500-post report (timed with gc.callbacks). Only here,
# in a process that does nothing else: the window's exports leave it alone.
@without_cycle_collector
def run(args: argparse.Namespace) -> int:
    from kol_desk.store.migrate import open_workspace

    out = _out_path(args.out)
    start = end = None
    if args.what == "report" and args.period:
        start, end = parse_period(args.period)
    if getattr(args, "db_after", None):
        args.db = args.db_after
    workspace = open_workspace(db_target(args))
    try:
        if args.what == "report":
            written = _report(workspace, args, start, end, out)
        else:
            from kol_desk.exporting.creators import write_creators

            rows = write_creators(workspace, out, args.search)
            written = tr("{file}: {n} accounts", file=str(out), n=rows)
    finally:
        workspace.dispose()
    print(written, file=sys.stdout)
    return EXIT_OK


def _report(workspace: object, args: argparse.Namespace, start: date | None, end: date | None,
            out: Path) -> str:
    from kol_desk.exporting.report import write_report
    from kol_desk.services.reports import ReportScope, build_report, scope_campaigns
    from kol_desk.store.database import Workspace

    assert isinstance(workspace, Workspace)
    scope = ReportScope(tuple(args.campaign), start, end, args.platform, args.tier, args.agency)
    if args.campaign:
        found = {c[0] for c in scope_campaigns(workspace, scope)}
        missing = sorted(set(args.campaign) - found)
        if missing:
            raise BadInputError(N_("{location}: no campaign with id {ids}; see the Campaigns tab "
                                   "for the ids."), location=workspace.display_location,
                                ids=", ".join(map(str, missing)))
    report = build_report(workspace, scope)
    write_report(report, out)
    return tr("{file}: {posts} posts in {campaigns} campaigns", file=str(out),
              posts=report.totals.posts, campaigns=len(report.campaigns))
