"""Two people on one database, through two real connections, on SQLite and PostgreSQL:
conflicting edits, who did what, a move seen by the other window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from kol_desk.models import Activity, Campaign, Collaboration
from kol_desk.services import activity, board
from kol_desk.services.conflicts import (
    Resolution,
    Side,
    VersionConflict,
    resolve,
    save_fields,
)
from kol_desk.store.database import Workspace
from kol_desk.store.migrate import open_workspace


def same_database(workspace: Workspace) -> Workspace:
    """A second, independent connection (its own engine and pool) to the same data."""
    return open_workspace(workspace.url.render_as_string(hide_password=False))


@pytest.fixture
def colleague(workspace: Workspace) -> Iterator[Workspace]:
    other = same_database(workspace)
    activity.set_user(workspace, "Amy")
    activity.set_user(other, "Bo")
    yield other
    other.dispose()


def campaign(ws: Workspace, **values: object) -> tuple[int, int]:
    with ws.transaction() as s:
        row = Campaign(name="双11 面膜", budget=Decimal("50000.00"), **values)
        s.add(row)
    return row.id, row.version


def stored(ws: Workspace, campaign_id: int) -> Campaign:
    with ws.session() as s:
        row = s.get(Campaign, campaign_id)
        assert row is not None
        return row


def test_saving_over_a_colleagues_change_is_refused_and_shows_both(
        workspace: Workspace, colleague: Workspace) -> None:
    cid, version = campaign(workspace, notes="初稿")
    base = {"name": "双11 面膜", "budget": Decimal("50000.00"), "notes": "初稿"}
    # Bo saves first, from the same version Amy opened.
    save_fields(colleague, Campaign, cid, version, {"budget": Decimal("60000.00"), "notes": "初稿"},
                base=base)
    with pytest.raises(VersionConflict) as caught:
        save_fields(workspace, Campaign, cid, version,
                    {"name": "双11 面膜大促", "budget": Decimal("55000.00"), "notes": "初稿"},
                    base=base, title="双11 面膜")
    conflict = caught.value.conflict
    assert "Bo" in str(caught.value) and conflict.their_user == "Bo"
    assert (conflict.my_version, conflict.their_version) == (version, version + 1)
    by_name = {f.name: f for f in conflict.fields}
    assert by_name["budget"].mine == Decimal("55000.00")
    assert by_name["budget"].theirs == Decimal("60000.00")
    assert [f.name for f in conflict.clashing] == ["budget"]
    # Nothing of Amy's was written.
    assert stored(workspace, cid).budget == Decimal("60000.00")
    assert stored(workspace, cid).name == "双11 面膜"

    # Merge: Amy's new name (only she changed it) and, for the clash, Bo's budget.
    resolve(conflict, Resolution(choices={"budget": Side.THEIRS}))
    final = stored(colleague, cid)
    assert (final.name, final.budget, final.version) == ("双11 面膜大促", Decimal("60000.00"), version + 2)


def test_keep_mine_and_keep_theirs(workspace: Workspace, colleague: Workspace) -> None:
    cid, version = campaign(workspace)
    base = {"budget": Decimal("50000.00")}
    save_fields(colleague, Campaign, cid, version, {"budget": Decimal("1.00")}, base=base)
    with pytest.raises(VersionConflict) as caught:
        save_fields(workspace, Campaign, cid, version, {"budget": Decimal("2.00")}, base=base)
    assert resolve(caught.value.conflict, Resolution(keep=Side.THEIRS)) is None
    assert stored(workspace, cid).budget == Decimal("1.00")
    resolve(caught.value.conflict, Resolution(keep=Side.MINE))
    assert stored(colleague, cid).budget == Decimal("2.00")


def test_resolving_over_a_third_change_is_refused_again(
        workspace: Workspace, colleague: Workspace) -> None:
    cid, version = campaign(workspace)
    save_fields(colleague, Campaign, cid, version, {"notes": "Bo 1"})
    with pytest.raises(VersionConflict) as first:
        save_fields(workspace, Campaign, cid, version, {"notes": "Amy"})
    save_fields(colleague, Campaign, cid, version + 1, {"notes": "Bo 2"})
    with pytest.raises(VersionConflict):
        resolve(first.value.conflict, Resolution(keep=Side.MINE))
    assert stored(workspace, cid).notes == "Bo 2"


def test_a_change_committed_between_read_and_write_is_caught(
        workspace: Workspace, colleague: Workspace) -> None:
    """The ORM's version check (not only ours) stops the lost update: Amy's session read
    version 1, Bo committed version 2, Amy's UPDATE ... WHERE version = 1 finds nothing."""
    cid, _ = campaign(workspace)
    mine = workspace.session()
    row = mine.get(Campaign, cid)
    assert row is not None
    save_fields(colleague, Campaign, cid, 1, {"notes": "Bo"})
    row.notes = "Amy"
    from sqlalchemy.orm.exc import StaleDataError

    with pytest.raises(StaleDataError):
        mine.commit()
    mine.close()
    assert stored(workspace, cid).notes == "Bo"


