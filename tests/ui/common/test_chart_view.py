"""The chart view draws on a worker, shows the result, says when there is no data, and
saves a PNG."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pytestqt.qtbot import QtBot

from kol_desk.charts.render import new_figure
from kol_desk.i18n import set_language
from kol_desk.ui.common.chart_view import ChartView

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _bars() -> Figure:
    figure = new_figure()
    figure.add_subplot().bar(["抖音", "小红书"], [3, 5])
    return figure


def test_draws_then_shows_the_pixmap(qtbot: QtBot, tmp_path: Path) -> None:
    view = ChartView()
    qtbot.addWidget(view)
    view.resize(500, 340)
    view.show()
    with qtbot.waitSignal(view.drawn, timeout=20_000):
        view.set_builder(_bars)
        assert view.message() == "Drawing…"
    assert view.state == "chart"
    assert view.png is not None and view.png.startswith(b"\x89PNG")
    pixmap = view.canvas.pixmap()
    assert not pixmap.isNull() and pixmap.width() > 300
    assert view.save_button.isEnabled()
    view.grab().save(str(tmp_path / "chart_view.png"))

    target = tmp_path / "saved.png"
    saved: list[Path] = []
    view.save_png(target, saved.append)
    qtbot.waitUntil(lambda: saved == [target], timeout=20_000)
    assert target.read_bytes().startswith(b"\x89PNG")
    assert int.from_bytes(target.read_bytes()[16:20], "big") == 1500  # 10 in at 150 dpi


def test_no_data_message(qtbot: QtBot) -> None:
    set_language("zh_CN")
    view = ChartView()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.drawn, timeout=20_000):
        view.set_builder(lambda: None, empty_text="还没有数据")
    assert view.state == "empty" and view.message() == "还没有数据"
    assert view.png is None and not view.save_button.isEnabled()


def test_a_failing_builder_is_shown_not_raised(qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> Figure:
        raise ValueError("bad numbers")

    view = ChartView()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.drawn, timeout=20_000):
        view.set_builder(broken)
    assert view.state == "error" and "bad numbers" in view.message()
