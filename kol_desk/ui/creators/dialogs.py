"""Forms for a creator, one of its accounts, one of its quotes, and the risk of one or
more creators.

Every field checks what is typed (``kol_desk.ui.common.fields``) and says why a value is
refused right next to it; OK stays disabled until the form is valid.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kol_desk.domain import (
    PLATFORM_LABELS,
    RISK_LABELS,
    TIER_LABELS,
    Channel,
    Deliverable,
    Platform,
    RiskLevel,
)
from kol_desk.i18n import tr
from kol_desk.importing.errors import ValueProblem
from kol_desk.importing.values import CURRENCY_CODES, discount_in_text, parse_price, plain_decimal
from kol_desk.importing.values import Price as ImportedPrice
from kol_desk.labels import channel_label, deliverable_label
from kol_desk.services.creator_edit import AccountFields, CreatorFields, RiskChange
from kol_desk.services.quote_edit import VIDEO_LENGTH_MAX, QuoteFields
from kol_desk.ui.common.fields import (
    ERROR_STYLE,
    ValidatedField,
    count_field,
    date_field,
    percent_field,
    score_field,
    text_field,
    url_field,
)
from kol_desk.ui.common.save_guard import save_guarded
from kol_desk.ui.money import money_range, money_text
from kol_desk.validation import MONEY_LIMIT, Invalid, clean_text, parse_percent


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class _Form(QDialog):
    """A dialog whose OK button follows the validity of its fields."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = _buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._fields: list[ValidatedField] = []

    def add(self, label: str, field: QWidget) -> None:
        self.form.addRow(label, field)
        if isinstance(field, ValidatedField):
            self._fields.append(field)
            field.validity_changed.connect(lambda _ok: self.update_ok())

    def update_ok(self) -> None:
        ok = all(f.is_valid() for f in self._fields) and not self.extra_error()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def extra_error(self) -> str:
        return ""

    def show_error(self, message: str) -> None:
        """A refusal from the service (e.g. a handle taken): shown in the form."""
        self.error.setText(message)
        self.error.setVisible(bool(message))


def _combo(items: list[tuple[str | None, str]], current: str | None) -> QComboBox:
    combo = QComboBox()
    for value, label in items:
        combo.addItem(label, value)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


