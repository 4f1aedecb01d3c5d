"""pinyin in the search text

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 19:00:00
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import lru_cache

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Creators written before this revision are found by their Chinese nickname and tags as
# written only; their search text gains the pinyin lines a new creator's gets (after the
# written parts: spaced, run together and initials, of the nickname, the accounts' other
# nicknames and the tags). The rules are spelled out here as this revision made them
# (services/search_text.py may change later; a revision must not). The search index
# follows through its update trigger (SQLite) or by itself (PostgreSQL's pg_trgm).
_BATCH = 2000
_HAN_RUN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")


@lru_cache(maxsize=65536)  # tags and many nicknames repeat
def _forms(text: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    text = unicodedata.normalize("NFKC", text).casefold()
    if not _HAN_RUN.search(text):
        return ()
    words: list[str] = []
    initials: list[str] = []
    for n, run in enumerate(_HAN_RUN.split(text)):
        if n % 2:
            syllables = [s for s in lazy_pinyin(run) if s.isascii() and s]
            words += syllables
            initials += [s[0] for s in syllables]
        else:
            words += run.split()
            initials += run.split()
    forms = [" ".join(words), "".join(words), "".join(initials)]
    return tuple(form for n, form in enumerate(forms) if form and form not in forms[:n])


def upgrade() -> None:
    bind = op.get_bind()
    names: dict[int, list[str]] = defaultdict(list)
    texts: dict[int, str] = {}
    for creator_id, nickname, search_text in bind.execute(
            sa.text("SELECT id, nickname, search_text FROM creators ORDER BY id")):
        names[creator_id].append(nickname)
        texts[creator_id] = search_text
    for creator_id, name in bind.execute(sa.text(
            "SELECT a.creator_id, a.nickname FROM platform_accounts a JOIN creators c "
            "ON c.id = a.creator_id WHERE a.nickname IS NOT NULL AND a.nickname <> c.nickname "
            "ORDER BY a.id")):
        names[creator_id].append(name)
    for creator_id, tag in bind.execute(
            sa.text("SELECT creator_id, tag FROM creator_tags ORDER BY id")):
        names[creator_id].append(tag)
    updates = []
    for creator_id, text in texts.items():
        lines = "\n".join(dict.fromkeys(f for name in names[creator_id] if name for f in _forms(name)))
        if lines:
            updates.append({"id": creator_id, "text": f"{text}\n{lines}" if text else lines})
    statement = sa.text("UPDATE creators SET search_text = :text WHERE id = :id")
    for start in range(0, len(updates), _BATCH):
        bind.execute(statement, updates[start:start + _BATCH])


def downgrade() -> None:
    # The written parts come first and pinyin lines only hold ASCII, so cutting the text
    # after its last line with a non-ASCII character would also drop Latin notes: the
    # pinyin stays, harmless to a search, until the creator is next saved.
    pass
