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


def workspace_counts(workspace: Workspace) -> Counts:
    with workspace.session() as session:
        creators = session.scalar(
            select(func.count()).select_from(Creator).where(Creator.deleted_at.is_(None))
        )
        accounts = session.scalar(
            select(func.count())
            .select_from(PlatformAccount)
            .join(Creator)
            .where(Creator.deleted_at.is_(None))
        )
        campaigns = session.scalar(
            select(func.count()).select_from(Campaign).where(Campaign.archived_at.is_(None))
        )
        collaborations = session.scalar(select(func.count()).select_from(Collaboration))
    return Counts(creators or 0, accounts or 0, campaigns or 0, collaborations or 0)


def workspace_name(workspace: Workspace) -> str:
    """The name the user gave the workspace, else the database file's name."""
    with workspace.session() as session:
        name = session.scalar(select(Setting.value).where(Setting.key == "workspace_name"))
    return str(name) if name else workspace.name
