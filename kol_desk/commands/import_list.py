"""``kol-desk import FILE...``: import agency lists with the same engine as the wizard.

Every file is read first; a file that is not a readable list stops everything before
anything is written (exit 3, one line naming the file). Then each file is planned and
committed as its own batch, in order, so a creator in two lists is matched, not doubled.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from kol_desk.commands.common import EXIT_OK, db_target, without_cycle_collector
from kol_desk.errors import N_, BadInputError, Text
from kol_desk.i18n import tr
from kol_desk.importing import ParsedFile
from kol_desk.importing.columns import LOW_CONFIDENCE
from kol_desk.importing.layout import field_keys, is_field_key
from kol_desk.importing.reader import column_letter
from kol_desk.importing.vocabulary import Field, price_channel
from kol_desk.labels import field_label
from kol_desk.preferences import Preferences
from kol_desk.services import activity
from kol_desk.services.conflicts import retry_on_duplicate
from kol_desk.services.import_commit import CommitResult, commit_plan
from kol_desk.services.import_plan import MergePlan, build_plan
from kol_desk.services.import_reading import check_mapping, missing_fields, read_list, sheet_columns
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
    parser.add_argument("--json", action="store_true", help="print the summary as JSON, with "
                        "the column mapping chosen on every sheet and its confidence")
    parser.add_argument("--map", action="append", default=[], metavar="HEADER=FIELD",
                        help="map the column with this header to a field (nickname, handle, "
                        "platform, followers, price, price:live, ...; empty or 'ignore' to leave "
                        "it out); may be repeated, and wins over --mapping")
    parser.add_argument("--mapping", metavar="FILE.json",
                        help='a column mapping in the format the wizard remembers per agency: '
                        '{"columns": {"header": "field"}}')


# Reading, parsing, planning and committing make hundreds of thousands of small
# objects and no cycles: the collector would walk the workbook, the parsed rows and the
# plan again and again (0.35-0.4 s of a 50k-row import, timed with gc.callbacks).
# Only here, on the main thread of a process that does nothing else: the window's
# import runs on a worker and leaves the process-wide collector alone.
@without_cycle_collector
def run(args: argparse.Namespace) -> int:
    agency = (args.agency or "").strip() or None
    mapping = _given_mapping(args)
    workspace = open_workspace(db_target(args))
    # The batch and its changes carry the user's name, as an import from the window does.
    activity.set_user(workspace, Preferences().user_name())
    try:
        parsed: list[ParsedFile] = []
        for name in args.files:
            try:
                parsed.append(read_list(workspace, name, agency=agency, mapping=mapping))
            except OSError as exc:
                raise BadInputError(N_("Cannot read '{file}': {reason}."), file=name,
                                    reason=exc.strerror or exc) from exc
        reports = [_import_one(workspace, p, agency, args) for p in parsed]
    finally:
        workspace.dispose()
    if args.json:
        print(json.dumps({"dry_run": args.dry_run, "files": reports}, ensure_ascii=False,
                         default=str))
    else:
        for r in reports:
            print(_line(r))
            for sheet in r["mapping"]:
                # a real import still says what it could not find, never silently
                if args.dry_run or sheet["missing"] or sheet["unused_data"]:
                    print(_mapping_line(sheet))
            for problem in r["problem_list"][:20]:
                print("  " + tr("{sheet} row {row} {column}: {reason} ({raw})",
                                sheet=problem["sheet"], row=problem["row"],
                                column=problem["column"], reason=tr(problem["reason"]),
                                raw=repr(problem["raw"])))
            if len(r["problem_list"]) > 20:
                print("  " + tr("… and {n} more problems", n=len(r["problem_list"]) - 20))
    return EXIT_OK


_LEFT_OUT = {"", "ignore", "unused", "none", "-"}


def _given_mapping(args: argparse.Namespace) -> dict[str, Any] | None:
    """--mapping FILE.json with every --map HEADER=FIELD over it; bad input names itself."""
    columns: dict[str, str] = {}
    if args.mapping:
        try:
            loaded = json.loads(Path(args.mapping).read_text(encoding="utf-8"))
        except OSError as exc:
            raise BadInputError(N_("Cannot read '{file}': {reason}."), file=args.mapping,
                                reason=exc.strerror or exc) from exc
        except ValueError as exc:
            raise BadInputError(N_("'{file}' is not JSON: {reason}."), file=args.mapping,
                                reason=exc) from exc
        why = (check_mapping(loaded) if isinstance(loaded, dict)
               else Text(N_("it is not a JSON object")))
        if why:
            raise BadInputError(N_("Cannot use the mapping in '{file}': {reason}."),
                                file=args.mapping, reason=why)
        columns.update(loaded["columns"])
    for item in args.map:
        header, sep, key = item.partition("=")
        key = key.strip()
        key = "" if key.lower() in _LEFT_OUT else key
        if not sep or not header.strip() or not is_field_key(key):
            raise BadInputError(N_("--map '{item}': expected HEADER=FIELD with FIELD one of "
                                   "{fields} (or 'ignore')."), item=item, fields=field_keys())
        columns[header.strip()] = key
    return {"columns": columns} if columns else None


# a price column's channel as --json gives it: through the platform's marketplace (报备;
# the quote's channel is then that platform's: xingtu, pugongying, ...) or direct (非报备)
_CHANNEL_WORDS = {"报备": "platform_order", "非报备": "direct"}


def _sheet_mappings(parsed: ParsedFile) -> list[dict[str, Any]]:
    """What the import understood on every sheet, for scripts to check (--json)."""
    out: list[dict[str, Any]] = []
    for sheet in parsed.sheets:
        columns = [{"column": column_letter(c), "header": header,
                    "field": m.key if m is not None else None,
                    "confidence": round(sheet.confidence.get(c, 1.0), 2) if m is not None else None,
                    "unit": m.unit.multiplier if m is not None and m.unit.multiplier != 1 else None,
                    "channel": _CHANNEL_WORDS.get(price_channel(header) or "")
                    if m is not None and m.field is Field.PRICE else None}
                   for c, header, m in sheet_columns(sheet)]
        out.append({"name": sheet.name, "header_row": sheet.header_row,
                    "platform_source": sheet.platform_source, "columns": columns,
                    "missing": missing_fields(sheet),
                    "unused_data": {column_letter(c): key for c, key in sheet.unused_data.items()}})
    return out


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
    report["mapping"] = _sheet_mappings(parsed)
    quotes = [q for a in plan.accounts for q in a.quotes]
    by_channel: dict[str, int] = {}
    for q in quotes:
        by_channel[q.channel or "unstated"] = by_channel.get(q.channel or "unstated", 0) + 1
    report["quotes_by_channel"] = by_channel
    report["quotes_with_discount"] = sum(1 for q in quotes if q.discount_pct is not None)
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


def _mapping_line(sheet: dict[str, Any]) -> str:
    """What was understood on one sheet, in the command's language: fields by their
    labels, as the wizard shows them (--json keeps the keys --map spells)."""
    if sheet["header_row"] is None:
        return "  " + tr("{sheet}: no table", sheet=sheet["name"])
    cols = ", ".join(f"{c['column']} {c['header']} → {field_label(c['field'])}"
                     + (" " + tr("(guess {confidence})", confidence=f"{c['confidence']:.2f}")
                        if c["confidence"] < LOW_CONFIDENCE else "")
                     for c in sheet["columns"] if c["field"])
    where = (tr("header row {row}", row=sheet["header_row"]) if sheet["header_row"]
             else tr("no header row"))
    # Whole-line templates: Chinese takes its own brackets and semicolons (（）；).
    line = tr("{sheet} ({where}): {columns}", sheet=sheet["name"], where=where, columns=cols)
    if sheet["missing"]:
        line = tr("{line}; NOT FOUND: {fields}", line=line,
                  fields=", ".join(field_label(f) for f in sheet["missing"]))
    if sheet["unused_data"]:
        line = tr("{line}; unused columns with data: {columns}", line=line,
                  columns=", ".join(sheet["unused_data"]))
    return "  " + line


def _line(r: dict[str, Any]) -> str:
    values = {"file": r["file"], "rows": r["rows_read"], "new": r["creators_new"],
              "matched": r["creators_matched"], "quotes": r["quotes_added"],
              "duplicates": r["duplicate_rows"], "conflicts": r["conflicts"],
              "problems": r["problems"]}
    if r["batch_id"] is None:
        return tr("{file}: would import {rows} rows; creators {new} new, {matched} matched; "
                  "{quotes} quotes; {duplicates} duplicate rows; {conflicts} conflicts; "
                  "{problems} problems", **values)
    return tr("{file}: imported {rows} rows; creators {new} new, {matched} matched; "
              "{quotes} quotes; {duplicates} duplicate rows; {conflicts} conflicts; "
              "{problems} problems", **values)

