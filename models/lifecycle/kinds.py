"""The lifecycle of each case kind, and the statuses in which a case is closed."""

from __future__ import annotations

from ethicsflow.models.lifecycle.base import Lifecycle
from ethicsflow.models.lifecycle.complaint import COMPLAINT
from ethicsflow.models.lifecycle.restoration import RESTORATION

LIFECYCLES: dict[str, Lifecycle] = {"complaint": COMPLAINT, "restoration": RESTORATION}

CLOSED_STATES: frozenset[str] = frozenset().union(*(lc.terminal for lc in LIFECYCLES.values()))
"""Statuses in which a case no longer counts towards a commissioner's load."""
