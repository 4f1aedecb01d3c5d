"""``kol-desk import FILE...``: import agency lists with the same engine as the wizard.

Every file is read first; a file that is not a readable list stops everything before
anything is written (exit 3, one line naming the file). Then each file is planned and
committed as its own batch, in order, so a creator in two lists is matched, not doubled.
"""

from __future__ import annotations

import argparse
import gc
import json
from typing import Any

from kol_desk.commands.common import EXIT_OK, db_target
from kol_desk.errors import BadInputError
from kol_desk.importing import BadFileError, ParsedFile
from kol_desk.importing.commit import CommitResult, commit_plan
from kol_desk.importing.merge import MergePlan, build_plan
from kol_desk.importing.pipeline import read_list
from kol_desk.preferences import Preferences
from kol_desk.services import activity
from kol_desk.services.conflicts import retry_on_duplicate
from kol_desk.store.migrate import open_workspace


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="the lists to import")
    parser.add_argument("--agency", help="the agency or MCN that sent the lists (quotes are "
                        "recorded from it; its column mapping is remembered)")
    parser.add_argument("--dry-run", action="store_true",
                        help="show what would be imported, write nothing")
    parser.add_argument("--update", action="store_true",
                        help="where a list disagrees with stored values (e.g. followers), take "
                        "the list's value (default: keep what is stored)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")


def run(args: argparse.Namespace) -> int:
    # Reading, parsing, planning and committing make hundreds of thousands of small
    # objects and no cycles: the collector would walk the workbook, the parsed rows and the
    # plan again and again (0.35-0.4 s of a 50k-row import, timed with gc.callbacks).
    # Only here, on the main thread of a process that does nothing else: the window's
    # import runs on a worker and leaves the process-wide collector alone.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(args)
    finally:
        if was_enabled:
            gc.enable()


def _run(args: argparse.Namespace) -> int:
    agency = (args.agency or "").strip() or None
    workspace = open_workspace(db_target(args))
    # The batch and its changes carry the user's name, as an import from the window does.
    activity.set_user(workspace, Preferences().user_name())
    try:
        parsed: list[ParsedFile] = []
        for name in args.files:
            try:
                parsed.append(read_list(workspace, name, agency=agency))
            except BadFileError as exc:
                raise BadInputError(str(exc)) from exc
            except OSError as exc:
                raise BadInputError(f"Cannot read '{name}': {exc.strerror or exc}.") from exc
        reports = [_import_one(workspace, p, agency, args) for p in parsed]
    finally:
        workspace.dispose()
    if args.json:
        print(json.dumps({"dry_run": args.dry_run, "files": reports}, ensure_ascii=False,
                         default=str))
    else:
        for r in reports:
            print(_line(r))
            for problem in r["problem_list"][:20]:
                print(f"  {problem['sheet']} row {problem['row']} {problem['column']}: "
                      f"{problem['reason']} ({problem['raw']!r})")
            if len(r["problem_list"]) > 20:
                print(f"  … and {len(r['problem_list']) - 20} more problems")
    return EXIT_OK


def _plan(workspace: Any, parsed: ParsedFile, agency: str | None,
          args: argparse.Namespace) -> MergePlan:
    plan = build_plan(workspace, parsed, agency=agency)
    plan.set_all_conflicts(args.update)
    return plan


def _import_one(workspace: Any, parsed: ParsedFile, agency: str | None,
                args: argparse.Namespace) -> dict[str, Any]:
    plan = _plan(workspace, parsed, agency, args)
    report: dict[str, Any] = dict(plan.summary())
    report["path"] = str(parsed.path)
    report["sheets"] = [{"name": s.name, "rows": len(s.rows), "header_row": s.header_row}
                        for s in parsed.sheets]
    report["problem_list"] = [{"sheet": p.sheet, "row": p.row, "column": p.column, "raw": p.raw,
                               "reason": p.reason} for p in parsed.problems]
    report["batch_id"] = None
    if not args.dry_run:
        # the mapping is remembered only when a person confirmed it (the wizard); here
        # the agency's remembered one, if any, was applied by read_list
        plans = iter([plan])

        def attempt() -> CommitResult:
            # A retry plans afresh: in team mode a colleague's import running at the same
            # time may just have created some of these accounts.
            return commit_plan(workspace, next(plans, None) or _plan(workspace, parsed, agency, args))

        result = retry_on_duplicate(attempt)
        report["batch_id"] = result.batch_id
        report["quotes_added"] = result.summary["quotes_added"]
    return report


def _line(r: dict[str, Any]) -> str:
    verb = "would import" if r["batch_id"] is None else "imported"
    return (f"{r['file']}: {verb} {r['rows_read']} rows; creators {r['creators_new']} new, "
            f"{r['creators_matched']} matched; {r['quotes_added']} quotes; "
            f"{r['duplicate_rows']} duplicate rows; {r['conflicts']} conflicts "
            f"; {r['problems']} problems")

