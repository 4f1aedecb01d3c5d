"""Creators, their platform accounts, tags, quotes, and the agencies that represent them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kol_desk.models.base import Record

if TYPE_CHECKING:
    from kol_desk.models.imports import ImportBatch


class Agency(Record):
    """An agency or MCN (机构) that represents creators and sends lists."""

    __tablename__ = "agencies"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    notes: Mapped[str | None] = mapped_column(Text)
    # The column mapping the user last confirmed for this agency's lists, reused on import.
    column_mapping: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The agency's usual rebate (返点), a card's default when its quote names none.
    rebate_pct: Mapped[float | None] = mapped_column(Float)

    contacts: Mapped[list[AgencyContact]] = relationship(
        back_populates="agency", cascade="all, delete-orphan"
    )


class AgencyContact(Record):
    __tablename__ = "agency_contacts"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(100))
    wechat: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)

    agency: Mapped[Agency] = relationship(back_populates="contacts")


class Creator(Record):
    """A person or virtual idol (达人); owns one or more platform accounts."""

    __tablename__ = "creators"

    nickname: Mapped[str] = mapped_column(String(300), index=True)
    real_name: Mapped[str | None] = mapped_column(String(200))
    is_virtual: Mapped[bool] = mapped_column(default=False)
    category: Mapped[str | None] = mapped_column(String(100), index=True)
    city: Mapped[str | None] = mapped_column(String(100), index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="SET NULL"), index=True
    )
    contact_phone: Mapped[str | None] = mapped_column(String(100))
    contact_wechat: Mapped[str | None] = mapped_column(String(100))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    # A manual tier wins over the one computed from followers.
    tier_override: Mapped[str | None] = mapped_column(String(20))
    brand_fit_score: Mapped[int | None]
    risk_level: Mapped[str] = mapped_column(String(10), default="none", index=True)
    risk_reason: Mapped[str | None] = mapped_column(Text)
    risk_date: Mapped[date | None]
    blacklisted: Mapped[bool] = mapped_column(default=False, index=True)
    blacklist_reason: Mapped[str | None] = mapped_column(Text)
    # Internal rating derived from past results (Reports); NULL until there are results.
    rating: Mapped[float | None] = mapped_column(Float, index=True)
    # Denormalised, normalised text of nickname, handles, notes and tags: the one column
    # the substring search index covers, on SQLite (FTS5 trigram) and PostgreSQL (pg_trgm).
    search_text: Mapped[str] = mapped_column(Text, default="")
    deleted_at: Mapped[datetime | None] = mapped_column(index=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("creators.id"))
    created_by_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True
    )

    accounts: Mapped[list[PlatformAccount]] = relationship(
        back_populates="creator", cascade="all, delete-orphan"
    )
    tags: Mapped[list[CreatorTag]] = relationship(
        back_populates="creator", cascade="all, delete-orphan"
    )
    agency: Mapped[Agency | None] = relationship()
    created_by_batch: Mapped[ImportBatch | None] = relationship()


class CreatorTag(Record):
    __tablename__ = "creator_tags"
    __table_args__ = (UniqueConstraint("creator_id", "tag"),)

    creator_id: Mapped[int] = mapped_column(
        ForeignKey("creators.id", ondelete="CASCADE"), index=True
    )
    tag: Mapped[str] = mapped_column(String(100), index=True)

    creator: Mapped[Creator] = relationship(back_populates="tags")


class PlatformAccount(Record):
    """One account of a creator on one platform, identified by (platform, handle)."""

    __tablename__ = "platform_accounts"
    __table_args__ = (
        UniqueConstraint("platform", "handle"),
        # Sort columns with creator_id: a sorted page of the Creators list walks the
        # index and reads an account row only for the rows it keeps (revision 0002).
        Index("ix_platform_accounts_followers", "followers", "creator_id"),
        Index("ix_platform_accounts_platform", "platform", "followers", "creator_id"),
        Index("ix_platform_accounts_engagement_rate", "engagement_rate", "creator_id"),
        Index("ix_platform_accounts_handle", "handle"),
        Index("ix_platform_accounts_profile_url_key", "profile_url_key"),
    )

    creator_id: Mapped[int] = mapped_column(
        ForeignKey("creators.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[str] = mapped_column(String(30))
    # Normalised (NFKC, no @, lower case) for matching; the original spelling for display.
    handle: Mapped[str] = mapped_column(String(200))
    handle_display: Mapped[str] = mapped_column(String(200))
    nickname: Mapped[str | None] = mapped_column(String(300))
    profile_url: Mapped[str | None] = mapped_column(Text)
    # The profile URL reduced to host + path, lower case: the second identity key.
    profile_url_key: Mapped[str | None] = mapped_column(String(500))
    followers: Mapped[int | None]
    avg_views: Mapped[int | None]
    avg_engagements: Mapped[int | None]
    engagement_rate: Mapped[float | None] = mapped_column(Float)
    stats_updated_on: Mapped[date | None]
    created_by_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True
    )

    creator: Mapped[Creator] = relationship(back_populates="accounts")
    quotes: Mapped[list[Quote]] = relationship(
        back_populates="account", cascade="all, delete-orphan"
    )


class Quote(Record):
    """A price for one deliverable from one source on one date. Quotes are history:
    never overwritten, so differences across agencies and time stay visible."""

    __tablename__ = "quotes"
    __table_args__ = (Index("ix_quotes_account_deliverable", "account_id", "deliverable"),)

    account_id: Mapped[int] = mapped_column(
        ForeignKey("platform_accounts.id", ondelete="CASCADE")
    )
    deliverable: Mapped[str] = mapped_column(String(20))
    # Douyin and others price by video length (1-20s / 21-60s / 60s+); free text key.
    video_length: Mapped[str | None] = mapped_column(String(20))
    # An exact price has min == max; a range has both; "from x" has max NULL;
    # unknown (面议) has both NULL and price_unknown set.
    price_min: Mapped[Decimal | None]
    price_max: Mapped[Decimal | None]
    price_unknown: Mapped[bool] = mapped_column(default=False)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    tax_included: Mapped[bool | None]
    rebate_pct: Mapped[float | None] = mapped_column(Float)
    service_fee: Mapped[Decimal | None]
    # 折扣 as percent off the price (九折 is 10); NULL when the list states none.
    discount_pct: Mapped[float | None] = mapped_column(Float)
    # A platform order (星图, 蒲公英, …) or direct, as domain.Channel; NULL when unstated.
    channel: Mapped[str | None] = mapped_column(String(20))
    source_kind: Mapped[str] = mapped_column(String(20), default="agency_list")
    agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="SET NULL"), index=True
    )
    collaboration_id: Mapped[int | None] = mapped_column(
        ForeignKey("collaborations.id", ondelete="CASCADE"), index=True
    )
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="CASCADE"), index=True
    )
    quoted_on: Mapped[date]
    raw_text: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)

    account: Mapped[PlatformAccount] = relationship(back_populates="quotes")
    agency: Mapped[Agency | None] = relationship()


class HandleSpelling(Record):
    """One way an account's handle was written in a list ("@Taozi_Jiang", full-width
    letters, …), kept as history: the account itself stores the normalised handle."""

    __tablename__ = "handle_spellings"
    __table_args__ = (UniqueConstraint("account_id", "spelling"),)

    account_id: Mapped[int] = mapped_column(
        ForeignKey("platform_accounts.id", ondelete="CASCADE")
    )
    spelling: Mapped[str] = mapped_column(String(300))
    # Undoing the import that first saw a spelling forgets it.
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="CASCADE"), index=True
    )
