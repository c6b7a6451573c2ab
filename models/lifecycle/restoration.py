"""The restoration lifecycle (DESIGN §3): protecting and restoring a civil servant's rights.

``accept`` records the category of the violation (a list of the policy file) and the
retaliation risk with its reasons (``inquiry``). The commissioner agrees measures with
the people responsible (``propose_measures``: each a ``Measure`` row with its own
deadline ``measure:<n>``), records each one done (``complete_measure``, with evidence,
optionally a file) or not done (``reject_measure``), and then confirms the rights
restored (``confirm_restored``), escalates failed measures to the Agency or the Ethics
Board (``escalate``), or answers that the violation is not confirmed
(``not_confirmed``). Both ends start the retaliation follow-ups at 3, 6 and 12 months;
``follow_up`` records each, and the last one closes the case. A suspected retaliation
opens a new restoration case linked to this one. The effects are in
``models/restoration/measures.py``, the notices beside them.

``escalated`` is not terminal: the escalation comes back, and the commissioner then
confirms the restoration or answers.
"""

from __future__ import annotations

from ethicsflow.models.cases import effects
from ethicsflow.models.cases import notices as case_notices
from ethicsflow.models.lifecycle import payloads as p
from ethicsflow.models.lifecycle.base import ASSIGNEE, Action, Lifecycle
from ethicsflow.models.lifecycle.board_steps import HEARING_STEPS, schedule_hearing
from ethicsflow.models.restoration import measures
from ethicsflow.models.restoration import notices as restoration_notices
from ethicsflow.models.restoration.tables import FOLLOW_UPS

STATES = (
    "registered",
    "triage",
    "inquiry",
    "measures_in_progress",
    "escalated",
    "hearing_scheduled",
    "decided",
    "restored",
    "answered",
    "closed",
)

WORKING = ("inquiry", "measures_in_progress", "escalated")
"""States in which the request is being worked on."""

RESTORATION = Lifecycle(
    kind="restoration",
    initial="registered",
    states=STATES,
    terminal=("closed",),
    actions=(
        Action(
            "assign",
            ("registered", "triage"),
            "triage",
            ("head", "admin"),
            p.Assign,
            "assign (or reassign) the case to a commissioner without a conflict of interest",
            effect=effects.assign,
            notices=(case_notices.assigned,),
        ),
        Action(
            "link",
            tuple(s for s in STATES if s != "closed"),
            None,
            (ASSIGNEE,),
            p.Link,
            "link the request to an earlier case it is related to (e.g. retaliated for)",
            effect=measures.link,
        ),
        Action(
            "accept",
            ("triage",),
            "inquiry",
            (ASSIGNEE,),
            p.AcceptRestoration,
            "accept the request: category of the violation and the retaliation risk, reasoned",
            cancels=("forward",),
            effect=measures.accept_restoration,
        ),
        Action(
            "propose_measures",
            ("inquiry", "measures_in_progress"),
            "measures_in_progress",
            (ASSIGNEE,),
            p.ProposeMeasures,
            "agree measures to restore the rights, each with a person responsible, a due"
            " date and the evidence expected (adds to those proposed before)",
            effect=measures.propose_measures,
            notices=(restoration_notices.measures_assigned,),
        ),
        Action(
            "complete_measure",
            ("measures_in_progress", "escalated"),
            None,
            (ASSIGNEE,),
            p.CompleteMeasure,
            "record a measure done, with its evidence (text, optionally a file)",
            effect=measures.complete_measure,
            notices=(restoration_notices.measure_completed,),
        ),
        Action(
            "reject_measure",
            ("measures_in_progress", "escalated"),
            None,
            (ASSIGNEE,),
            p.RejectMeasure,
            "record a measure not done (refused or impossible), with the reason",
            effect=measures.reject_measure,
        ),
        schedule_hearing("escalated", effect=measures.schedule_restoration_hearing),
        *HEARING_STEPS,
        Action(
            "confirm_restored",
            (*WORKING, "decided"),
            "restored",
            (ASSIGNEE,),
            p.ConfirmRestored,
            "confirm the rights restored (every measure done or rejected, or the servant"
            " confirms); starts the retaliation follow-ups",
            meets=("answer",),
            starts=FOLLOW_UPS,
            effect=measures.confirm_restored,
            notices=(restoration_notices.restored,),
        ),
        Action(
            "escalate",
            ("measures_in_progress",),
            "escalated",
            (ASSIGNEE,),
            p.Escalate,
            "escalate measures overdue or rejected to the Agency or the Ethics Board;"
            " the heads of the body are told",
            effect=measures.escalate,
            notices=(restoration_notices.escalated,),
        ),
        Action(
            "not_confirmed",
            (*WORKING, "decided"),
            "answered",
            (ASSIGNEE,),
            p.Reason,
            "the violation is not confirmed: the reasoned answer with appeal rights goes to"
            " the servant; starts the retaliation follow-ups",
            meets=("answer",),
            starts=("appeal_window", *FOLLOW_UPS),
            effect=measures.not_confirmed,
            notices=(case_notices.answered,),
        ),
        Action(
            "follow_up",
            ("restored", "answered"),
            None,
            (ASSIGNEE,),
            p.FollowUpCheck,
            "record a retaliation check (the earliest one pending); suspected retaliation"
            " opens a new linked restoration case; the last check closes the case",
            effect=measures.follow_up,
            may_lead_to=("closed",),
        ),
    ),
)
