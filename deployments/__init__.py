"""When and where the flows run: the deployments `ethicsflow serve` schedules.

One list, :data:`DEPLOYMENTS`, names each deployment, the flow it runs (its
entrypoint, as in ``deployments/prefect.yaml``) and the key of its schedules in the
policy file (``schedules:``; cron in the policy zone, Asia/Almaty). ``ethicsflow
serve`` serves these with Prefect's runner; a larger installation deploys the same
flows with ``prefect deploy --all --prefect-file deployments/prefect.yaml`` to
workers (README, "Production"); a test keeps the YAML equal to this list and to the
packaged policy's schedules.

Importing this module does not import Prefect; :func:`load_flow` does.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from ethicsflow.models.policy import Policy

WORK_POOL = "ethicsflow"
"""The process work pool of a scale-out installation."""


@dataclass(frozen=True)
class Deployment:
    name: str
    entrypoint: str
    """``flows/<file>.py:<function>``, relative to the repository root."""
    description: str

    @property
    def module(self) -> str:
        path = self.entrypoint.split(":", 1)[0]
        return "ethicsflow." + path.removesuffix(".py").replace("/", ".")

    @property
    def function(self) -> str:
        return self.entrypoint.split(":", 1)[1]


DEPLOYMENTS: tuple[Deployment, ...] = (
    Deployment(
        "sweep",
        "flows/sweep.py:sweep_deadlines_flow",
        "The deadline sweep: auto-close, missed deadlines and escalations, reminders.",
    ),
    Deployment(
        "dispatch",
        "flows/dispatch.py:dispatch_notifications_flow",
        "Deliver due notifications (retries with backoff; dead after N attempts).",
    ),
    Deployment(
        "digest",
        "flows/sweep.py:send_digest_flow",
        "The 09:00 digest to each commissioner, on working days.",
    ),
)


def schedules_of(policy: Policy) -> dict[str, tuple[str, ...]]:
    """Cron expressions of each deployment, from the policy file."""
    return {d.name: tuple(getattr(policy.schedules, d.name)) for d in DEPLOYMENTS}


def load_flow(deployment: Deployment) -> Any:
    """The Prefect flow object of a deployment (imports Prefect and the flow's module)."""
    return getattr(importlib.import_module(deployment.module), deployment.function)
