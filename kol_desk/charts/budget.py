"""The Budget tab's charts, built from a period's money
facts. Each returns None when there is nothing to draw, so the view can say so.

Floats appear only here, for plotting; every figure shown in text is formatted from the
Decimal facts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from kol_desk.charts.render import new_figure
from kol_desk.charts.style import (
    ALLOCATED_COLOUR,
    COMMITTED_COLOUR,
    OVER_COLOUR,
    PLAN_COLOUR,
    SPENT_COLOUR,
    platform_colour,
    tier_colour,
)
from kol_desk.domain import Platform, Tier
from kol_desk.i18n import tr
from kol_desk.labels import platform_label, tier_label
from kol_desk.services.budget import COMMITTED, SPENT, MoneyLine, PeriodMoney

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _money_axis(axes: Axes, currency: str, axis: Literal["x", "y"] = "y") -> None:
    from matplotlib.ticker import FuncFormatter

    symbol = {"CNY": "¥", "USD": "$", "EUR": "€", "HKD": "HK$"}.get(currency, "")
    formatter = FuncFormatter(lambda value, _pos: f"{symbol}{value:,.0f}")
    (axes.yaxis if axis == "y" else axes.xaxis).set_major_formatter(formatter)
    axes.grid(axis=axis, color="#e0e0e0", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def allocation_bars(period: PeriodMoney) -> Figure | None:
    """Per campaign: the allocation beside what is spent and committed (stacked)."""
    campaigns = period.campaigns
    if not campaigns:
        return None
    figure = new_figure(7, 4)
    axes = figure.add_subplot()
    positions = list(range(len(campaigns)))
    width = 0.38
    allocated = [float(c.allocated) for c in campaigns]
    spent = [float(c.spent) for c in campaigns]
    committed = [float(c.committed) for c in campaigns]
    axes.bar([p - width / 2 for p in positions], allocated, width, color=ALLOCATED_COLOUR,
             label=tr("Allocated"))
    axes.bar([p + width / 2 for p in positions], spent, width, color=SPENT_COLOUR, label=tr("Spent"))
    axes.bar([p + width / 2 for p in positions], committed, width, bottom=spent,
             color=COMMITTED_COLOUR, label=tr("Committed"))
    axes.set_xticks(positions, [_short(c.name) for c in campaigns],
                    rotation=20 if len(campaigns) > 4 else 0, ha="right" if len(campaigns) > 4 else "center")
    for label, campaign in zip(axes.get_xticklabels(), campaigns, strict=True):
        if campaign.level == "over":
            label.set_color(OVER_COLOUR)
    axes.set_title(tr("Allocation, committed and spent per campaign"))
    _money_axis(axes, period.currency)
    axes.legend(frameon=False, ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.12)
                if len(campaigns) <= 4 else (0.5, -0.25))
    return figure


def _short(text: str, limit: int = 14) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _days(days: list[date]) -> list[float]:
    from matplotlib.dates import date2num

    return [float(date2num(day)) for day in days]  # type: ignore[no-untyped-call]


def _cumulative(lines: list[MoneyLine], start: date) -> tuple[list[date], list[float]]:
    by_day: dict[date, Decimal] = defaultdict(Decimal)
    for line in lines:
        by_day[max(line.day or start, start)] += line.amount
    days, values, running = [start], [0.0], Decimal(0)
    for day in sorted(by_day):
        running += by_day[day]
        days.append(day)
        values.append(float(running))
    return days, values


def spend_over_time(period: PeriodMoney, today: date) -> Figure | None:
    """Cumulative spend (paid dates) against the plan: what is paid plus what is promised
    by its expected date, and an even pace of the allocation over the period."""
    spent = period.records(SPENT)
    promised = spent + period.records(COMMITTED)
    if not promised and period.allocated == 0:
        return None
    figure = new_figure(7, 4)
    axes = figure.add_subplot()
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    axes.plot(_days([period.start_date, period.end_date]), [0, float(period.allocated)],
              color=PLAN_COLOUR, linestyle=":", label=tr("Even pace of the allocation"))
    plan_days, plan_values = _cumulative(promised, period.start_date)
    if plan_days[-1] < period.end_date:
        plan_days.append(period.end_date)
        plan_values.append(plan_values[-1])
    axes.step(_days(plan_days), plan_values, where="post", color=COMMITTED_COLOUR, linewidth=2,
              label=tr("Plan: paid and promised"))
    days, values = _cumulative(spent, period.start_date)
    end = min(today, period.end_date)
    if days[-1] < end:
        days.append(end)
        values.append(values[-1])
    axes.step(_days(days), values, where="post", color=SPENT_COLOUR, linewidth=2.5, label=tr("Spent"))
    if period.start_date <= today <= period.end_date:
        axes.axvline(_days([today])[0], color="#9e9e9e", linewidth=0.8)
    low, high = _days([period.start_date - timedelta(days=1), period.end_date + timedelta(days=1)])
    axes.set_xlim(low, high)
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    axes.set_title(tr("Spend over time against plan"))
    _money_axis(axes, period.currency)
    axes.legend(frameon=False, loc="upper left")
    return figure


def spend_by(period: PeriodMoney, key: str, tier_of: Callable[[MoneyLine], Tier | None]) -> Figure | None:
    """Spent and committed money by platform (``key`` "platform") or by tier ("tier")."""
    spent: dict[str, Decimal] = defaultdict(Decimal)
    committed: dict[str, Decimal] = defaultdict(Decimal)
    for line in period.records(SPENT) + period.records(COMMITTED):
        if key == "platform":
            group = line.platform or Platform.OTHER.value
        else:
            tier = tier_of(line)
            group = tier.value if tier else ""
        (spent if line.figure == SPENT else committed)[group] += line.amount
    groups = set(spent) | set(committed)
    if not groups:
        return None
    colour: Callable[[str], str]
    if key == "tier":
        order = [t.value for t in Tier if t.value in groups] + ([""] if "" in groups else [])
        colour, label, title = tier_colour, _tier_or_unknown, tr("Spend by tier")
    else:
        order = sorted(groups, key=lambda g: spent[g] + committed[g])
        colour, label, title = platform_colour, platform_label, tr("Spend by platform")
    figure = new_figure(6, 4)
    axes = figure.add_subplot()
    positions = list(range(len(order)))
    paid = [float(spent[g]) for g in order]
    owed = [float(committed[g]) for g in order]
    colours = [colour(g) for g in order]
    from matplotlib.patches import Patch

    axes.barh(positions, paid, color=colours)
    axes.barh(positions, owed, left=paid, color=colours, alpha=0.35, hatch="//", edgecolor="white")
    axes.set_yticks(positions, [label(g) for g in order])
    axes.set_title(title)
    _money_axis(axes, period.currency, axis="x")
    # The bars carry the group's colour, so the legend explains the fill, in grey.
    axes.legend(handles=[Patch(color="#757575", label=tr("Spent")),
                         Patch(facecolor="#757575", alpha=0.35, hatch="//", edgecolor="white",
                               label=tr("Committed"))],
                frameon=False, loc="lower right")
    return figure


def _tier_or_unknown(key: str) -> str:
    # A payment whose account has no tier is grouped under "" and its bar says so in words.
    return tier_label(key) if key in {t.value for t in Tier} else tr("Unknown")
