"""Creators that are probably the same person, and merging two into one.

Three signs: the same normalised handle on a platform, the same
profile URL, or a very similar nickname with the same follower count. Merging moves
every account (with its quotes), tag, collaboration and note onto the creator kept; the
other one goes to the trash marked as merged, and the merge can be undone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import func, select, update

from kol_desk.domain import RiskLevel
from kol_desk.i18n import tr
from kol_desk.importing.values import normalise_handle
from kol_desk.models import Collaboration, Creator, CreatorTag, PlatformAccount
from kol_desk.models.base import utcnow
from kol_desk.services.creator_edit import CreatorEditError, _load, refresh_search_text
from kol_desk.services.search_text import normalise_for_search
from kol_desk.store.database import Workspace

SIMILAR_NICKNAME = 0.8
RISK_ORDER = [r.value for r in RiskLevel]  # none < low < medium < high


@dataclass(frozen=True)
class DuplicatePair:
    keep_id: int  # the one with more followers / older record: a suggestion
    other_id: int
    keep_name: str
    other_name: str
    reason: str  # "handle", "url" or "nickname"
    detail: str


def _followers_key(followers: int) -> int:
    # Three significant digits: lists round 123,456 to 12.3w.
    if followers < 1000:
        return followers
    digits = len(str(followers)) - 3
    return round(followers, -digits)


def find_duplicates(workspace: Workspace, progress: Callable[[int, int], None] | None = None,
                    limit: int = 500) -> list[DuplicatePair]:
    """Pairs of live creators that are probably one person, strongest signs first."""
    query = (select(PlatformAccount.creator_id, PlatformAccount.platform, PlatformAccount.handle,
                    PlatformAccount.profile_url_key, PlatformAccount.followers, Creator.nickname,
                    Creator.id)
             .join(Creator, Creator.id == PlatformAccount.creator_id)
             .where(func.coalesce(Creator.deleted_at, None).is_(None)))
    by_handle: dict[tuple[str, str], set[int]] = defaultdict(set)
    by_url: dict[str, set[int]] = defaultdict(set)
    by_followers: dict[int, set[int]] = defaultdict(set)
    names: dict[int, str] = {}
    size: dict[int, int] = defaultdict(int)
    with workspace.session() as session:
        rows = session.execute(query).all()
    for creator_id, platform, handle, url_key, followers, nickname, _ in rows:
        names[creator_id] = nickname
        size[creator_id] = max(size[creator_id], followers or 0)
        by_handle[(platform, normalise_handle(handle).lstrip("@"))].add(creator_id)
        if url_key:
            by_url[url_key].add(creator_id)
        if followers:
            by_followers[_followers_key(followers)].add(creator_id)
    if progress:
        progress(1, 3)

    found: dict[frozenset[int], DuplicatePair] = {}

    def propose(ids: set[int], reason: str, detail: str) -> None:
        ordered = sorted(ids, key=lambda c: (-size[c], c))
        keep = ordered[0]
        for other in ordered[1:]:
            key = frozenset((keep, other))
            if key not in found and len(found) < limit:
                found[key] = DuplicatePair(keep, other, names[keep], names[other], reason, detail)

    for (platform, handle), ids in by_handle.items():
        if len(ids) > 1:
            propose(ids, "handle", f"{platform}: {handle}")
    for url_key, ids in by_url.items():
        if len(ids) > 1:
            propose(ids, "url", url_key)
    if progress:
        progress(2, 3)
    for followers, ids in by_followers.items():
        if len(ids) < 2 or len(ids) > 50:
            continue  # a round number many creators share says nothing
        listed = sorted(ids)
        for i, first in enumerate(listed):
            for second in listed[i + 1:]:
                a, b = normalise_for_search(names[first]), normalise_for_search(names[second])
                if a == b or SequenceMatcher(None, a, b).ratio() >= SIMILAR_NICKNAME:
                    propose({first, second}, "nickname", f"{followers:,}")
    if progress:
        progress(3, 3)
    order = {"handle": 0, "url": 1, "nickname": 2}
    return sorted(found.values(), key=lambda p: (order[p.reason], p.keep_name))


@dataclass(frozen=True)
class MergeRecord:
    """What a merge changed, so that ``unmerge`` can put it back."""

    keep_id: int
    other_id: int
    keep_before: dict[str, Any]
    moved_accounts: list[int]
    moved_collaborations: list[int]
    moved_tags: list[str]


_FILLED = ("real_name", "category", "city", "agency_id", "contact_phone", "contact_wechat",
           "contact_email", "tier_override", "brand_fit_score", "rating")
_KEPT = (*_FILLED, "notes", "is_virtual", "risk_level", "risk_reason", "risk_date", "blacklisted",
         "blacklist_reason", "search_text")


def merge_creators(workspace: Workspace, keep_id: int, other_id: int) -> MergeRecord:
    """Merges ``other`` into ``keep`` in one transaction; nothing is lost: accounts,
    quotes, tags and collaborations move, notes are joined, empty fields are filled,
    and the stricter risk and the blacklist carry over."""
    if keep_id == other_id:
        raise CreatorEditError(tr("A creator cannot be merged with itself."))
    with workspace.transaction() as session:
        keep, other = _load(session, keep_id), _load(session, other_id)
        if keep.deleted_at is not None or other.deleted_at is not None:
            raise CreatorEditError(tr("Restore a creator from the trash before merging it."))
        before = {name: getattr(keep, name) for name in _KEPT}
        accounts = [a.id for a in other.accounts]
        collaborations = list(session.scalars(select(Collaboration.id).where(Collaboration.creator_id == other_id)))
        have = {t.tag for t in keep.tags}
        tags = [t.tag for t in other.tags if t.tag not in have]
        session.execute(update(PlatformAccount).where(PlatformAccount.creator_id == other_id)
                        .values(creator_id=keep_id, version=PlatformAccount.version + 1))
        session.execute(update(Collaboration).where(Collaboration.creator_id == other_id)
                        .values(creator_id=keep_id, version=Collaboration.version + 1))
        keep.tags.extend(CreatorTag(tag=t) for t in tags)
        for name in _FILLED:
            if getattr(keep, name) is None and getattr(other, name) is not None:
                setattr(keep, name, getattr(other, name))
        if other.notes and other.notes != keep.notes:
            keep.notes = "\n".join(p for p in (keep.notes, other.notes) if p)
        keep.is_virtual = keep.is_virtual or other.is_virtual
        if RISK_ORDER.index(other.risk_level) > RISK_ORDER.index(keep.risk_level):
            keep.risk_level, keep.risk_reason, keep.risk_date = (
                other.risk_level, other.risk_reason, other.risk_date)
        if other.blacklisted and not keep.blacklisted:
            keep.blacklisted, keep.blacklist_reason = True, other.blacklist_reason
        other.deleted_at = utcnow()
        other.merged_into_id = keep_id
        session.flush()
        session.expire(keep, ["accounts"])
        refresh_search_text(session, keep, other_names=(other.nickname,))
        return MergeRecord(keep_id, other_id, before, accounts, collaborations, tags)


def unmerge(workspace: Workspace, record: MergeRecord) -> None:
    """Undoes ``merge_creators``: moves back what moved and restores both creators."""
    with workspace.transaction() as session:
        if record.moved_accounts:
            session.execute(update(PlatformAccount).where(PlatformAccount.id.in_(record.moved_accounts))
                            .values(creator_id=record.other_id, version=PlatformAccount.version + 1))
        if record.moved_collaborations:
            session.execute(update(Collaboration).where(Collaboration.id.in_(record.moved_collaborations))
                            .values(creator_id=record.other_id, version=Collaboration.version + 1))
        keep = _load(session, record.keep_id)
        for tag in [t for t in keep.tags if t.tag in record.moved_tags]:
            keep.tags.remove(tag)
        for name, value in record.keep_before.items():
            setattr(keep, name, value)
        other = _load(session, record.other_id)
        other.deleted_at = None
        other.merged_into_id = None
