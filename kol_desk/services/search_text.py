"""The normalised text a creator is found by (nickname, handles, notes, tags), with the
pinyin of its Chinese nickname and tags so that "shiguangji", "shi guang ji" or "sgj"
find 时光机."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# CJK ideographs (the basic block, extension A and the compatibility block): what
# pypinyin has readings for; every other run of characters is kept as it is written.
_HAN_RUN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")


def normalise_for_search(text: str) -> str:
    """NFKC folds full-width letters and digits; casefold makes Latin search case-blind."""
    return unicodedata.normalize("NFKC", text).casefold()


def pinyin_forms(text: str) -> list[str]:
    """What a person types for a Chinese name: its pinyin spaced ("luna de shi guang ji"),
    run together ("lunadeshiguangji") and as initials ("lunadsgj"); Latin and digits stay
    as written. Empty when the text holds no Chinese character."""
    text = normalise_for_search(text)
    if not _HAN_RUN.search(text):
        return []
    return list(_pinyin_forms(text))


# Tags and many nicknames repeat across a list: each is read once per process.
@lru_cache(maxsize=8192)
def _pinyin_forms(text: str) -> tuple[str, ...]:
    # pypinyin loads its dictionaries (~0.6 s) on import: only writers of search text pay it.
    from pypinyin import lazy_pinyin

    words: list[str] = []
    initials: list[str] = []
    for n, run in enumerate(_HAN_RUN.split(text)):
        if n % 2:  # a run of Chinese characters, read as one phrase for context
            syllables = [s for s in lazy_pinyin(run) if s.isascii()]
            words += syllables
            initials += [s[0] for s in syllables if s]
        else:
            latin = run.split()
            words += latin
            initials += latin
    spaced = " ".join(words)
    joined = "".join(words)
    forms = [spaced, joined, "".join(initials)]
    return tuple(form for n, form in enumerate(forms) if form and form not in forms[:n])


def pinyin_text(names: Iterable[str]) -> str:
    """The pinyin lines of these names (nicknames, tags), newline-separated: what follows
    the written parts in a creator's search text."""
    lines = dict.fromkeys(form for name in names if name for form in pinyin_forms(name))
    return "\n".join(lines)


def build_search_text(
    nickname: str,
    handles: Iterable[str] = (),
    notes: str | None = None,
    tags: Iterable[str] = (),
    other_names: Iterable[str] = (),
) -> str:
    # A newline separates the parts so that no trigram spans two of them.
    tags, other_names = list(tags), list(other_names)
    parts = [nickname, *other_names, *handles, *tags, notes or ""]
    written = "\n".join(normalise_for_search(part) for part in parts if part)
    pinyin = pinyin_text([nickname, *other_names, *tags])
    return f"{written}\n{pinyin}" if pinyin and written else written or pinyin
