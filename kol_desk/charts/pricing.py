"""The negotiation desk's chart: comparables' prices against their followers, this
account's own quotes, the price on the table, and the fair-price band."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kol_desk.charts.render import new_figure
from kol_desk.i18n import tr
from kol_desk.services.pricing import NegotiationFacts
from kol_desk.services.pricing_model import QUOTE

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def chart_labels(facts: NegotiationFacts) -> dict[str, str]:
    """The chart's texts in the current language (made where the language is set; the
    figure may then be drawn on a worker)."""
    return {"peers": tr("Comparables ({n})", n=len(facts.peers.points)), "own": tr("This account's quotes"),
            "band": tr("Ask to walk-away"), "target": tr("Target"), "price": tr("Price on the table"),
            "x": tr("Followers"), "y": tr("Price ({currency})", currency=facts.currency)}


def price_figure(facts: NegotiationFacts, labels: dict[str, str] | None = None,
                 width: float = 6.4, height: float = 3.4) -> Figure | None:
    peers = facts.peers.points
    own = [h for h in facts.history if h.kind == QUOTE]
    if not peers and not own:
        return None
    from matplotlib.ticker import FuncFormatter

    text = labels or chart_labels(facts)
    figure = new_figure(width, height)
    axes = figure.add_subplot()
    if peers:
        axes.scatter([f for f, _ in peers], [float(p) for _, p in peers], s=18, color="#90a4ae",
                     label=text["peers"])
    followers = facts.subject.followers
    if followers and own:
        axes.scatter([followers] * len(own), [float(h.amount) for h in own], s=36, marker="D",
                     color="#1565c0", label=text["own"])
    e = facts.estimate
    if e is not None:
        axes.axhspan(float(e.ask), float(e.walk_away), color="#c8e6c9", alpha=0.6, label=text["band"])
        axes.axhline(float(e.target), color="#2e7d32", linewidth=1.2, label=text["target"])
    if facts.price is not None:
        axes.axhline(float(facts.price), color="#c62828", linestyle="--", linewidth=1.2, label=text["price"])
    axes.set_xscale("log")
    axes.set_xlabel(text["x"])
    axes.set_ylabel(text["y"])
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
    followers_text = FuncFormatter(lambda v, _p: f"{v / 10_000:g}w" if v >= 10_000 else f"{v:,.0f}")
    axes.xaxis.set_major_formatter(followers_text)
    # Minor ticks at 2× and 5× only: every one of them labelled would overlap.
    axes.xaxis.set_minor_formatter(FuncFormatter(
        lambda v, p: followers_text(v, p) if f"{v:.0f}"[0] in "25" else ""))
    axes.grid(alpha=0.3)
    axes.legend(fontsize=7, loc="upper left")
    return figure
