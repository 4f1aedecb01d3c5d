"""Table models of the import wizard and the import history."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from kol_desk.i18n import tr
from kol_desk.importing import ParsedRow, Price, Problem
from kol_desk.labels import platform_label
from kol_desk.metrics import DASH
from kol_desk.services.import_batches import BatchRow
from kol_desk.services.import_commit import CommitResult
from kol_desk.services.import_plan import Conflict, MergePlan
from kol_desk.ui.common.row_model import Column, RowTableModel
from kol_desk.ui.money import money_range, money_text

Index = QModelIndex | QPersistentModelIndex


class CheckableRowModel(RowTableModel):
    """A RowTableModel whose first column is a check box (exclude this row, update this
    value); ``is_checked``/``set_checked`` read and write the row object's flag."""

    def __init__(self, columns: Sequence[Column], is_checked: Callable[[Any], bool],
                 set_checked: Callable[[Any, bool], None], parent: Any = None) -> None:
        super().__init__(columns, parent)
        self._is_checked = is_checked
        self._set_checked = set_checked

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole and index.isValid() and index.column() == 0 \
                and 0 <= index.row() < self.rowCount():
            checked = self._is_checked(self.row_object(index.row()))
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid() or index.column() != 0:
            return False
        state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(int(value))
        self._set_checked(self.row_object(index.row()), state == Qt.CheckState.Checked)
        self.dataChanged.emit(index, self.index(index.row(), self.columnCount() - 1))
        return True

    def set_all(self, checked: bool) -> None:
        for row in self.rows:
            self._set_checked(row, checked)
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1,
                                                               self.columnCount() - 1))


def _count(value: int | None) -> str:
    return f"{value:,}" if value is not None else DASH


def _rate(value: Decimal | float | None) -> str:
    return f"{float(value) * 100:.2f}%" if value is not None else DASH


def price_text(price: Price | None) -> str:
    if price is None:
        return DASH
    if price.unknown or price.min is None:
        return tr("Price on request")
    if price.max is None:
        return tr("from {price}", price=money_text(price.min, price.currency))
    return money_range(price.min, price.max, price.currency)


def _value_text(value: Any) -> str:
    if value is None:
        return DASH
    if isinstance(value, float) and value < 1:
        return _rate(value)
    if isinstance(value, int):
        return _count(value)
    return str(value)


PREVIEW_COLUMNS = [
    Column("Row", lambda r: str(r.row), sort_key=lambda r: r.row, numeric=True),
    Column("Platform", lambda r: platform_label(r.platform)),
    Column("Account ID", lambda r: r.handle or DASH,
           tooltip=lambda r: tr("Written in the list as {text}", text=r.handle_display)
           if r.handle_display and r.handle_display != r.handle else None),
    Column("Nickname", lambda r: r.nickname or DASH),
    Column("Followers", lambda r: _count(r.followers), sort_key=lambda r: r.followers, numeric=True),
    Column("Engagement rate", lambda r: _rate(r.engagement_rate),
           sort_key=lambda r: r.engagement_rate, numeric=True),
    Column("Price", lambda r: price_text(r.primary_price), numeric=True),
    Column("Category", lambda r: r.category or DASH),
    Column("City", lambda r: r.city or DASH),
]


def preview_model(rows: Sequence[ParsedRow], parent: Any = None) -> RowTableModel:
    model = RowTableModel(PREVIEW_COLUMNS, parent)
    model.set_rows(rows)
    return model


class ProblemItem:
    """A problem, whether the user excluded its row, and the text typed to correct it."""

    def __init__(self, file: str, problem: Problem, excluded: set[tuple[str, str, int]],
                 corrections: dict[tuple[str, int, int], str] | None = None) -> None:
        self.file = file
        self.problem = problem
        self._excluded = excluded
        self._corrections = corrections if corrections is not None else {}

    @property
    def cell(self) -> tuple[str, int, int]:
        return (self.problem.sheet, self.problem.row, self.problem.col)

    @property
    def correctable(self) -> bool:
        return self.problem.col >= 0

    @property
    def correction(self) -> str:
        return self._corrections.get(self.cell, "")

    def set_correction(self, text: str) -> None:
        if text.strip():
            self._corrections[self.cell] = text.strip()
        else:
            self._corrections.pop(self.cell, None)

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.file, self.problem.sheet, self.problem.row)

    def is_excluded(self) -> bool:
        return self.key in self._excluded

    def set_excluded(self, value: bool) -> None:
        if value:
            self._excluded.add(self.key)
        else:
            self._excluded.discard(self.key)


PROBLEM_COLUMNS = [
    Column("Exclude row", lambda p: ""),
    Column("File", lambda p: p.problem.file),
    Column("Sheet", lambda p: p.problem.sheet),
    Column("Row", lambda p: str(p.problem.row), sort_key=lambda p: p.problem.row, numeric=True),
    Column("Column", lambda p: p.problem.column or DASH),
    Column("Cell", lambda p: p.problem.raw or DASH),
    Column("Correct to", lambda p: p.correction,
           tooltip=lambda p: tr("Double-click to type the value this cell should have")
           if p.correctable else None),
    Column("Reason", lambda p: tr(p.problem.reason), tooltip=lambda p: tr(p.problem.reason)),
]
CORRECTION_COLUMN = 6


