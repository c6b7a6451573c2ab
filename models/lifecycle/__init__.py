"""Lifecycles as data: one table of actions per case kind."""

from ethicsflow.models.lifecycle.base import Action, Lifecycle
from ethicsflow.models.lifecycle.complaint import COMPLAINT
from ethicsflow.models.lifecycle.restoration import RESTORATION

LIFECYCLES: dict[str, Lifecycle] = {"complaint": COMPLAINT, "restoration": RESTORATION}

CLOSED_STATES: frozenset[str] = frozenset().union(*(lc.terminal for lc in LIFECYCLES.values()))
"""Statuses in which a case no longer counts towards a commissioner's load."""

__all__ = ["CLOSED_STATES", "LIFECYCLES", "Action", "Lifecycle"]
