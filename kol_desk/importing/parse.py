"""Turn an agency list into typed creator rows, with a problem report for every cell
that could not be understood. No database and no Qt here: the commit step and the
import wizard are built on ``parse_file``'s result.

Account key: a row is identified by (platform, normalised handle), the key PRODUCT.md
names. A row without a handle falls back to its profile URL (the second key, stable
across nickname changes) and only then to its nickname, so that a list without an id
column still imports; ``ParsedRow.account_key`` says which one was used, and the commit
step should treat a nickname key as a weak match (ask, don't merge silently).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TypeVar

from kol_desk.importing.errors import ImportCancelled, Problem, ValueProblem
from kol_desk.importing.layout import (
    ColumnMapping,
    RowKind,
    SheetLayout,
    classify_row,
    detect_layout,
)
from kol_desk.importing.reader import RawSheet, Workbook, column_letter, read_workbook
from kol_desk.importing.values import (
    Price,
    clean_text,
    normalise_handle,
    normalise_platform,
    parse_count,
    parse_date,
    parse_price,
    parse_rate,
    platform_from_url,
)
from kol_desk.importing.vocabulary import Field, default_deliverable

__all__ = [
    "MappingOverrides",
    "ParsedFile",
    "ParsedRow",
    "ParsedSheet",
    "group_accounts",
    "parse_file",
    "parse_workbook",
]

# {sheet name: {field key ('nickname', 'price', 'price:video', ...): 0-based column or None}}
MappingOverrides = Mapping[str, Mapping[str, int | None]]
Progress = Callable[[int, int], None]
_CHECK_EVERY = 1000
_T = TypeVar("_T")
_NOT_SEEN = object()


@dataclass(slots=True)
class ParsedRow:
    sheet: str
    row: int  # 1-based Excel row
    hidden: bool
    platform: str | None
    handle: str  # normalised key form; '' when the list has none
    handle_display: str | None = None  # as written, only cleaned of outer whitespace
    nickname: str | None = None
    followers: int | None = None
    engagement_rate: Decimal | None = None  # a fraction: 0.032 for 3.2 %
    avg_views: int | None = None
    avg_interactions: int | None = None
    prices: dict[str, Price] = field(default_factory=dict)  # deliverable → first such column
    price_by_column: dict[str, Price] = field(default_factory=dict)  # header → price, in order
    price_currency: str | None = None
    category: str | None = None
    city: str | None = None
    agency: str | None = None
    contact: str | None = None
    profile_url: str | None = None
    schedule: date | None = None
    notes: str | None = None
    extra: dict[str, object] = field(default_factory=dict)  # header → raw value

    @property
    def primary_price(self) -> Price | None:
        """The first price column's value (what a one-price summary shows)."""
        return next(iter(self.price_by_column.values()), None)

    @property
    def account_key(self) -> tuple[str | None, str, str] | None:
        """(platform, kind, value) with kind 'handle', 'url' or 'nickname'; see module doc."""
        if self.handle:
            return (self.platform, "handle", self.handle)
        if self.profile_url:
            return (self.platform, "url", _url_key(self.profile_url))
        if self.nickname:
            return (self.platform, "nickname", self.nickname.casefold())
        return None


@dataclass(slots=True)
class ParsedSheet:
    name: str
    hidden: bool
    header_row: int | None  # 1-based last header row; None for a sheet without a table
    mapping: list[ColumnMapping]
    platform_source: str | None  # 'column', 'sheet_name', 'title', 'link' or None
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # RowKind value → count
    category_source: str | None = None  # 'column', 'group_rows' or None
    extra_columns: dict[int, str] = field(default_factory=dict)  # 0-based column → header


@dataclass(slots=True)
class ParsedFile:
    path: Path
    kind: str
    sheets: list[ParsedSheet]
    currency: str = "CNY"

    @property
    def rows(self) -> list[ParsedRow]:
        return [r for s in self.sheets for r in s.rows]

    @property
    def problems(self) -> list[Problem]:
        return [p for s in self.sheets for p in s.problems]


def group_accounts(rows: list[ParsedRow]) -> dict[tuple[str | None, str, str], list[ParsedRow]]:
    """Rows per account key, in order of first appearance: the duplicates of a list."""
    out: dict[tuple[str | None, str, str], list[ParsedRow]] = {}
    for row in rows:
        key = row.account_key
        if key is not None:
            out.setdefault(key, []).append(row)
    return out


