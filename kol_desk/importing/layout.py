"""Understand one sheet: where the header is, which column is which, what each row is.

The header row is the row (or pair of rows, for two-row headers with merged group cells
such as 报价 over 图文 | 视频) whose cells name the most distinct fields of the
vocabulary; title rows, letterheads and notes above it, and tables that start at D7
instead of A1, fall out of that without special cases. Rows below the header are then
classified one by one, so blank rows inside the table, group labels (【美妆】), subtotals,
totals and footnotes are recognised wherever they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from kol_desk.importing.columns import PER_ACCOUNT, assign_columns
from kol_desk.importing.reader import RawSheet, column_letter
from kol_desk.importing.sniff import SAMPLE_ROWS, ColumnShape
from kol_desk.importing.values import Unit, clean_text, find_platform, platform_named
from kol_desk.importing.vocabulary import (
    Field,
    HeaderMatch,
    match_header,
    split_unit,
    unit_word,
)

__all__ = [
    "ESSENTIAL_FIELDS",
    "ColumnMapping",
    "RowKind",
    "SheetLayout",
    "classify_row",
    "detect_layout",
    "field_key",
    "field_keys",
    "is_field_key",
]

HEADER_SCAN_ROWS = 60  # a header below row 60 is no longer a header but a second table
_MAX_HEADER_CELL = 40  # longer text is a sentence (title, note), not a column header
IDENTITY_FIELDS = (Field.HANDLE, Field.NICKNAME, Field.PROFILE_URL)
VALUE_FIELDS = (Field.FOLLOWERS, Field.AVG_VIEWS, Field.AVG_INTERACTIONS, Field.ENGAGEMENT_RATE,
                Field.PRICE, Field.SCHEDULE)
_NO_UNIT = Unit()


class RowKind(StrEnum):
    CREATOR = "creator"
    BLANK = "blank"
    GROUP = "group"
    SUBTOTAL = "subtotal"
    TOTAL = "total"
    NOTE = "note"
    HEADER = "header"  # a repeated header inside the data (lists pasted together)
    NO_IDENTITY = "no_identity"  # values, but no handle, nickname or link to hang them on


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    field: Field
    column: int  # 0-based
    header: str  # the header text as shown (both rows of a two-row header, space-joined)
    unit: Unit = _NO_UNIT
    deliverable: str | None = None  # price columns only; None = the platform's default
    hidden: bool = False
    platform: str | None = None  # a wide list's column of one platform's accounts ('抖音粉丝')

    @property
    def key(self) -> str:
        return field_key(self.field, self.deliverable)


def field_key(field_: Field, deliverable: str | None = None) -> str:
    """The name a mapping override uses: 'nickname', 'price' (generic), 'price:video'."""
    return f"{field_.value}:{deliverable}" if field_ is Field.PRICE and deliverable else field_.value


@dataclass(slots=True)
class SheetLayout:
    header_rows: list[int]  # 0-based; one or two rows
    columns: list[ColumnMapping]
    extra_columns: dict[int, str]  # 0-based column → header text, for unmapped/ignored columns
    data_start: int  # 0-based first row after the header
    platform: str | None  # the sheet-wide platform when there is no platform column
    platform_source: str | None  # 'column', 'sheet_name', 'title' or None
    titles: list[str] = field(default_factory=list)  # text above the header
    by_field: dict[Field, list[ColumnMapping]] = field(default_factory=dict)
    identity_cols: frozenset[int] = frozenset()
    header_texts: frozenset[str] = frozenset()
    value_cols: frozenset[int] = frozenset()
    # a wide list (one row per creator, columns per platform): the platforms, in order
    row_platforms: list[str] = field(default_factory=list)
    confidence: dict[int, float] = field(default_factory=dict)  # column → 0..1
    shapes: dict[int, ColumnShape] = field(default_factory=dict)  # column → its sampled values

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        """Recompute the lookups after ``columns`` changed."""
        self.by_field = {}
        for mapping in self.columns:
            self.by_field.setdefault(mapping.field, []).append(mapping)
        self.identity_cols = frozenset(m.column for m in self.columns
                                       if m.field in IDENTITY_FIELDS)
        # every header cell, the left-out columns' too (序号, 预估CPM): a repeated header row
        # under a second table is told by its first cells, whatever they map to
        self.header_texts = frozenset([*(m.header for m in self.columns),
                                       *self.extra_columns.values()])
        self.value_cols = frozenset(m.column for m in self.columns if m.field in VALUE_FIELDS)

    def unused_data(self) -> dict[int, str]:
        """Columns left out whose values look like data, with the field they look most
        like ('' when only 'values' can be said): the wizard offers them for one click."""
        out: dict[int, str] = {}
        for c, header in self.extra_columns.items():
            shape = self.shapes.get(c)
            said = match_header(header)
            if shape is None or shape.n == 0 or (said is not None and said.field is Field.SEQ):
                continue
            out[c] = shape.looks_like() or ""
        return out

    def first(self, field_: Field) -> ColumnMapping | None:
        found = self.by_field.get(field_)
        return found[0] if found else None


# ---------------------------------------------------------------------------- header

def _is_empty(value: object) -> bool:
    return value is None or value == ""


def _header_text(value: object) -> str | None:
    if isinstance(value, str):
        text = clean_text(value)
        if text and len(text) <= _MAX_HEADER_CELL:
            return text
    return None


def _score_labels(labels: Sequence[str | None]) -> tuple[int, float, list[HeaderMatch | None]]:
    matches = [match_header(label) if label else None for label in labels]
    fields = {m.field for m in matches if m and m.field not in (Field.SEQ, Field.IGNORE)}
    if not fields & set(IDENTITY_FIELDS):
        return 0, 0.0, matches
    total = sum(m.score for m in matches if m)
    return len(fields), total, matches


def _row_labels(row: Sequence[object]) -> list[str | None]:
    return [_header_text(v) for v in row]


def _has_numbers(row: Sequence[object]) -> bool:
    return any(isinstance(v, int | float) and not isinstance(v, bool) for v in row)


def _unit_row(row: Sequence[object]) -> dict[int, Unit] | None:
    """A row under the header that holds only units (万, 元, USD, %), by column."""
    found: dict[int, Unit] = {}
    for c, value in enumerate(row):
        if _is_empty(value):
            continue
        unit = unit_word(value) if isinstance(value, str) else None
        if unit is None:
            return None
        found[c] = unit
    return found or None


def _one_per_field(columns: list[ColumnMapping], confidence: Mapping[int, float],
                   extra: dict[int, str]) -> list[ColumnMapping]:
    """Outside a wide list a row has one account: of two columns for one of its facts
    ('抖音号' and 'UID'), the surer one is used and the other is left out (prices may be
    many)."""
    best: dict[Field, ColumnMapping] = {}
    for m in sorted(columns, key=lambda m: -confidence.get(m.column, 0.0)):
        if m.field is not Field.PRICE and m.field in best:
            extra[m.column] = m.header
            continue
        best.setdefault(m.field, m)
    return [m for m in columns if m.column not in extra]


def _row_platforms(columns: Sequence[ColumnMapping]) -> list[str]:
    """The platforms of a wide list: two or more platforms each with an account column
    of their own (an id, a link or followers). Empty for the usual list."""
    found: dict[str, None] = {}
    for m in columns:
        if m.platform and m.field in (Field.HANDLE, Field.PROFILE_URL, Field.FOLLOWERS):
            found.setdefault(m.platform)
    return list(found) if len(found) >= 2 else []


def _reads_as_header(row: Sequence[object]) -> bool:
    """A lower header row names fields (图文 | 视频 | 直播 under 报价); a first data row
    written all as text ('5,842,031', '哔哩哔哩') mostly does not."""
    labels = [t for v in row if (t := _header_text(v))]
    if not labels:
        return False
    named = sum(1 for t in labels if match_header(t) is not None)
    return named * 2 >= len(labels)


def _combine(sheet: RawSheet, top_index: int) -> list[str | None]:
    """Labels of a two-row header: group cells spread over the columns they span
    (from the merged ranges, or by carrying them right where the lower row goes on),
    then joined with the lower row."""
    top = list(sheet.rows[top_index])
    bottom = sheet.rows[top_index + 1]
    width = max(len(top), len(bottom))
    top += [None] * (width - len(top))
    spread: list[object] = list(top)
    covered_below: set[int] = set()
    for rng in sheet.merged:
        if rng.first_row == top_index:
            for c in range(rng.first_col, min(rng.last_col, width - 1) + 1):
                spread[c] = top[rng.first_col]
                if rng.last_row > top_index:
                    covered_below.add(c)
    for c in range(1, width):
        below = bottom[c] if c < len(bottom) else None
        if _is_empty(spread[c]) and not _is_empty(below) and c - 1 not in covered_below \
                and not _is_empty(spread[c - 1]) \
                and not _is_empty(bottom[c - 1] if c - 1 < len(bottom) else None):
            spread[c] = spread[c - 1]
    labels: list[str | None] = []
    for c in range(width):
        upper = _header_text(spread[c])
        lower = None if c in covered_below else _header_text(bottom[c] if c < len(bottom) else None)
        if upper and lower and match_header(lower) is not None:
            # the lower cell names the field ('达人信息' over '平台'); the group cell only
            # matters when it carries a unit, as in '数据(万)' over '粉丝', or names the
            # platform of a wide list's columns ('抖音' over '账号 | 粉丝 | 报价')
            _, unit = split_unit(upper)
            if find_platform(upper, short_names=True) is not None:
                labels.append(f"{upper} {lower}")
            else:
                labels.append(f"{lower} {upper}" if unit != _NO_UNIT else lower)
            continue
        parts = [t for t in (upper, lower) if t]
        labels.append(" ".join(dict.fromkeys(parts)) or None)
    return labels


def _find_header(sheet: RawSheet) -> tuple[list[int], list[str | None]] | None:
    best: tuple[tuple[int, float], list[int], list[str | None]] | None = None
    limit = min(len(sheet.rows), HEADER_SCAN_ROWS)
    for i in range(limit):
        row = sheet.rows[i]
        if _has_numbers(row):
            continue
        labels = _row_labels(row)
        if sum(1 for label in labels if label) < 2:
            continue
        n, total, _ = _score_labels(labels)
        if n >= 2 and (best is None or (n, total) > best[0]):
            best = ((n, total), [i], labels)
        if i + 1 < len(sheet.rows) and not _has_numbers(sheet.rows[i + 1]) \
                and _reads_as_header(sheet.rows[i + 1]):
            combined = _combine(sheet, i)
            n2, total2, _ = _score_labels(combined)
            # a group row naming two platforms makes a wide list's header, even when the
            # lower row alone names as many fields
            wide = n2 == n and len({find_platform(t, short_names=True) for t in combined
                                    if t} - {None}) >= 2
            if (n2 > n or wide) and n2 >= 2 and (best is None or (n2, total2) >= best[0]):
                best = ((n2, total2), [i, i + 1], combined)
    if best is None:
        return None
    return best[1], best[2]


def detect_layout(sheet: RawSheet, overrides: Mapping[str, int | None] | None = None
                  ) -> SheetLayout | None:
    """The layout of a sheet, or None when it has no table of creators (a 说明 sheet).

    ``overrides`` maps field keys ('nickname', 'price:video', ...) to 0-based columns, or
    to None to unmap a field; they replace what was detected."""
    found = _find_header(sheet)
    headerless = found is None
    if found is None:
        # rows pasted from a chat often come without a header: the values must say it all,
        # and the columns are named by their letters
        first = next((i for i, r in enumerate(sheet.rows[:HEADER_SCAN_ROWS])
                      if sum(1 for v in r if not _is_empty(v)) >= 3), None)
        if first is None:
            return None
        width = max(len(r) for r in sheet.rows)
        found = ([first - 1], [column_letter(c) for c in range(width)])
    header_rows, labels = found
    data_start = header_rows[-1] + 1
    units = _unit_row(sheet.rows[data_start]) if data_start < len(sheet.rows) else None
    if units is not None:
        data_start += 1  # 万 | 元 | % under the header: the units of the columns above
    sample = sheet.rows[data_start:data_start + SAMPLE_ROWS]
    values = [[sheet.links.get((data_start + i, c)) or (row[c] if c < len(row) else None)
               for i, row in enumerate(sample)] for c in range(len(labels))]
    assigned, shapes = assign_columns(labels, values, headerless=headerless)
    if headerless and (not {a.field for a in assigned} & set(IDENTITY_FIELDS) or len(assigned) < 2):
        return None
    columns: list[ColumnMapping] = []
    confidence: dict[int, float] = {}
    for a in assigned:
        columns.append(ColumnMapping(a.field, a.column, labels[a.column] or "", a.unit,
                                     a.deliverable, a.column in sheet.hidden_cols, a.platform))
        confidence[a.column] = a.confidence
    if units is not None:
        columns = [replace(m, unit=units[m.column]) if m.column in units else m for m in columns]
    used = {a.column for a in assigned}
    extra: dict[int, str] = {c: label for c, label in enumerate(labels)
                             if label and c not in used}
    if not _row_platforms(columns):
        columns = _one_per_field(columns, confidence, extra)
    if overrides:
        columns = _apply_overrides(sheet, columns, extra, labels, overrides)
    columns.sort(key=lambda x: x.column)
    titles = [t for r in sheet.rows[:max(header_rows[0], 0)] for v in r if (t := clean_text(v))
              and isinstance(v, str)]
    layout = SheetLayout(header_rows=header_rows, columns=columns, extra_columns=extra,
                         data_start=data_start, platform=None, platform_source=None,
                         titles=titles, confidence=confidence, shapes=shapes)
    layout.row_platforms = _row_platforms(columns)
    if layout.row_platforms:
        layout.platform_source = "header"
    elif layout.first(Field.PLATFORM) is not None:
        layout.platform_source = "column"
    elif (by_name := find_platform(sheet.name, short_names=True)) is not None:
        layout.platform, layout.platform_source = by_name, "sheet_name"
    elif (by_title := find_platform(" ".join(titles))) is not None:
        layout.platform, layout.platform_source = by_title, "title"
    elif (by_header := find_platform(" ".join(m.header for m in columns))) is not None:
        # '小红书账号', '小红书粉丝': the headers say whose accounts these are
        layout.platform, layout.platform_source = by_header, "header"
    return layout


_DELIVERABLES = ("image_post", "video", "live", "repost", "custom")
# What a list must give for its rows to be worth importing; a sheet without one of them is
# shown in red (a platform may also come from the sheet name, a title, the headers or links).
ESSENTIAL_FIELDS = ("platform", "handle", "followers", "price")
_USER_FIELDS = [f for f in Field if f not in (Field.SEQ, Field.IGNORE)]


def is_field_key(key: str) -> bool:
    """'' (not used), a field ('followers') or a price with its deliverable ('price:live')."""
    if key == "":
        return True
    name, _, deliverable = key.partition(":")
    if name not in {f.value for f in _USER_FIELDS}:
        return False
    return not deliverable or (name == Field.PRICE.value and deliverable in _DELIVERABLES)


def field_keys() -> str:
    """The keys a mapping may use, for messages."""
    return ", ".join([*(f.value for f in _USER_FIELDS), *(f"price:{d}" for d in _DELIVERABLES)])


def _parse_key(key: str) -> tuple[Field, str | None]:
    name, _, deliverable = key.partition(":")
    return Field(name), deliverable or None


def _apply_overrides(sheet: RawSheet, columns: list[ColumnMapping], extra: dict[int, str],
                     labels: Sequence[str | None], overrides: Mapping[str, int | None]
                     ) -> list[ColumnMapping]:
    for key, column in overrides.items():
        field_, deliverable = _parse_key(key)
        dropped = [x for x in columns if x.key == key or x.column == column]
        columns = [x for x in columns if x not in dropped]
        for x in dropped:
            extra[x.column] = x.header
        if column is None:
            continue
        header = (labels[column] if column < len(labels) else None) or ""
        _, unit = split_unit(header) if header else ("", _NO_UNIT)
        extra.pop(column, None)
        platform = find_platform(header, short_names=True) if field_ in PER_ACCOUNT or field_ is Field.PRICE \
            else None
        columns.append(ColumnMapping(field_, column, header, unit, deliverable,
                                     column in sheet.hidden_cols, platform))
    return columns


# ---------------------------------------------------------------------------- rows

_TOTAL_RE = re.compile(r"(?:合计|总计|共计|总共|汇总|total|totals|grand total|sum)(?:\s*[:：(（].*)?",
                       re.IGNORECASE)
_SUBTOTAL_RE = re.compile(r"小计|subtotal|sub-total|sub total", re.IGNORECASE)
_NOTE_RE = re.compile(r"^(?:注|备注|说明|提示|温馨提示|ps|p\.s\.|note|notes|remark|source|数据来源|"
                      r"数据更新|更新时间|\*|※|\d+\s*[.、)）])", re.IGNORECASE)
_BRACKETED_RE = re.compile(r"^\s*[【\[〖「『《<(（■▶►●◆#=—\-]+\s*(.+?)\s*[】\]〗」』》>)）=—\-]*\s*$")
_GROUP_MAX = 20


_KEYWORD_RE = re.compile(r"合计|总计|共计|总共|汇总|小计|total|sum", re.IGNORECASE)


def _plainly_creator(row: Sequence[object], layout: SheetLayout) -> bool:
    """The fast answer for the common row: an identity cell, at least two values, and no
    total/subtotal word or repeated header among its first cells."""
    width = len(row)
    if not any(c < width and row[c] is not None and row[c] != "" for c in layout.identity_cols):
        return False
    seen = 0
    header_hits = 0
    for v in row:
        if v is None or v == "":
            continue
        seen += 1
        if type(v) is str:
            if _KEYWORD_RE.search(v):
                return False
            if v in layout.header_texts:
                header_hits += 1
        if seen >= 3:
            break
    return seen >= 2 and header_hits < 2


def classify_row(row: Sequence[object], layout: SheetLayout, merged_cols: set[int] | None = None
                 ) -> tuple[RowKind, str | None]:
    """What a row below the header is; the second value is the label of a group row."""
    if _plainly_creator(row, layout):
        return RowKind.CREATOR, None
    nonempty: list[int] = []
    raw_texts: list[str] = []
    for c, v in enumerate(row):
        if v is None or v == "":
            continue
        nonempty.append(c)
        if len(nonempty) <= 3 and type(v) is str:
            raw_texts.append(v)
    if not nonempty:
        return RowKind.BLANK, None
    texts = [t for v in raw_texts if (t := clean_text(v))]
    # one cheap search first: almost every row is a creator and mentions no keyword
    if texts and _KEYWORD_RE.search(" ".join(texts)):
        for text in texts:
            if len(text) <= _GROUP_MAX and _TOTAL_RE.fullmatch(text):
                return RowKind.TOTAL, None
            if len(text) <= _GROUP_MAX and _SUBTOTAL_RE.search(text):
                return RowKind.SUBTOTAL, None
    identity_cols = layout.identity_cols
    has_identity = any(c in identity_cols for c in nonempty)
    if len(nonempty) == 1 and texts:
        text = texts[0]
        if _NOTE_RE.match(text) or len(text) > _GROUP_MAX * 2:
            return RowKind.NOTE, None
        bracketed = _BRACKETED_RE.fullmatch(text)
        # a label sits in a free or text column; a lone '5w' under 粉丝数 is a half row
        in_label_place = (nonempty[0] not in identity_cols
                          and nonempty[0] not in layout.value_cols) or (
            merged_cols is not None and nonempty[0] in merged_cols)
        if bracketed is not None and bracketed.group(1) != text:
            return RowKind.GROUP, bracketed.group(1).strip()
        if platform_named(text) is not None:
            return RowKind.GROUP, text  # 'B站' alone on a row heads that platform's table
        if in_label_place and len(text) <= _GROUP_MAX:
            return RowKind.GROUP, text
        if not has_identity:
            return (RowKind.NO_IDENTITY if nonempty[0] in layout.value_cols else RowKind.NOTE), None
    if has_identity:
        if len(texts) >= 2 and sum(1 for t in texts if t in layout.header_texts) >= 2:
            return RowKind.HEADER, None
        return RowKind.CREATOR, None
    if texts and _NOTE_RE.match(texts[0]) and len(nonempty) <= 2:
        return RowKind.NOTE, None
    return RowKind.NO_IDENTITY, None
