"""A restoration request's standard people and first steps (for the restoration tests).

The standard case: received Mon 2026-11-02, accepted Tue 11-03, measures proposed on
Wed 11-04.
"""

from __future__ import annotations

from typing import Any

from tests.support import factories as f
from tests.support.cases import act, file_complaint

HOOK = "json://127.0.0.1:9/x"
RECEIVED = "2026-11-02"
ACCEPTED = "2026-11-03"
PROPOSED = "2026-11-04"


class People:
    """A body whose people all have a notification URL, and two people responsible."""

    def __init__(self, region: str = "Astana") -> None:
        self.code = f.org(region=region)
        notify: dict[str, Any] = {"notify": [HOOK]}
        self.commissioner = f.person(self.code, "commissioner", **notify)
        self.head = f.person(self.code, "head", **notify)
        self.filer = f.person(self.code, language="kk", **notify)
        self.hr = f.person(self.code, language="en", **notify)  # responsible for measure 1
        self.manager = f.person(self.code, **notify)  # responsible for measure 2

    @property
    def body(self) -> f.Body:
        return f.Body(self.code, self.commissioner, self.head, self.filer, self.manager)


def file_request(b: People, received: str = RECEIVED, **values: Any) -> str:
    filed = file_complaint(b.body, received, kind="restoration", against=None, **values)
    assert filed["assignee"] == b.commissioner
    return str(filed["number"])


def accept(b: People, number: str, category: str = "pressure", day: str = ACCEPTED) -> Any:
    values = {"category": category, "risk": "high", "reason": "moved after the complaint"}
    return act(number, "accept", b.commissioner, day, values)
