"""The Activity log and the conflict dialog name a record's fields as people know them —
"Phone", "Risk level", "电话" — never as stored columns ("contact_phone", "contact
phone"), in the window's language; and every column a log entry can name has a label."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kol_desk.i18n import set_language, tr
from kol_desk.labels import (
    RECORD_FIELD_LABELS,
    RECORD_FIELD_OVERRIDES,
    RECORD_FIELDS_UNSHOWN,
    record_field_label,
)
from kol_desk.models import Collaboration, Creator, PlatformAccount, Quote, Record
from kol_desk.preferences import Preferences
from kol_desk.services import activity, creator_edit, quote_edit
from kol_desk.services.collaboration import update_card
from kol_desk.services.conflicts import VersionConflict
from kol_desk.store.database import Workspace
from kol_desk.ui.campaigns.card_dialog import CardDialog
from kol_desk.ui.context import AppContext
from kol_desk.ui.dialogs.activity import ActivityDialog, entity_label
from kol_desk.ui.dialogs.conflict import FIELD, ConflictDialog
from tests.raw_keys import raw_key, raw_keys_in_line

# Every table a log entry names an edited column of: the ORM-logged ones, and quotes
# (services/quote_edit logs a quote corrected by hand itself).
LOGGED: list[type[Record]] = [*activity.TRACKED, Quote]


def _columns(model: type[Record]) -> list[str]:
    return [attr.key for attr in model.__mapper__.column_attrs]


STORED_NAMES = {column for model in LOGGED for column in _columns(model) if "_" in column}


@pytest.fixture(params=["en", "zh_CN"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    set_language(request.param)
    yield request.param
    set_language("en")


def test_every_logged_column_has_a_label_or_is_never_shown() -> None:
    for model in LOGGED:
        table = model.__tablename__
        own = RECORD_FIELD_OVERRIDES.get(table, {})
        for column in _columns(model):
            labelled = column in RECORD_FIELD_LABELS or column in own
            assert labelled != (column in RECORD_FIELDS_UNSHOWN), (
                f"{table}.{column}: give it a label in kol_desk.labels, or list it as "
                "never shown (and say why)" if not labelled else
                f"{table}.{column} is both labelled and listed as never shown")
        assert entity_label(table) != table, f"the Activity view has no name for {table}"
    # An override names a real column of its table, not a typo that silently does nothing.
    tables = {model.__tablename__: set(_columns(model)) for model in LOGGED}
    for table, columns in RECORD_FIELD_OVERRIDES.items():
        assert set(columns) <= tables[table], table


def test_a_column_without_a_label_still_reads_as_words(language: str) -> None:
    assert record_field_label("creators", "some_new_column") == "Some new column"
    assert record_field_label("creators", "contact_phone") == tr("Phone")
    # One column name, two meanings: a card's channel is named as its form names it.
    assert record_field_label("collaborations", "channel") == tr("Channel (报备 / 水下)")
    assert record_field_label("quotes", "channel") == tr("Channel")


def _described(qtbot: QtBot, workspace: Workspace, user: str) -> list[str]:
    dialog = ActivityDialog(workspace)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.loading)
    model = dialog.model
    return [model.index(r, 2).data() for r in range(model.rowCount())
            if model.index(r, 1).data() == user]


def test_activity_names_edited_fields_in_the_window_s_language(
        qtbot: QtBot, demo_workspace: Workspace, language: str) -> None:
    ws = demo_workspace
    with ws.session() as s:
        card = s.execute(select(Collaboration.id, Creator.nickname)
                         .join(Creator, Creator.id == Collaboration.creator_id)
                         .where(Creator.risk_level != "high").limit(1)).one()
        creator_id, nickname = s.execute(
            select(Creator.id, Creator.nickname)
            .where(Creator.deleted_at.is_(None), Creator.risk_level == "none").limit(1)).one()
        quote_id, handle = s.execute(
            select(Quote.id, PlatformAccount.handle_display)
            .join(PlatformAccount, PlatformAccount.id == Quote.account_id)
            .where(Quote.price_unknown.is_(False), Quote.price_min.is_not(None)).limit(1)).one()
    activity.set_user(ws, "小王")

    fields, _seen = creator_edit.read_for_edit(ws, creator_id)
    creator_edit.update_creator(ws, creator_id, replace(
        fields, contact_phone="13800138000", risk_level="medium", risk_reason="刷量"))
    update_card(ws, card.id, {"agreed_fee": Decimal("12345.00")})
    quote, _seen = quote_edit.read_quote_for_edit(ws, quote_id)
    price = (quote.price_min or Decimal(0)) + 100
    quote_edit.update_quote(ws, quote_id, replace(quote, price_min=price, price_max=price))

    lines = _described(qtbot, ws, "小王")
    if language == "zh_CN":
        assert f"编辑达人 {nickname}：电话、风险等级、风险原因" in lines
        assert f"编辑合作卡片 {card.nickname}：确定费用" in lines
        assert f"编辑报价 {handle}：价格（下限）、价格（上限）" in lines
    else:
        assert f"Edited creator {nickname}: Phone, Risk level, Risk reason" in lines
        assert f"Edited card {card.nickname}: Agreed fee" in lines
        assert f"Edited quote {handle}: Price (low end), Price (high end)" in lines
    assert len(lines) == 3, lines  # the card's derived net fee is no edit of its own
    # "contact phone" is a column with its "_" replaced, not a label; "agreed fee" is both.
    labels = [record_field_label(model.__tablename__, c).lower()
              for model in LOGGED for c in _columns(model)]
    for line in lines:
        assert raw_key(line) is None and raw_keys_in_line(line) == [], line
        spoken = line.lower()
        leaked = [c for c in STORED_NAMES if c in spoken or (
            (words := c.replace("_", " ")) in spoken and not any(words in label for label in labels))]
        assert not leaked, f"{line!r} names stored columns {leaked}"


def test_an_older_entry_naming_bookkeeping_shows_only_what_people_edit(
        qtbot: QtBot, workspace: Workspace) -> None:
    with workspace.transaction() as s:
        activity.record(s, "edit", "platform_accounts", 1, summary="@taozi", user="小王",
                        details={"fields": ["handle", "handle_display", "profile_url_key",
                                            "updated_at"]})
    assert _described(qtbot, workspace, "小王") == ["Edited account @taozi: Handle"]


def _creator_conflict(ws: Workspace) -> VersionConflict:
    with ws.session() as s:
        creator_id = s.scalar(select(Creator.id).where(Creator.deleted_at.is_(None)).limit(1))
    assert creator_id is not None
    fields, seen = creator_edit.read_for_edit(ws, creator_id)
    creator_edit.update_creator(ws, creator_id, replace(fields, contact_phone="13900000000"),
                                loaded=seen)  # a colleague's save
    try:
        creator_edit.update_creator(ws, creator_id, replace(
            fields, contact_phone="13800000000", contact_wechat="taozi_wx"), loaded=seen)
    except VersionConflict as exc:
        return exc
    raise AssertionError("the stale save went through")


def test_conflict_dialog_names_fields_from_the_same_labels(
        qtbot: QtBot, demo_workspace: Workspace, language: str) -> None:
    error = _creator_conflict(demo_workspace)
    dialog = ConflictDialog(error.conflict)
    qtbot.addWidget(dialog)
    model = dialog.model
    names = [model.index(r, FIELD).data() for r in range(model.rowCount())]
    assert names == [tr("Phone"), tr("WeChat")]
    if language == "zh_CN":
        assert names == ["电话", "微信"]


def test_card_form_and_activity_log_name_a_card_s_fields_alike(
        qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path, language: str) -> None:
    """The card conflict dialog uses the form's own labels: they are the log's."""
    with demo_workspace.session() as s:
        card_id = s.scalar(select(Collaboration.id).limit(1))
    assert card_id is not None
    context = AppContext(demo_workspace, Preferences(tmp_path / "p.json"), QUndoStack())
    dialog = CardDialog(context, card_id)
    qtbot.addWidget(dialog)
    form = dialog.labels()
    assert form == {name: record_field_label("collaborations", name) for name in form}
