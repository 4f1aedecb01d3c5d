"""Decide what every column of a sheet holds, from its header words and its values together.

Each (column, field) pair gets a score: the header's evidence (``vocabulary.header_scores``)
weighed against the values' evidence (``sniff.sniff_column``). Values that clearly say
otherwise veto a header word ('平台' over a column of handles is not the platform), and
values alone can claim a column whose header names nothing we know (a column of profile
links, of platform names). The whole header row is then assigned at once, best pairs
first, each single-valued field used once, so two columns cannot both be the platform and
a column that names a platform's account ('抖音账号') does not take the platform's place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kol_desk.importing.sniff import ColumnShape, sniff_column
from kol_desk.importing.values import Unit, find_platform
from kol_desk.importing.vocabulary import Field, HeaderScores, header_scores

__all__ = ["LOW_CONFIDENCE", "PER_ACCOUNT", "Assigned", "assign_columns"]

LOW_CONFIDENCE = 0.6  # below this a mapping is shown as a guess to check
_MIN_SCORE = 0.35
_HEADER_WEIGHT = 0.6
# Fields a column of values can be recognised as without any header word, and how sure the
# values must be.
_BY_VALUES = {Field.PLATFORM: 0.9, Field.PROFILE_URL: 0.8, Field.ENGAGEMENT_RATE: 0.9,
              Field.HANDLE: 0.8, Field.CATEGORY: 0.8, Field.CITY: 0.8}
# Below this share of fitting values, the values contradict the header.
_VETO = {Field.PLATFORM: 0.5, Field.PROFILE_URL: 0.3, Field.HANDLE: 0.3, Field.NICKNAME: 0.2,
         Field.FOLLOWERS: 0.5, Field.AVG_VIEWS: 0.5, Field.AVG_INTERACTIONS: 0.5,
         Field.ENGAGEMENT_RATE: 0.5, Field.PRICE: 0.5, Field.SCHEDULE: 0.3, Field.CITY: 0.0,
         Field.CATEGORY: 0.0, Field.REBATE: 0.5, Field.DISCOUNT: 0.5, Field.SERVICE_FEE: 0.5,
         Field.TAX: 0.5}
_MULTI = frozenset({Field.PRICE})


# Facts of one account: a row of a wide list has them once per platform (抖音号, 抖音粉丝,
# 小红书号, 小红书粉丝), so a header naming a platform makes them another column's peer.
PER_ACCOUNT = frozenset({Field.HANDLE, Field.PROFILE_URL, Field.NICKNAME, Field.FOLLOWERS,
                         Field.AVG_VIEWS, Field.AVG_INTERACTIONS, Field.ENGAGEMENT_RATE})


@dataclass(frozen=True, slots=True)
class Assigned:
    column: int
    field: Field
    confidence: float
    unit: Unit
    deliverable: str | None
    platform: str | None = None  # the platform the header names ('抖音粉丝'), if one


def _headerless_score(field: Field, shape: ColumnShape) -> float:
    """What values alone say where a list has no header row at all (a pasted chat)."""
    if field is Field.NICKNAME:
        fit = shape.fit(Field.NICKNAME)
    elif field is Field.FOLLOWERS:
        fit = shape.count_units - shape.price_marks
    elif field is Field.PRICE:
        # 8.1万 is a price too: a column that also has ¥, 面议 or ranges, or no units at all;
        # of two columns of 万 figures, the left one (followers) scores higher and wins first
        fit = shape.fit(Field.PRICE) if shape.price_marks >= 0.2 or shape.count_units < 0.5 \
            else 0.8 * shape.fit(Field.PRICE)
    elif field in (Field.CATEGORY, Field.CITY):
        fit = shape.fit(field) if shape.fit(field) >= 0.6 else 0.0
    else:
        return 0.0
    return 0.45 * min(fit, 1.0) if fit >= 0.5 else 0.0


def _pair_score(field: Field, heard: HeaderScores, shape: ColumnShape) -> float:
    said = heard.scores.get(field, 0.0)
    if shape.n == 0:
        return said * _HEADER_WEIGHT + (1 - _HEADER_WEIGHT) * 0.5 if said else 0.0
    fit = shape.fit(field)
    if said:
        if fit < _VETO.get(field, 0.0):
            return 0.0
        return _HEADER_WEIGHT * said + (1 - _HEADER_WEIGHT) * fit
    need = _BY_VALUES.get(field)
    if field is Field.ENGAGEMENT_RATE:
        fit = shape.rate_marks  # without a header word, only '3.2%' says "a rate"
    if need is not None and fit >= need:
        return 0.45 * fit
    return 0.0


def _adjust(field: Field, shape: ColumnShape, score: float) -> float:
    """Tie-breaks the values settle: units such as 12.3w belong to counts, ¥ and 面议 to
    prices, % to rates; a column of names is not a handle and the other way round."""
    if shape.n == 0 or score == 0.0:
        return score
    if field in (Field.FOLLOWERS, Field.AVG_VIEWS, Field.AVG_INTERACTIONS):
        return score + 0.1 * shape.count_units - 0.3 * shape.price_marks
    if field is Field.PRICE:
        return score + 0.1 * shape.price_marks - 0.3 * shape.rate_marks
    if field is Field.HANDLE:
        return score + 0.15 * (shape.fit(Field.HANDLE) - shape.fit(Field.NICKNAME))
    if field is Field.NICKNAME:
        return score + 0.15 * (shape.fit(Field.NICKNAME) - shape.fit(Field.HANDLE))
    return score


def assign_columns(labels: Sequence[str | None], columns: Sequence[Sequence[object]], *,
                   headerless: bool = False) -> tuple[list[Assigned], dict[int, ColumnShape]]:
    """The field of every column worth one (``labels[c]`` its header, ``columns[c]`` its
    sampled values); columns left out are not data we know, or cost-side columns.
    ``headerless``: the labels are only column letters, the values decide alone."""
    shapes = {c: sniff_column(columns[c]) for c in range(len(labels))}
    pairs: list[tuple[float, int, Field]] = []
    heard_by_col: dict[int, HeaderScores] = {}
    for c, label in enumerate(labels):
        heard = header_scores(label) if label else HeaderScores({}, Unit(), None)
        heard_by_col[c] = heard
        if heard.ignored or _is_seq(heard):
            continue
        for field in Field:
            if field in (Field.IGNORE, Field.SEQ):
                continue
            score = _pair_score(field, heard, shapes[c])
            if headerless:
                score = max(score, _headerless_score(field, shapes[c]))
            score = _adjust(field, shapes[c], score)
            if score >= _MIN_SCORE:
                pairs.append((score, c, field))
    pairs.sort(key=lambda p: (-p[0], p[1]))
    named = {c: find_platform(label, short_names=True) if label else None for c, label in enumerate(labels)}
    taken_cols: set[int] = set()
    taken_fields: set[tuple[Field, str | None]] = set()
    out: list[Assigned] = []
    for score, c, field in pairs:
        platform = named[c] if field in PER_ACCOUNT or field is Field.PRICE else None
        key = (field, platform if field in PER_ACCOUNT else None)
        if c in taken_cols or (key in taken_fields and field not in _MULTI):
            continue
        taken_cols.add(c)
        taken_fields.add(key)
        heard = heard_by_col[c]
        deliverable = heard.deliverable if field is Field.PRICE else None
        out.append(Assigned(c, field, min(1.0, score), heard.unit, deliverable, platform))
    out.sort(key=lambda a: a.column)
    return out, shapes


def _is_seq(heard: HeaderScores) -> bool:
    best = heard.best()
    return best is not None and best[0] is Field.SEQ and best[1] >= 0.9
