"""Workspace-wide figures: record counts for the status bar and the workspace name."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from kol_desk.models import Campaign, Collaboration, Creator, PlatformAccount, Setting
from kol_desk.store.database import Workspace


@dataclass(frozen=True)
class Counts:
    creators: int
    accounts: int
    campaigns: int
    collaborations: int


def workspace_counts(workspace: Workspace, keep: Counts | None = None) -> Counts:
    """The status bar's counts. With ``keep``, its creator and account counts are reused
    (the slow part at 100k creators; a change to campaigns leaves them as they are).
    Collaborations are those of open (not archived) campaigns, dropped ones included,
    as the campaign list's summary counts them."""
    with workspace.session() as session:
        if keep is None:
            creators = session.scalar(
                select(func.count()).select_from(Creator).where(Creator.deleted_at.is_(None))
            ) or 0
            accounts = session.scalar(
                select(func.count())
                .select_from(PlatformAccount)
                .join(Creator)
                .where(Creator.deleted_at.is_(None))
            ) or 0
        else:
            creators, accounts = keep.creators, keep.accounts
        campaigns = session.scalar(
            select(func.count()).select_from(Campaign).where(Campaign.archived_at.is_(None))
        )
        collaborations = session.scalar(
            select(func.count()).select_from(Collaboration)
            .join(Campaign, Campaign.id == Collaboration.campaign_id)
            .where(Campaign.archived_at.is_(None))
        )
    return Counts(creators, accounts, campaigns or 0, collaborations or 0)


def workspace_name(workspace: Workspace) -> str:
    """The name the user gave the workspace, else the database file's name."""
    with workspace.session() as session:
        name = session.scalar(select(Setting.value).where(Setting.key == "workspace_name"))
    return str(name) if name else workspace.name
