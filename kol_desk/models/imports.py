"""Import batches (one per imported file) and the changes they made, so a batch can be
listed and undone as a whole."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kol_desk.models.base import Record


class ImportBatch(Record):
    __tablename__ = "import_batches"

    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20), default="agency_list")
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"))
    imported_at: Mapped[datetime]
    imported_by: Mapped[str | None] = mapped_column(String(100))
    rows_read: Mapped[int] = mapped_column(default=0)
    creators_new: Mapped[int] = mapped_column(default=0)
    creators_matched: Mapped[int] = mapped_column(default=0)
    quotes_added: Mapped[int] = mapped_column(default=0)
    problems: Mapped[int] = mapped_column(default=0)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    undone_at: Mapped[datetime | None]


class ImportChange(Record):
    """A field of an existing record that an import changed (only with the user's
    consent), with the old value, so undoing the batch puts it back."""

    __tablename__ = "import_changes"

    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batches.id", ondelete="CASCADE"), index=True
    )
    table_name: Mapped[str] = mapped_column(String(50))
    row_id: Mapped[int]
    field: Mapped[str] = mapped_column(String(50))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
