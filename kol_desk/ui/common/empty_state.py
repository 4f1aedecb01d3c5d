"""What a tab shows while it has nothing to show: what the tab is for and the next step
(import a list, add a creator, open the demo, connect to a team database).

A button names a start action (``START_ACTIONS``); the main window runs it, so a tab does
not need to know how importing or opening a workspace works."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kol_desk.i18n import tr
from kol_desk.ui.common.icons import with_icons

IMPORT, DEMO, TEAM = "import", "demo", "team"
# the tabs' own buttons use these keys too
_ICONS = {IMPORT: "import", "new": "add", "enter": "results", "import_results": "import"}


def _start_labels() -> dict[str, str]:
    return {IMPORT: tr("Import an agency list… (Ctrl+I)"), DEMO: tr("Open the demo workspace"),
            TEAM: tr("Connect to a team database…")}


class EmptyState(QWidget):
    """``action_requested(key)``: a button was clicked; a start action key (run by the
    main window) or a key of the tab's own ``extra`` buttons."""

    action_requested = Signal(str)

    def __init__(self, title: str, text: str, actions: Sequence[str] = (IMPORT, DEMO, TEAM),
                 extra: Sequence[tuple[str, str]] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("empty_state")
        self.title = QLabel(title)
        self.title.setObjectName("empty_title")
        self.text = QLabel(text)
        self.text.setObjectName("empty_text")
        self.text.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.addStretch(1)
        labels = _start_labels()
        for key, label in [*extra, *((key, labels[key]) for key in actions)]:
            button = QPushButton(label)
            if key in _ICONS:
                with_icons((button, _ICONS[key]))
            button.clicked.connect(lambda _checked=False, key=key: self._clicked(key))
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        if self.buttons:
            next(iter(self.buttons.values())).setDefault(True)
        # A word-wrapped label needs a fixed width to know its height: the text sits in a
        # column of at most 560 px, centred.
        column = QWidget()
        column.setMaximumWidth(560)
        column_layout = QVBoxLayout(column)
        for shown in (self.title, self.text):
            shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column_layout.addWidget(shown)
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(column, 4)
        centred.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addLayout(centred)
        layout.addSpacing(12)
        layout.addLayout(row)
        layout.addStretch(3)

    def _clicked(self, key: str) -> None:
        self.action_requested.emit(key)
        run = getattr(self.window(), "run_start_action", None)
        if key in _start_labels() and callable(run):
            run(key)


class EmptyStack(QStackedWidget):
    """A tab's content, or its empty state in the same place."""

    def __init__(self, content: QWidget, empty: EmptyState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content, self.empty = content, empty
        self.addWidget(content)
        self.addWidget(empty)

    def show_empty(self, empty: bool) -> None:
        self.setCurrentWidget(self.empty if empty else self.content)

    @property
    def is_empty(self) -> bool:
        return self.currentWidget() is self.empty


class HintedListView(QListView):
    """A list that says what belongs in it while it is empty (a blank box reads as broken)."""

    def __init__(self, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hint = hint

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0 and self.hint:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.viewport().rect().adjusted(24, 24, -24, -24),
                             int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), self.hint)
            painter.end()