def _url_key(url: str) -> str:
    text = url.strip().lower()
    text = re.sub(r"^https?://(www\.|m\.)?", "", text)
    return text.split("?", 1)[0].split("#", 1)[0].rstrip("/")


# ---------------------------------------------------------------------------- entry point

def parse_file(path: str | Path, *, default_year: int | None = None,
               mapping_overrides: MappingOverrides | None = None,
               progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None) -> ParsedFile:
    """Read and parse an agency list. Raises ``BadFileError`` for unreadable files and
    ``ImportCancelled`` when ``cancelled()`` turns true; cell problems are reported in
    ``ParsedSheet.problems`` and never raised."""
    workbook = read_workbook(path)
    if cancelled is not None and cancelled():
        raise ImportCancelled()
    return parse_workbook(workbook, default_year=default_year,
                          mapping_overrides=mapping_overrides, progress=progress,
                          cancelled=cancelled)


def parse_workbook(workbook: Workbook, *, default_year: int | None = None,
                   mapping_overrides: MappingOverrides | None = None,
                   progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None) -> ParsedFile:
    layouts = [detect_layout(s, (mapping_overrides or {}).get(s.name)) for s in workbook.sheets]
    hints = _book_hints(workbook, layouts)
    total = sum(len(s.rows) for s in workbook.sheets)
    ctx = _Context(workbook.path.name, hints, default_year, progress, cancelled, total)
    sheets = [_parse_sheet(sheet, layout, ctx)
              for sheet, layout in zip(workbook.sheets, layouts, strict=True)]
    if progress is not None:
        progress(total, total)
    return ParsedFile(path=workbook.path, kind=workbook.kind, sheets=sheets,
                      currency=hints.currency)


# ---------------------------------------------------------------------------- workbook hints

@dataclass(slots=True)
class _Hints:
    currency: str = "CNY"
    tax_included: bool | None = None
    year: int | None = None


_YEAR_RE = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_USD_RE = re.compile(r"\busd\b|us\$|美元|美金|in \$", re.IGNORECASE)
_CNY_RE = re.compile(r"人民币|\brmb\b|\bcny\b|单位\s*[:：]?\s*元|[(（]元[)）]|报价单位|元")
_TAX_NO_RE = re.compile(r"不含税|未税|excl\.?\s*(?:of\s*)?(?:vat|tax)|excluding\s*(?:vat|tax)",
                        re.IGNORECASE)
_TAX_YES_RE = re.compile(r"含税|incl\.?\s*(?:of\s*)?(?:vat|tax)|including\s*(?:vat|tax)",
                         re.IGNORECASE)


def _book_hints(workbook: Workbook, layouts: list[SheetLayout | None]) -> _Hints:
    """What the titles, notes sheets and header units say for the whole workbook: the
    currency of bare prices, whether prices include tax, the year of '11月11日'."""
    texts: list[str] = []
    currencies: set[str] = set()
    for sheet, layout in zip(workbook.sheets, layouts, strict=True):
        texts.append(sheet.name)
        if layout is None:  # a notes sheet: all of its text is hints
            texts.extend(t for row in sheet.rows[:200] for v in row
                         if isinstance(v, str) and (t := v.strip()))
            continue
        texts.extend(layout.titles)
        for mapping in layout.by_field.get(Field.PRICE, []):
            if mapping.unit.currency:
                currencies.add(mapping.unit.currency)
    blob = "\n".join(texts)
    hints = _Hints()
    says_usd = "USD" in currencies and "CNY" not in currencies
    hints_usd = not currencies and _USD_RE.search(blob) and not _CNY_RE.search(blob)
    if says_usd or hints_usd:
        hints.currency = "USD"
    if _TAX_NO_RE.search(blob):
        hints.tax_included = False
    elif _TAX_YES_RE.search(blob):
        hints.tax_included = True
    years = _YEAR_RE.findall(blob)
    if years:
        hints.year = int(max(set(years), key=years.count))
    return hints


# ---------------------------------------------------------------------------- sheets

