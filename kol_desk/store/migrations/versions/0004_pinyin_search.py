"""pinyin in the search text

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 19:00:00
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Creators written before this revision are found by their Chinese nickname and tags as
# written only; their search text gains the same pinyin lines a new creator's gets
# (services/search_text.build_search_text puts them last). The search index follows
# through its update trigger (SQLite) or by itself (PostgreSQL's pg_trgm).
_BATCH = 2000


def upgrade() -> None:
    from kol_desk.services.search_text import pinyin_text

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
        pinyin = pinyin_text(names[creator_id])
        if pinyin:
            updates.append({"id": creator_id, "text": f"{text}\n{pinyin}" if text else pinyin})
    statement = sa.text("UPDATE creators SET search_text = :text WHERE id = :id")
    for start in range(0, len(updates), _BATCH):
        bind.execute(statement, updates[start:start + _BATCH])


def downgrade() -> None:
    # The written parts come first and pinyin lines only hold ASCII, so cutting the text
    # after its last line with a non-ASCII character would also drop Latin notes: the
    # pinyin stays, harmless to a search, until the creator is next saved.
    pass
