"""The card's plain fields as one form: each field knows how to show a stored value and
how to read the typed one back, with the shared validation rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QPlainTextEdit, QWidget

from kol_desk.domain import CHANNEL_LABELS, INVOICE_TYPE_LABELS
from kol_desk.errors import N_
from kol_desk.i18n import tr
from kol_desk.ui.common.fields import (
    ValidatedField,
    date_field,
    money_field,
    percent_field,
    score_field,
    text_field,
    url_field,
)
from kol_desk.ui.money import money_edit_text
from kol_desk.validation import clean_text

CONTRACT_STATUSES = [("", N_("—")), ("draft", N_("Draft")), ("sent", N_("Sent for signing")),
                     ("signed", N_("Signed")), ("cancelled", N_("Cancelled"))]
CHANNELS = [("", N_("—")), *((c.value, label) for c, label in CHANNEL_LABELS.items())]
# Unstated ("—") keeps the rule cards had before invoice types: tax added when excluded.
INVOICE_TYPES = [("", N_("—")), *((t.value, label) for t, label in INVOICE_TYPE_LABELS.items())]
REVIEW_STATUSES = [("", N_("—")), ("waiting", N_("Waiting for draft")), ("submitted", N_("Draft submitted")),
                   ("changes", N_("Changes requested")), ("approved", N_("Approved"))]


@dataclass
class FormField:
    name: str
    label: str  # English source; translated when shown
    widget: QWidget
    show: Callable[[Any], None]
    read: Callable[[], Any]

    def is_valid(self) -> bool:
        return not isinstance(self.widget, ValidatedField) or self.widget.is_valid()


def _validated(name: str, label: str, field: ValidatedField,
               to_text: Callable[[Any], str] = str,
               convert: Callable[[Any], Any] = lambda v: v) -> FormField:
    return FormField(name, label, field,
                     lambda v: field.set_text("" if v is None else to_text(v)),
                     lambda: convert(field.value()))


def _percent_text(stored_as_fraction: bool) -> Callable[[Any], str]:
    def text(value: Any) -> str:
        number = Decimal(str(value)) * (100 if stored_as_fraction else 1)
        return f"{number.normalize():f}"
    return text


def money(name: str, label: str) -> FormField:
    return _validated(name, label, money_field(), money_edit_text)


def date(name: str, label: str) -> FormField:
    return _validated(name, label, date_field(), lambda v: v.isoformat())


def text(name: str, label: str, placeholder: str = "") -> FormField:
    return _validated(name, label, text_field(placeholder), convert=lambda v: v or None)


def url(name: str, label: str) -> FormField:
    return _validated(name, label, url_field())


def score(name: str, label: str) -> FormField:
    return _validated(name, label, score_field())


def percent(name: str, label: str, *, fraction: bool) -> FormField:
    """Typed as 6 or 6%; stored as 0.06 (``fraction``) or as 6."""
    return _validated(name, label, percent_field(), _percent_text(fraction),
                      lambda v: None if v is None else float(v if fraction else v * 100))


def check(name: str, label: str) -> FormField:
    box = QCheckBox(tr(label))
    return FormField(name, "", box, lambda v: box.setChecked(bool(v)), box.isChecked)


def choice(name: str, label: str, options: list[tuple[str, str]]) -> FormField:
    box = QComboBox()
    for key, shown in options:
        box.addItem(tr(shown), key)

    def show(value: Any) -> None:
        found = box.findData(value or "")
        if found < 0 and value:
            box.addItem(str(value), value)
            found = box.count() - 1
        box.setCurrentIndex(max(found, 0))

    return FormField(name, label, box, show, lambda: box.currentData() or None)


def long_text(name: str, label: str) -> FormField:
    edit = QPlainTextEdit()
    edit.setMinimumHeight(70)
    return FormField(name, label, edit, lambda v: edit.setPlainText(v or ""),
                     lambda: clean_text(edit.toPlainText()) or None)


# The detail panel's sections and their fields, in the order a deal goes.
def build_sections() -> dict[str, list[FormField]]:
    return {
        N_("Deal"): [
            money("quoted_fee", N_("Quoted fee")), money("agreed_fee", N_("Agreed fee")),
            money("slot_fee", N_("Slot fee (坑位费)")),
            percent("commission_pct", N_("Commission % (佣金)"), fraction=False),
            money("product_value", N_("Product exchange value (置换)")),
            choice("channel", N_("Channel (报备 / 水下)"), CHANNELS),
            percent("rebate_pct", N_("Rebate % (返点)"), fraction=False),
            money("service_fee", N_("Service fee (服务费)")),
            percent("platform_fee_pct", N_("Platform fee %"), fraction=False),
            check("tax_included", N_("Fee includes tax (含税)")),
            percent("tax_rate", N_("Tax rate %"), fraction=True),
            choice("invoice_type", N_("Invoice type (专票 / 普票)"), INVOICE_TYPES),
            text("owner", N_("Owner")),
        ],
        N_("Contract"): [
            choice("contract_status", N_("Contract status"), CONTRACT_STATUSES),
            long_text("usage_rights", N_("Usage rights")),
            date("usage_rights_until", N_("Usage rights until")),
            text("exclusivity", N_("Exclusivity")),
            long_text("payment_terms", N_("Payment terms")),
            long_text("brief", N_("Brief")),
        ],
        N_("Post"): [
            choice("review_status", N_("Content review"), REVIEW_STATUSES),
            check("ad_disclosure_confirmed", N_("Ad disclosure confirmed (广告 label / 报备)")),
            text("ad_disclosure_ref", N_("Disclosure order number")),
            url("post_url", N_("Post URL")), date("post_date", N_("Post date")),
            date("protection_until", N_("Protected until (笔记保护期)")),
            text("promo_code", N_("Promo code")), url("tracking_link", N_("Tracking link")),
        ],
        N_("Scores and notes"): [
            score("score_brand_fit", N_("Brand fit (1–5)")),
            score("score_creative", N_("Creative quality (1–5)")),
            score("score_message", N_("Message accuracy (1–5)")),
            long_text("notes", N_("Notes")),
        ],
    }


