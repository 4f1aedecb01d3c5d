"""Service errors are English templates with their values: the same raised error reads in
Chinese once the user's language is Chinese, names the campaign, card or file involved,
and says what to do."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kol_desk.domain import Stage
from kol_desk.errors import BadInputError, KnownError
from kol_desk.i18n import set_language
from kol_desk.models import Campaign
from kol_desk.services import board as board_service
from kol_desk.services import collaboration as card_service
from kol_desk.services.approval import SheetRow, plan_approval
from kol_desk.services.campaigns import load_campaign, set_archived
from kol_desk.services.conflicts import VersionConflict, save_fields
from kol_desk.services.import_reading import check_mapping
from kol_desk.services.shortlist import ShortlistError, add_to_campaign
from kol_desk.store.database import Workspace
from tests.campaign_factory import make_account, make_campaign


def _in_chinese(error: KnownError) -> str:
    set_language("zh_CN")
    try:
        return str(error)
    finally:
        set_language("en")


def test_a_missing_campaign_is_named_in_either_language(workspace: Workspace) -> None:
    with pytest.raises(BadInputError) as raised:
        load_campaign(workspace, 4242)
    assert str(raised.value) == "Campaign 4242 no longer exists; refresh the list."
    assert _in_chinese(raised.value) == "项目 4242 已不存在；请刷新列表。"


def test_an_archived_campaign_refuses_creators_in_chinese(workspace: Workspace) -> None:
    campaign = make_campaign(workspace, name="双十一")
    set_archived(workspace, campaign, True)
    with pytest.raises(ShortlistError) as raised:
        add_to_campaign(workspace, campaign, [make_account(workspace, "Alice")])
    assert _in_chinese(raised.value) == "项目“双十一”已归档；请先恢复它。"


def test_a_publication_refusal_lists_what_is_missing_in_chinese(workspace: Workspace) -> None:
    campaign = make_campaign(workspace)
    (card,) = add_to_campaign(workspace, campaign, [make_account(workspace, "Alice")]).added
    card_service.update_card(workspace, card, {"agreed_fee": Decimal("6000")})
    with pytest.raises(board_service.MoveRefused) as raised:
        board_service.move(workspace, card, Stage.PUBLISHED)
    assert raised.value.missing == ("post_url", "post_date", "ad_disclosure")
    assert str(raised.value).startswith("A card can only be published with the post URL, the "
                                        "post date, the ad-disclosure check on the card")
    assert _in_chinese(raised.value) == ("卡片需要填写发布链接、发布日期、广告标识确认才能进入"
                                         "“已发布”（或者填写强制推进的理由，理由会被记录）。")
    with pytest.raises(board_service.CardNotFound) as gone:
        board_service.move(workspace, card + 100, Stage.CONTACTED)
    assert _in_chinese(gone.value) == f"卡片 {card + 100} 已不存在；请刷新看板。"


def test_a_bad_percentage_names_its_field_in_chinese(workspace: Workspace) -> None:
    campaign = make_campaign(workspace)
    (card,) = add_to_campaign(workspace, campaign, [make_account(workspace, "Alice")]).added
    with pytest.raises(BadInputError) as raised:
        card_service.update_card(workspace, card, {"rebate_pct": Decimal("120")})
    assert str(raised.value) == "The rebate is a percentage from 0 to 100."
    assert _in_chinese(raised.value) == "返点是 0 到 100 之间的百分比。"


def test_why_a_mapping_cannot_be_used_is_translated_where_shown() -> None:
    why = check_mapping({"columns": {"粉丝": "fans"}})
    assert why is not None
    error = BadInputError("Cannot use the mapping in '{file}': {reason}.", file="m.json", reason=why)
    assert "'粉丝' is mapped to 'fans', which is not a field" in str(error)
    assert _in_chinese(error).startswith("无法使用“m.json”中的列对应关系：“粉丝”对应到“fans”，但这不是可用的字段（")


def test_rows_of_the_approval_sheet_it_cannot_use_are_told_in_chinese(workspace: Workspace) -> None:
    campaign = make_campaign(workspace)
    set_language("zh_CN")
    try:
        plan = plan_approval(workspace, campaign, [SheetRow(4, "", "同意", None),
                                                   SheetRow(5, "no-such-card", "同意", None)])
    finally:
        set_language("en")
    assert plan.problems == ["第 4 行：没有卡片编号，无法对应；已跳过。",
                             "第 5 行：未知的卡片编号 no-such-card；已跳过。"]


def test_risky_creators_are_named_with_their_risk_in_chinese(workspace: Workspace) -> None:
    campaign = make_campaign(workspace)
    accounts = [make_account(workspace, "Mallory", blacklisted=True),
                make_account(workspace, "Eve", risk_level="medium")]
    with pytest.raises(ShortlistError) as raised:
        add_to_campaign(workspace, campaign, accounts)
    assert str(raised.value).startswith("2 creator(s) are blacklisted or risk-flagged "
                                        "(Mallory (blacklisted), Eve (Medium risk));")
    assert _in_chinese(raised.value) == ("2 位达人已被拉黑或标记了风险（Mallory（黑名单）、Eve（中风险））；"
                                         "如仍要添加，请确认并填写理由。")


def test_a_save_over_a_newer_version_is_refused_in_chinese(workspace: Workspace) -> None:
    cid = make_campaign(workspace, name="双十一")
    with workspace.session() as session:
        stored = session.get(Campaign, cid)
        assert stored is not None
        version = stored.version
    save_fields(workspace, Campaign, cid, version, {"notes": "theirs"})
    with pytest.raises(VersionConflict) as raised:
        save_fields(workspace, Campaign, cid, version, {"notes": "mine"}, title="双十一")
    assert raised.value.conflict.their_user is None  # no user name set: "someone else"
    assert _in_chinese(raised.value).startswith(
        f"您编辑期间，其他人 修改了 双十一（版本 {version} → {version + 1}）；未保存任何内容。")
