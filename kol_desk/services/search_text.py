"""The normalised text a creator is found by (nickname, handles, notes, tags)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def normalise_for_search(text: str) -> str:
    """NFKC folds full-width letters and digits; casefold makes Latin search case-blind."""
    return unicodedata.normalize("NFKC", text).casefold()


def build_search_text(
    nickname: str,
    handles: Iterable[str] = (),
    notes: str | None = None,
    tags: Iterable[str] = (),
    other_names: Iterable[str] = (),
) -> str:
    # A newline separates the parts so that no trigram spans two of them.
    parts = [nickname, *other_names, *handles, *tags, notes or ""]
    return "\n".join(normalise_for_search(part) for part in parts if part)
