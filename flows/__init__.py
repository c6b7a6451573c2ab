"""ethicsflow flows.

Importing the package makes this process emit a Prefect event for each committed case
change (``events.py``). It does not import Prefect: a process that never runs a flow
(e.g. the CLI's reads) never does.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ethicsflow.models.audit import changes
from ethicsflow.models.settings import get_settings


def _emit_case_events(committed: Sequence[changes.CaseChange]) -> None:
    if "prefect.context" not in sys.modules:
        return  # no flow has run in this process: nothing to send the events to
    if not get_settings().case_events:
        return  # ETHICSFLOW_CASE_EVENTS=false
    # imported here: flows.events loads Prefect's event client, which a process that
    # ran no flow (the CLI) never needs
    from ethicsflow.flows.events import emit_changes

    emit_changes(committed)


changes.set_emitter(_emit_case_events)
