"""The words the pages take from data: statuses, actions and their fields, deadline names
and their legal bases. Each is a catalogue entry whose English text is made from the code
(``under_review`` -> "Under review") or is the lifecycle's and the policy's own text;
:func:`data_msgids` lists them all, for the catalogue test and ``bench``-free extraction.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ethicsflow.app.web.i18n import N_
from ethicsflow.models.boards.tables import HearingStatus, VoteChoice
from ethicsflow.models.cases.tables import PartyRole
from ethicsflow.models.deadlines.tables import DeadlineStatus
from ethicsflow.models.lifecycle.fields import describe
from ethicsflow.models.lifecycle.kinds import LIFECYCLES
from ethicsflow.models.notifications.tables import NotificationStatus
from ethicsflow.models.policy import load_policy

EVENTS = (
    N_("File"),
    N_("Assign"),
    N_("Deadline missed"),
    N_("Issue document"),
    N_("Notice delivered"),
    N_("Rate"),
    N_("Recompute deadlines"),
)
"""Timeline entries that are not lifecycle actions (the audit log's own)."""
DEADLINES = (
    N_("Answer"),
    N_("Forward"),
    N_("Explanation"),
    N_("Correction"),
    N_("Extension notice"),
    N_("Appeal window"),
    N_("Limitation"),
)


def humanize(code: str) -> str:
    """``under_review`` -> ``Under review`` (the English text of a code)."""
    text = code.replace("_", " ").replace(".", " ").strip()
    return text[:1].upper() + text[1:]


def data_msgids() -> Iterator[str]:
    """Every text of data the pages show through the catalogue."""
    yield from EVENTS
    yield from DEADLINES
    for role in PartyRole:
        yield humanize(role.value)
    for deadline_state in DeadlineStatus:
        yield humanize(deadline_state.value)
    for sent in NotificationStatus:
        yield humanize(sent.value)
    for sitting in HearingStatus:
        yield humanize(sitting.value)
    for vote in VoteChoice:
        yield humanize(vote.value)
    for kind, lifecycle in LIFECYCLES.items():
        yield humanize(kind)
        for state in lifecycle.states:
            yield humanize(state)
        for action in lifecycle.actions:
            yield humanize(action.name)
            yield action.description
            for field in describe(action.payload):
                yield humanize(field["name"])
                if field["description"]:
                    yield field["description"]
                for choice in field.get("choices", ()):
                    yield humanize(str(choice))
    policy = load_policy()
    for name, period in policy.rules.items():
        yield humanize(name)
        yield humanize(period.from_)
    yield from _bases(policy.model_dump())


def _bases(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "basis" and isinstance(value, str) and value:
                yield value
            else:
                yield from _bases(value)
    elif isinstance(node, list):
        for item in node:
            yield from _bases(item)
