"""Changing creators: their fields, accounts, tags and risk, and the trash.

Every function is one transaction. Each write that the UI can undo returns what it
needs to put things back (the previous values, or a snapshot of what was removed), so
an undo is another ordinary write. Whenever nickname, handles, notes or tags change,
``search_text`` is rebuilt so the search index stays in step.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, selectinload

from kol_desk.domain import Platform, RiskLevel, Tier
from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.importing.values import normalise_handle
from kol_desk.models import (
    Collaboration,
    Creator,
    CreatorTag,
    HandleSpelling,
    PlatformAccount,
    Quote,
)
from kol_desk.models.base import utcnow
from kol_desk.services.conflicts import Loaded, check_version, put_back, snapshot_of
from kol_desk.services.search_text import build_search_text
from kol_desk.store.database import Workspace


class CreatorEditError(KnownError):
    """An edit that cannot be saved, with the reason in the user's language."""


@dataclass(frozen=True)
class CreatorFields:
    nickname: str
    real_name: str | None = None
    is_virtual: bool = False
    category: str | None = None
    city: str | None = None
    notes: str | None = None
    agency_id: int | None = None
    contact_phone: str | None = None
    contact_wechat: str | None = None
    contact_email: str | None = None
    tier_override: str | None = None
    brand_fit_score: int | None = None
    risk_level: str = RiskLevel.NONE.value
    risk_reason: str | None = None
    risk_date: date | None = None
    blacklisted: bool = False
    blacklist_reason: str | None = None
    tags: tuple[str, ...] = ()


_PLAIN_FIELDS = [name for name in CreatorFields.__dataclass_fields__ if name != "tags"]


@dataclass(frozen=True)
class AccountFields:
    platform: str
    handle: str  # as the user typed it; normalised for the identity key
    nickname: str | None = None
    profile_url: str | None = None
    followers: int | None = None
    avg_views: int | None = None
    avg_engagements: int | None = None
    engagement_rate: float | None = None  # a fraction


def profile_url_key(url: str | None) -> str | None:
    """Host + path in lower case without the scheme or a trailing slash: the second
    identity key of an account."""
    if not url:
        return None
    return url.split("://", 1)[-1].rstrip("/").lower() or None


def refresh_search_text(session: Session, creator: Creator, other_names: tuple[str, ...] = (),
                        spellings: tuple[str, ...] = ()) -> None:
    """The creator's search text again; a handle is found by every way it was written
    (``handle_spellings``; ``spellings``: ones not stored yet)."""
    ids = [a.id for a in creator.accounts if a.id is not None]
    written = list(session.scalars(select(HandleSpelling.spelling).where(
        HandleSpelling.account_id.in_(ids)))) if ids else []
    handles = [a.handle_display for a in creator.accounts] + [a.handle for a in creator.accounts]
    creator.search_text = build_search_text(
        creator.nickname, list(dict.fromkeys([*handles, *written, *spellings])),
        creator.notes, [t.tag for t in creator.tags],
        other_names=[*other_names, *(a.nickname for a in creator.accounts if a.nickname
                                     and a.nickname != creator.nickname)])


def _load(session: Session, creator_id: int) -> Creator:
    creator = session.scalar(select(Creator).where(Creator.id == creator_id).options(
        selectinload(Creator.accounts), selectinload(Creator.tags)))
    if creator is None:
        raise CreatorEditError(tr("This creator no longer exists; refresh the list."))
    return creator


def check_fields(fields: CreatorFields) -> None:
    if not fields.nickname.strip():
        raise CreatorEditError(tr("A creator needs a nickname."))
    if fields.tier_override is not None and fields.tier_override not in {t.value for t in Tier}:
        raise CreatorEditError(tr("Unknown tier: {tier}", tier=fields.tier_override))
    if fields.risk_level not in {r.value for r in RiskLevel}:
        raise CreatorEditError(tr("Unknown risk level: {level}", level=fields.risk_level))
    if fields.brand_fit_score is not None and not 1 <= fields.brand_fit_score <= 5:
        raise CreatorEditError(tr("A score is a whole number from 1 to 5."))


def _fields_of(creator: Creator) -> CreatorFields:
    values = {name: getattr(creator, name) for name in _PLAIN_FIELDS}
    return CreatorFields(**values, tags=tuple(sorted(t.tag for t in creator.tags)))


def read_fields(workspace: Workspace, creator_id: int) -> CreatorFields:
    with workspace.session() as session:
        return _fields_of(_load(session, creator_id))


