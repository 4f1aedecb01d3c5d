"""Small dialogs of the Campaigns area: asking a reason for an override, shortlisting
into a chosen campaign with risky creators confirmed (used by the Creators tab and the
import wizard too), and picking creators to add to a campaign."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.labels import platform_label, risk_label, tier_label
from kol_desk.metrics import format_count
from kol_desk.services.campaigns import campaign_choices
from kol_desk.services.creators import AccountRow, fetch_accounts, fetch_accounts_by_ids
from kol_desk.services.import_batches import list_batches
from kol_desk.services.shortlist import (
    RiskNotice,
    ShortlistResult,
    accounts_of_import,
    add_to_campaign,
    needs_confirmation,
)
from kol_desk.ui.common.row_model import Column, RowTableModel
from kol_desk.ui.context import AppContext, Change


class ReasonDialog(QDialog):
    """Asks for the reason of an explicit override; OK only with some text."""

    def __init__(self, parent: QWidget | None, title: str, question: str,
                 details: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        label = QLabel(question)
        label.setWordWrap(True)
        self.details = QLabel(details)
        self.details.setWordWrap(True)
        self.details.setVisible(bool(details))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("Reason (kept with the record)"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.reason.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.details)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)


def ask_reason(parent: QWidget | None, title: str, question: str, details: str = "") -> str | None:
    dialog = ReasonDialog(parent, title, question, details)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.reason.text().strip() or None


def describe_risks(notices: list[RiskNotice]) -> str:
    lines = []
    for notice in notices[:12]:
        what = tr("blacklisted") if notice.blacklisted else tr("risk {level}", level=risk_label(notice.risk_level))
        reason = f" — {notice.reason}" if notice.reason else ""
        lines.append(f"• {notice.nickname}: {what}{reason}")
    if len(notices) > 12:
        lines.append(tr("… and {n} more", n=len(notices) - 12))
    return "\n".join(lines)


def shortlist_with_confirmation(parent: QWidget | None, context: AppContext, campaign_id: int,
                                account_ids: list[int]) -> ShortlistResult | None:
    """Add accounts to a campaign's Shortlisted column, asking first (with a reason that is
    recorded) when blacklisted or risk-flagged creators are among them. Returns None when
    the user cancels or the service refuses (the reason is shown)."""
    notices = needs_confirmation(context.workspace, account_ids)
    reason = None
    if notices:
        reason = ask_reason(parent, tr("Risky creators"),
                            tr("{n} of these creators are blacklisted or risk-flagged. Add them "
                               "anyway? Give the reason; it is recorded on their cards.",
                               n=len(notices)), describe_risks(notices))
        if reason is None:
            return None
    try:
        result = add_to_campaign(context.workspace, campaign_id, account_ids,
                                 override_reason=reason)
    except KnownError as exc:
        QMessageBox.warning(parent, tr("Add to campaign"), str(exc))
        return None
    context.events.announce(Change.CAMPAIGNS)
    return result



class ShortlistDialog(QDialog):
    """Pick the campaign; when risky creators are among the accounts, say who and why,
    and ask for the reason to add them anyway (recorded on each card)."""

    def __init__(self, campaigns: list[tuple[int, str]], notices: list[RiskNotice], count: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Add {n} account(s) to a campaign", n=count))
        self.campaign = QComboBox()
        for campaign_id, name in campaigns:
            self.campaign.addItem(name, campaign_id)
        self.reason = QLineEdit()
        form = QFormLayout()
        form.addRow(tr("Campaign"), self.campaign)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if notices:
            warning = QLabel(tr("{n} of them are blacklisted or risk-flagged:", n=len(notices))
                             + "\n" + describe_risks(notices))
            warning.setWordWrap(True)
            warning.setStyleSheet("background:#fdecea; color:#b71c1c; padding:6px;")
            layout.addWidget(warning)
            form.addRow(tr("Reason to add them anyway"), self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._needs_reason = bool(notices)
        self.reason.textChanged.connect(lambda _t: self._update())
        self._update()

    def _update(self) -> None:
        ok = self.campaign.count() > 0 and (not self._needs_reason or bool(self.reason.text().strip()))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)


def shortlist_into_campaign(parent: QWidget, context: AppContext,
                            account_ids: list[int]) -> str | None:
    """Bulk "add to campaign" (the Creators tab's selection, an import's accounts): the
    user picks the campaign in ``ShortlistDialog``. Returns what was done, for the status
    line, or None when nothing was (no campaign yet, cancelled, refused: the user was told)."""
    ws = context.workspace
    if not account_ids:
        return None
    campaigns = [(i, name) for i, name, _currency in campaign_choices(ws)]
    if not campaigns:
        QMessageBox.information(parent, tr("Add to campaign"),
                                tr("Create a campaign first, in the Campaigns tab."))
        return None
    dialog = ShortlistDialog(campaigns, needs_confirmation(ws, account_ids), len(account_ids), parent)
    if not dialog.exec():
        return None
    try:
        result = add_to_campaign(ws, dialog.campaign.currentData(), account_ids,
                                 override_reason=dialog.reason.text().strip() or None)
    except KnownError as exc:
        QMessageBox.warning(parent, tr("Add to campaign"), str(exc))
        return None
    context.events.announce(Change.CAMPAIGNS)
    return tr("{added} added to {campaign}; {skipped} were already on it.", added=len(result.added),
              campaign=dialog.campaign.currentText(), skipped=len(result.already_on_campaign))


ACCOUNT_COLUMNS = [
    Column("Creator", lambda r: r.nickname),
    Column("Platform", lambda r: platform_label(r.platform)),
    Column("Handle", lambda r: r.handle),
    Column("Followers", lambda r: format_count(r.followers), sort_key=lambda r: r.followers, numeric=True),
    Column("Tier", lambda r: tier_label(r.tier) if r.tier else ""),
    Column("Risk", lambda r: tr("Blacklisted") if r.blacklisted else
           ("" if r.risk_level == "none" else risk_label(r.risk_level))),
]


class AddCreatorsDialog(QDialog):
    """Find creators by a part of their nickname or handle, or take them from one
    agency-list import, and put them on the board."""

    def __init__(self, context: AppContext, campaign_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.campaign_id = context, campaign_id
        self.result_: ShortlistResult | None = None
        self.setWindowTitle(tr("Add creators to the campaign"))
        self.resize(720, 480)
        self.source = QComboBox()
        self.source.addItem(tr("All creators"), None)
        for batch in list_batches(context.workspace):
            if batch.undone_at is None:
                self.source.addItem(tr("Imported list: {file} ({day})", file=batch.file_name,
                                       day=batch.imported_at.astimezone().strftime("%Y-%m-%d")),
                                    batch.id)
        self._imported: list[AccountRow] | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search nickname or handle"))
        self.model = RowTableModel(ACCOUNT_COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.addButton(tr("Add selected"),
                                                 QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._add)
        self.buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.source)
        top.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.search.textChanged.connect(lambda _t: self._load())
        self.source.currentIndexChanged.connect(self._source_chosen)
        self._load()

    def _source_chosen(self, _index: int) -> None:
        batch_id = self.source.currentData()
        self._imported = None if batch_id is None else fetch_accounts_by_ids(
            self.context.workspace, accounts_of_import(self.context.workspace, batch_id))
        self._load()

    def _load(self) -> None:
        text = self.search.text().strip().casefold()
        if self._imported is None:
            rows: list[AccountRow] = fetch_accounts(self.context.workspace, 0, 200, self.search.text())
        else:
            rows = [r for r in self._imported
                    if text in r.nickname.casefold() or text in (r.handle or "").casefold()]
        self.model.set_rows(rows)

    def selected_accounts(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row_object(r).account_id for r in rows]

    def _add(self) -> None:
        ids = self.selected_accounts()
        if not ids:
            return
        self.result_ = shortlist_with_confirmation(self, self.context, self.campaign_id, ids)
        if self.result_ is not None:
            self.accept()
