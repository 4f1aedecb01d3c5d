"""The four-layer report on hand-computed cases (tests/report_factory.py), including zero
and missing denominators, scopes, groups with best/worst marks, and the key findings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kol_desk.i18n import set_language
from kol_desk.models import Campaign
from kol_desk.services.reports import ReportScope, build_report
from kol_desk.store.database import Workspace
from tests import report_factory


def test_totals_cost_metrics_and_layers_on_a_hand_computed_case(workspace: Workspace) -> None:
    ids = report_factory.build(workspace)
    report = build_report(workspace, ReportScope((ids.spring,)))
    t = report.totals
    # the dropped collaboration never counts; Tao counts with its T+21 snapshot
    assert sorted(p.collaboration_id for p in report.posts) == [ids.tao, ids.leo]
    assert t.posts == 2 and t.cost == Decimal("25000")
    assert t.count("impressions") == 250_000 and t.count("views") == 100_000
    assert t.engagements == 3000 and t.count("clicks") == 500 and t.count("orders") == 40
    assert t.revenue == Decimal("12000")
    assert t.cpm == Decimal("100")
    assert t.cpv == Decimal("0.25")
    assert round(t.cpe, 4) == Decimal("8.3333")  # type: ignore[arg-type]
    assert t.cpc == Decimal("50") and t.cpa == Decimal("625")
    assert t.roi == Decimal("-0.52") and t.roas == Decimal("0.48")
    assert t.cac is None  # no new customers reported: "—", never 0
    # engagement rate on views, using only the posts that report views
    assert t.engagement_rate.value == Decimal("0.02") and t.engagement_rate.basis == "views"
    assert t.score("score_brand_fit") == Decimal(5) and t.count("new_followers") == 300
    assert t.count("promo_uses") is None


def test_zero_and_missing_denominators_per_platform(workspace: Workspace) -> None:
    ids = report_factory.build(workspace)
    report = build_report(workspace, ReportScope((ids.spring,)))
    rows = {r.key: r for r in report.group("platform")}
    douyin = rows["douyin"].totals
    assert douyin.cpm is None  # 0 impressions
    assert douyin.cpv is None  # views unknown
    assert douyin.cpc is None  # 0 clicks
    assert douyin.cpa is None and douyin.roi is None and douyin.roas is None
    assert douyin.cpe == Decimal("20")
    assert douyin.engagement_rate.value == Decimal("0.0005") and douyin.engagement_rate.basis == "followers"
    xhs = rows["xiaohongshu"].totals
    assert (xhs.cpm, xhs.cpv, xhs.cpe, xhs.cpc, xhs.cpa) == (
        Decimal("20"), Decimal("0.05"), Decimal("2.5"), Decimal("10"), Decimal("125"))
    assert xhs.roi == Decimal("1.4") and xhs.roas == Decimal("2.4")
    # best and worst: only metrics with two known values get marks
    assert rows["xiaohongshu"].marks == {"cpe": "best"}
    assert rows["douyin"].marks == {"cpe": "worst"}


def test_groups_by_tier_agency_creator_and_campaign(workspace: Workspace) -> None:
    ids = report_factory.build(workspace)
    report = build_report(workspace, ReportScope((ids.spring,)))
    assert [r.key for r in report.group("tier")] == ["micro", "top"]
    agencies = {r.label: r.totals.posts for r in report.group("agency")}
    assert agencies == {"青柚文化": 1, "No agency": 1}
    assert [r.label for r in report.group("creator")] == ["Leo", "甜桃"]  # biggest cost first
    assert [r.label for r in report.group("campaign")] == ["Spring"]


def test_kpis_and_money_against_budget(workspace: Workspace) -> None:
    ids = report_factory.build(workspace)
    report = build_report(workspace, ReportScope((ids.spring,)))
    progress = {k.name: k.progress for k in report.kpis}
    assert progress == {"impressions": Decimal("0.25"), "engagements": Decimal("0.3"),
                        "clicks": None, "orders": Decimal("0.4"), "revenue": Decimal("0.24")}
    money = report.money
    assert money.budget == Decimal("100000") and money.spent == Decimal("16000")
    assert money.committed == Decimal("12000") and money.left_of_plan == Decimal("72000")
    assert money.spent_share == Decimal("0.16")


def test_scopes_period_tier_platform_agency(workspace: Workspace) -> None:
    ids = report_factory.build(workspace)

    def posts(**scope: object) -> list[int]:
        report = build_report(workspace, ReportScope((ids.spring,), **scope))  # type: ignore[arg-type]
        return sorted(p.collaboration_id for p in report.posts)

    assert posts(end=date(2026, 11, 10)) == [ids.tao]
    assert posts(start=date(2026, 11, 10)) == [ids.leo]
    assert posts(tier="top") == [ids.leo]
    assert posts(platform="xiaohongshu") == [ids.tao]
    assert posts(agency_id=ids.agency) == [ids.tao]
    # money follows the same scope: the agency's creators are Tao (paid 5,000) and
    # Waiting (paid 1,000, 2,000 committed)
    money = build_report(workspace, ReportScope((ids.spring,), agency_id=ids.agency)).money
    assert (money.spent, money.committed) == (Decimal("6000"), Decimal("2000"))


def test_several_campaigns_and_all_campaigns(workspace: Workspace) -> None:
    ids = report_factory.build(workspace)
    both = build_report(workspace, ReportScope((ids.spring, ids.quiet)))
    assert both.campaigns == [(ids.spring, "Spring"), (ids.quiet, "Quiet")]
    assert both.money.budget == Decimal("120000") and both.totals.posts == 2
    everything = build_report(workspace, ReportScope())
    assert everything.scope.campaign_ids == (ids.spring, ids.quiet)
    quiet = build_report(workspace, ReportScope((ids.quiet,)))
    assert quiet.totals.posts == 0 and quiet.totals.cpe is None and quiet.totals.cost_or_none is None
    assert quiet.findings[0].startswith("No results have been entered")


def test_key_findings_are_written_from_the_data(workspace: Workspace) -> None:
    ids = report_factory.build(workspace)
    findings = build_report(workspace, ReportScope((ids.spring,))).findings
    assert 3 <= len(findings) <= 5
    assert findings[0] == ("2 posts reached 250,000 impressions and 3,000 engagements at a CPE "
                           "of ¥8.33 and a CPM of ¥100.00.")
    assert findings[1] == ("Spent ¥16,000.00 of the ¥100,000.00 planned budget (16.00%); ¥12,000.00 more "
                           "is committed and ¥72,000.00 remains.")
    assert findings[2] == ("Orders is furthest ahead at 40.00% of its target; Revenue lags at 24.00%.")
    assert findings[3] == ("Xiaohongshu bought engagement cheapest (CPE ¥2.50), 8.0× better than "
                           "Douyin (CPE ¥20.00).")
    set_language("zh_CN")
    chinese = build_report(workspace, ReportScope((ids.spring,))).findings
    assert chinese[3].startswith("小红书的互动成本最低（CPE ¥2.50）")


def test_over_budget_is_said_so_not_as_negative_money(workspace: Workspace) -> None:
    ids = report_factory.build(workspace)
    with workspace.transaction() as session:
        spring = session.get(Campaign, ids.spring)
        assert spring is not None
        spring.budget = Decimal("20000")
    report = build_report(workspace, ReportScope((ids.spring,)))
    assert report.money.left_of_plan == Decimal("-8000")
    assert report.findings[1] == ("Spent ¥16,000.00 of the ¥20,000.00 planned budget (80.00%); with ¥12,000.00 "
                                  "more committed, the budget is exceeded by ¥8,000.00.")


def test_demo_report_has_results_and_findings(demo_workspace: Workspace) -> None:
    report = build_report(demo_workspace, ReportScope())
    assert len(report.campaigns) == 4 and report.totals.posts > 10
    assert report.totals.cpe is not None and report.totals.engagement_rate.basis == "views"
    assert 3 <= len(report.findings) <= 5
    creators = report.group("creator")
    assert sum(r.totals.posts for r in creators) == report.totals.posts
    assert sum(r.totals.cost for r in creators) == report.totals.cost
