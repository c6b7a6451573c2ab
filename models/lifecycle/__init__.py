"""Lifecycles as data: one table of actions per case kind."""

from ethicsflow.models.lifecycle.base import Action, Lifecycle
from ethicsflow.models.lifecycle.complaint import COMPLAINT
from ethicsflow.models.lifecycle.restoration import RESTORATION

LIFECYCLES: dict[str, Lifecycle] = {"complaint": COMPLAINT, "restoration": RESTORATION}

__all__ = ["LIFECYCLES", "Action", "Lifecycle"]