def read_for_edit(workspace: Workspace, creator_id: int) -> tuple[CreatorFields, Loaded]:
    """The fields for the edit form, and the version they come from (for the save)."""
    with workspace.session() as session:
        creator = _load(session, creator_id)
        fields = _fields_of(creator)
        return fields, Loaded(creator.version, asdict(fields))


def _apply(session: Session, creator: Creator, fields: CreatorFields) -> None:
    for name in _PLAIN_FIELDS:
        setattr(creator, name, getattr(fields, name))
    wanted = list(dict.fromkeys(t.strip() for t in fields.tags if t.strip()))
    for tag in list(creator.tags):
        if tag.tag not in wanted:
            creator.tags.remove(tag)
    have = {t.tag for t in creator.tags}
    creator.tags.extend(CreatorTag(tag=t) for t in wanted if t not in have)
    refresh_search_text(session, creator)


def create_creator(workspace: Workspace, fields: CreatorFields,
                   account: AccountFields | None = None) -> int:
    """A new creator, with its first account when given (the list shows creators by
    their accounts, so the UI always gives one), in one transaction."""
    check_fields(fields)
    with workspace.transaction() as session:
        handle = check_account(session, account, None) if account is not None else None
        creator = Creator(nickname=fields.nickname, search_text="")
        session.add(creator)
        first = None
        if account is not None and handle is not None:
            first = PlatformAccount(**_account_values(account, handle))
            creator.accounts.append(first)
        _apply(session, creator, fields)
        session.flush()
        if first is not None and account is not None:
            _keep_spelling(session, first.id, account.handle, str(first.handle))
            session.flush()
            refresh_search_text(session, creator)
        return creator.id


def update_creator(workspace: Workspace, creator_id: int, fields: CreatorFields,
                   *, loaded: Loaded | None = None) -> CreatorFields:
    """Saves the form; with ``loaded`` (what the form was filled from), refuses with a
    VersionConflict when a colleague saved the creator since. Returns what was saved."""
    check_fields(fields)

    def again(values: dict[str, Any], seen: Loaded) -> CreatorFields:
        return update_creator(workspace, creator_id, replace(fields, **values), loaded=seen)

    with workspace.transaction() as session:
        creator = _load(session, creator_id)
        check_version(session, creator, loaded, asdict(fields), title=creator.nickname,
                      current=lambda c: asdict(_fields_of(c)), save_again=again)
        _apply(session, creator, fields)
    return fields


# -- accounts -------------------------------------------------------------------------

def check_account(session: Session, fields: AccountFields, account_id: int | None) -> str:
    """The normalised handle, after checking the account makes sense and is unique."""
    if fields.platform not in {p.value for p in Platform}:
        raise CreatorEditError(tr("Unknown platform: {platform}", platform=fields.platform))
    handle = normalise_handle(fields.handle, fields.platform)
    if not handle:
        raise CreatorEditError(tr("An account needs a handle."))
    if fields.engagement_rate is not None and not 0 <= fields.engagement_rate <= 1:
        raise CreatorEditError(tr("A percentage is between 0 and 100."))
    for name in ("followers", "avg_views", "avg_engagements"):
        value = getattr(fields, name)
        if value is not None and value < 0:
            raise CreatorEditError(tr("Counts cannot be negative."))
    if (fields.avg_engagements is not None and fields.avg_views
            and fields.avg_engagements > fields.avg_views * 10):
        raise CreatorEditError(tr("Average engagements are far above average views; check both numbers."))
    clash = session.execute(
        select(PlatformAccount.id, Creator.nickname).join(Creator)
        .where(PlatformAccount.platform == fields.platform, PlatformAccount.handle == handle,
               PlatformAccount.id != (account_id or -1))).first()
    if clash is not None:
        raise CreatorEditError(tr(
            "The handle {handle} on this platform already belongs to {name}.",
            handle=fields.handle.strip(), name=clash[1]))
    return handle


def _account_values(fields: AccountFields, handle: str) -> dict[str, Any]:
    return {
        # shown as it is matched; the typed spelling, when other, is kept (_keep_spelling)
        "platform": fields.platform, "handle": handle, "handle_display": handle,
        "nickname": fields.nickname or None, "profile_url": fields.profile_url,
        "profile_url_key": profile_url_key(fields.profile_url), "followers": fields.followers,
        "avg_views": fields.avg_views, "avg_engagements": fields.avg_engagements,
        "engagement_rate": fields.engagement_rate,
    }


