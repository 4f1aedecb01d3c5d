from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from kol_desk.models import Collaboration, StageChange
from kol_desk.services.shortlist import ShortlistError, add_to_campaign, needs_confirmation
from kol_desk.store.database import Workspace
from tests.campaign_factory import make_account, make_campaign


def test_adds_shortlisted_cards_with_history_and_quoted_fee(workspace: Workspace) -> None:
    campaign = make_campaign(workspace)
    a = make_account(workspace, "Alice")
    b = make_account(workspace, "Bob", price=None)

    result = add_to_campaign(workspace, campaign, [a, b, a], user="li")

    assert result.added_accounts == [a, b]
    with workspace.session() as s:
        cards = s.scalars(select(Collaboration).order_by(Collaboration.id)).all()
        assert [(c.account_id, c.stage) for c in cards] == [(a, "shortlisted"), (b, "shortlisted")]
        assert cards[0].quoted_fee == Decimal("8000.00")
        assert cards[1].quoted_fee is None
        history = s.scalars(select(StageChange).order_by(StageChange.id)).all()
        assert [(h.from_stage, h.to_stage, h.changed_by) for h in history] == [
            (None, "shortlisted", "li"), (None, "shortlisted", "li")]
        assert all(h.changed_at is not None for h in history)


def test_skips_accounts_already_on_the_campaign(workspace: Workspace) -> None:
    campaign = make_campaign(workspace)
    a = make_account(workspace, "Alice")
    b = make_account(workspace, "Bob")
    add_to_campaign(workspace, campaign, [a])

    result = add_to_campaign(workspace, campaign, [a, b, 9999])

    assert result.added_accounts == [b]
    assert result.already_on_campaign == [a]
    assert result.unknown_accounts == [9999]


def test_risky_creators_are_refused_without_a_reason_and_nothing_is_added(
    workspace: Workspace,
) -> None:
    campaign = make_campaign(workspace)
    ok = make_account(workspace, "Alice")
    banned = make_account(workspace, "Mallory", blacklisted=True)
    flagged = make_account(workspace, "Eve", risk_level="medium")

    notices = needs_confirmation(workspace, [ok, banned, flagged])
    assert [(n.nickname, n.blacklisted, n.risk_level) for n in notices] == [
        ("Mallory", True, "none"), ("Eve", False, "medium")]
    assert notices[0].reason == "deleted a post"

    with pytest.raises(ShortlistError, match="Mallory"):
        add_to_campaign(workspace, campaign, [ok, banned, flagged])
    with workspace.session() as s:
        assert s.scalar(select(Collaboration.id)) is None

    result = add_to_campaign(workspace, campaign, [ok, banned, flagged],
                             override_reason="  boss approved  ")
    assert sorted(result.overridden) == sorted([banned, flagged])
    with workspace.session() as s:
        reasons = dict(s.execute(select(Collaboration.account_id,
                                        Collaboration.risk_override_reason)).all())
    assert reasons == {ok: None, banned: "boss approved", flagged: "boss approved"}


def test_archived_campaign_is_refused(workspace: Workspace) -> None:
    from kol_desk.models.base import utcnow

    campaign = make_campaign(workspace, archived_at=utcnow())
    a = make_account(workspace, "Alice")
    with pytest.raises(ShortlistError, match="archived"):
        add_to_campaign(workspace, campaign, [a])


def test_an_import_lists_every_account_it_brought_also_one_without_a_price(
        workspace: Workspace, tmp_path: Path) -> None:
    """The wizard's last page counts these: a new account whose row had no price is
    one of the accounts the list brought."""
    from kol_desk.services.import_commit import commit_plan
    from kol_desk.services.shortlist import accounts_of_import
    from tests.importing.test_commit import plan_for, write_list

    rows = [["小桃子", "小红书", "taozi01", "1.2w", "3.2%", "5000", "美妆", ""],
            ["阿飞说车", "抖音", "afei_car", "35万", "2.1%", "", "汽车", ""],
            ["糖糖", "B站", "778899", "8000", "-", "3000", "游戏", ""]]
    result = commit_plan(workspace, plan_for(workspace, write_list(tmp_path / "l.xlsx", rows)))
    listed = accounts_of_import(workspace, result.batch_id)
    assert len(listed) == 3 == result.summary["creators_new"]
