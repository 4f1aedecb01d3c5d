"""What a stored key looks like, for the tests that check no key reaches a user: the
window's tables and workbooks (tests/ui/test_no_raw_keys.py) and the command line's text
output (tests/commands/test_text_output.py). A plain module (no Qt), so both can use it."""

from __future__ import annotations

import re
from enum import StrEnum

from kol_desk import domain

ENUMS = [value for value in vars(domain).values()
         if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum]
# Keys of computed states shown as words: campaign status, budget level.
OTHER_KEYS = {"running", "planned", "ended", "done", "archived", "over", "near"}
KEYS = {member.value for enum in ENUMS for member in enum} | OTHER_KEYS
# A key with an underscore cannot be a word of a sentence: looked for inside texts too.
SNAKE = re.compile(r"\b(" + "|".join(sorted((k for k in KEYS if "_" in k), key=len, reverse=True)) + r")\b")
# Where a printed line puts one value beside another: a plain key ("douyin", "video") is
# a word of its own between two of these, which ``raw_key`` of the whole line cannot see.
SEPARATORS = re.compile(r"\t|\s*[·,，、;；→()（）]\s*")


def raw_key(text: object) -> str | None:
    if not isinstance(text, str):
        return None
    if text.strip() in KEYS:
        return text.strip()
    found = SNAKE.search(text)
    return found.group(1) if found else None


def raw_keys_in_line(line: str) -> list[str]:
    """The keys a printed line shows: inside it, or as one of its separated values."""
    return [key for part in (line, *SEPARATORS.split(line)) if (key := raw_key(part))]
