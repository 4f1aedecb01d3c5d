"""Campaigns and collaborations (the cards on the board) with everything a card holds."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kol_desk.models.base import Record
from kol_desk.models.creators import Creator, PlatformAccount


class Campaign(Record):
    __tablename__ = "campaigns"

    name: Mapped[str] = mapped_column(String(200))
    brand: Mapped[str | None] = mapped_column(String(200))
    product: Mapped[str | None] = mapped_column(String(200))
    objective: Mapped[str] = mapped_column(String(20), default="awareness")
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    # The planned budget; the money actually available is the Budget tab's allocation.
    budget: Mapped[Decimal | None]
    kpi_impressions: Mapped[int | None]
    kpi_engagements: Mapped[int | None]
    kpi_clicks: Mapped[int | None]
    kpi_orders: Mapped[int | None]
    kpi_revenue: Mapped[Decimal | None]
    owner: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    archived_at: Mapped[datetime | None]

    collaborations: Mapped[list[Collaboration]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan"
    )


class Collaboration(Record):
    """One creator account in one campaign: a card on the board."""

    __tablename__ = "collaborations"
    __table_args__ = (
        UniqueConstraint("campaign_id", "account_id"),
        Index("ix_collaborations_campaign_stage", "campaign_id", "stage"),
    )

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(
        ForeignKey("platform_accounts.id", ondelete="RESTRICT"), index=True
    )
    creator_id: Mapped[int] = mapped_column(
        ForeignKey("creators.id", ondelete="RESTRICT"), index=True
    )
    stage: Mapped[str] = mapped_column(String(20), default="shortlisted")
    # Order of the card inside its board column.
    position: Mapped[int] = mapped_column(default=0)
    owner: Mapped[str | None] = mapped_column(String(100))
    # Fees: the quote it started from and the fee agreed; money in the campaign currency.
    quoted_fee: Mapped[Decimal | None]
    agreed_fee: Mapped[Decimal | None]
    slot_fee: Mapped[Decimal | None]
    commission_pct: Mapped[float | None] = mapped_column(Float)
    product_value: Mapped[Decimal | None]
    tax_included: Mapped[bool] = mapped_column(default=True)
    tax_rate: Mapped[float | None] = mapped_column(Float)
    # No longer shown or edited: the invoice type below says whether an invoice is wanted
    # ("none" is 不开票). Nothing reads it; a later revision can drop the column.
    invoice_required: Mapped[bool] = mapped_column(default=True)
    # 专票 (special VAT invoice: its VAT is deductible) or 普票 (ordinary: VAT is a cost),
    # as domain.InvoiceType; NULL when not stated.
    invoice_type: Mapped[str | None] = mapped_column(String(20))
    # Deal economics (services/deal_cost): platform order or direct (水下), the agency's
    # rebate (返点), its service fee, the platform's fee rate, and the net cost they make
    # of the agreed fee (before the tax a not-tax-included fee adds); kept in step on
    # every ORM write, so budget and cost metrics read one column.
    channel: Mapped[str | None] = mapped_column(String(20))
    rebate_pct: Mapped[float | None] = mapped_column(Float)
    service_fee: Mapped[Decimal | None]
    platform_fee_pct: Mapped[float | None] = mapped_column(Float)
    net_fee: Mapped[Decimal | None]
    # Contract terms.
    contract_status: Mapped[str | None] = mapped_column(String(20))
    usage_rights: Mapped[str | None] = mapped_column(Text)
    usage_rights_until: Mapped[date | None]
    exclusivity: Mapped[str | None] = mapped_column(Text)
    payment_terms: Mapped[str | None] = mapped_column(Text)
    brief: Mapped[str | None] = mapped_column(Text)
    review_status: Mapped[str | None] = mapped_column(String(20))
    # 2023 internet-advertising rules: the post carries an ad label / platform order number.
    ad_disclosure_confirmed: Mapped[bool] = mapped_column(default=False)
    ad_disclosure_ref: Mapped[str | None] = mapped_column(String(100))
    post_url: Mapped[str | None] = mapped_column(Text)
    post_date: Mapped[date | None]
    protection_until: Mapped[date | None]
    promo_code: Mapped[str | None] = mapped_column(String(100))
    tracking_link: Mapped[str | None] = mapped_column(Text)
    score_brand_fit: Mapped[int | None]
    score_creative: Mapped[int | None]
    score_message: Mapped[int | None]
    # Why a blacklisted/risky creator was added anyway, recorded on confirmation.
    risk_override_reason: Mapped[str | None] = mapped_column(Text)
    boss_decision: Mapped[str | None] = mapped_column(String(20))
    boss_comment: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)

    campaign: Mapped[Campaign] = relationship(back_populates="collaborations")
    account: Mapped[PlatformAccount] = relationship()
    creator: Mapped[Creator] = relationship()
    stage_changes: Mapped[list[StageChange]] = relationship(
        back_populates="collaboration", cascade="all, delete-orphan", order_by="StageChange.id"
    )
    deliverables: Mapped[list[CollabDeliverable]] = relationship(
        back_populates="collaboration", cascade="all, delete-orphan"
    )
    review_rounds: Mapped[list[ReviewRound]] = relationship(
        back_populates="collaboration", cascade="all, delete-orphan"
    )
    payments: Mapped[list[Payment]] = relationship(
        back_populates="collaboration", cascade="all, delete-orphan"
    )
    results: Mapped[list[ResultSnapshot]] = relationship(
        back_populates="collaboration", cascade="all, delete-orphan"
    )


class StageChange(Record):
    """Every move of a card, kept with its time; the board's history and undo."""

    __tablename__ = "stage_changes"

    collaboration_id: Mapped[int] = mapped_column(
        ForeignKey("collaborations.id", ondelete="CASCADE"), index=True
    )
    from_stage: Mapped[str | None] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime]
    changed_by: Mapped[str | None] = mapped_column(String(100))
    # Set when a rule was overridden explicitly (e.g. published without disclosure).
    override_reason: Mapped[str | None] = mapped_column(Text)

    collaboration: Mapped[Collaboration] = relationship(back_populates="stage_changes")


