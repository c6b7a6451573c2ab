"""Every table, imported in one place so the metadata is complete."""

from ethicsflow.models.audit import Event
from ethicsflow.models.case import Case, CaseLink, CaseSequence, Party, Suspension
from ethicsflow.models.deadline import Deadline
from ethicsflow.models.notification import Notification
from ethicsflow.models.people import Organization, Person

__all__ = [
    "Case",
    "CaseLink",
    "CaseSequence",
    "Deadline",
    "Event",
    "Notification",
    "Organization",
    "Party",
    "Person",
    "Suspension",
]
