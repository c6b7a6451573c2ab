"""The shape of a lifecycle: states and actions as data (no logic here).

An :class:`Action` says from which states it may run, where it leads, who may
run it, what payload it takes and which deadlines it starts, meets or cancels.
Actions that need more than that name their *effect* (what the action writes besides
the status and the deadlines) and their *notices* (what it tells people), both typed
callables of the action's :class:`Context`; they live beside their aggregate
(``models/cases/``, ``models/boards/``, ``models/restoration/``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ethicsflow.models.lifecycle.context import Context
from ethicsflow.models.lifecycle.payloads import Payload

P = TypeVar("P", bound=Payload)

# Role tokens an action may allow. Besides the person roles of models/people/tables.py:
ASSIGNEE = "assignee"  # the commissioner the case is assigned to
COMPLAINANT = "complainant"  # the filer of the case
SYSTEM = "system"  # the sweep acting on its own (not a person; never given by a user)
SECRETARY = "secretary"  # the secretary of the Ethics Board of the case's region


@dataclass(frozen=True)
class Action(Generic[P]):
    name: str
    source: tuple[str, ...]
    dest: str | None  # None: the status does not change
    roles: tuple[str, ...]
    payload: type[P]
    description: str
    starts: tuple[str, ...] = ()  # deadline rules started on the action's day
    meets: tuple[str, ...] = ()  # open deadlines marked met
    cancels: tuple[str, ...] = ()  # open deadlines cancelled; "*" = every open one
    effect: Callable[[Context[P]], None] | None = None
    """Checks and writes beyond status and deadlines, before the status changes; it may
    refuse with a domain error (then nothing is written)."""
    notices: tuple[Callable[[Context[P]], None], ...] = ()
    """What the action tells people: queued after the status change and the audit event,
    in the same transaction."""
    may_lead_to: tuple[str, ...] = ()  # statuses the effect may set instead of dest


@dataclass(frozen=True)
class Lifecycle:
    kind: str
    initial: str
    states: tuple[str, ...]
    terminal: tuple[str, ...]
    actions: tuple[Action[Any], ...]
    descriptions: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = [a.name for a in self.actions]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.kind}: duplicate action names")
        for action in self.actions:
            dests = [action.dest] if action.dest else []
            for state in (*action.source, *dests, *action.may_lead_to):
                if state not in self.states:
                    raise ValueError(f"{self.kind}.{action.name}: unknown state {state!r}")

    def action(self, name: str) -> Action[Any] | None:
        return next((a for a in self.actions if a.name == name), None)

    def from_state(self, state: str) -> list[Action[Any]]:
        return [a for a in self.actions if state in a.source]