def _keep_spelling(session: Session, account_id: int, typed: str, handle: str) -> None:
    """The handle as the user typed it ('@Taozi_Jiang'), when it is not its normalised
    form, as history beside it (like a list's spelling, without an import batch)."""
    typed = typed.strip()[:300]
    if not typed or typed == handle:
        return
    known = session.scalar(select(HandleSpelling.id).where(
        HandleSpelling.account_id == account_id, HandleSpelling.spelling == typed))
    if known is None:
        session.add(HandleSpelling(account_id=account_id, spelling=typed))


def _account_fields(account: PlatformAccount) -> AccountFields:
    return AccountFields(account.platform, account.handle_display, account.nickname,
                         account.profile_url, account.followers, account.avg_views,
                         account.avg_engagements, account.engagement_rate)


def _load_account(session: Session, account_id: int) -> PlatformAccount:
    account = session.get(PlatformAccount, account_id)
    if account is None:
        raise CreatorEditError(tr("This account no longer exists; refresh the list."))
    return account


def read_account(workspace: Workspace, account_id: int) -> AccountFields:
    with workspace.session() as session:
        return _account_fields(_load_account(session, account_id))


def read_account_for_edit(workspace: Workspace, account_id: int) -> tuple[AccountFields, Loaded]:
    """The fields for the account form, and the version they come from (for the save)."""
    with workspace.session() as session:
        account = _load_account(session, account_id)
        fields = _account_fields(account)
        return fields, Loaded(account.version, asdict(fields))


def add_account(workspace: Workspace, creator_id: int, fields: AccountFields) -> int:
    with workspace.transaction() as session:
        handle = check_account(session, fields, None)
        creator = _load(session, creator_id)
        account = PlatformAccount(**_account_values(fields, handle))
        creator.accounts.append(account)
        refresh_search_text(session, creator, spellings=(fields.handle.strip(),))
        session.flush()
        _keep_spelling(session, account.id, fields.handle, handle)
        return account.id


def update_account(workspace: Workspace, account_id: int, fields: AccountFields,
                   *, loaded: Loaded | None = None) -> AccountFields:
    """Saves the account form; with ``loaded`` (what the form was filled from), refuses
    with a VersionConflict when a colleague saved the account since. Returns what was
    saved."""
    def again(values: dict[str, Any], seen: Loaded) -> AccountFields:
        return update_account(workspace, account_id, replace(fields, **values), loaded=seen)

    with workspace.transaction() as session:
        handle = check_account(session, fields, account_id)
        account = _load_account(session, account_id)
        check_version(session, account, loaded, asdict(fields), title=account.handle_display,
                      current=lambda a: asdict(_account_fields(a)), save_again=again)
        for key, value in _account_values(fields, handle).items():
            setattr(account, key, value)
        if fields.followers is not None:
            account.stats_updated_on = date.today()
        # a new handle is a new identity: the old one's spellings are not its history
        for spelling in session.scalars(select(HandleSpelling).where(
                HandleSpelling.account_id == account_id)):
            if normalise_handle(spelling.spelling, fields.platform) != handle:
                session.delete(spelling)
        _keep_spelling(session, account_id, fields.handle, handle)
        session.flush()  # the spelling too: the search text reads it back
        refresh_search_text(session, _load(session, account.creator_id))
    return fields


def remove_account(workspace: Workspace, account_id: int) -> dict[str, Any]:
    """Removes an account with its quotes; returns a snapshot for ``restore_account``.
    An account with collaborations stays: they are history."""
    with workspace.transaction() as session:
        account = session.get(PlatformAccount, account_id)
        if account is None:
            raise CreatorEditError(tr("This account no longer exists; refresh the list."))
        used = session.scalar(select(Collaboration.id).where(Collaboration.account_id == account_id).limit(1))
        if used is not None:
            raise CreatorEditError(tr(
                "The account {handle} has collaborations, which are history; it cannot be removed.",
                handle=account.handle_display))
        snapshot = {"account": snapshot_of(account),
                    "quotes": [snapshot_of(q) for q in session.scalars(select(Quote).where(Quote.account_id == account_id))],
                    "spellings": [snapshot_of(h) for h in session.scalars(
                        select(HandleSpelling).where(HandleSpelling.account_id == account_id))]}
        creator_id = account.creator_id
        session.delete(account)
        session.flush()
        refresh_search_text(session, _load(session, creator_id))
        return snapshot


