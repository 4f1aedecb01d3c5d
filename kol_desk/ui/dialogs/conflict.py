"""The dialog shown when a save meets a colleague's newer change: both versions side by
side, field by field, and three ways out — keep mine, keep theirs, or merge."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kol_desk.i18n import tr
from kol_desk.labels import record_field_label, record_field_labels
from kol_desk.metrics import DASH
from kol_desk.services.conflicts import Conflict, FieldConflict, Resolution, Side

Index = QModelIndex | QPersistentModelIndex
FIELD, BASE, MINE, THEIRS = range(4)
CLASH = QColor("#fdecea")


def field_labels(table: str) -> dict[str, str]:
    """The names people know a record's fields by (kol_desk.labels, as its forms name
    them), in the current language; a form may pass its own (a card's, a quote's)."""
    return record_field_labels(table)


def show_value(value: Any) -> str:
    if value is None or value == "":
        return DASH
    if isinstance(value, bool):
        return tr("Yes") if value else tr("No")
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value) or DASH
    return str(value)


class ConflictModel(QAbstractTableModel):
    """One row per field that either side changed (a form's untouched fields would only
    bury the difference); the Yours / Theirs cells carry a check box for the merge."""

    def __init__(self, conflict: Conflict, labels: Mapping[str, str] | None = None,
                 parent: Any = None, shown: Mapping[str, Callable[[Any], str]] | None = None) -> None:
        super().__init__(parent)
        # how a field's value reads where it is a stored key (a quote's channel, "xingtu")
        self.shown = dict(shown or {})
        changed = [f for f in conflict.fields if f.i_changed or f.they_changed]
        self.fields: list[FieldConflict] = changed or list(conflict.fields)
        self.table = conflict.model.__tablename__
        self.labels = {**field_labels(self.table), **(labels or {})}
        self.choices: dict[str, Side] = {f.name: f.suggested for f in conflict.fields}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.fields)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (tr("Field"), tr("When you opened it"), tr("Yours"), tr("Theirs (saved)"))[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.fields[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == FIELD:
                return self.labels.get(item.name) or record_field_label(self.table, item.name)
            value = (item.base, item.mine, item.theirs)[column - 1]
            show = self.shown.get(item.name)
            return show(value) if show is not None and value is not None else show_value(value)
        if role == Qt.ItemDataRole.CheckStateRole and column in (MINE, THEIRS):
            side = Side.MINE if column == MINE else Side.THEIRS
            chosen = self.choices[item.name] is side
            return Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole and item.clashes:
            return QBrush(CLASH)
        if role == Qt.ItemDataRole.ToolTipRole and item.clashes:
            return tr("You and your colleague both changed this field.")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (MINE, THEIRS):
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (not index.isValid() or role != Qt.ItemDataRole.CheckStateRole
                or index.column() not in (MINE, THEIRS)):
            return False
        item = self.fields[index.row()]
        checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        side = Side.MINE if index.column() == MINE else Side.THEIRS
        other = Side.THEIRS if side is Side.MINE else Side.MINE
        # The two boxes of a row act as a pair: exactly one side is kept.
        self.choices[item.name] = side if checked else other
        self.dataChanged.emit(self.index(index.row(), MINE), self.index(index.row(), THEIRS),
                              [Qt.ItemDataRole.CheckStateRole])
        return True

    def choose(self, name: str, side: Side) -> None:
        row = next(i for i, f in enumerate(self.fields) if f.name == name)
        self.setData(self.index(row, MINE if side is Side.MINE else THEIRS),
                     Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)


class ConflictDialog(QDialog):
    """``resolution`` says what the user chose once the dialog is accepted."""

    def __init__(self, conflict: Conflict, labels: Mapping[str, str] | None = None,
                 parent: QWidget | None = None,
                 shown: Mapping[str, Callable[[Any], str]] | None = None) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.resolution: Resolution | None = None
        self.setWindowTitle(tr("Someone else changed this"))
        self.setMinimumSize(640, 320)
        who = conflict.their_user or tr("a colleague")
        when = show_value(conflict.their_time) if conflict.their_time else DASH
        if conflict.deleted:
            text = tr("{title} was deleted by {who} while you were editing it. Your changes "
                      "were not saved.", title=conflict.title, who=who)
        else:
            text = tr("{title} was changed by {who} at {when} while you were editing it, so "
                      "your changes were not saved yet. Compare both versions and choose what "
                      "to keep; fields you both changed are highlighted.",
                      title=conflict.title, who=who, when=when)
        self.message = QLabel(text)
        self.message.setWordWrap(True)
        self.model = ConflictModel(conflict, labels, self, shown)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        self.buttons = QDialogButtonBox()
        self.keep_mine = self.buttons.addButton(tr("Keep mine"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.keep_theirs = self.buttons.addButton(tr("Keep theirs"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge = self.buttons.addButton(tr("Merge as ticked"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.keep_mine.clicked.connect(lambda: self._done(Resolution(keep=Side.MINE)))
        self.keep_theirs.clicked.connect(lambda: self._done(Resolution(keep=Side.THEIRS)))
        self.merge.clicked.connect(lambda: self._done(Resolution(choices=dict(self.model.choices))))
        if conflict.deleted:
            self.keep_mine.setEnabled(False)
            self.merge.setEnabled(False)
            self.keep_theirs.setText(tr("Discard my changes"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)

    def _done(self, resolution: Resolution) -> None:
        self.resolution = resolution
        self.accept()


def ask_resolution(conflict: Conflict, parent: QWidget | None = None,
                   labels: Mapping[str, str] | None = None,
                   exec_dialog: Callable[[ConflictDialog], int] | None = None, *,
                   shown: Mapping[str, Callable[[Any], str]] | None = None) -> Resolution | None:
    """Show the dialog; None when the user closed it without choosing (nothing is saved).
    ``shown``: how the values of some fields read (a stored key as its label)."""
    dialog = ConflictDialog(conflict, labels, parent, shown)
    (exec_dialog or ConflictDialog.exec)(dialog)
    return dialog.resolution
