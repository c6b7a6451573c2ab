"""Every table, imported in one place so the metadata is complete."""

from ethicsflow.models.audit import Event
from ethicsflow.models.board import Board, BoardMember, Decision, Hearing, Recusal, Vote
from ethicsflow.models.case import Case, CaseLink, CaseSequence, Party, Suspension
from ethicsflow.models.deadline import Deadline
from ethicsflow.models.document import Document
from ethicsflow.models.notification import Notification
from ethicsflow.models.people import Organization, Person
from ethicsflow.models.restoration import FollowUp, Measure, Rating
from ethicsflow.models.sweep_run import SweepRun

__all__ = [
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
    "Measure",
    "Notification",
    "Organization",
    "Party",
    "Person",
    "Rating",
    "Recusal",
    "Suspension",
    "SweepRun",
    "Vote",
]
