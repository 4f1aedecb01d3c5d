"""The normalised text a creator is found by (nickname, handles, notes, tags), with the
pinyin of its Chinese nickname and tags so that "shiguangji", "shi guang ji" or "sgj"
find 时光机."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache, lru_cache

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
    read = _reader()
    words: list[str] = []
    initials: list[str] = []
    for n, run in enumerate(_HAN_RUN.split(text)):
        if n % 2:  # a run of Chinese characters, read as one phrase for context
            syllables = [s for s in read(run) if s.isascii()]
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


Reader = Callable[[str], list[str]]


@cache
def _reader() -> Reader:
    """How a run of Chinese characters is read: pypinyin's ``lazy_pinyin`` (its phrase
    dictionary picks the reading in context: 长沙 chang sha, 银行 yin hang), or the same
    answer five times faster by a longest match over that dictionary's phrases of up to
    four characters (names hold no longer ones) and its character dictionary, used only when it gives ``lazy_pinyin``'s answers on a sample
    of heteronyms (a pypinyin release that reads differently falls back, not wrong).
    pypinyin loads its dictionaries (~0.6 s) on import: only writers of search text pay it."""
    from pypinyin import lazy_pinyin

    try:
        fast = _longest_match_reader()
    except (ImportError, AttributeError):
        return lazy_pinyin
    sample = ["长沙银行", "重庆火锅", "时光机", "叫我栗子学姐", "了不起的朝阳", "绿色", "行长说的"]
    return fast if all(fast(text) == lazy_pinyin(text) for text in sample) else lazy_pinyin


def _longest_match_reader() -> Reader:
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    @cache
    def char(c: str) -> str:
        readings = pinyin_dict.get(ord(c))
        return str(to_normal(readings.split(",")[0])) if readings else c

    normal = cache(to_normal)
    # Most characters of a name start no phrase: one set lookup tells.
    starts = {phrase[:2] for phrase in phrases_dict}

    def read(run: str) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(run):
            size = 1
            if run[i:i + 2] in starts:
                size = next((n for n in (4, 3, 2) if i + n <= len(run) and run[i:i + n] in phrases_dict), 1)
            if size > 1:
                out += [str(normal(p[0])) for p in phrases_dict[run[i:i + size]]]
            else:
                out.append(char(run[i]))
            i += size
        return out

    return read


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
