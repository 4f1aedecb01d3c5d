"""The Reports tab's charts as matplotlib figures (no Qt, safe on a worker thread):
cost per result by creator (sorted bars), reach and engagement by platform, spend
against results by tier, KPI progress, and the funnel from impressions to orders.
Colours per platform and tier come from ``charts.style`` so they match everywhere.
Each builder returns None when there is nothing to draw.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kol_desk.charts.render import new_figure
from kol_desk.charts.style import platform_colour, tier_colour
from kol_desk.i18n import tr
from kol_desk.labels import platform_label
from kol_desk.services.report_findings import kpi_name
from kol_desk.services.reports import Report

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

MAX_BARS = 20


def _money_axis(axis: object, currency: str) -> None:
    from matplotlib.ticker import FuncFormatter

    symbol = {"CNY": "¥", "USD": "$", "EUR": "€"}.get(currency, "")
    # The sign before the symbol, as metrics.format_money writes amounts.
    axis.set_major_formatter(FuncFormatter(  # type: ignore[attr-defined]
        lambda v, _p: f"{'-' if v < 0 else ''}{symbol}{abs(v):,.2f}"))


def _count_axis(axis: object) -> None:
    from matplotlib.ticker import FuncFormatter

    def short(value: float, _pos: int) -> str:
        if abs(value) >= 1e6:
            return f"{value / 1e6:,.1f}M"
        if abs(value) >= 1e3:
            return f"{value / 1e3:,.0f}k"
        return f"{value:,.0f}"

    axis.set_major_formatter(FuncFormatter(short))  # type: ignore[attr-defined]


def cost_per_result_by_creator(report: Report, metric: str = "cpe") -> Figure | None:
    rows = [r for r in report.group("creator") if getattr(r.totals, metric) is not None]
    if not rows:
        return None
    rows.sort(key=lambda r: getattr(r.totals, metric))
    rows = rows[:MAX_BARS]
    platform_of: dict[object, str] = {p.creator_id: p.platform for p in report.posts}
    # ~0.4 inch a bar: names at 9 pt do not touch their neighbours
    figure = new_figure(7.0, max(3.0, 0.4 * len(rows) + 1.4))
    ax = figure.add_subplot()
    values = [float(getattr(r.totals, metric)) for r in rows]
    platforms = [platform_of.get(r.key) for r in rows]
    ax.barh(range(len(rows)), values, color=[platform_colour(p) for p in platforms])
    ax.set_yticks(range(len(rows)), [r.label for r in rows], fontsize=9)
    ax.invert_yaxis()
    _money_axis(ax.xaxis, report.currency)
    ax.set_title(tr("{metric} by creator (lowest first; colour = platform)", metric=metric.upper()))
    ax.grid(axis="x", alpha=0.3)
    from matplotlib.patches import Patch

    shown = [p for p in dict.fromkeys(platforms) if p]
    ax.legend(handles=[Patch(color=platform_colour(p), label=platform_label(p)) for p in shown],
              loc="lower right", fontsize=8, title=tr("Platform"), title_fontsize=8)
    return figure


def _fit_names(ax: Axes, positions: list[float], labels: list[str]) -> None:
    """Names under bars. Side by side they would run into each other (eleven platforms,
    "WeChat Official Account"): then each word goes on a line of its own, a size smaller."""
    width = sum(len(label) + sum(1 for ch in label if ord(ch) > 0x2E80) for label in labels)
    if width <= 48:
        ax.set_xticks(positions, labels)
        return
    ax.set_xticks(positions, [label.replace(" ", "\n") for label in labels], fontsize=8)


def reach_by_platform(report: Report) -> Figure | None:
    rows = [r for r in report.group("platform") if r.totals.count("impressions") or r.totals.engagements]
    if not rows:
        return None
    figure = new_figure(7.0, 4.0)
    ax = figure.add_subplot()
    positions = [float(x) for x in range(len(rows))]
    colours = [platform_colour(str(r.key)) for r in rows]
    ax.bar([x - 0.2 for x in positions], [r.totals.count("impressions") or 0 for r in rows],
           width=0.4, color=colours, label=tr("Impressions"))
    _fit_names(ax, positions, [r.label for r in rows])
    ax.set_ylabel(tr("Impressions (solid)"))
    _count_axis(ax.yaxis)
    twin = ax.twinx()
    engagements = [r.totals.engagements or 0 for r in rows]
    twin.bar([x + 0.2 for x in positions], engagements, width=0.4, color=colours, alpha=0.45,
             hatch="//", edgecolor="#424242", label=tr("Engagements"))
    twin.set_ylabel(tr("Engagements (hatched)"))
    twin.set_ylim(0, max(engagements) * 1.2 or 1)
    _count_axis(twin.yaxis)
    for x, r, value in zip(positions, rows, engagements, strict=True):
        rate = r.totals.engagement_rate.value
        if rate is not None:
            twin.annotate(f"{rate * 100:.1f}%", (x + 0.2, value), textcoords="offset points",
                          xytext=(0, 3), ha="center", fontsize=8, color="#E65100")
    basis = report.totals.engagement_rate.basis
    ax.set_title(tr("Reach and engagement by platform (labels: engagement rate on {basis})",
                    basis=tr("views") if basis == "views" else tr("followers")))
    return figure


def spend_by_tier(report: Report) -> Figure | None:
    rows = [r for r in report.group("tier") if r.totals.posts]
    if not rows:
        return None
    figure = new_figure(7.0, 4.0)
    ax = figure.add_subplot()
    positions = list(range(len(rows)))
    ax.bar(positions, [float(r.totals.cost) for r in rows], color=[tier_colour(str(r.key)) for r in rows])
    ax.set_xticks(positions, [r.label for r in rows])
    ax.set_ylabel(tr("Cost"))
    _money_axis(ax.yaxis, report.currency)
    twin = ax.twinx()
    cpe = [(x, float(r.totals.cpe)) for x, r in zip(positions, rows, strict=True) if r.totals.cpe is not None]
    if cpe:
        twin.plot([x for x, _ in cpe], [v for _, v in cpe], "D-", color="#C62828", label=tr("CPE"))
        twin.set_ylabel(tr("CPE"))
        _money_axis(twin.yaxis, report.currency)
    ax.set_title(tr("Spend and cost per engagement by tier (lower line = money works better)"))
    return figure


def kpi_progress(report: Report) -> Figure | None:
    lines = [k for k in report.kpis if k.progress is not None]
    if not lines:
        return None
    figure = new_figure(7.0, 3.2)
    ax = figure.add_subplot()
    values = [float(k.progress or 0) * 100 for k in lines]
    colours = ["#43A047" if v >= 100 else "#1E88E5" for v in values]
    ax.barh(range(len(lines)), values, color=colours)
    ax.set_yticks(range(len(lines)), [kpi_name(k.name) for k in lines])
    ax.invert_yaxis()
    ax.axvline(100, color="#616161", linestyle="--", linewidth=1)
    for y, v in enumerate(values):
        ax.annotate(f"{v:.0f}%", (v, y), textcoords="offset points", xytext=(4, -3), fontsize=8)
    ax.set_xlabel(tr("% of target"))
    ax.set_xlim(0, max(110.0, max(values) * 1.15))
    ax.set_title(tr("KPI progress against targets"))
    return figure


def funnel(report: Report) -> Figure | None:
    t = report.totals
    steps = [(tr("Impressions"), t.count("impressions")), (tr("Views"), t.count("views")),
             (tr("Engagements"), t.engagements), (tr("Clicks"), t.count("clicks")),
             (tr("Orders"), t.count("orders"))]
    known: list[tuple[str, int]] = [(label, value) for label, value in steps if value]
    if not known:
        return None
    figure = new_figure(7.0, 3.4)
    ax = figure.add_subplot()
    ax.barh(range(len(known)), [v for _, v in known], color="#43A047", log=True)
    ax.set_yticks(range(len(known)), [label for label, _ in known])
    ax.invert_yaxis()
    previous = None
    for y, (_label, value) in enumerate(known):
        note = f"{value:,}" + (f"  ({value / previous * 100:.1f}%)" if previous else "")
        ax.annotate(note, (value, y), textcoords="offset points", xytext=(4, -3), fontsize=8)
        previous = value
    ax.set_xlim(1, known[0][1] * 40)
    ax.set_title(tr("Funnel from impressions to orders (log scale; % of the step before)"))
    return figure


CHARTS = {
    "creator": cost_per_result_by_creator,
    "platform": reach_by_platform,
    "tier": spend_by_tier,
    "kpi": kpi_progress,
    "funnel": funnel,
}
