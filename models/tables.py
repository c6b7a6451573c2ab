"""Every table, imported in one place so the metadata is complete."""

from ethicsflow.models.accounts.tables import (
    Account,
    ApiToken,
    AuthFailure,
    Invitation,
    SecurityEvent,
    WebSession,
)
from ethicsflow.models.audit.tables import Event
from ethicsflow.models.boards.tables import Board, BoardMember, Decision, Hearing, Recusal, Vote
from ethicsflow.models.cases.tables import Case, CaseLink, CaseSequence, Party, Suspension
from ethicsflow.models.deadlines.tables import Deadline, SweepRun
from ethicsflow.models.documents.tables import Document
from ethicsflow.models.notifications.tables import Notification
from ethicsflow.models.people.tables import Organization, Person
from ethicsflow.models.ratings.tables import Rating
from ethicsflow.models.restoration.tables import FollowUp, Measure

__all__ = [
    "Account",
    "ApiToken",
    "AuthFailure",
    "Board",
    "BoardMember",
    "Case",
    "CaseLink",
    "CaseSequence",
    "Deadline",
    "Decision",
    "Document",
    "Event",
    "FollowUp",
    "Hearing",
    "Invitation",
    "Measure",
    "Notification",
    "Organization",
    "Party",
    "Person",
    "Rating",
    "Recusal",
    "SecurityEvent",
    "Suspension",
    "SweepRun",
    "Vote",
    "WebSession",
]