@dataclass(slots=True)
class _Context:
    file: str
    hints: _Hints
    default_year: int | None
    progress: Progress | None
    cancelled: Callable[[], bool] | None
    total: int
    done: int = 0

    def tick(self, n: int) -> None:
        self.done += n
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelled()
        if self.progress is not None:
            self.progress(self.done, self.total)


def _parse_sheet(sheet: RawSheet, layout: SheetLayout | None, ctx: _Context) -> ParsedSheet:
    if layout is None:
        ctx.tick(len(sheet.rows))
        notes = sum(1 for r in sheet.rows if any(v not in (None, "") for v in r))
        return ParsedSheet(name=sheet.name, hidden=sheet.hidden, header_row=None, mapping=[],
                           platform_source=None, skipped={RowKind.NOTE.value: notes} if notes else {})
    year = ctx.default_year or _sheet_year(sheet, layout) or ctx.hints.year
    out = ParsedSheet(name=sheet.name, hidden=sheet.hidden, header_row=layout.data_start,
                      mapping=list(layout.columns), platform_source=layout.platform_source,
                      extra_columns=dict(layout.extra_columns))
    out.category_source = "column" if layout.first(Field.CATEGORY) else None
    merged_cols = {c for rng in sheet.merged if rng.first_col != rng.last_col
                   for c in range(rng.first_col, rng.last_col + 1)}
    builder = _RowBuilder(sheet, layout, ctx, year, out.problems)
    group: str | None = None
    rows = sheet.rows
    since_tick = layout.data_start
    for i in range(layout.data_start, len(rows)):
        since_tick += 1
        if since_tick >= _CHECK_EVERY:
            ctx.tick(since_tick)
            since_tick = 0
        kind, label = classify_row(rows[i], layout, merged_cols)
        if kind is RowKind.CREATOR:
            parsed = builder.build(i)
            if parsed.category is None and group is not None and out.category_source != "column":
                parsed.category = group
                out.category_source = "group_rows"
            if not parsed.platform and layout.platform_source in (None, "title"):
                by_link = platform_from_url(parsed.profile_url)
                if by_link is not None:
                    parsed.platform = by_link
                    out.platform_source = out.platform_source or "link"
            out.rows.append(parsed)
            continue
        if kind is RowKind.GROUP:
            group = label
        elif kind is RowKind.NO_IDENTITY:
            out.problems.append(Problem(ctx.file, sheet.name, i + 1, "", _row_text(rows[i]),
                                        "a row with values but no name, account id or link; "
                                        "it was not imported"))
        out.skipped[kind.value] = out.skipped.get(kind.value, 0) + 1
    ctx.tick(since_tick)
    return out


def _sheet_year(sheet: RawSheet, layout: SheetLayout) -> int | None:
    years = _YEAR_RE.findall(" ".join([sheet.name, *layout.titles]))
    return int(years[0]) if years else None


def _row_text(row: list[object]) -> str:
    return " | ".join(t for v in row if (t := clean_text(v)))[:200]


_URL_RE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)


_Convert = Callable[[object], object]
# Identity fields hardly ever repeat within a list: remembering their values costs more
# than it saves.
_UNIQUE_FIELDS = (Field.HANDLE, Field.NICKNAME, Field.NOTES, Field.PROFILE_URL)


def _remembering(convert: Callable[[object], _T]) -> Callable[[object], _T]:
    """``convert`` with the answers remembered: a list repeats the same platform, city,
    '面议' or '3.5w' thousands of times (a fifth or more of the 50k-row list's parse). Only
    text and float cells are kept, as True == 1 == 1.0 would share a key; the answers
    are immutable, and a cell that raises ValueProblem is parsed again each time."""
    seen: dict[object, object] = {}

    def converted(raw: object) -> _T:
        kind = type(raw)
        if kind is not str and kind is not float:
            return convert(raw)
        value = seen.get(raw, _NOT_SEEN)
        if value is _NOT_SEEN:
            value = seen[raw] = convert(raw)
        return value  # type: ignore[return-value]

    return converted


