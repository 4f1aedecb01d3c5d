"""Three to five key findings written from a report's numbers, for the boss.

Each finding is one sentence chosen only when its numbers exist: spend against budget,
the KPI furthest ahead and furthest behind, the platform and the tier where money bought
engagement cheapest, and the best and weakest creator. Sentences go through ``tr`` so the
workbook speaks the user's language.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from kol_desk import metrics
from kol_desk.errors import N_
from kol_desk.i18n import tr

if TYPE_CHECKING:
    from kol_desk.services.reports import GroupRow, Report

MAX_FINDINGS = 5
# Writes an amount in a currency.
Money = Callable[[Decimal | None, str], str]



def kpi_name(name: str) -> str:
    return {
        "impressions": tr("Impressions"), "engagements": tr("Engagements"),
        "clicks": tr("Clicks"), "orders": tr("Orders"), "revenue": tr("Revenue"),
    }.get(name, name)


def _pct(value: Decimal | None) -> str:
    return metrics.format_rate(value)


def _spend(report: Report, money: Money) -> str | None:
    plan = report.money
    if plan.budget is None:
        if not plan.spent and not plan.committed:
            return None
        return tr("Spent {spent} so far, with {committed} more committed; the campaigns have no budget set.",
                  spent=money(plan.spent, report.currency),
                  committed=money(plan.committed, report.currency))
    remaining = plan.left_of_plan
    if remaining is not None and remaining < 0:
        # "-¥5,000.00 remains" reads as a typo; say it is over.
        return tr("Spent {spent} of the {budget} planned budget ({share}); with {committed} more committed, the budget is exceeded by {over}.",
                  spent=money(plan.spent, report.currency),
                  budget=money(plan.budget, report.currency),
                  share=_pct(plan.spent_share),
                  committed=money(plan.committed, report.currency),
                  over=money(-remaining, report.currency))
    return tr("Spent {spent} of the {budget} planned budget ({share}); {committed} more is committed and {remaining} remains.",
              spent=money(plan.spent, report.currency),
              budget=money(plan.budget, report.currency),
              share=_pct(plan.spent_share),
              committed=money(plan.committed, report.currency),
              remaining=money(remaining, report.currency))


def _kpi(report: Report) -> str | None:
    known = [k for k in report.kpis if k.progress is not None]
    if not known:
        return None
    known.sort(key=lambda k: k.progress or 0)
    low, high = known[0], known[-1]
    if low is high:
        return tr("{kpi} reached {progress} of its target.", kpi=kpi_name(high.name),
                  progress=_pct(high.progress))
    return tr("{best} is furthest ahead at {best_progress} of its target; {worst} lags at {worst_progress}.",
              best=kpi_name(high.name), best_progress=_pct(high.progress),
              worst=kpi_name(low.name), worst_progress=_pct(low.progress))


def _cheapest(rows: list[GroupRow], template: str, currency: str, money: Money) -> str | None:
    valued = sorted((r for r in rows if r.totals.cpe is not None), key=lambda r: r.totals.cpe or 0)
    if len(valued) < 2:
        return None
    best, worst = valued[0], valued[-1]
    times = metrics.ratio(worst.totals.cpe, best.totals.cpe)
    return tr(template, best=best.label, best_cpe=money(best.totals.cpe, currency),
              worst=worst.label, worst_cpe=money(worst.totals.cpe, currency),
              times=f"{times:.1f}" if times is not None else metrics.DASH)


def _creators(report: Report) -> str | None:
    rows = report.group("creator")
    by_roi = [r for r in rows if r.totals.roi is not None]
    if len(by_roi) >= 2:
        by_roi.sort(key=lambda r: r.totals.roi or 0)
        return tr("Best return: {best} (ROI {best_roi}); weakest: {worst} (ROI {worst_roi}).",
                  best=by_roi[-1].label, best_roi=_pct(by_roi[-1].totals.roi),
                  worst=by_roi[0].label, worst_roi=_pct(by_roi[0].totals.roi))
    return None


def key_findings(report: Report, money: Money = metrics.format_money) -> list[str]:
    """The findings, amounts written by ``money``: exact cents (``format_money``) for the
    workbook, the screen passes its own (``ui.money.money_text``, no ".00")."""
    totals = report.totals
    if not totals.posts:
        empty = [tr("No results have been entered for this scope yet: enter or import post results to see cost per result.")]
        spend = _spend(report, money)
        return empty + ([spend] if spend else [])
    found: list[str | None] = [
        tr("{posts} posts reached {impressions} impressions and {engagements} engagements at a CPE of {cpe} and a CPM of {cpm}.",
           posts=f"{totals.posts:,}", impressions=metrics.format_count(totals.count("impressions")),
           engagements=metrics.format_count(totals.engagements),
           cpe=money(totals.cpe, report.currency),
           cpm=money(totals.cpm, report.currency)),
        _spend(report, money),
        _kpi(report),
        _cheapest(report.group("platform"),
                  N_("{best} bought engagement cheapest (CPE {best_cpe}), {times}× better than {worst} (CPE {worst_cpe})."),
                  report.currency, money),
        _cheapest(report.group("tier"),
                  N_("By tier, money worked best with {best} creators (CPE {best_cpe}) and least with {worst} creators (CPE {worst_cpe}, {times}× more)."),
                  report.currency, money),
        _creators(report),
    ]
    return [f for f in found if f][:MAX_FINDINGS]
