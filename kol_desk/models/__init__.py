"""The KOL Desk data model (SQLAlchemy 2.x, typed). Knows nothing of Qt."""

from kol_desk.models.base import Base, Record
from kol_desk.models.budget import BudgetEntry, BudgetPeriod
from kol_desk.models.campaigns import (
    Campaign,
    CollabDeliverable,
    Collaboration,
    Payment,
    ResultSnapshot,
    ReviewRound,
    StageChange,
)
from kol_desk.models.creators import (
    Agency,
    AgencyContact,
    Creator,
    CreatorTag,
    HandleSpelling,
    PlatformAccount,
    Quote,
)
from kol_desk.models.imports import ImportBatch, ImportChange
from kol_desk.models.workspace import Activity, Setting

__all__ = [
    "Activity",
    "Agency",
    "AgencyContact",
    "Base",
    "BudgetEntry",
    "BudgetPeriod",
    "Campaign",
    "CollabDeliverable",
    "Collaboration",
    "Creator",
    "CreatorTag",
    "HandleSpelling",
    "ImportBatch",
    "ImportChange",
    "Payment",
    "PlatformAccount",
    "Quote",
    "Record",
    "ResultSnapshot",
    "ReviewRound",
    "Setting",
    "StageChange",
]