class _RowBuilder:
    """Builds ParsedRows for one sheet. What to do with each column is decided once per
    sheet (a plan of column → attribute → converter), not re-decided for every cell:
    that is most of what keeps a 50k-row list fast."""

    def __init__(self, sheet: RawSheet, layout: SheetLayout, ctx: _Context, year: int | None,
                 problems: list[Problem]) -> None:
        self.sheet = sheet
        self.ctx = ctx
        self.problems = problems
        self.extra = sorted(layout.extra_columns.items())
        self.labels = {m.column: f"{column_letter(m.column)} {m.header}" for m in layout.columns}
        self.sheet_platform = layout.platform
        self.links = [m.column for m in layout.columns if m.field is Field.PROFILE_URL][:1]
        hints = ctx.hints
        self.prices = [(m, _remembering(partial(
            parse_price, header_unit=m.unit, default_currency=hints.currency,
            default_tax_included=hints.tax_included))) for m in layout.columns if m.field is Field.PRICE]
        self.plan: list[tuple[int, str, _Convert]] = []
        for m in layout.columns:
            convert = self._converter(m, year)
            if convert is not None:
                if m.field not in _UNIQUE_FIELDS:
                    convert = _remembering(convert)
                self.plan.append((m.column, m.field.value, convert))
            if m.field is Field.HANDLE:
                self.plan.append((m.column, "handle_display", clean_text))

    @staticmethod
    def _converter(m: ColumnMapping, year: int | None) -> _Convert | None:
        multiplier = m.unit.multiplier if m.unit.multiplier != 1 else None
        percent = m.unit.percent
        f = m.field
        if f in (Field.FOLLOWERS, Field.AVG_VIEWS, Field.AVG_INTERACTIONS):
            return partial(parse_count, unit=multiplier)
        if f is Field.ENGAGEMENT_RATE:
            return partial(parse_rate, header_is_percent=percent)
        if f is Field.SCHEDULE:
            return partial(parse_date, default_year=year)
        if f is Field.HANDLE:
            return normalise_handle
        if f is Field.PLATFORM:
            return normalise_platform
        if f in (Field.NICKNAME, Field.CATEGORY, Field.CITY, Field.AGENCY, Field.CONTACT,
                 Field.NOTES):
            return clean_text
        return None  # prices and links need the whole row; see build()

    def _problem(self, i: int, column: int, raw: object, exc: ValueProblem) -> None:
        self.problems.append(Problem(self.ctx.file, self.sheet.name, i + 1,
                                     self.labels.get(column, column_letter(column)),
                                     clean_text(raw) or "", exc.reason))

    def build(self, i: int) -> ParsedRow:
        row = self.sheet.rows[i]
        width = len(row)
        values: dict[str, object] = {}
        for c, attr, convert in self.plan:
            raw = row[c] if c < width else None
            if raw is None or raw == "":
                continue
            try:
                values[attr] = convert(raw)
            except ValueProblem as exc:
                self._problem(i, c, raw, exc)
        if values.get("platform") is None:
            values["platform"] = self.sheet_platform
        values.setdefault("handle", "")
        parsed = ParsedRow(sheet=self.sheet.name, row=i + 1,
                           hidden=self.sheet.hidden or i in self.sheet.hidden_rows,
                           **values)  # type: ignore[arg-type]
        for c in self.links:
            self._link(parsed, i, c, row[c] if c < width else None)
        for m, convert in self.prices:
            raw = row[m.column] if m.column < width else None
            if raw is not None and raw != "":
                self._price(parsed, i, m, raw, convert)
        for c, header in self.extra:
            if c < width and row[c] is not None and row[c] != "":
                parsed.extra[header] = row[c]
        return parsed

    def _link(self, parsed: ParsedRow, i: int, c: int, raw: object) -> None:
        target = self.sheet.links.get((i, c))
        text = clean_text(raw)
        if target:
            parsed.profile_url = target
        elif text and _URL_RE.match(text):
            parsed.profile_url = text
        if text and text != parsed.profile_url:
            # '点击查看', a stale URL, or a payload: kept as written, never followed
            parsed.extra["profile_text"] = text

    def _price(self, parsed: ParsedRow, i: int, m: ColumnMapping, raw: object,
               convert: Callable[[object], Price]) -> None:
        try:
            price = convert(raw)
        except ValueProblem as exc:
            self._problem(i, m.column, raw, exc)
            return
        deliverable = m.deliverable or default_deliverable(parsed.platform)
        parsed.prices.setdefault(deliverable, price)
        parsed.price_by_column[m.header] = price
        if parsed.price_currency is None:
            parsed.price_currency = price.currency
