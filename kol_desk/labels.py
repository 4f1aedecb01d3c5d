"""Display labels for the domain's stored keys, in the current UI language.

The one home of these labels for every layer that shows a key to a person: the window,
the workbooks, the charts and the command line's text output. It imports only the shared
foundation (domain, i18n, metrics) and no Qt, so services, exporting, charts and commands
use it as they use ``kol_desk.domain``.

A missing key (None or empty) is ``metrics.DASH``; a key the domain does not know (an
older or foreign value) is shown as it is rather than hidden."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kol_desk.domain import (
    CHANNEL_LABELS,
    DELIVERABLE_LABELS,
    INVOICE_TYPE_LABELS,
    OBJECTIVE_LABELS,
    PAYMENT_KIND_LABELS,
    PLATFORM_LABELS,
    QUOTE_SOURCE_LABELS,
    RISK_LABELS,
    STAGE_LABELS,
    TIER_LABELS,
    Channel,
    Deliverable,
    InvoiceType,
    Objective,
    PaymentKind,
    Platform,
    QuoteSource,
    RiskLevel,
    Stage,
    Tier,
)
from kol_desk.errors import N_
from kol_desk.i18n import tr
from kol_desk.metrics import DASH


def _label(table: Mapping[Any, str], enum: Callable[[str], object], key: str | None) -> str:
    if not key:
        return DASH
    try:
        return tr(table[enum(key)])
    except (ValueError, KeyError):
        return key


def platform_label(key: str | None) -> str:
    return _label(PLATFORM_LABELS, Platform, key)


def tier_label(key: str | None) -> str:
    return _label(TIER_LABELS, Tier, key)


def stage_label(key: str | None) -> str:
    return _label(STAGE_LABELS, Stage, key)


def deliverable_label(key: str | None) -> str:
    return _label(DELIVERABLE_LABELS, Deliverable, key)


def objective_label(key: str | None) -> str:
    return _label(OBJECTIVE_LABELS, Objective, key)


def risk_label(key: str | None) -> str:
    return _label(RISK_LABELS, RiskLevel, key or RiskLevel.NONE)


def quote_source_label(key: str | None) -> str:
    return _label(QUOTE_SOURCE_LABELS, QuoteSource, key)


def payment_kind_label(key: str | None) -> str:
    return _label(PAYMENT_KIND_LABELS, PaymentKind, key)


def channel_label(key: str | None) -> str:
    return _label(CHANNEL_LABELS, Channel, key)


def invoice_type_label(key: str | None) -> str:
    return _label(INVOICE_TYPE_LABELS, InvoiceType, key)


# The import's field keys (as ``--map`` and a remembered mapping spell them) with their
# labels, in the order the wizard offers them; "" is a column left out. The keys are the
# importing package's (importing.layout.field_keys); this module sits below it, so a test
# keeps the two lists the same.
FIELD_LABELS: dict[str, str] = {
    "": N_("(not used)"), "nickname": N_("Nickname"), "platform": N_("Platform"),
    "handle": N_("Account ID"), "profile_url": N_("Profile link"), "followers": N_("Followers"),
    "avg_views": N_("Average views"), "avg_interactions": N_("Average interactions"),
    "engagement_rate": N_("Engagement rate"), "price": N_("Price"),
    "price:image_post": N_("Price: image post"), "price:video": N_("Price: video"),
    "price:live": N_("Price: live stream"), "price:repost": N_("Price: repost"),
    "price:custom": N_("Price: custom"), "category": N_("Category"), "city": N_("City"),
    "agency": N_("Agency / MCN"), "contact": N_("Contact"), "schedule": N_("Schedule"),
    "notes": N_("Notes"), "rebate": N_("Rebate (返点)"), "service_fee": N_("Service fee"),
    "discount": N_("Discount"), "tax": N_("Tax included / rate"), "currency": N_("Currency"),
}


def field_label(key: str) -> str:
    label = FIELD_LABELS.get(key)
    return key if label is None else tr(label)


# -- the stored fields of logged records -------------------------------------------------
# The names people know a record's stored columns by, for the Activity log ("Edited
# creator 小桃子: Phone, Risk level") and the conflict dialog: the label of the form
# field that edits the column where there is one, so both name a field as the form does.
# A column means the same in every table unless RECORD_FIELD_OVERRIDES names it for one.
# (FIELD_LABELS above is a different thing: the import wizard's fields of a list.)
RECORD_FIELD_LABELS: dict[str, str] = {
    # creators
    "nickname": N_("Nickname"), "real_name": N_("Real name"), "is_virtual": N_("Virtual idol"),
    "category": N_("Category"), "city": N_("City"), "notes": N_("Notes"),
    "agency_id": N_("Agency"), "contact_phone": N_("Phone"), "contact_wechat": N_("WeChat"),
    "contact_email": N_("Email"), "tier_override": N_("Tier"),
    "brand_fit_score": N_("Brand fit (1–5)"), "risk_level": N_("Risk level"),
    "risk_reason": N_("Risk reason"), "risk_date": N_("Risk date"),
    "blacklisted": N_("Blacklisted"), "blacklist_reason": N_("Blacklist reason"),
    "tags": N_("Tags"), "deleted_at": N_("In the trash"),
    "merged_into_id": N_("Merged into another creator"),
    # platform accounts
    "creator_id": N_("Creator"), "platform": N_("Platform"), "handle_display": N_("Handle"),
    "profile_url": N_("Profile link"), "followers": N_("Followers"),
    "avg_views": N_("Average views"), "avg_engagements": N_("Average engagements"),
    "engagement_rate": N_("Engagement rate (%)"), "stats_updated_on": N_("Figures updated on"),
    # campaigns (as the campaign form names them)
    "name": N_("Name"), "brand": N_("Brand"), "product": N_("Product"),
    "objective": N_("Objective"), "start_date": N_("Start date"), "end_date": N_("End date"),
    "currency": N_("Currency"), "budget": N_("Planned budget"),
    "kpi_impressions": N_("Target impressions"), "kpi_engagements": N_("Target engagements"),
    "kpi_clicks": N_("Target clicks"), "kpi_orders": N_("Target orders"),
    "kpi_revenue": N_("Target revenue"), "owner": N_("Owner"), "archived_at": N_("Archived"),
    # cards (as the card form, kol_desk/ui/campaigns/card_form.py, names them; a test
    # keeps the two the same)
    "campaign_id": N_("Campaign"), "account_id": N_("Account"), "stage": N_("Stage"),
    "quoted_fee": N_("Quoted fee"), "agreed_fee": N_("Agreed fee"),
    "slot_fee": N_("Slot fee (坑位费)"), "commission_pct": N_("Commission % (佣金)"),
    "product_value": N_("Product exchange value (置换)"), "channel": N_("Channel"),
    "rebate_pct": N_("Rebate % (返点)"), "service_fee": N_("Service fee (服务费)"),
    "platform_fee_pct": N_("Platform fee %"), "tax_included": N_("Fee includes tax (含税)"),
    "tax_rate": N_("Tax rate %"), "invoice_required": N_("Invoice required"),
    "invoice_type": N_("Invoice type (专票 / 普票)"), "contract_status": N_("Contract status"),
    "usage_rights": N_("Usage rights"), "usage_rights_until": N_("Usage rights until"),
    "exclusivity": N_("Exclusivity"), "payment_terms": N_("Payment terms"), "brief": N_("Brief"),
    "review_status": N_("Content review"),
    "ad_disclosure_confirmed": N_("Ad disclosure confirmed (广告 label / 报备)"),
    "ad_disclosure_ref": N_("Disclosure order number"), "post_url": N_("Post URL"),
    "post_date": N_("Post date"), "protection_until": N_("Protected until (笔记保护期)"),
    "promo_code": N_("Promo code"), "tracking_link": N_("Tracking link"),
    "score_brand_fit": N_("Brand fit (1–5)"), "score_creative": N_("Creative quality (1–5)"),
    "score_message": N_("Message accuracy (1–5)"),
    "risk_override_reason": N_("Reason to add despite a risk flag"),
    "boss_decision": N_("Boss's decision"), "boss_comment": N_("Boss's comment"),
    # payments (as the payment dialogs name them)
    "collaboration_id": N_("Card"), "kind": N_("Kind"), "amount": N_("Amount"),
    "tax_amount": N_("Tax amount"), "due_date": N_("Due"), "paid_on": N_("Paid on"),
    "method": N_("Method"), "invoice_no": N_("Invoice"),
    # agencies
    "column_mapping": N_("Remembered column mapping"),
    # budget periods and lines (as the budget dialogs name them)
    "total": N_("Total KOL budget"), "reserve": N_("Flexible reserve (part of the total)"),
    "period_id": N_("Budget period"), "entry_date": N_("Date"), "reason": N_("Reason"),
    "from_reserve": N_("From reserve"),
    # quotes (as the quote form names them)
    "deliverable": N_("Deliverable"), "video_length": N_("Video length / variant"),
    "price_min": N_("Price (low end)"), "price_max": N_("Price (high end)"),
    "price_unknown": N_("Negotiable"), "discount_pct": N_("Discount (% off)"),
    "source_kind": N_("Source"), "quoted_on": N_("Date"), "raw_text": N_("Text as the list wrote it"),
}
# Where a column of one table means something else than the same name elsewhere, or its
# form names it differently.
RECORD_FIELD_OVERRIDES: dict[str, dict[str, str]] = {
    "collaborations": {"channel": N_("Channel (报备 / 水下)")},
    "quotes": {"tax_included": N_("Tax included"), "service_fee": N_("Service fee")},
    "budget_periods": {"start_date": N_("Starts"), "end_date": N_("Ends")},
}
# Columns no log entry names (services/activity.py does not record their change) and no
# form edits: identity and bookkeeping written on every save (id, uid, version,
# created_at, updated_at), a card's place in its column (position: a neighbour's move
# shifts it; the move itself is logged), values the app derives from a logged column
# (search_text from the names, handle and profile_url_key from the handle and link as
# typed, net_fee from the fee fields, rating from past results), and links set once when
# a row is made (the import batch that brought it, the pair of a budget transfer).
RECORD_FIELDS_UNSHOWN: frozenset[str] = frozenset({
    "id", "uid", "version", "created_at", "updated_at", "position", "search_text",
    "handle", "profile_url_key", "net_fee", "rating",
    "created_by_batch_id", "import_batch_id", "transfer_id",
})


def record_field_label(table: str, column: str) -> str:
    """A stored column of ``table`` by the name people know it by, in the current
    language; a column without a label (a newer one) reads as words, not as a key."""
    label = RECORD_FIELD_OVERRIDES.get(table, {}).get(column) or RECORD_FIELD_LABELS.get(column)
    if label is None:
        return column.replace("_", " ").strip().capitalize()
    return tr(label)


def record_field_labels(table: str) -> dict[str, str]:
    """Every labelled column of ``table`` (and of the others: a form's field that is no
    column, such as a creator's tags) with its label in the current language."""
    return {column: record_field_label(table, column)
            for column in (*RECORD_FIELD_LABELS, *RECORD_FIELD_OVERRIDES.get(table, {}))}