class ProblemsModel(CheckableRowModel):
    """The problems, with the 'Correct to' column editable where the problem is one cell."""

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == CORRECTION_COLUMN \
                and self.row_object(index.row()).correctable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.EditRole and index.isValid() \
                and index.column() == CORRECTION_COLUMN:
            return self.row_object(index.row()).correction
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role == Qt.ItemDataRole.EditRole and index.isValid() \
                and index.column() == CORRECTION_COLUMN:
            item = self.row_object(index.row())
            if not item.correctable:
                return False
            item.set_correction(str(value or ""))
            self.dataChanged.emit(index, index)
            return True
        return super().setData(index, value, role)

    def corrections(self) -> int:
        return sum(1 for item in self.rows if item.correction)


def problems_model(parent: Any = None) -> ProblemsModel:
    return ProblemsModel(PROBLEM_COLUMNS, lambda p: p.is_excluded(),
                         lambda p, v: p.set_excluded(v), parent)


_FIELD_LABELS = {
    "nickname": "Nickname", "followers": "Followers", "engagement_rate": "Engagement rate",
    "avg_views": "Average views", "avg_engagements": "Average interactions",
    "profile_url": "Profile link", "category": "Category", "city": "City",
}

CONFLICT_COLUMNS = [
    Column("Update", lambda c: ""),
    Column("Platform", lambda c: platform_label(c.platform)),
    Column("Account ID", lambda c: c.handle),
    Column("Nickname", lambda c: c.nickname or DASH),
    Column("Field", lambda c: tr(_FIELD_LABELS.get(c.change.field, c.change.field))),
    Column("Stored", lambda c: _value_text(c.change.old)),
    Column("In the list", lambda c: _value_text(c.change.new)),
    Column("Where", lambda c: f"{c.sheet} · {c.row}"),
]


def conflicts_model(parent: Any = None) -> CheckableRowModel:
    def set_update(conflict: Conflict, value: bool) -> None:
        conflict.update = value

    return CheckableRowModel(CONFLICT_COLUMNS, lambda c: c.update, set_update, parent)


SUMMARY_COLUMNS = [
    Column("File", lambda p: p.file_name),
    Column("Rows", lambda p: _count(p.rows_read - p.rows_excluded), numeric=True),
    Column("New creators", lambda p: _count(p.new_creators), numeric=True),
    Column("Matched", lambda p: _count(len(p.matched_accounts)), numeric=True),
    Column("Duplicates in file", lambda p: _count(p.duplicate_rows), numeric=True),
    Column("Quotes to add", lambda p: _count(p.quotes), numeric=True),
    Column("Conflicts", lambda p: _count(len(p.conflicts)), numeric=True),
    Column("Problems", lambda p: _count(p.problems), numeric=True),
]


def summary_model(plans: Sequence[MergePlan], parent: Any = None) -> RowTableModel:
    model = RowTableModel(SUMMARY_COLUMNS, parent)
    model.set_rows(plans)
    return model



RESULT_COLUMNS = [
    Column("File", lambda r: r.summary["file"]),
    Column("New creators", lambda r: _count(r.summary["creators_new"]), numeric=True),
    Column("Matched", lambda r: _count(r.summary["creators_matched"]), numeric=True),
    # the accounts the list named, new and known alike: the number the page's text gives
    Column("Accounts", lambda r: _count(len(r.account_ids)), numeric=True),
    Column("Quotes", lambda r: _count(r.summary["quotes_added"]), numeric=True),
]


def results_model(results: Sequence[CommitResult], parent: Any = None) -> RowTableModel:
    model = RowTableModel(RESULT_COLUMNS, parent)
    model.set_rows(results)
    return model

BATCH_COLUMNS = [
    Column("Imported", lambda b: b.imported_at.astimezone().strftime("%Y-%m-%d %H:%M"),
           sort_key=lambda b: b.imported_at),
    Column("File", lambda b: b.file_name),
    Column("Agency", lambda b: b.agency or DASH),
    Column("Rows", lambda b: _count(b.rows_read), sort_key=lambda b: b.rows_read, numeric=True),
    Column("New creators", lambda b: _count(b.creators_new), sort_key=lambda b: b.creators_new,
           numeric=True),
    Column("Matched", lambda b: _count(b.creators_matched), sort_key=lambda b: b.creators_matched,
           numeric=True),
    Column("Quotes", lambda b: _count(b.quotes_added), sort_key=lambda b: b.quotes_added,
           numeric=True),
    Column("Status", lambda b: tr("Undone {when}", when=b.undone_at.astimezone().strftime(
        "%Y-%m-%d %H:%M")) if b.undone_at else tr("Imported"),
        colour=lambda b: "#888888" if b.undone_at else None),
]


def batches_model(batches: Sequence[BatchRow], parent: Any = None) -> RowTableModel:
    model = RowTableModel(BATCH_COLUMNS, parent)
    model.set_rows(batches)
    return model
