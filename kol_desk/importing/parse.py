"""Turn an agency list into typed creator rows, with a problem report for every cell
that could not be understood. No database and no Qt here: the commit step and the
import wizard are built on ``parse_file``'s result.

Account key: a row is identified by (platform, normalised handle), the account's
key. A row without a handle falls back to its profile URL (the second key, stable
across nickname changes) and only then to its nickname, so that a list without an id
column still imports; ``ParsedRow.account_key`` says which one was used, and the commit
step should treat a nickname key as a weak match (ask, don't merge silently).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TypeVar

from kol_desk.domain import handle_case
from kol_desk.errors import N_
from kol_desk.importing.cards import unfold_cards
from kol_desk.importing.errors import ImportCancelled, Problem, ValueProblem
from kol_desk.importing.layout import (
    ColumnMapping,
    RowKind,
    SheetLayout,
    classify_row,
    detect_layout,
)
from kol_desk.importing.reader import RawSheet, Workbook, column_letter, read_workbook
from kol_desk.importing.terms import parse_discount, parse_fee, parse_share, parse_tax
from kol_desk.importing.values import (
    Price,
    clean_text,
    find_platform,
    handle_text,
    looks_like_url,
    normalise_platform,
    parse_count,
    parse_currency,
    parse_date,
    parse_price,
    parse_rate,
    platform_from_url,
    split_platform_handle,
    strip_platforms,
)
from kol_desk.importing.vocabulary import Field, default_deliverable

__all__ = [
    "Corrections",
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
# {sheet name: {(1-based row, 0-based column): the text the user typed instead}}
Corrections = Mapping[str, Mapping[tuple[int, int], str]]
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
    handle: str  # normalised key form (domain.handle_case); '' when the list has none
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
    # the deal terms a list gives beside its prices; they go on every quote of the row
    rebate: Decimal | None = None  # a fraction of the price
    service_fee: tuple[Decimal | None, Decimal | None] | None = None  # (amount, share)
    discount: Decimal | None = None  # percent off the list price: 20 for 8折
    tax: tuple[bool | None, Decimal | None] | None = None  # (included?, rate)
    currency: str | None = None  # a 币种 column: the currency of the row's bare prices
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
    platform_source: str | None  # 'column', 'sheet_name', 'title', 'header', 'link', 'group_rows'
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # RowKind value → count
    category_source: str | None = None  # 'column', 'group_rows' or None
    extra_columns: dict[int, str] = field(default_factory=dict)  # 0-based column → header
    # 0-based column → how sure the mapping is (0..1; below columns.LOW_CONFIDENCE: a guess)
    confidence: dict[int, float] = field(default_factory=dict)
    # unused columns whose values look like data (0-based column → the field they look like)
    unused_data: dict[int, str] = field(default_factory=dict)


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
               corrections: Corrections | None = None,
               progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None) -> ParsedFile:
    """Read and parse an agency list. Raises ``BadFileError`` for unreadable files and
    ``ImportCancelled`` when ``cancelled()`` turns true; cell problems are reported in
    ``ParsedSheet.problems`` and never raised. ``corrections`` replace cells as the user
    retyped them in the wizard (the file itself is never written)."""
    workbook = read_workbook(path)
    # a sheet of "key: value" cards is read as the table it describes
    workbook.sheets = [unfold_cards(sheet) or sheet for sheet in workbook.sheets]
    for sheet in workbook.sheets:
        for (row, col), text in (corrections or {}).get(sheet.name, {}).items():
            index = sheet.index_of(row)
            if index is not None and col >= 0:
                cells = sheet.rows[index]
                cells.extend([None] * (col + 1 - len(cells)))
                cells[col] = text
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
                      extra_columns=dict(layout.extra_columns),
                      confidence=dict(layout.confidence), unused_data=layout.unused_data())
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
            for parsed in builder.build_wide(i) if builder.per_platform else [builder.build(i)]:
                if parsed.category is None and group is not None \
                        and out.category_source != "column":
                    parsed.category = group
                    out.category_source = "group_rows"
                out.rows.append(parsed)
            continue
        if kind is RowKind.GROUP:
            named = find_platform(label, short_names=True) \
                if label and layout.first(Field.PLATFORM) is None else None
            if named is not None and label is not None:
                # 【小红书】 between two tables pasted one under the other: the rows below
                # are that platform's; what else the label says is their category
                builder.sheet_platform = named
                out.platform_source = "group_rows"
                label = strip_platforms(label).strip(" 【】[]()（）-—:：") or None
                group = label if label and len(label) > 1 else group
            else:
                group = label
        elif kind is RowKind.NO_IDENTITY:
            out.problems.append(Problem(ctx.file, sheet.name, sheet.line(i), "", _row_text(rows[i]),
                                        N_("a row with values but no name, account id or "
                                           "link; it was not imported")))
        out.skipped[kind.value] = out.skipped.get(kind.value, 0) + 1
    ctx.tick(since_tick)
    if builder.platform_by_link:
        out.platform_source = out.platform_source or "link"
    return out


def _sheet_year(sheet: RawSheet, layout: SheetLayout) -> int | None:
    years = _YEAR_RE.findall(" ".join([sheet.name, *layout.titles]))
    return int(years[0]) if years else None


def _row_text(row: list[object]) -> str:
    return " | ".join(t for v in row if (t := clean_text(v)))[:200]




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


def _display_after_platform(raw: object) -> str | None:
    both = split_platform_handle(raw) if isinstance(raw, str) else None
    return both[1] if both is not None else None


def _handle_after_platform(raw: object) -> str:
    shown = _display_after_platform(raw)
    return handle_text(shown) if shown else ""


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
        self.platform_by_link = False
        self.year = year
        # A wide list's columns of one platform are set aside and laid over the shared
        # ones, once per platform (see build_wide).
        wide = set(layout.row_platforms)
        shared = [m for m in layout.columns if m.platform not in wide]
        self.links, self.prices, self.plan = self._plans(shared)
        self.per_platform = [(p, *self._plans([m for m in layout.columns if m.platform == p]))
                             for p in layout.row_platforms]

    def _plans(self, mappings: list[ColumnMapping]) -> tuple[
            list[int], list[tuple[ColumnMapping, Callable[[object], Price]]],
            list[tuple[int, str, _Convert]]]:
        hints = self.ctx.hints
        links = [m.column for m in mappings if m.field is Field.PROFILE_URL][:1]
        prices = [(m, _remembering(partial(
            parse_price, header_unit=m.unit, default_currency=hints.currency,
            default_tax_included=hints.tax_included))) for m in mappings if m.field is Field.PRICE]
        plan: list[tuple[int, str, _Convert]] = []
        for m in mappings:
            convert = self._converter(m, self.year)
            if convert is not None:
                if m.field not in _UNIQUE_FIELDS:
                    convert = _remembering(convert)
                plan.append((m.column, m.field.value, convert))
            if m.field is Field.HANDLE:
                plan.append((m.column, "handle_display", clean_text))
        if not any(m.field is Field.HANDLE for m in mappings):
            # '抖音 taozi01': the account may sit in the platform cell
            for m in mappings:
                if m.field is Field.PLATFORM:
                    plan.append((m.column, "handle", _handle_after_platform))
                    plan.append((m.column, "handle_display", _display_after_platform))
        return links, prices, plan

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
            return handle_text  # the case follows the row's platform (see build)
        if f is Field.PLATFORM:
            return normalise_platform
        if f in (Field.NICKNAME, Field.CATEGORY, Field.CITY, Field.AGENCY, Field.CONTACT,
                 Field.NOTES):
            return clean_text
        if f is Field.REBATE:
            return parse_share
        if f is Field.DISCOUNT:
            return parse_discount
        if f is Field.SERVICE_FEE:
            return partial(parse_fee, header_unit=m.unit)
        if f is Field.TAX:
            return parse_tax
        if f is Field.CURRENCY:
            return parse_currency
        return None  # prices and links need the whole row; see build()

    def _problem(self, i: int, column: int, raw: object, exc: ValueProblem) -> None:
        self.problems.append(Problem(self.ctx.file, self.sheet.name, self.sheet.line(i),
                                     self.labels.get(column, column_letter(column)),
                                     clean_text(raw) or "", exc.reason, column))

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
        parsed = ParsedRow(sheet=self.sheet.name, row=self.sheet.line(i),
                           hidden=self.sheet.hidden or i in self.sheet.hidden_rows,
                           **values)  # type: ignore[arg-type]
        for c in self.links:
            self._link(parsed, i, c, row[c] if c < width else None)
        if parsed.platform is None and parsed.profile_url:
            # before the prices: a generic 报价 prices the platform's usual deliverable
            parsed.platform = platform_from_url(parsed.profile_url)
            self.platform_by_link = self.platform_by_link or parsed.platform is not None
        if parsed.handle:
            # stored and matched in the case the platform compares handles in
            parsed.handle = handle_case(parsed.platform, parsed.handle)
        for m, convert in self.prices:
            raw = row[m.column] if m.column < width else None
            if raw is not None and raw != "":
                self._price(parsed, i, m, raw, convert)
        for c, header in self.extra:
            if c < width and row[c] is not None and row[c] != "":
                parsed.extra[header] = row[c]
        return parsed

    def build_wide(self, i: int) -> list[ParsedRow]:
        """One row of a wide list: an account per platform that has a value in the row,
        each with the shared columns (nickname, category, ...) and its own."""
        base = self.build(i)
        row = self.sheet.rows[i]
        width = len(row)
        out: list[ParsedRow] = []
        for platform, links, prices, plan in self.per_platform:
            cells = [c for c, _, _ in plan] + links + [m.column for m, _ in prices]
            if not any(c < width and row[c] is not None and row[c] != "" for c in cells):
                continue
            parsed = replace(base, platform=platform, prices=dict(base.prices),
                             price_by_column=dict(base.price_by_column), extra=dict(base.extra))
            for c, attr, convert in plan:
                raw = row[c] if c < width else None
                if raw is None or raw == "":
                    continue
                try:
                    setattr(parsed, attr, convert(raw))
                except ValueProblem as exc:
                    self._problem(i, c, raw, exc)
            if parsed.handle:
                parsed.handle = handle_case(platform, parsed.handle)
            for c in links:
                self._link(parsed, i, c, row[c] if c < width else None)
            for m, convert in prices:
                raw = row[m.column] if m.column < width else None
                if raw is not None and raw != "":
                    self._price(parsed, i, m, raw, convert)
            out.append(parsed)
        return out or [base]

    def _link(self, parsed: ParsedRow, i: int, c: int, raw: object) -> None:
        target = self.sheet.links.get((i, c))
        text = clean_text(raw)
        if target:
            parsed.profile_url = target
        elif text and looks_like_url(text):
            parsed.profile_url = text
        if text and text != parsed.profile_url:
            # '点击查看', a stale URL, or a payload: kept as written, never followed
            parsed.extra["profile_text"] = text

    def _price(self, parsed: ParsedRow, i: int, m: ColumnMapping, raw: object,
               convert: Callable[[object], Price]) -> None:
        try:
            price = convert(raw)
            if parsed.currency and parsed.currency != price.currency and m.unit.currency is None:
                # the row's 币种 for a bare price; a ¥ or $ in the cell still wins
                price = parse_price(raw, m.unit, default_currency=parsed.currency,
                                    default_tax_included=self.ctx.hints.tax_included)
        except ValueProblem as exc:
            self._problem(i, m.column, raw, exc)
            return
        deliverable = m.deliverable or default_deliverable(parsed.platform)
        parsed.prices.setdefault(deliverable, price)
        parsed.price_by_column[m.header] = price
        if parsed.price_currency is None:
            parsed.price_currency = price.currency
