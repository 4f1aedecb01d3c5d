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
