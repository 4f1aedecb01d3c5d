"""The independent KOL budget line: periods and the allocation ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kol_desk.models.base import Record
from kol_desk.models.campaigns import Campaign


class BudgetPeriod(Record):
    """A year or a quarter of KOL budget, with its flexible reserve (弹性预算)."""

    __tablename__ = "budget_periods"

    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10), default="year")
    start_date: Mapped[date]
    end_date: Mapped[date]
    total: Mapped[Decimal]
    reserve: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    notes: Mapped[str | None] = mapped_column(Text)

    entries: Mapped[list[BudgetEntry]] = relationship(
        back_populates="period", cascade="all, delete-orphan", order_by="BudgetEntry.id"
    )


class BudgetEntry(Record):
    """One line of the allocation ledger. Money moves, it is never overwritten: an
    allocation adds to a campaign; a transfer is two entries (minus here, plus there)
    sharing a transfer id; a draw on the reserve is an entry with from_reserve set."""

    __tablename__ = "budget_entries"

    period_id: Mapped[int] = mapped_column(
        ForeignKey("budget_periods.id", ondelete="CASCADE"), index=True
    )
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="RESTRICT"), index=True
    )
    amount: Mapped[Decimal]
    entry_date: Mapped[date]
    reason: Mapped[str | None] = mapped_column(Text)
    from_reserve: Mapped[bool] = mapped_column(default=False)
    transfer_id: Mapped[str | None] = mapped_column(String(36), index=True)

    period: Mapped[BudgetPeriod] = relationship(back_populates="entries")
    campaign: Mapped[Campaign | None] = relationship()
