"""A row of key figures at the top of a tab: a small caption over a large number, the
exact value on hover (the Budget and Reports tabs). A figure with a ``key`` can be
clicked: the strip emits ``activated(key)`` (the Budget tab lists the records behind it)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget


@dataclass(frozen=True)
class Figure:
    caption: str
    value: str
    tooltip: str = ""
    colour: str | None = None  # the value's colour: green for money left, red when over
    key: str | None = None  # clickable: what ``SummaryStrip.activated`` names


class _Tile(QFrame):
    def __init__(self, strip: SummaryStrip) -> None:
        super().__init__(strip)
        self.strip = strip
        self.key: str | None = None
        self.setObjectName("summary_tile")
        self.caption = QLabel()
        self.caption.setObjectName("summary_caption")
        self.value = QLabel()
        self.value.setObjectName("summary_value")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(0)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)

    def show_figure(self, figure: Figure) -> None:
        self.caption.setText(figure.caption)
        self.value.setText(figure.value)
        palette = self.palette()  # a palette, not a style sheet per label: cheaper to change
        if figure.colour:
            palette.setColor(QPalette.ColorRole.WindowText, QColor(figure.colour))
        self.value.setPalette(palette)
        self.setToolTip(figure.tooltip)
        self.key = figure.key
        self.setCursor(Qt.CursorShape.PointingHandCursor if figure.key else Qt.CursorShape.ArrowCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if self.key and event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.strip.activated.emit(self.key)


class SummaryStrip(QWidget):
    activated = Signal(str)  # the key of a figure clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summary_strip")
        self.tiles: list[_Tile] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 4, 0, 4)
        self._layout.setSpacing(8)
        self._layout.addStretch(1)

    def set_figures(self, figures: list[Figure]) -> None:
        while len(self.tiles) < len(figures):
            tile = _Tile(self)
            self._layout.insertWidget(len(self.tiles), tile)
            self.tiles.append(tile)
        for tile, figure in zip(self.tiles, figures, strict=False):
            tile.show_figure(figure)
        for index, tile in enumerate(self.tiles):
            tile.setVisible(index < len(figures))

    def texts(self) -> list[tuple[str, str]]:
        """(caption, value) of the tiles shown: what a reader of the strip sees."""
        return [(t.caption.text(), t.value.text()) for t in self.tiles if not t.isHidden()]