def test_a_deleted_record_is_a_conflict_too(workspace: Workspace, colleague: Workspace) -> None:
    cid, version = campaign(workspace)
    with colleague.transaction() as s:
        s.delete(s.get(Campaign, cid))
    with pytest.raises(VersionConflict) as caught:
        save_fields(workspace, Campaign, cid, version, {"notes": "x"})
    assert caught.value.conflict.deleted
    assert "deleted by Bo" in str(caught.value)


def test_who_did_what_is_logged(demo_workspace: Workspace) -> None:
    other = same_database(demo_workspace)
    activity.set_user(demo_workspace, "Amy")
    activity.set_user(other, "Bo")
    try:
        with demo_workspace.session() as s:
            card = s.scalars(select(Collaboration).where(Collaboration.stage == "shortlisted")
                             .order_by(Collaboration.id)).first()
            assert card is not None
        before = activity.change_stamp(other)
        board.move(demo_workspace, card.id, "contacted", user="Amy")
        cid, version = campaign(other)
        save_fields(demo_workspace, Campaign, cid, version, {"notes": "KPI 改了"})

        # Bo's window notices that something changed, and sees the card in its new column.
        assert activity.change_stamp(other) > before
        cards = {c.id: c for c in board.board_cards(other, card.campaign_id, today=date(2026, 11, 20))}
        assert cards[card.id].stage == "contacted"

        lines = activity.recent(other, limit=10)
        described = [(a.user, a.action, a.entity) for a in lines]
        assert described[:3] == [("Amy", "edit", "campaigns"), ("Bo", "create", "campaigns"),
                                 ("Amy", "move", "collaborations")]
        move = lines[2]
        assert move.details == {"from": "shortlisted", "to": "contacted"}
        with other.session() as s:
            from kol_desk.models import Creator

            assert move.summary == s.get(Creator, card.creator_id).nickname  # type: ignore[union-attr]
        assert lines[0].details == {"fields": ["notes"]}
        assert [a.action for a in activity.recent(other, entity="campaigns", entity_id=cid)] == [
            "edit", "create"]
        assert activity.users(other) == ["Amy", "Bo"]
    finally:
        other.dispose()


def test_nothing_is_logged_for_an_unnamed_connection(workspace: Workspace) -> None:
    campaign(workspace)
    with workspace.session() as s:
        assert s.scalars(select(Activity)).all() == []


def test_an_import_logs_one_line_with_its_counts(workspace: Workspace) -> None:
    activity.set_user(workspace, "Amy")
    with workspace.transaction() as s:
        activity.record(s, "import", "import_batches", 7, summary="星耀 双11.xlsx",
                        details={"creators_new": 12})
    (line,) = activity.recent(workspace)
    assert (line.user, line.action, line.summary, line.details) == (
        "Amy", "import", "星耀 双11.xlsx", {"creators_new": 12})


