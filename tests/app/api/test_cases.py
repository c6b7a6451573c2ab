"""Signing in and out, and the cases a person may see, over the API (SQLite, PostgreSQL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ethicsflow.models.accounts.operations import set_password
from ethicsflow.models.accounts.tokens import create_token
from tests.support import factories as f
from tests.support.api import Client
from tests.support.cases import file_complaint

PASSWORD = "correct horse battery staple"
V1 = "/api/v1"


def sign_in(api: Client, email: str, password: str = PASSWORD) -> dict[str, Any]:
    answer = api.post(f"{V1}/session", json={"email": email, "password": password})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    api.headers["X-CSRF-Token"] = body["csrf_token"]
    return body


@pytest.fixture
def world(home: Path) -> dict[str, Any]:
    b, other = f.body(), f.body()
    for email in (b.commissioner, b.head, b.respondent, b.filer, other.commissioner):
        set_password(email, PASSWORD)
    open_ = file_complaint(b, "2026-11-16")["number"]
    secret = file_complaint(b, "2026-11-17", confidential=True)["number"]
    elsewhere = file_complaint(other, "2026-11-18")["number"]
    return {"b": b, "other": other, "open": open_, "secret": secret, "elsewhere": elsewhere}


def test_sign_in_session_cookie_csrf_and_sign_out(world: dict[str, Any], api: Client) -> None:
    b = world["b"]
    wrong = api.post(f"{V1}/session", json={"email": b.head, "password": "not it at all"})
    unknown = api.post(f"{V1}/session", json={"email": "no@x.kz", "password": "not it at all"})
    for refused in (wrong, unknown):
        assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
        assert refused.json()["code"] == "account.bad_credentials"
    assert wrong.json()["detail"] == unknown.json()["detail"]  # which part was wrong: unsaid
    assert api.get(f"{V1}/me").status_code == 401

    body = sign_in(api, b.head)
    assert body["person"]["email"] == b.head and body["person"]["roles"] == ["head"]
    cookie = next(c for c in api.cookies.jar if c.name == "ethicsflow_session")
    assert cookie.has_nonstandard_attr("HttpOnly") and not cookie.secure
    assert api.get(f"{V1}/me").json()["email"] == b.head

    no_csrf = api.delete(f"{V1}/session", headers={"X-CSRF-Token": "forged"})
    assert no_csrf.status_code == 403 and no_csrf.json()["code"] == "auth.csrf"
    assert api.get(f"{V1}/me").status_code == 200  # still signed in
    assert api.delete(f"{V1}/session").status_code == 204
    kept = Client(api.transport.app)  # a copy of the old cookie signs nobody in
    kept.cookies.set("ethicsflow_session", cookie.value or "")
    assert kept.get(f"{V1}/me").json()["code"] == "account.session_expired"


def test_a_token_and_what_each_reader_sees(world: dict[str, Any], api: Client) -> None:
    b, other = world["b"], world["other"]
    raw, _ = create_token(b.commissioner, "scripts", expires=None)
    api.headers["Authorization"] = f"Bearer {raw}"
    mine = api.get(f"{V1}/cases").json()
    assert {i["number"] for i in mine["items"]} == {world["open"], world["secret"]}
    assert mine["total"] == 2 and mine["per_page"] == 50
    assert api.get(f"{V1}/cases/{world['elsewhere']}").status_code == 404  # not theirs
    shown = api.get(f"{V1}/cases/{world['open'].lower()}")
    assert shown.status_code == 200 and shown.json()["number"] == world["open"]
    history = api.get(f"{V1}/cases/{world['open']}/history?verify=true").json()
    assert history["verified"] is True
    actions = api.get(f"{V1}/cases/{world['open']}/actions").json()
    assert "accept" in str(actions)

    api.headers["Authorization"] = "Bearer ef_not-a-token"
    assert api.get(f"{V1}/cases").json()["code"] == "account.bad_token"

    outsider = Client(api.transport.app)
    sign_in(outsider, other.commissioner)
    listed = outsider.get(f"{V1}/cases").json()
    assert [i["number"] for i in listed["items"]] == [world["elsewhere"]]
    missing = outsider.get(f"{V1}/cases/{world['open']}", headers={"Accept-Language": "kk"})
    assert missing.status_code == 404 and missing.json()["code"] == "case.not_found"

    respondent = Client(api.transport.app)
    sign_in(respondent, b.respondent)
    seen = respondent.get(f"{V1}/cases/{world['secret']}")
    assert seen.status_code == 200 and b.filer not in seen.text  # a confidential filer
    assert b.filer in api.get(f"{V1}/cases/{world['open']}", headers={
        "Authorization": f"Bearer {raw}"}).text  # fmt: skip
    assert respondent.get(f"{V1}/cases/{world['secret']}/history").status_code == 403


def test_lists_page_and_refuse_bad_parameters(world: dict[str, Any], api: Client) -> None:
    sign_in(api, world["b"].head)
    first = api.get(f"{V1}/cases?per_page=1").json()
    second = api.get(f"{V1}/cases?per_page=1&page=2").json()
    assert first["total"] == second["total"] == 2
    assert first["items"][0]["number"] != second["items"][0]["number"]
    too_many = api.get(f"{V1}/cases?per_page=500", headers={"Accept-Language": "ru"})
    assert too_many.status_code == 422
    rule = "должно быть от 1 до 200, получено 500"
    assert too_many.json()["errors"] == [
        {"field": "per_page", "rule": "list.per_page", "message": rule}
    ]
    assert api.get(f"{V1}/cases?page=x").json()["errors"][0]["field"] == "page"
    huge = api.get(f"{V1}/cases?page={2**64}")  # was a 500: the SQL OFFSET overflowed
    assert huge.status_code == 422 and huge.json()["code"] == "list.page"


def test_the_operator_socket_sees_everything_and_acts_for_a_person(
    world: dict[str, Any], operator_api: Client
) -> None:
    listed = operator_api.get(f"{V1}/cases").json()
    assert listed["total"] == 3
    assert operator_api.get(f"{V1}/me").json() == {"operator": True}
    as_head = operator_api.get(f"{V1}/me", headers={"X-Ethicsflow-Act-For": world["b"].head})
    assert as_head.json()["email"] == world["b"].head and as_head.json()["operator"] is True
    nobody = operator_api.get(f"{V1}/me", headers={"X-Ethicsflow-Act-For": "no@x.kz"})
    assert nobody.status_code == 404


def test_the_header_does_not_make_an_operator(world: dict[str, Any], api: Client) -> None:
    forged = api.get(f"{V1}/cases", headers={"X-Ethicsflow-Act-For": world["b"].head})
    assert forged.status_code == 401
    # signed in, naming another actor (the CLI's --by against a remote installation)
    sign_in(api, world["b"].commissioner)
    other = api.get(f"{V1}/me", headers={"X-Ethicsflow-Act-For": world["b"].head})
    assert other.status_code == 422
    assert other.json()["code"] == "auth.actor_is_the_signed_in_person"
    mine = api.get(f"{V1}/me", headers={"X-Ethicsflow-Act-For": world["b"].commissioner.upper()})
    assert mine.status_code == 200 and mine.json()["email"] == world["b"].commissioner


def test_acting_over_the_api_is_a_flow_run_as_the_signed_in_person(
    world: dict[str, Any], api: Client, prefect_harness: None
) -> None:
    b, number = world["b"], world["open"]
    respondent = Client(api.transport.app)
    sign_in(respondent, b.respondent)
    refused = respondent.post(f"{V1}/cases/{number}/actions/accept", json={})
    assert refused.status_code == 403

    sign_in(api, b.commissioner)  # the body's one commissioner: the case's assignee
    version = api.get(f"{V1}/cases/{number}").json()["version"]
    named = api.post(f"{V1}/cases/{number}/actions/accept", json={"fields": {"by": b.head}})
    assert named.status_code == 422
    assert named.json()["code"] == "auth.actor_is_the_signed_in_person"
    done = api.post(f"{V1}/cases/{number}/actions/accept", json={"if_version": version})
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "under_review"
    assert done.json()["version"] == version + 1
    again = api.post(f"{V1}/cases/{number}/actions/extend", json={"if_version": version})
    assert again.status_code == 409 and again.json()["code"] == "action.version_mismatch"
    history = api.get(f"{V1}/cases/{number}/history").json()["events"]
    assert (history[-1]["action"], history[-1]["actor"]) == ("accept", b.commissioner)
    assert "operator" not in history[-1]["payload"]
    bad = api.post(f"{V1}/cases/{number}/actions/extend", json={"fields": {"until": "x"}})
    assert bad.status_code in (403, 422) and bad.headers["content-type"].startswith(
        "application/problem+json"
    )


def test_a_persons_values_are_text_never_a_file_of_the_server(
    world: dict[str, Any], api: Client, operator_api: Client, prefect_harness: None,
    tmp_path: Path,
) -> None:  # fmt: skip
    """``@PATH`` reads a file where the CLI runs; over HTTP a person's ``@PATH`` is text (it
    would read the server's files), and the operator on the socket keeps the CLI's way."""
    b, number = world["b"], world["open"]
    secret = tmp_path / "secret.txt"
    secret.write_text("the server's secret")
    sign_in(api, b.commissioner)
    assert api.post(f"{V1}/cases/{number}/actions/accept", json={}).status_code == 200
    asked = api.post(
        f"{V1}/cases/{number}/actions/request_explanation",
        json={"fields": {"questions": f"@{secret}", "respondent": b.respondent}},
    )
    assert asked.status_code == 200, asked.text
    events = api.get(f"{V1}/cases/{number}/history").json()["events"]
    assert events[-1]["payload"]["questions"] == f"@{secret}"
    recorded = operator_api.post(
        f"{V1}/cases/{number}/actions/record_explanation",
        json={"fields": {"text": f"@{secret}"}},
        headers={"X-Ethicsflow-Act-For": b.commissioner},
    )
    assert recorded.status_code == 200, recorded.text
    events = api.get(f"{V1}/cases/{number}/history").json()["events"]
    assert "the server's secret" in str(events[-1]["payload"])


def test_the_operator_acting_for_a_person_is_recorded_beside_them(
    world: dict[str, Any], operator_api: Client, prefect_harness: None
) -> None:
    import getpass

    b, number = world["b"], world["open"]
    as_commissioner = {"X-Ethicsflow-Act-For": b.commissioner}
    done = operator_api.post(
        f"{V1}/cases/{number}/actions/accept", json={}, headers=as_commissioner
    )
    assert done.status_code == 200, done.text
    event = operator_api.get(f"{V1}/cases/{number}/history").json()["events"][-1]
    assert (event["action"], event["actor"]) == ("accept", b.commissioner)
    assert event["payload"]["operator"] == f"operator:{getpass.getuser()}"
    alone = operator_api.post(f"{V1}/cases/{number}/actions/extend", json={})
    assert alone.status_code == 401 and alone.json()["code"] == "auth.required"
