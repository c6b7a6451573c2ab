"""Running the installation over the API: notifications, the policy, recounting deadlines
and the sweep, each allowed and refused as the access table says (SQLite, PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from ethicsflow.models.db import session_scope
from ethicsflow.models.notifications.tables import Notification
from ethicsflow.models.permissions.redaction import PLACEHOLDER
from ethicsflow.models.permissions.relations import Relation
from ethicsflow.models.policy import policy_summary
from tests.support.api import Client, refused
from tests.support.permissions import World, world
from tests.support.tokens import signed_in as as_

V1 = "/api/v1"


@pytest.fixture
def secret(home: Path) -> World:
    """A case filed as confidential, and one person per relation to it."""
    return world(confidential=True)


def test_notifications_are_listed_as_the_reader_may_see_them(
    secret: World, api: Client, operator_api: Client
) -> None:
    filer_email = secret.email(Relation.filer)
    refused(api.get(f"{V1}/notifications"), 401, "auth.required")
    refused(api.get(f"{V1}/me/notifications"), 401, "auth.required")
    filer = as_(api, filer_email)
    own = filer.get(f"{V1}/notifications?case={secret.number.lower()}")
    assert own.status_code == 200
    assert [n["recipient"] for n in own.json()] == [filer_email]
    assert filer.get(f"{V1}/me/notifications").json() == own.json()
    respondent = as_(api, secret.email(Relation.respondent))
    assert all(n["recipient"] != filer_email for n in respondent.get(f"{V1}/notifications").json())

    platform = as_(api, secret.email(Relation.installation_admin))
    everyone = platform.get(f"{V1}/notifications?case={secret.number}&limit=50")
    assert everyone.status_code == 200 and len(everyone.json()) >= 2
    assert PLACEHOLDER in {n["recipient"] for n in everyone.json()}
    assert filer_email not in everyone.text  # the installation admin reads no identity
    assert platform.get(f"{V1}/me/notifications").json() == []  # none addressed to them
    shown = everyone.json()[0]
    assert set(shown) == {
        "id",
        "case",
        "event",
        "recipient",
        "language",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "url",
        "dedup_key",
    }

    operator = operator_api.get(f"{V1}/notifications?case={secret.number}&limit=50").json()
    assert [n["id"] for n in operator] == [n["id"] for n in everyone.json()]
    assert filer_email in json.dumps(operator)
    acting = operator_api.get(
        f"{V1}/me/notifications", headers={"X-Ethicsflow-Act-For": filer_email}
    )
    assert acting.json() == own.json()
    refused(operator_api.get(f"{V1}/me/notifications"), 401, "auth.required")  # no one to be

    stranger = as_(api, secret.email("stranger"))
    refused(
        stranger.get(f"{V1}/notifications?case={secret.number}"),
        404,
        "notification.unknown_case",
        "case",
    )
    refused(
        filer.get(f"{V1}/notifications?status=lost"), 422, "notification.unknown_status", "status"
    )
    refused(filer.get(f"{V1}/me/notifications?limit=0"), 422, "validation.other", "limit")


def _dead(recipient: str) -> int:
    """Mark a notification to ``recipient`` dead (as after its last failed attempt)."""
    with session_scope(write=True) as session:
        row = session.exec(select(Notification).where(Notification.recipient == recipient)).first()
        assert row is not None and row.id is not None
        row.status, row.attempts, row.last_error = "dead", 5, "connection refused"
        session.add(row)
        return row.id


def test_the_installation_admin_requeues_and_delivers_notifications(
    secret: World, api: Client, prefect_harness: None
) -> None:
    dead = _dead(secret.email(Relation.filer))
    url = f"{V1}/notifications/{dead}/retry"
    refused(api.post(url), 401, "auth.required")
    admin = as_(api, secret.email(Relation.body_admin))
    refused(admin.post(url), 403, "permission.denied_installation")
    refused(
        admin.post(f"{V1}/notifications/dispatch", json={}), 403, "permission.denied_installation"
    )
    platform = as_(api, secret.email(Relation.installation_admin))
    refused(
        platform.post(f"{V1}/notifications/x/retry"),
        422,
        "validation.int_parsing",
        "notification_id",
    )
    refused(platform.post(f"{V1}/notifications/999999/retry"), 404, "notification.not_found", "id")

    again = platform.post(url)
    assert again.status_code == 200, again.text
    row = again.json()
    assert (row["id"], row["status"], row["attempts"]) == (dead, "queued", 0)
    assert row["last_error"].startswith("re-queued by an operator (dead after 5 attempt(s))")
    assert row["recipient"] == PLACEHOLDER  # the filer's own notice, read by an admin

    refused(api.post(f"{V1}/notifications/dispatch", json={}), 401, "auth.required")
    refused(
        platform.post(f"{V1}/notifications/dispatch", json={"limit": 0}),
        422,
        "validation.other",
        "limit",
    )
    named = {"by": secret.email(Relation.body_admin)}
    refused(
        platform.post(f"{V1}/notifications/dispatch", json=named),
        422,
        "auth.actor_is_the_signed_in_person",
        "by",
    )
    sent = platform.post(f"{V1}/notifications/dispatch", json={"limit": 1})
    assert sent.status_code == 200, sent.text
    result = sent.json()
    assert result["claimed"] == 1 and result["failed"] + result["sent"] == 1  # nobody listens


def test_anyone_reads_the_policy(secret: World, api: Client) -> None:
    refused(api.get(f"{V1}/policy"), 401, "auth.required")
    answer = as_(api, secret.email(Relation.respondent)).get(f"{V1}/policy")
    assert answer.status_code == 200
    assert answer.json() == policy_summary()
    assert answer.json()["rules"]["answer"]["unit"] == "working_days"


def test_the_installation_admin_recounts_deadlines_and_sweeps(
    secret: World, api: Client, prefect_harness: None
) -> None:
    refused(api.post(f"{V1}/deadlines/recompute"), 401, "auth.required")
    refused(api.post(f"{V1}/sweep", json={}), 401, "auth.required")
    head = as_(api, secret.email(Relation.body_head))
    refused(head.post(f"{V1}/deadlines/recompute"), 403, "permission.denied_installation")
    refused(head.post(f"{V1}/sweep", json={}), 403, "permission.denied_installation")
    platform = as_(api, secret.email(Relation.installation_admin))
    refused(
        platform.post(f"{V1}/sweep", json={"now": "2026-03-26T09:00"}),
        422,
        "sweep.now_no_offset",
        "now",
    )
    refused(
        platform.post(f"{V1}/sweep", json={"now": "soon"}),
        422,
        "validation.datetime_from_date_parsing",
        "now",
    )

    recounted = platform.post(f"{V1}/deadlines/recompute")
    assert recounted.status_code == 200, recounted.text
    assert set(recounted.json()) >= {"checked", "cases", "moved"}
    swept = platform.post(f"{V1}/sweep", json={"now": "2026-03-26T09:00:00+05:00"})
    assert swept.status_code == 200, swept.text
    assert swept.json()["now"] == "2026-03-26T09:00:00+05:00"
    assert swept.json()["errors"] == []
