"""Rows pasted as text: from a chat, a web page's table or another spreadsheet.

A spreadsheet or a web table pastes with tabs between cells; a chat message has commas
(often full-width), bars or runs of spaces. The separator is the one most lines share the
same number of times; a chat app's time stamps in front of each line ('[10:32]') go.
The result is one sheet that goes through the same steps as a file.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

from kol_desk.importing.cards import looks_like_cards
from kol_desk.importing.reader import RawSheet, Workbook

__all__ = ["PASTE_SUFFIX", "read_pasted", "save_pasted", "split_pasted"]

PASTE_SUFFIX = ".txt"
# Most telling first: a comma also groups digits (37,800), so ', ' and '，' come before ','.
_SEPARATORS = ("\t", "|", "｜", "，", ", ", ";", "；", "、", ",")
_STAMP_RE = re.compile(r"^\s*[\[【(（]?\d{1,2}:\d{2}(?::\d{2})?[\]】)）]?\s*")
_SPACES_RE = re.compile(r"[ \u3000]{2,}")


_GROUPED_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")  # 37,800: a digit group, not a cell
_COMMA_RE = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))")


def _cells_per_line(lines: list[str], sep: str) -> int:
    """How many cells most lines have when split on ``sep`` (0 when fewer than 6 lines
    in 10 agree, or the separator is not there)."""

    def count(line: str) -> int:
        if sep == "  ":
            return len([c for c in _SPACES_RE.split(line.strip()) if c]) - 1
        return (_GROUPED_RE.sub("", line) if sep == "," else line).count(sep)

    found, times = Counter(count(line) for line in lines).most_common(1)[0]
    return found + 1 if found >= 1 and times * 10 >= len(lines) * 6 else 0


def split_pasted(text: str) -> list[list[object]]:
    """Cells of pasted text, one list per line (blank lines kept: they are blank rows)."""
    lines = [_STAMP_RE.sub("", line) for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    filled = [line for line in lines if line.strip()]
    if not filled:
        return []
    if looks_like_cards(filled):
        # "昵称：小桃子" lines, a card per creator: a line is one cell, whatever commas or
        # spaces its value holds (US$31,900; Lily Glow); cards.unfold_cards reads them
        return [[line.strip()] if line.strip() else [] for line in lines]
    # a spreadsheet's tabs or a table's bars when the lines agree on them; otherwise the
    # separator that splits most lines into the most cells (the more telling first)
    candidates = (*_SEPARATORS, "  ")
    widths = {c: _cells_per_line(filled, c) for c in candidates}
    best = widths["\t"] or widths["|"] or max(widths.values())
    sep = next((c for c in candidates if widths[c] == best), None) if best else None
    if sep == "  ":
        rows = [[c for c in _SPACES_RE.split(line.strip()) if c] for line in lines]
    elif sep == "\t":  # quoted cells as a spreadsheet writes them
        reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=sep)
        rows = [[cell.strip() for cell in row] for row in reader]
    elif sep == ",":
        rows = [[cell.strip() for cell in _COMMA_RE.split(line)] for line in lines]
    elif sep is not None:
        rows = [[cell.strip() for cell in line.split(sep)] for line in lines]
    else:
        rows = [line.split() for line in lines]
    out: list[list[object]] = [list(row) for row in rows]
    for row in out:
        # a bar-separated line often starts and ends with a bar: '| a | b |'
        if row and row[0] == "" and row[-1] == "" and len(row) > 2:
            row[:] = row[1:-1]
    width = max((len(r) for r in out), default=0)
    for row in out:
        row.extend([""] * (width - len(row)))
    return out


def save_pasted(text: str, folder: Path, stamp: str) -> Path:
    """Pasted text kept as a file, so that it goes through the same steps as a list (and
    its batch names where it came from); UTF-8 with a BOM, as Excel reads it back."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"pasted {stamp}{PASTE_SUFFIX}"
    path.write_text(text, encoding="utf-8-sig")
    return path


def read_pasted(text: str, name: str = "pasted") -> Workbook:
    """A workbook of one sheet from pasted text (no file involved)."""
    return Workbook(path=Path(f"{name}{PASTE_SUFFIX}"), kind="text",
                    sheets=[RawSheet(name=name, hidden=False, rows=split_pasted(text))])
