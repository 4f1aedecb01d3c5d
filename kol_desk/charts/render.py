"""Building and rendering figures without pyplot and without Qt.

Figures are made with ``new_figure`` (Agg canvas, constrained layout, the shared fonts)
and turned into PNG bytes with ``render_png``; both are safe to call on a worker thread.
"""

from __future__ import annotations

import io
import threading
from typing import TYPE_CHECKING

from kol_desk.charts.style import LATIN_FALLBACK

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DEFAULT_DPI = 100

_lock = threading.Lock()
_families: list[str] | None = None


def font_families() -> list[str]:
    """The CJK families charts use (see ``kol_desk.charts.fonts``), then DejaVu Sans;
    configures matplotlib once (the first chart pays for it, start-up does not)."""
    global _families
    with _lock:
        if _families is None:
            import matplotlib
            from matplotlib import font_manager

            from kol_desk.charts.fonts import chart_cjk_families

            # Only installed names: an absent family makes matplotlib log a warning
            # on every text it draws.
            families = chart_cjk_families(font_manager.fontManager)
            families.append(LATIN_FALLBACK)
            # font.family as an explicit list (not the generic "sans-serif") is what
            # turns on matplotlib's per-glyph fallback across the families.
            matplotlib.rcParams["font.family"] = families
            # Most CJK fonts lack U+2212, matplotlib's minus sign on axes.
            matplotlib.rcParams["axes.unicode_minus"] = False
            matplotlib.rcParams["svg.fonttype"] = "none"
            _families = families
        return list(_families)


def new_figure(width: float = 6.4, height: float = 4.0, dpi: int = DEFAULT_DPI) -> Figure:
    """An empty figure of ``width`` x ``height`` inches on an Agg canvas."""
    font_families()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def warm_up() -> None:
    """Imports matplotlib and loads the chart fonts (Chinese and Latin) ahead of the
    first chart, which would otherwise wait about a second for them. Run on a worker
    while the app is idle."""
    figure = new_figure(1, 1, dpi=20)
    figure.text(0.5, 0.5, "报告 Report 0123")
    render_png(figure, dpi=20)


def render_png(figure: Figure, dpi: int = DEFAULT_DPI) -> bytes:
    """The figure as PNG bytes at ``dpi`` (pixel size = inches x dpi), on a white ground.
    Changes the figure's dpi: render a figure once."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = figure.canvas if isinstance(figure.canvas, FigureCanvasAgg) else FigureCanvasAgg(figure)
    figure.set_dpi(dpi)
    figure.set_facecolor("white")
    buffer = io.BytesIO()
    # Not savefig: with a layout engine it first draws the whole figure with drawing
    # switched off, only to run the layout, which the real draw runs anyway. The same
    # bytes for every chart, ~0.1 s less CPU for the Reports tab's first chart.
    canvas.print_png(buffer)  # type: ignore[no-untyped-call]
    return buffer.getvalue()
