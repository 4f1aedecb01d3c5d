"""Forms for a creator, one of its accounts, and the risk of one or more creators.

Every field checks what is typed (``kol_desk.ui.common.fields``) and says why a value is
refused right next to it; OK stays disabled until the form is valid.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

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

from kol_desk.domain import PLATFORM_LABELS, RISK_LABELS, TIER_LABELS, Platform, RiskLevel
from kol_desk.i18n import tr
from kol_desk.services.creator_edit import AccountFields, CreatorFields, RiskChange
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
from kol_desk.validation import Invalid, clean_text


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
