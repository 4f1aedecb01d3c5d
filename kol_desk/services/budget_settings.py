"""The Budget tab's workspace setting: from which share of its allocation a campaign
shows as "near" (default 90 %). Stored in the ``settings`` table so the whole team sees
the same colours."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from kol_desk.errors import BadInputError
from kol_desk.i18n import tr
from kol_desk.models import Setting
from kol_desk.store.database import Workspace

NEAR_SETTING = "budget.near_allocation_percent"
DEFAULT_NEAR_PERCENT = Decimal(90)


def near_percent(workspace: Workspace) -> Decimal:
    with workspace.session() as session:
        value = session.scalar(select(Setting.value).where(Setting.key == NEAR_SETTING))
    try:
        percent = Decimal(str(value)) if value is not None else DEFAULT_NEAR_PERCENT
    except InvalidOperation:
        return DEFAULT_NEAR_PERCENT
    return percent if 0 < percent <= 100 else DEFAULT_NEAR_PERCENT


def near_share(workspace: Workspace) -> Decimal:
    return near_percent(workspace) / 100


def set_near_percent(workspace: Workspace, percent: Decimal) -> None:
    if not 0 < percent <= 100:
        raise BadInputError(tr("The warning level must be a percentage above 0 and at most 100."))
    with workspace.transaction() as session:
        setting = session.scalar(select(Setting).where(Setting.key == NEAR_SETTING))
        if setting is None:
            session.add(Setting(key=NEAR_SETTING, value=str(percent)))
        else:
            setting.value = str(percent)