class CreatorDialog(_Form):
    def __init__(self, fields: CreatorFields | None, agencies: list[tuple[int, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(tr("Edit creator") if fields else tr("New creator"), parent)
        f = fields or CreatorFields(nickname="")
        self.original = f
        self.nickname = text_field(tr("as shown on the platform"), 300)
        self.real_name = text_field("", 200)
        self.is_virtual = QCheckBox(tr("Virtual idol"))
        self.category = text_field("", 100)
        self.city = text_field("", 100)
        self.agency = _combo([(None, tr("(no agency)")), *[(str(a), n) for a, n in agencies]],
                             str(f.agency_id) if f.agency_id else None)
        self.phone = text_field("", 100)
        self.wechat = text_field("", 100)
        self.email = text_field("", 200)
        self.tags = text_field(tr("comma separated"), 1000)
        self.tier = _combo([(None, tr("From followers")), *[(k.value, tr(v)) for k, v in TIER_LABELS.items()]],
                           f.tier_override)
        self.brand_fit = score_field()
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(70)
        for field, value in ((self.nickname, f.nickname), (self.real_name, f.real_name),
                             (self.category, f.category), (self.city, f.city), (self.phone, f.contact_phone),
                             (self.wechat, f.contact_wechat), (self.email, f.contact_email),
                             (self.tags, ", ".join(f.tags)),
                             (self.brand_fit, str(f.brand_fit_score) if f.brand_fit_score else "")):
            field.set_text(value)
        self.is_virtual.setChecked(f.is_virtual)
        self.notes.setPlainText(f.notes or "")
        self.add(tr("Nickname"), self.nickname)
        self.add(tr("Real name"), self.real_name)
        self.add("", self.is_virtual)
        self.add(tr("Category"), self.category)
        self.add(tr("City"), self.city)
        self.add(tr("Agency"), self.agency)
        self.add(tr("Phone"), self.phone)
        self.add(tr("WeChat"), self.wechat)
        self.add(tr("Email"), self.email)
        self.add(tr("Tags"), self.tags)
        self.add(tr("Tier"), self.tier)
        self.add(tr("Brand fit (1–5)"), self.brand_fit)
        self.add(tr("Notes"), self.notes)
        self.nickname.edit.textChanged.connect(lambda _t: self.update_ok())
        self.update_ok()
        self.resize(460, self.sizeHint().height())

    def extra_error(self) -> str:
        return "" if self.nickname.edit.text().strip() else tr("A creator needs a nickname.")

    def fields(self) -> CreatorFields:
        agency = self.agency.currentData()
        tags = tuple(t.strip() for t in re.split(r"[,，;；、]", self.tags.value() or "") if t.strip())
        o = self.original
        return CreatorFields(
            nickname=self.nickname.value(), real_name=self.real_name.value() or None,
            is_virtual=self.is_virtual.isChecked(), category=self.category.value() or None,
            city=self.city.value() or None,
            notes=clean_text(self.notes.toPlainText()) or None,
            agency_id=int(agency) if agency else None, contact_phone=self.phone.value() or None,
            contact_wechat=self.wechat.value() or None, contact_email=self.email.value() or None,
            tier_override=self.tier.currentData(), brand_fit_score=self.brand_fit.value(),
            risk_level=o.risk_level, risk_reason=o.risk_reason, risk_date=o.risk_date,
            blacklisted=o.blacklisted, blacklist_reason=o.blacklist_reason, tags=tags)


class AccountDialog(_Form):
    def __init__(self, fields: AccountFields | None, parent: QWidget | None = None) -> None:
        super().__init__(tr("Edit account") if fields else tr("Add account"), parent)
        f = fields or AccountFields(platform=Platform.DOUYIN.value, handle="")
        self.platform = _combo([(k.value, tr(v)) for k, v in PLATFORM_LABELS.items()], f.platform)
        self.handle = text_field("@", 200)
        self.nickname = text_field(tr("if different on this platform"), 300)
        self.url = url_field()
        self.followers = count_field()
        self.avg_views = count_field()
        self.avg_engagements = count_field()
        self.rate = percent_field("3.2")
        for field, value in ((self.handle, f.handle), (self.nickname, f.nickname), (self.url, f.profile_url),
                             (self.followers, _num(f.followers)), (self.avg_views, _num(f.avg_views)),
                             (self.avg_engagements, _num(f.avg_engagements)),
                             (self.rate, f"{f.engagement_rate * 100:g}" if f.engagement_rate is not None else "")):
            field.set_text(value)
        self.add(tr("Platform"), self.platform)
        self.add(tr("Handle"), self.handle)
        self.add(tr("Nickname"), self.nickname)
        self.add(tr("Profile link"), self.url)
        self.add(tr("Followers"), self.followers)
        self.add(tr("Average views"), self.avg_views)
        self.add(tr("Average engagements"), self.avg_engagements)
        self.add(tr("Engagement rate (%)"), self.rate)
        self.handle.edit.textChanged.connect(lambda _t: self.update_ok())
        self.update_ok()
        self.resize(420, self.sizeHint().height())

    def extra_error(self) -> str:
        return "" if self.handle.edit.text().strip().lstrip("@") else tr("An account needs a handle.")

    def fields(self) -> AccountFields:
        rate: Decimal | None = self.rate.value()
        return AccountFields(
            platform=self.platform.currentData(), handle=self.handle.value(),
            nickname=self.nickname.value() or None, profile_url=self.url.value(),
            followers=self.followers.value(), avg_views=self.avg_views.value(),
            avg_engagements=self.avg_engagements.value(),
            engagement_rate=float(rate) if rate is not None else None)


def _num(value: int | None) -> str:
    return "" if value is None else str(value)


class RiskDialog(_Form):
    """Risk level with reason and date, and the blacklist with its reason."""

    def __init__(self, count: int, level: str = "none", reason: str | None = None,
                 on: date | None = None, blacklisted: bool = False, blacklist_reason: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(tr("Set risk of {n} creator(s)", n=count), parent)
        self.level = _combo([(k.value, tr(v)) for k, v in RISK_LABELS.items()], level)
        self.reason = text_field(tr("why (required unless None)"), 1000)
        self.reason.set_text(reason)
        self.on = date_field()
        self.on.set_text((on or date.today()).isoformat())
        self.blacklisted = QCheckBox(tr("Blacklisted: never add to a campaign without an override"))
        self.blacklisted.setChecked(blacklisted)
        self.blacklist_reason = text_field(tr("why blacklisted"), 1000)
        self.blacklist_reason.set_text(blacklist_reason)
        self.add(tr("Risk level"), self.level)
        self.add(tr("Reason"), self.reason)
        self.add(tr("Date"), self.on)
        self.add("", self.blacklisted)
        self.add(tr("Blacklist reason"), self.blacklist_reason)
        for signal in (self.level.currentIndexChanged, self.reason.edit.textChanged,
                       self.blacklisted.toggled, self.blacklist_reason.edit.textChanged):
            signal.connect(lambda *_a: self._refresh())
        self._refresh()
        self.resize(460, self.sizeHint().height())

    def _refresh(self) -> None:
        self.update_ok()
        self.show_error(self.extra_error())

    def extra_error(self) -> str:
        if self.level.currentData() != RiskLevel.NONE and not self.reason.edit.text().strip():
            return tr("Say why the creator is risky.")
        if self.blacklisted.isChecked() and not self.blacklist_reason.edit.text().strip():
            return tr("Say why the creator is blacklisted.")
        return ""

    def change(self) -> RiskChange:
        try:
            on = self.on.value()
        except Invalid:
            on = None
        return RiskChange(self.level.currentData(), self.reason.value() or None, on or date.today(),
                          self.blacklisted.isChecked(), self.blacklist_reason.value() or None)


# -- quotes -----------------------------------------------------------------------------

def _read_price(text: str) -> ImportedPrice | None:
    """The price as the importer and the negotiation desk read it: '5000', '1.2w',
    '5000-8000', '5000起', '面议' (blank: None, refused by the form). Its currency is ""
    unless the text names one ('$800', '5000元'); the form's Currency field says it then."""
    if not text.strip():
        return None
    try:
        price = parse_price(text, default_currency="")
    except ValueProblem as exc:
        raise Invalid(tr(exc.reason)) from None
    for amount in (price.min, price.max):
        if amount is not None and amount <= 0:
            raise Invalid(tr("A price must be above zero."))
        if amount is not None and amount >= MONEY_LIMIT:
            raise Invalid(tr("The amount is too large."))
    return price


def _read_discount(text: str) -> float | None:
    """Percent off: '10', '10%' or '9折' / '九折' (both 10)."""
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    if not folded:
        return None
    if "折" in folded:
        try:
            off, rest = discount_in_text(folded)
        except ValueProblem as exc:
            raise Invalid(tr(exc.reason)) from None
        if off is None or rest:
            raise Invalid(tr("Not a discount: {text}", text=text.strip()[:40]))
        return float(off)
    fraction = parse_percent(folded)
    if fraction is None:
        return None
    if fraction >= 1:
        raise Invalid(tr("A discount is between 0 and 100 percent."))
    return float(fraction * 100)


def price_entry(fields: QuoteFields) -> str:
    """A stored price as text the price field reads back as the same price."""
    if fields.price_unknown or fields.price_min is None:
        return tr("Negotiable")
    low = str(plain_decimal(fields.price_min))
    if fields.price_max is None:
        return f"{low}+"
    if fields.price_max == fields.price_min:
        return low
    return f"{low}-{plain_decimal(fields.price_max)}"


def quote_values_shown() -> dict[str, Callable[[Any], str]]:
    """Stored keys of a quote as the conflict dialog shows them (labels, not keys)."""
    return {"deliverable": deliverable_label, "channel": channel_label,
            "discount_pct": lambda pct: tr("{pct}% off", pct=f"{pct:g}")}


def save_quote_guarded(parent: QWidget | None, save: Callable[[], QuoteFields]) -> QuoteFields | None:
    """A quote's save, with the conflict dialog naming its fields and values as the
    form does (None: the colleague's version was kept)."""
    return save_guarded(parent, save, shown=quote_values_shown())


class QuoteDialog(_Form):
    """Corrects one quote: deliverable, price (typed as in a list), tax, discount,
    channel, date, notes. Where the quote came from (source, agency) stays."""

    def __init__(self, fields: QuoteFields, about: str = "", parent: QWidget | None = None) -> None:
        super().__init__(tr("Edit quote"), parent)
        self.original = fields
        deliverables = [(d.value, deliverable_label(d.value)) for d in Deliverable]
        if fields.deliverable not in {d.value for d in Deliverable}:
            deliverables.append((fields.deliverable, fields.deliverable))
        self.deliverable = _combo(list(deliverables), fields.deliverable)
        self.video_length = text_field(tr("e.g. 1-20s (optional)"), VIDEO_LENGTH_MAX)
        self.video_length.set_text(fields.video_length)
        self.price = ValidatedField(_read_price, tr("5000, 1.2w, 5000-8000, 5000+ or negotiable"))
        self.price.set_text(price_entry(fields))
        self.price_read = QLabel()
        self.price_read.setWordWrap(True)
        currencies = list(CURRENCY_CODES)
        if fields.currency not in currencies:
            currencies.append(fields.currency)
        self.currency = _combo([(c, c) for c in currencies], fields.currency)
        self.tax = _combo([(None, tr("Not stated")), ("yes", tr("Tax included")),
                           ("no", tr("Tax excluded"))],
                          None if fields.tax_included is None else ("yes" if fields.tax_included else "no"))
        self.discount = ValidatedField(_read_discount, tr("percent off, e.g. 10 or 九折"))
        self.discount.set_text(f"{fields.discount_pct:g}" if fields.discount_pct else "")
        self.channel = _combo([(None, tr("Not stated")),
                               *[(c.value, channel_label(c.value)) for c in Channel]], fields.channel)
        self.quoted_on = date_field()
        self.quoted_on.set_text(fields.quoted_on.isoformat())
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        self.notes.setPlainText(fields.notes or "")
        if about:
            heading = QLabel(about)
            heading.setWordWrap(True)
            self.form.addRow(heading)
        self.add(tr("Deliverable"), self.deliverable)
        self.add(tr("Video length / variant"), self.video_length)
        self.add(tr("Price"), self.price)
        self.form.addRow("", self.price_read)
        self.add(tr("Currency"), self.currency)
        self.add(tr("Tax basis"), self.tax)
        self.add(tr("Discount (% off)"), self.discount)
        self.add(tr("Channel"), self.channel)
        self.add(tr("Date"), self.quoted_on)
        self.add(tr("Notes"), self.notes)
        for signal in (self.price.edit.textChanged, self.discount.edit.textChanged,
                       self.quoted_on.edit.textChanged, self.currency.currentIndexChanged,
                       self.tax.currentIndexChanged):
            signal.connect(lambda *_a: self._refresh())
        self._refresh()
        self.resize(460, self.sizeHint().height())

    def _refresh(self) -> None:
        self.price_read.setText(self._price_reading())
        self.update_ok()
        self.show_error(self.extra_error())

    def _parsed(self) -> ImportedPrice | None:
        try:
            price: ImportedPrice | None = self.price.value()
        except Invalid:
            return None
        return price

    def _price_reading(self) -> str:
        """How the typed price is read ('1.2w' is ¥12,000), so a slip shows at once."""
        price = self._parsed()
        if price is None:
            return ""
        currency = price.currency or self.currency.currentData()
        if price.unknown:
            shown = tr("Negotiable")
        elif price.max is None:
            shown = tr("from {price}", price=money_text(price.min, currency))
        else:
            shown = money_range(price.min, price.max, currency)
        return tr("Read as: {price}", price=shown)

    def extra_error(self) -> str:
        if not self.price.edit.text().strip():
            return tr("A quote needs a price, or 'negotiable'.")
        if not self.quoted_on.edit.text().strip():
            return tr("A quote needs a date.")
        price = self._parsed()
        if price is None:
            return ""  # the field says why
        if price.currency and price.currency != self.currency.currentData():
            return tr("The price is in {theirs}, the currency chosen is {mine}: choose one.",
                      theirs=price.currency, mine=self.currency.currentData())
        tax = self.tax.currentData()
        if price.tax_included is not None and tax is not None and (tax == "yes") != price.tax_included:
            return tr("The price says one thing about tax, the Tax field another: choose one.")
        try:
            discount = self.discount.value()
        except Invalid:
            return ""
        if price.discount_pct is not None and discount is not None and float(price.discount_pct) != discount:
            return tr("The price names a discount, the Discount field another: choose one.")
        return ""

    def fields(self) -> QuoteFields:
        price = self._parsed()
        assert price is not None  # OK is enabled only for a valid price
        tax = self.tax.currentData()
        discount: float | None = self.discount.value()
        if discount is None and price.discount_pct is not None:
            discount = float(price.discount_pct)  # '5000 九折' typed in the price
        quoted_on = self.quoted_on.value()
        assert quoted_on is not None
        return QuoteFields(
            deliverable=self.deliverable.currentData(), quoted_on=quoted_on,
            price_min=price.min, price_max=price.max, price_unknown=price.unknown,
            currency=price.currency or self.currency.currentData(),
            tax_included=price.tax_included if tax is None else tax == "yes",
            discount_pct=discount, channel=self.channel.currentData(),
            video_length=self.video_length.value() or None,
            notes=clean_text(self.notes.toPlainText()) or None)
