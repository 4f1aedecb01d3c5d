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
