"""The restoration lifecycle (DESIGN §3): protecting a civil servant's rights.

This issue carries registration, triage and ``accept``; measures, escalation
and follow-ups arrive with the restoration issue.
"""

from __future__ import annotations

from ethicsflow.models.lifecycle import payloads as p
from ethicsflow.models.lifecycle.base import ASSIGNEE, Action, Lifecycle

STATES = ("registered", "triage", "inquiry")

RESTORATION = Lifecycle(
    kind="restoration",
    initial="registered",
    states=STATES,
    terminal=(),
    actions=(
        Action(
            "assign",
            ("registered", "triage"),
            "triage",
            ("head", "admin"),
            p.Assign,
            "assign (or reassign) the case to a commissioner without a conflict of interest",
            effect="assign",
        ),
        Action(
            "accept",
            ("triage",),
            "inquiry",
            (ASSIGNEE,),
            p.AcceptRestoration,
            "accept the request: category of the violation and retaliation risk",
            cancels=("forward",),
            effect="accept_restoration",
        ),
    ),
)