class CollabDeliverable(Record):
    __tablename__ = "collab_deliverables"

    collaboration_id: Mapped[int] = mapped_column(
        ForeignKey("collaborations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    count: Mapped[int] = mapped_column(default=1)
    video_length: Mapped[str | None] = mapped_column(String(20))
    draft_due: Mapped[date | None] = mapped_column(index=True)
    post_due: Mapped[date | None] = mapped_column(index=True)
    done_on: Mapped[date | None]

    collaboration: Mapped[Collaboration] = relationship(back_populates="deliverables")


class ReviewRound(Record):
    __tablename__ = "review_rounds"

    collaboration_id: Mapped[int] = mapped_column(
        ForeignKey("collaborations.id", ondelete="CASCADE"), index=True
    )
    round_no: Mapped[int]
    submitted_on: Mapped[date | None]
    feedback: Mapped[str | None] = mapped_column(Text)
    approved_on: Mapped[date | None]

    collaboration: Mapped[Collaboration] = relationship(back_populates="review_rounds")


class Payment(Record):
    """A planned or made payment (deposit 定金 / balance 尾款 / full) of a collaboration."""

    __tablename__ = "payments"

    collaboration_id: Mapped[int] = mapped_column(
        ForeignKey("collaborations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10), default="full")
    amount: Mapped[Decimal]
    tax_amount: Mapped[Decimal | None]
    due_date: Mapped[date | None] = mapped_column(index=True)
    paid_on: Mapped[date | None] = mapped_column(index=True)
    method: Mapped[str | None] = mapped_column(String(50))
    invoice_no: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)

    collaboration: Mapped[Collaboration] = relationship(back_populates="payments")


class ResultSnapshot(Record):
    """Results of a post at one point in time (commonly T+7 and T+21); never overwritten."""

    __tablename__ = "result_snapshots"

    collaboration_id: Mapped[int] = mapped_column(
        ForeignKey("collaborations.id", ondelete="CASCADE"), index=True
    )
    taken_on: Mapped[date]
    impressions: Mapped[int | None]
    views: Mapped[int | None]
    likes: Mapped[int | None]
    comments: Mapped[int | None]
    shares: Mapped[int | None]
    saves: Mapped[int | None]
    # Bilibili counts these as engagement too.
    danmaku: Mapped[int | None]
    coins: Mapped[int | None]
    clicks: Mapped[int | None]
    promo_uses: Mapped[int | None]
    orders: Mapped[int | None]
    revenue: Mapped[Decimal | None]
    new_followers: Mapped[int | None]
    community_joins: Mapped[int | None]
    new_customers: Mapped[int | None]
    quality_comment_share: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(String(200))

    collaboration: Mapped[Collaboration] = relationship(back_populates="results")
