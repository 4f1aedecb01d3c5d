"""Named filter sets of the Creators list, kept in the workspace's settings table so
they travel with the data (and are shared on a team server)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kol_desk.models import Setting
from kol_desk.services.creator_filters import CreatorFilter
from kol_desk.store.database import Workspace

SETTING_KEY = "creators.saved_filters"


def _all(workspace: Workspace) -> dict[str, Any]:
    with workspace.session() as session:
        value = session.scalar(select(Setting.value).where(Setting.key == SETTING_KEY))
    return value if isinstance(value, dict) else {}


def saved_filter_names(workspace: Workspace) -> list[str]:
    return sorted(_all(workspace), key=str.casefold)


def load_filter(workspace: Workspace, name: str) -> CreatorFilter | None:
    data = _all(workspace).get(name)
    return CreatorFilter.from_json(data) if isinstance(data, dict) else None


def _write(workspace: Workspace, values: dict[str, Any]) -> None:
    with workspace.transaction() as session:
        setting = session.scalar(select(Setting).where(Setting.key == SETTING_KEY))
        if setting is None:
            session.add(Setting(key=SETTING_KEY, value=values))
        else:
            # A new dict: the JSON column only notices a replaced value.
            setting.value = dict(values)


def save_filter(workspace: Workspace, name: str, flt: CreatorFilter) -> None:
    """Saves (or replaces) the filter set under this name."""
    values = _all(workspace)
    values[name.strip()] = flt.to_json()
    _write(workspace, values)


def delete_filter(workspace: Workspace, name: str) -> None:
    values = _all(workspace)
    if values.pop(name, None) is not None:
        _write(workspace, values)
