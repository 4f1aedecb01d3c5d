"""Lists written one card per creator: "key: value" lines (or a key cell and a value
cell), a blank line between creators, as agencies paste them into a chat or a sheet:

    昵称：小桃子              Nickname: Mia Bakes
    平台：小红书              Platform: Instagram
    账号：@taozi01            Handle: @miabakes
    粉丝：12.3万              Followers: 120K

    昵称：阿飞 ...            Nickname: ...

``unfold_cards`` turns such a sheet into the table it describes (the keys as the header,
a row per card), so it goes through the same column reading as any list. A row keeps the
line its card starts on (``RawSheet.row_numbers``): problems name the line in the file.
"""

from __future__ import annotations

import re
from collections import Counter

from kol_desk.importing.reader import RawSheet
from kol_desk.importing.values import clean_text
from kol_desk.importing.vocabulary import Field, match_header

__all__ = ["card_key", "looks_like_cards", "unfold_cards"]

# 'key：value', 'key: value', 'key = value'; a key is a short label, not a URL's scheme
_KV_RE = re.compile(r"^\s*([^:：=\s\d][^:：=]{0,19}?)\s*[:：=]\s*(\S.*?)\s*$")
_MIN_CARDS = 2
_MIN_KEYS = 3
_IDENTITY = frozenset({Field.HANDLE, Field.NICKNAME, Field.PROFILE_URL})
_MAX_TITLES = 5
_PROBE = 40  # lines read before a sheet that is plainly a table is given up on


def card_key(text: str) -> str | None:
    """The key of a card line ('昵称：小桃子' → '昵称', 'Followers: 120K'), else None."""
    m = _KV_RE.match(text)
    return m.group(1).strip() if m is not None and not m.group(2).startswith("//") else None


def looks_like_cards(lines: list[str]) -> bool:
    """Most lines are "key: value" and the keys recur (a handful of keys over many
    lines): '小桃子：小红书，taozi01' lines of a chat are rows, not cards."""
    keys = [key for line in lines if (key := card_key(line)) is not None]
    return len(keys) * 10 >= len(lines) * 8 and len(set(keys)) * 2 <= len(keys)


def _pair(cells: list[object]) -> tuple[str, object] | None:
    """(key, value) of a card line's filled cells, None when it is no such line."""
    if len(cells) == 1 and isinstance(cells[0], str):
        m = _KV_RE.match(cells[0])
        if m is None or m.group(2).startswith("//"):
            return None
        return m.group(1).strip(), m.group(2)
    if len(cells) == 2 and isinstance(cells[0], str):
        key = (clean_text(cells[0]) or "").rstrip(":：= ")
        if key and len(key) <= 20 and not any(ch.isdigit() for ch in key):
            return key, cells[1]
    return None


def _known(key: str) -> Field | None:
    found = match_header(key)
    return found.field if found is not None and found.field not in (Field.IGNORE, Field.SEQ) \
        else None


def unfold_cards(sheet: RawSheet) -> RawSheet | None:
    """The table a sheet of cards describes, or None when the sheet is not one."""
    cards: list[list[tuple[str, object, int, int]]] = []  # (key, value, line, column)
    titles: list[tuple[int, list[object]]] = []
    current: list[tuple[str, object, int, int]] = []
    other = lines = 0
    if len(sheet.rows) < 2 * _MIN_KEYS or max((len(r) for r in sheet.rows[:_PROBE]), default=0) > 40:
        return None
    for i, row in enumerate(sheet.rows):
        cells = [v for v in row if v is not None and v != ""]
        if not cells:
            if current:
                cards.append(current)
                current = []
            continue
        lines += 1
        found = _pair(cells)
        if lines == _PROBE and other * 5 > lines:
            return None  # a table (rows of many cells): no need to read all 50,000
        if found is None:
            if not cards and not current:
                titles.append((i, row))  # a title or letterhead above the first card
                if len(titles) > _MAX_TITLES:
                    return None  # a table's header and rows: not cards
                continue
            other += 1
            continue
        key, value = found
        if any(k == key for k, _, _, _ in current):  # no blank line: a key again starts a card
            cards.append(current)
            current = []
        column = max(c for c, v in enumerate(row) if v is not None and v != "")
        current.append((key, value, i, column))
    if current:
        cards.append(current)
    if len(cards) < _MIN_CARDS or other * 5 > lines:
        return None
    # the keys must recur from card to card and name what a list holds, a creator's
    # identity among them: a two-column table (昵称 | 报价) is not a pile of cards
    seen = Counter(key for card in cards for key in dict.fromkeys(k for k, _, _, _ in card))
    recurring = [key for key, n in seen.items() if n * 2 >= len(cards)]
    fields = {f for key in recurring if (f := _known(key)) is not None}
    if len(recurring) < _MIN_KEYS or len(fields) < 2 or not fields & _IDENTITY:
        return None
    keys = list(dict.fromkeys(key for card in cards for key, _, _, _ in card))
    rows: list[list[object]] = [list(r) for _, r in titles]
    numbers = [i + 1 for i, _ in titles]
    rows.append(list(keys))
    numbers.append(cards[0][0][2] + 1)
    links: dict[tuple[int, int], str] = {}
    for card in cards:
        line: list[object] = [None] * len(keys)
        for key, value, i, column in card:
            at = keys.index(key)
            line[at] = value
            if (i, column) in sheet.links:
                links[(len(rows), at)] = sheet.links[(i, column)]
        rows.append(line)
        numbers.append(card[0][2] + 1)
    return RawSheet(name=sheet.name, hidden=sheet.hidden, rows=rows, links=links,
                    row_numbers=numbers)
