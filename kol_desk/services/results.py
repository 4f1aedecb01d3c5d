"""Entering results: snapshots typed in a form, or imported from a results workbook.

A snapshot is the state of one post on one day (T+7, T+21...); snapshots are history and
are never overwritten, so a second import of the same day adds a newer snapshot, which
then counts as the latest. The three quality scores belong to the collaboration itself.
After every write the creators' internal ratings are recomputed (``services.rating``).

A results workbook is read with the agency-list reader (``importing.reader``) and its
value grammar (12.3w, 1,234, dates...), with its own header vocabulary
(``importing.results_vocabulary``) since platform back-ends name the facts differently.
Rows are matched to collaborations by post link first, then by (platform, account
handle), then by nickname; a row matching nothing, or several collaborations, is
reported and not imported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kol_desk.domain import handle_case
from kol_desk.errors import BadInputError
from kol_desk.i18n import tr
from kol_desk.importing.errors import ValueProblem
from kol_desk.importing.reader import RawSheet, column_letter, read_workbook
from kol_desk.importing.results_vocabulary import (
    COUNT_FIELDS,
    IDENTITY_FIELDS,
    ResultField,
    match_result_header,
)
from kol_desk.importing.values import (
    clean_text,
    handle_text,
    normalise_platform,
    parse_count,
    parse_date,
    parse_price,
)
from kol_desk.models import Campaign, Collaboration, Creator, PlatformAccount, ResultSnapshot
from kol_desk.store.database import Workspace
from kol_desk.store.team import text_order

SNAPSHOT_FIELDS = (*tuple(f.value for f in COUNT_FIELDS), "revenue", "quality_comment_share")
SCORE_FIELDS = ("score_brand_fit", "score_creative", "score_message")
HEADER_SCAN_ROWS = 30


@dataclass
class SnapshotInput:
    """What the results form or one imported row gives for one post."""

    taken_on: date
    values: dict[str, Any] = field(default_factory=dict)  # SNAPSHOT_FIELDS → int / Decimal
    scores: dict[str, int | None] = field(default_factory=dict)  # SCORE_FIELDS → 1..5
    source: str | None = None


@dataclass(frozen=True)
class CollabChoice:
    """A collaboration the results form can pick."""

    id: int
    campaign: str
    nickname: str
    platform: str
    handle: str
    post_date: date | None
    stage: str
    scores: tuple[int | None, int | None, int | None]


@dataclass(frozen=True)
class SnapshotRow:
    id: int
    taken_on: date
    values: dict[str, Any]
    source: str | None


def collaborations_for_results(workspace: Workspace, campaign_id: int | None = None) -> list[CollabChoice]:
    """Collaborations that have been published (or have a post date), newest first."""
    published = ("published", "results_in", "paid")
    query = (select(Collaboration, Campaign.name, Creator.nickname, PlatformAccount.platform,
                    PlatformAccount.handle_display)
             .join(Campaign, Campaign.id == Collaboration.campaign_id)
             .join(Creator, Creator.id == Collaboration.creator_id)
             .join(PlatformAccount, PlatformAccount.id == Collaboration.account_id)
             .where(Collaboration.stage.in_(published) | Collaboration.post_date.is_not(None))
             .where(Collaboration.stage != "dropped")
             .order_by(Campaign.id, text_order(Creator.nickname), Collaboration.id))
    if campaign_id is not None:
        query = query.where(Collaboration.campaign_id == campaign_id)
    with workspace.session() as session:
        return [CollabChoice(c.id, name, nick, platform, handle, c.post_date, c.stage,
                             (c.score_brand_fit, c.score_creative, c.score_message))
                for c, name, nick, platform, handle in session.execute(query)]


def snapshots(workspace: Workspace, collaboration_id: int) -> list[SnapshotRow]:
    with workspace.session() as session:
        rows = session.scalars(select(ResultSnapshot)
                               .where(ResultSnapshot.collaboration_id == collaboration_id)
                               .order_by(ResultSnapshot.taken_on, ResultSnapshot.id)).all()
        return [SnapshotRow(s.id, s.taken_on, {f: getattr(s, f) for f in SNAPSHOT_FIELDS}, s.source)
                for s in rows]


def add_snapshot(workspace: Workspace, collaboration_id: int, data: SnapshotInput) -> int:
    """Store one snapshot (and the scores given) in one transaction; returns its id."""
    from kol_desk.services.rating import recompute_ratings

    with workspace.transaction() as session:
        collab = session.get(Collaboration, collaboration_id)
        if collab is None:
            raise BadInputError(tr("The collaboration no longer exists; refresh and try again."))
        snapshot = _snapshot(collaboration_id, data)
        session.add(snapshot)
        _apply_scores(collab, data.scores)
        session.flush()
        recompute_ratings(session, [collab.creator_id])
        return snapshot.id


def _snapshot(collaboration_id: int, data: SnapshotInput) -> ResultSnapshot:
    values = {k: v for k, v in data.values.items() if k in SNAPSHOT_FIELDS}
    return ResultSnapshot(collaboration_id=collaboration_id, taken_on=data.taken_on,
                          source=data.source, **values)


def _apply_scores(collab: Collaboration, scores: Mapping[str, int | None]) -> None:
    for name in SCORE_FIELDS:
        if scores.get(name) is not None:
            setattr(collab, name, scores[name])


# ---------------------------------------------------------------------------- workbook import

@dataclass
class ResultRow:
    sheet: str
    row: int  # 1-based Excel row
    platform: str | None
    handle: str
    nickname: str | None
    post_url: str | None
    data: SnapshotInput


@dataclass
class ResultProblem:
    sheet: str
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.column}{self.row}" if self.column else f"{self.sheet} row {self.row}"
        return f"{where}: {self.reason}" + (f" ({self.value})" if self.value else "")


@dataclass
class ParsedResults:
    path: Path
    rows: list[ResultRow]
    problems: list[ResultProblem]
    mapping: dict[str, dict[str, str]]  # sheet → field → header


def _header_row(sheet: RawSheet) -> tuple[int, dict[int, tuple[ResultField, Any]]] | None:
    best: tuple[int, int, dict[int, tuple[ResultField, Any]]] | None = None
    for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        found: dict[int, tuple[ResultField, Any]] = {}
        taken: dict[ResultField, float] = {}
        for col, cell in enumerate(row):
            text = clean_text(cell) if isinstance(cell, str) else None
            if not text or len(text) > 40:
                continue
            match = match_result_header(text)
            if match is None or match.field is ResultField.IGNORE:
                continue
            if match.field in taken and taken[match.field] >= match.score:
                continue  # the better-matching column of a field wins
            for other, (f, _) in list(found.items()):
                if f is match.field:
                    del found[other]
            taken[match.field] = match.score
            found[col] = (match.field, match.unit)
        fields = {f for f, _ in found.values()}
        metrics_found = len([f for f in fields if f in COUNT_FIELDS or f is ResultField.REVENUE])
        if fields & IDENTITY_FIELDS and metrics_found >= 1:
            score = len(fields)
            if best is None or score > best[0]:
                best = (score, index, found)
    return None if best is None else (best[1], best[2])


def parse_results_file(path: str | Path, default_date: date | None = None,
                       cancelled: Callable[[], bool] | None = None) -> ParsedResults:
    """Read a results workbook. Raises ``BadFileError`` for unreadable files; bad cells are
    reported in ``problems``. Rows without a date column use ``default_date``."""
    workbook = read_workbook(path)
    out = ParsedResults(Path(path), [], [], {})
    for sheet in workbook.sheets:
        header = _header_row(sheet)
        if header is None:
            continue
        header_index, columns = header
        out.mapping[sheet.name] = {f.value: str(sheet.rows[header_index][c]) for c, (f, _) in columns.items()}
        for i in range(header_index + 1, len(sheet.rows)):
            if cancelled is not None and i % 500 == 0 and cancelled():
                from kol_desk.importing.errors import ImportCancelled

                raise ImportCancelled()
            parsed = _parse_row(sheet, i, columns, default_date, out.problems)
            if parsed is not None:
                out.rows.append(parsed)
    if not out.mapping:
        raise BadInputError(tr("{file}: no results table found; it needs a column naming the creator "
                               "(account, nickname or post link) and at least one result column "
                               "(views, likes...).", file=Path(path).name))
    return out


def _parse_row(sheet: RawSheet, i: int, columns: dict[int, tuple[ResultField, Any]],
               default_date: date | None, problems: list[ResultProblem]) -> ResultRow | None:
    row = sheet.rows[i]
    if all(v is None or v == "" for v in row):
        return None
    ident: dict[ResultField, Any] = {}
    values: dict[str, Any] = {}
    scores: dict[str, int | None] = {}
    taken_on: date | None = default_date
    for col, (fld, unit) in columns.items():
        raw = row[col] if col < len(row) else None
        if raw is None or raw == "":
            continue
        try:
            if fld in (ResultField.NICKNAME, ResultField.POST_URL):
                ident[fld] = clean_text(sheet.links.get((i, col)) or raw) if fld is ResultField.POST_URL else clean_text(raw)
            elif fld is ResultField.HANDLE:
                ident[fld] = handle_text(raw)  # its case once the platform is known
            elif fld is ResultField.PLATFORM:
                ident[fld] = normalise_platform(raw)
            elif fld is ResultField.TAKEN_ON:
                taken_on = parse_date(raw) or taken_on
            elif fld is ResultField.REVENUE:
                price = parse_price(raw, unit)
                values["revenue"] = price.min
            elif fld.value in SCORE_FIELDS:
                score = parse_count(raw)
                if score is not None and not 1 <= score <= 5:
                    raise ValueProblem(tr("a score must be 1 to 5"))
                scores[fld.value] = score
            else:
                values[fld.value] = parse_count(raw, unit.multiplier if unit.multiplier != 1 else None)
        except ValueProblem as exc:
            problems.append(ResultProblem(sheet.name, i + 1, column_letter(col), clean_text(raw) or "", exc.reason))
    text = " ".join(str(v) for v in row if isinstance(v, str))
    if not any(ident.values()):
        if any(word in text for word in ("合计", "总计", "total", "Total", "TOTAL")):
            return None
        problems.append(ResultProblem(sheet.name, i + 1, "", "", tr("no account, nickname or post link; not imported")))
        return None
    if taken_on is None:
        problems.append(ResultProblem(sheet.name, i + 1, "", "", tr("no date for these results; choose a date for the whole file")))
        return None
    platform = ident.get(ResultField.PLATFORM)
    handle = handle_case(platform, ident.get(ResultField.HANDLE) or "")
    return ResultRow(sheet.name, i + 1, platform, handle,
                     ident.get(ResultField.NICKNAME), ident.get(ResultField.POST_URL),
                     SnapshotInput(taken_on, values, scores, source=None))


@dataclass
class ResultsImport:
    imported: int
    problems: list[ResultProblem]
    creators: int


def _url_key(url: str | None) -> str | None:
    if not url:
        return None
    text = url.strip().lower().split("?", 1)[0].split("#", 1)[0].rstrip("/")
    for prefix in ("https://", "http://"):
        text = text.removeprefix(prefix)
    return text.removeprefix("www.").removeprefix("m.")


def import_results(workspace: Workspace, parsed: ParsedResults, campaign_id: int | None = None) -> ResultsImport:
    """Match the parsed rows to collaborations and store all snapshots in one transaction."""
    from kol_desk.services.rating import recompute_ratings

    problems = list(parsed.problems)
    with workspace.transaction() as session:
        query = (select(Collaboration.id, Collaboration.creator_id, Collaboration.post_url,
                        PlatformAccount.platform, PlatformAccount.handle, Creator.nickname)
                 .join(PlatformAccount, PlatformAccount.id == Collaboration.account_id)
                 .join(Creator, Creator.id == Collaboration.creator_id)
                 .where(Collaboration.stage != "dropped"))
        if campaign_id is not None:
            query = query.where(Collaboration.campaign_id == campaign_id)
        by_url: dict[str, list[tuple[int, int]]] = {}
        by_handle: dict[tuple[str, str], list[tuple[int, int]]] = {}
        by_any_handle: dict[str, list[tuple[int, int]]] = {}
        by_name: dict[str, list[tuple[int, int]]] = {}
        for cid, creator_id, url, platform, handle, nickname in session.execute(query):
            pair = (cid, creator_id)
            if key := _url_key(url):
                by_url.setdefault(key, []).append(pair)
            by_handle.setdefault((platform, handle), []).append(pair)
            by_any_handle.setdefault(handle, []).append(pair)
            by_name.setdefault(nickname.casefold(), []).append(pair)
        creators: set[int] = set()
        imported = 0
        name = parsed.path.name
        for row in parsed.rows:
            candidates = (by_url.get(_url_key(row.post_url) or "")
                          or (by_handle.get((row.platform, row.handle)) if row.platform and row.handle else None)
                          or (by_any_handle.get(row.handle) if row.handle else None)
                          or (by_name.get(row.nickname.casefold()) if row.nickname else None) or [])
            if len(candidates) != 1:
                reason = (tr("matches no collaboration (check the account or pick the campaign)")
                          if not candidates else
                          tr("matches {n} collaborations; pick the campaign to import into", n=len(candidates)))
                problems.append(ResultProblem(row.sheet, row.row, "", row.handle or row.nickname or "", reason))
                continue
            cid, creator_id = candidates[0]
            row.data.source = f"{name} {row.sheet}!{row.row}"[:200]
            session.add(_snapshot(cid, row.data))
            if row.data.scores:
                collab = session.get(Collaboration, cid)
                if collab is not None:
                    _apply_scores(collab, row.data.scores)
            creators.add(creator_id)
            imported += 1
        session.flush()
        recompute_ratings(session, creators)
    return ResultsImport(imported, problems, len(creators))
