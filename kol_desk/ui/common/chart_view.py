"""A chart in a widget: the figure is built and rendered to PNG on a worker thread
(matplotlib is slow, and its first use imports ~0.5 s of modules), then shown as a pixmap
scaled to the widget. Meanwhile a "Drawing…" placeholder shows; a builder that returns
None means there is nothing to chart, and the view says so.

Usage::

    view = ChartView()
    view.set_builder(lambda: budget_bars(money_of_period()), empty_text=tr("No campaigns yet."))

The builder runs on the worker thread: it may query the workspace (one short session)
but must not touch widgets.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.store.files import refuse_to_overwrite_database
from kol_desk.ui.common.workers import JobControl, start_job

if TYPE_CHECKING:
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

ChartBuilder = Callable[[], "Figure | None"]

SCREEN_DPI = 100
SAVE_DPI = 150
SAVE_SIZE_INCHES = (10.0, 6.0)
MIN_SIZE = QSize(320, 200)


def _render(builder: ChartBuilder, size_inches: tuple[float, float] | None, dpi: int) -> bytes | None:
    from kol_desk.charts.render import render_png

    figure = builder()
    if figure is None:
        return None
    if size_inches is not None:
        figure.set_size_inches(*size_inches)
    return render_png(figure, dpi)


class ChartView(QWidget):
    """Shows one chart; ``drawn`` fires after each attempt (a chart, no data, or an error)."""

    drawn = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._builder: ChartBuilder | None = None
        self._empty_text = tr("Nothing to chart yet.")
        self._png: bytes | None = None
        self._pixmap = QPixmap()
        self._generation = 0
        self._rendered_size = QSize()
        self.state = "idle"  # idle | drawing | chart | empty | error

        self.canvas = QLabel()
        self.canvas.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.canvas.setWordWrap(True)
        self.canvas.setMinimumSize(MIN_SIZE)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.canvas.setStyleSheet("QLabel { color: #757575; background: white; }")
        self.save_button = QPushButton(tr("Save as PNG…"))
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.ask_and_save)
        # A page may put its own controls at the left of this row (the chart's choice).
        self.button_row = buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(buttons)

        # Re-render after the user stops resizing, so the chart stays crisp.
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(350)
        self._resize_timer.timeout.connect(self._redraw_if_resized)

    # -- drawing ---------------------------------------------------------------------

    def set_builder(self, builder: ChartBuilder | None, empty_text: str | None = None) -> None:
        self._builder = builder
        if empty_text is not None:
            self._empty_text = empty_text
        self.redraw()

    def redraw(self) -> None:
        self._generation += 1
        generation = self._generation
        builder = self._builder
        if builder is None:
            self._show_text(self._empty_text, "empty")
            self.drawn.emit()
            return
        size = self._target_pixels()
        self._rendered_size = size
        inches = (size.width() / SCREEN_DPI, size.height() / SCREEN_DPI)
        self._show_text(tr("Drawing…"), "drawing")

        def work(_control: JobControl) -> bytes | None:
            return _render(builder, inches, SCREEN_DPI)

        start_job(work, lambda png: self._on_drawn(generation, png),
                  lambda error: self._on_failed(generation, error), owner=self)

    def _target_pixels(self) -> QSize:
        size = self.canvas.size()
        ratio = self.devicePixelRatioF() or 1.0
        width = max(size.width(), MIN_SIZE.width())
        height = max(size.height(), MIN_SIZE.height())
        return QSize(int(width * ratio), int(height * ratio))

    def _on_drawn(self, generation: int, png: bytes | None) -> None:
        if generation != self._generation:
            return  # a newer drawing is on its way
        if png is None:
            self._png = None
            self._show_text(self._empty_text, "empty")
        else:
            self._png = png
            pixmap = QPixmap()
            pixmap.loadFromData(png, "PNG")
            pixmap.setDevicePixelRatio(self.devicePixelRatioF() or 1.0)
            self._pixmap = pixmap
            self.state = "chart"
            self._show_pixmap()
            # The view may have been resized while this was drawn (e.g. laid out after
            # it was first shown): draw again at the size it has now, if that differs.
            self._resize_timer.start()
        self.save_button.setEnabled(self._png is not None)
        self.drawn.emit()

    def _on_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._png = None
        self._show_text(tr("Could not draw the chart: {error}", error=error), "error")
        self.save_button.setEnabled(False)
        self.drawn.emit()

    def _show_text(self, text: str, state: str) -> None:
        self.state = state
        self._pixmap = QPixmap()
        self.canvas.setPixmap(QPixmap())
        self.canvas.setText(text)
        self.save_button.setEnabled(False)

    def _show_pixmap(self) -> None:
        if self._pixmap.isNull():
            return
        ratio = self.devicePixelRatioF() or 1.0
        target = self.canvas.size() * ratio
        scaled = self._pixmap.scaled(target, Qt.AspectRatioMode.KeepAspectRatio,
                                     Qt.TransformationMode.SmoothTransformation)
        scaled.setDevicePixelRatio(ratio)
        self.canvas.setText("")
        self.canvas.setPixmap(scaled)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._show_pixmap()
        if self.state == "chart":
            self._resize_timer.start()

    def _redraw_if_resized(self) -> None:
        target = self._target_pixels()
        if (abs(target.width() - self._rendered_size.width()) > 8
                or abs(target.height() - self._rendered_size.height()) > 8):
            self.redraw()

    # -- what a test or a caller reads -----------------------------------------------

    @property
    def png(self) -> bytes | None:
        """The PNG on screen, None while drawing or without data."""
        return self._png

    def message(self) -> str:
        return self.canvas.text()

    # -- saving ----------------------------------------------------------------------

    def ask_and_save(self) -> None:
        if self._builder is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, tr("Save chart as PNG"), str(Path.home() / "chart.png"), tr("PNG image (*.png)"))
        if path:
            if not path.lower().endswith(".png"):
                path += ".png"
            self.save_png(Path(path))

    def save_png(self, path: Path, on_saved: Callable[[Path], None] | None = None) -> None:
        """Render the chart again at print size (not the on-screen size) and write it
        atomically to ``path`` on a worker thread."""
        builder = self._builder
        if builder is None:
            return
        try:  # the PNG is renamed over the target: never over the workspace
            refuse_to_overwrite_database(path)
        except KnownError as exc:
            QMessageBox.warning(self, tr("Save chart as PNG"), str(exc))
            return

        def work(_control: JobControl) -> Path | None:
            png = _render(builder, SAVE_SIZE_INCHES, SAVE_DPI)
            if png is None:
                return None
            partial = path.with_name(path.name + ".part")
            partial.write_bytes(png)
            os.replace(partial, path)
            return path

        def done(result: Any) -> None:
            if result is not None and on_saved is not None:
                on_saved(result)

        def failed(error: BaseException) -> None:
            QMessageBox.warning(self, tr("Save chart as PNG"),
                                tr("Could not save {path}: {error}", path=path, error=error))

        start_job(work, done, failed, parent=self, title=tr("Saving chart…"))
