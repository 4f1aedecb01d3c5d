"""Workspace-wide records: settings stored with the data, and the activity log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kol_desk.models.base import Record


class Setting(Record):
    """A workspace setting (tier thresholds, budget warning level, saved filters...).

    Settings that belong to the data live here, so they travel with the database;
    settings of one person's window (geometry, language) live in the app's config file.
    """

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), unique=True)
    value: Mapped[Any] = mapped_column(JSON)


class Activity(Record):
    """Who did what, when: creates, edits, stage moves, payments, imports."""

    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_at", "at"),)

    at: Mapped[datetime]
    user: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None]
    summary: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)