def test_the_demo_workspace_takes_new_records(demo_workspace: Workspace) -> None:
    """The demo writes creators with explicit ids; on PostgreSQL the id counters must be
    moved past them, or the first creator a user adds collides with creator 1."""
    from kol_desk.models import Creator

    with demo_workspace.transaction() as s:
        newcomer = Creator(nickname="新来的", search_text="新来的")
        s.add(newcomer)
    with demo_workspace.session() as s:
        assert newcomer.id == s.scalar(select(func.max(Creator.id)))


def test_a_core_import_connection_can_log_too(workspace: Workspace) -> None:
    activity.set_user(workspace, "Bo")
    with workspace.engine.begin() as conn:
        activity.record(conn, "import", "import_batches", 3, summary="青柚.xlsx")
    assert [(a.user, a.summary) for a in activity.recent(workspace)] == [("Bo", "青柚.xlsx")]


def test_a_creators_and_a_cards_history_name_the_user(workspace: Workspace,
                                                      colleague: Workspace) -> None:
    """What the creator page and the card show: creates, edits, account changes, stage
    moves, payments and the import that brought the prices, each with who and when."""
    from dataclasses import replace

    from kol_desk.models import PlatformAccount
    from kol_desk.services import campaigns, creator_edit, payments
    from kol_desk.services.campaigns import CampaignInput
    from kol_desk.services.collaboration import update_card
    from kol_desk.services.import_commit import commit_plan
    from kol_desk.services.import_plan import build_plan
    from kol_desk.services.import_reading import read_list
    from kol_desk.services.shortlist import add_to_campaign
    from tests.conftest import AGENCY_LISTS

    listing = AGENCY_LISTS / "p01_xhs_double11_mcn.xlsx"
    if not listing.exists():
        pytest.skip(f"the shared agency-list sample {listing} is absent")
    commit_plan(workspace, build_plan(workspace, read_list(workspace, listing, agency="星耀"),
                                      agency="星耀"))
    with workspace.session() as s:
        account = s.scalars(select(PlatformAccount).order_by(PlatformAccount.id)).first()
        assert account is not None
    creator_id = account.creator_id
    fields, loaded = creator_edit.read_for_edit(colleague, creator_id)
    creator_edit.update_creator(colleague, creator_id, replace(fields, city="成都"), loaded=loaded)
    creator_edit.update_account(workspace, account.id, creator_edit.read_account(workspace, account.id))
    campaign_id = campaigns.create_campaign(workspace, CampaignInput("618"))
    add_to_campaign(workspace, campaign_id, [account.id])
    with workspace.session() as s:
        card = s.scalars(select(Collaboration.id)).one()
    board.move(colleague, card, "contacted")
    update_card(workspace, card, {"agreed_fee": Decimal("3000.00")})
    (payment,) = payments.set_payment_plan(colleague, card, [("full", Decimal("3000.00"), None)])
    payments.mark_paid(workspace, payment, date(2026, 11, 25), "支付宝", None)

    creator_lines = activity.creator_history(colleague, creator_id)
    seen = [(a.user, a.action, a.entity) for a in creator_lines]
    assert seen[-1] == ("Amy", "import", "import_batches")
    assert ("Bo", "edit", "creators") in seen
    assert ("Bo", "move", "collaborations") in seen
    assert ("Amy", "create", "collaborations") in seen
    assert all(a.at is not None for a in creator_lines)
    assert [a.at for a in creator_lines] == sorted((a.at for a in creator_lines), reverse=True)

    card_lines = [(a.user, a.action, a.entity) for a in activity.card_history(workspace, card)]
    assert card_lines[0] == ("Amy", "paid", "payment")
    assert ("Bo", "create", "payments") in card_lines
    assert ("Amy", "edit", "collaborations") in card_lines
    assert ("Bo", "move", "collaborations") in card_lines
    # The campaign's and the creator's own entries belong to other histories.
    assert {entity for _u, _a, entity in card_lines} == {"collaborations", "payments", "payment"}