def restore_account(workspace: Workspace, snapshot: dict[str, Any]) -> None:
    """Puts a removed account back with its quotes and spellings (same ids, new versions)."""
    with workspace.transaction() as session:
        put_back(session, PlatformAccount, [snapshot["account"]])
        put_back(session, Quote, snapshot["quotes"])
        put_back(session, HandleSpelling, snapshot.get("spellings", []))
        refresh_search_text(session, _load(session, snapshot["account"]["creator_id"]))


# -- trash ------------------------------------------------------------------------------

def delete_creators(workspace: Workspace, creator_ids: list[int]) -> list[int]:
    """Moves creators to the trash (sets deleted_at); returns those actually moved."""
    with workspace.transaction() as session:
        live = list(session.scalars(select(Creator.id).where(
            Creator.id.in_(creator_ids), Creator.deleted_at.is_(None))))
        if live:
            session.execute(update(Creator).where(Creator.id.in_(live)).values(
                deleted_at=utcnow(), version=Creator.version + 1))
        return live


def restore_creators(workspace: Workspace, creator_ids: list[int]) -> None:
    with workspace.transaction() as session:
        session.execute(update(Creator).where(Creator.id.in_(creator_ids)).values(
            deleted_at=None, merged_into_id=None, version=Creator.version + 1))


def trash_count(workspace: Workspace) -> int:
    from sqlalchemy import func

    with workspace.session() as session:
        return int(session.scalar(select(func.count()).select_from(Creator).where(
            Creator.deleted_at.is_not(None), Creator.merged_into_id.is_(None))) or 0)


# -- bulk -------------------------------------------------------------------------------

def add_tags(workspace: Workspace, creator_ids: list[int], tags: list[str]) -> list[tuple[int, str]]:
    """Adds the tags to every creator; returns the (creator, tag) pairs that were new."""
    wanted = [t.strip() for t in tags if t.strip()]
    added: list[tuple[int, str]] = []
    with workspace.transaction() as session:
        for creator_id in creator_ids:
            creator = _load(session, creator_id)
            have = {t.tag for t in creator.tags}
            for tag in wanted:
                if tag not in have:
                    creator.tags.append(CreatorTag(tag=tag))
                    added.append((creator_id, tag))
                    have.add(tag)
            refresh_search_text(session, creator)
    return added


def remove_tags(workspace: Workspace, pairs: list[tuple[int, str]]) -> None:
    with workspace.transaction() as session:
        for creator_id, tag in pairs:
            session.execute(delete(CreatorTag).where(CreatorTag.creator_id == creator_id, CreatorTag.tag == tag))
        session.expire_all()
        for creator_id in {c for c, _ in pairs}:
            refresh_search_text(session, _load(session, creator_id))


RISK_FIELDS = ("risk_level", "risk_reason", "risk_date", "blacklisted", "blacklist_reason")


@dataclass(frozen=True)
class RiskChange:
    level: str
    reason: str | None
    on: date | None
    blacklisted: bool | None = None  # None leaves the blacklist as it is
    blacklist_reason: str | None = None


def set_risk(workspace: Workspace, creator_ids: list[int], change: RiskChange) -> dict[int, dict[str, Any]]:
    """Sets the risk (and optionally the blacklist) of creators; returns their previous
    values for ``restore_risk``."""
    if change.level not in {r.value for r in RiskLevel}:
        raise CreatorEditError(tr("Unknown risk level: {level}", level=change.level))
    if change.level != RiskLevel.NONE and not (change.reason or "").strip():
        raise CreatorEditError(tr("Say why the creator is risky."))
    if change.blacklisted and not (change.blacklist_reason or "").strip():
        raise CreatorEditError(tr("Say why the creator is blacklisted."))
    previous: dict[int, dict[str, Any]] = {}
    with workspace.transaction() as session:
        for creator in session.scalars(select(Creator).where(Creator.id.in_(creator_ids))):
            previous[creator.id] = {name: getattr(creator, name) for name in RISK_FIELDS}
            creator.risk_level = change.level
            creator.risk_reason = change.reason if change.level != RiskLevel.NONE else None
            creator.risk_date = change.on if change.level != RiskLevel.NONE else None
            if change.blacklisted is not None:
                creator.blacklisted = change.blacklisted
                creator.blacklist_reason = change.blacklist_reason if change.blacklisted else None
    return previous


def restore_risk(workspace: Workspace, previous: dict[int, dict[str, Any]]) -> None:
    with workspace.transaction() as session:
        for creator in session.scalars(select(Creator).where(Creator.id.in_(list(previous)))):
            for name, value in previous[creator.id].items():
                setattr(creator, name, value)
