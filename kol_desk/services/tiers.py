"""Tiers (分层): one definition for every surface — the creator list and page, the board,
Reports, the boss workbook, the creator export, the approval sheet and the Budget tab.

An account's tier is the creator's manual override when set, else where the account's
followers fall among the tier thresholds of the account's platform (sources
disagree per platform). In the creator list's one-row-per-creator view the row is the
creator's largest account, so a creator's tier is its largest account's.

The thresholds are a workspace setting (``settings`` table, key ``tier_thresholds``),
edited in File → Settings: ``{"": {"micro": 10000, ...}, "douyin": {...}}`` where ""
holds the defaults for every platform and a platform's entry overrides them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from kol_desk.domain import DEFAULT_TIER_THRESHOLDS, Tier, tier_for_followers
from kol_desk.errors import BadInputError
from kol_desk.i18n import tr
from kol_desk.models import Setting
from kol_desk.store.database import Workspace

Thresholds = dict[str, dict[Tier, int]]  # platform key (or "") -> lower bounds
TIER_SETTING = "tier_thresholds"
BOUNDED = (Tier.MICRO, Tier.MID, Tier.TOP, Tier.CELEBRITY)  # KOC starts at 0
_TIER_VALUES = frozenset(t.value for t in Tier)


def tier_thresholds(workspace: Workspace) -> Thresholds:
    """Tier lower bounds per platform ("" is the default); the defaults fill any gap."""
    with workspace.session() as session:
        return thresholds_of(session)


# The statements a keystroke runs besides its page are built once: building one costs a
# worker about as much as running it (~0.3–0.7 ms each, GIL held).
# Over the Core table, not the mapped class: a statement over ORM attributes first
# configures every mapper (~0.1 s CPU), which a report export or a worker's first
# query would otherwise pay for this one setting.
@cache
def _thresholds_query() -> Select[Any]:
    table = Setting.__table__
    return select(table.c.value).where(table.c.key == TIER_SETTING)


def thresholds_of(session: Session) -> Thresholds:
    value = session.scalar(_thresholds_query())
    result: Thresholds = {"": dict(DEFAULT_TIER_THRESHOLDS)}
    if isinstance(value, dict):
        defaults = value.get("")
        if isinstance(defaults, dict):
            result[""] = _merged(result[""], defaults)
        for platform, bounds in value.items():
            if platform and isinstance(bounds, dict):
                result[str(platform)] = _merged(result[""], bounds)
    return result


def _merged(base: dict[Tier, int], bounds: dict[str, Any]) -> dict[Tier, int]:
    merged = dict(base)
    for key, number in bounds.items():
        if key in _TIER_VALUES and isinstance(number, int):
            merged[Tier(key)] = number
    return merged


def tier_of(followers: int | None, platform: str | None, override: str | None,
            thresholds: Thresholds) -> Tier | None:
    """The one tier rule (see the module doc)."""
    if override in _TIER_VALUES:
        return Tier(str(override))
    return tier_for_followers(followers, thresholds.get(platform or "", thresholds[""]))


def tier_key(followers: int | None, platform: str | None, override: str | None,
             thresholds: Thresholds) -> str | None:
    tier = tier_of(followers, platform, override, thresholds)
    return tier.value if tier else None


def save_tier_thresholds(workspace: Workspace, thresholds: Thresholds) -> None:
    """Store the thresholds ("" the defaults; a platform only where it differs from them).
    Each platform's bounds must rise from tier to tier."""
    for platform, bounds in thresholds.items():
        numbers = [bounds[t] for t in BOUNDED]
        if any(n <= 0 for n in numbers) or numbers != sorted(set(numbers)):
            raise BadInputError(tr("Tier thresholds must be above 0 and rise from tier to tier "
                                   "({platform}).", platform=platform or tr("all platforms")))
    defaults = thresholds.get("", DEFAULT_TIER_THRESHOLDS)
    stored: dict[str, dict[str, int]] = {"": {t.value: defaults[t] for t in BOUNDED}}
    for platform, bounds in thresholds.items():
        if platform and any(bounds[t] != defaults[t] for t in BOUNDED):
            stored[platform] = {t.value: bounds[t] for t in BOUNDED}
    with workspace.transaction() as session:
        setting = session.scalar(select(Setting).where(Setting.key == TIER_SETTING))
        if setting is None:
            session.add(Setting(key=TIER_SETTING, value=stored))
        else:
            setting.value = stored
