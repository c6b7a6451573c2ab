"""Receipt codes and ratings over the API: public, throttled lookups; one rating a case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from ethicsflow.models.cases.views import status_by_receipt
from ethicsflow.models.db import session_scope
from tests.support import factories as f
from tests.support.accounts import events
from tests.support.api import Client
from tests.support.cases import act, file_complaint
from tests.support.tokens import signed_in

V1 = "/api/v1"
UNKNOWN = "ABCDE-FGHJK-LMNPQ-RSTUV"


def client_at(api: Client, address: str) -> Client:
    """A client of the same app whose requests come from ``address``."""
    client = Client(api.transport.app)
    client.transport = httpx.ASGITransport(
        app=api.transport.app, raise_app_exceptions=False, client=(address, 40000)
    )
    return client


def anonymous_case(b: f.Body) -> dict[str, Any]:
    return file_complaint(b, "2026-11-16", by=None, anonymous=True)


def test_a_receipt_shows_the_status_and_the_sixth_bad_lookup_is_throttled(
    home: Path, api: Client
) -> None:
    b = f.body()
    filed = anonymous_case(b)
    code = filed["receipt_code"]
    seen = api.get(f"{V1}/receipts/{code}")  # no sign-in
    assert seen.status_code == 200
    with session_scope() as session:
        assert seen.json() == status_by_receipt(session, code)
    assert seen.json()["number"] == filed["number"] and seen.json()["status"] == "triage"
    assert seen.json()["next_deadline"]["name"] == "answer"

    malformed = api.get(f"{V1}/receipts/abc")
    assert malformed.status_code == 422 and malformed.json()["errors"][0]["field"] == "receipt"
    for _ in range(4):
        unknown = api.get(f"{V1}/receipts/{UNKNOWN}")
        assert unknown.status_code == 404 and unknown.json()["code"] == "case.receipt_unknown"
    sixth = api.get(f"{V1}/receipts/{code}")  # the right code, but too many wrong ones
    assert sixth.status_code == 429 and sixth.json()["code"] == "auth.throttled"
    assert 0 < int(sixth.headers["retry-after"]) <= 15 * 60
    assert client_at(api, "10.0.0.9").get(f"{V1}/receipts/{code}").status_code == 200

    failed = events("receipt_failed")
    assert [(e.address, e.detail["reason"]) for e in failed] == [("127.0.0.1", "malformed")] + [
        ("127.0.0.1", "unknown")
    ] * 4
    assert events("throttled")[-1].detail == {
        "method": "receipt",
        "retry_after": int(sixth.headers["retry-after"]),
    }
    assert not any(code in str(e.detail) or UNKNOWN in str(e.detail) for e in events())


def test_ratings_by_receipt_and_by_the_signed_in_filer(
    home: Path, api: Client, prefect_harness: None
) -> None:
    b, other = f.body(), f.body()
    anonymous = anonymous_case(b)
    act(anonymous["number"], "dismiss", b.commissioner, "2026-11-17",
        {"ground": "anonymous", "reason": "Art. 88"})  # fmt: skip
    by_code = f"{V1}/receipts/{anonymous['receipt_code']}/rating"
    rated = api.post(by_code, json={"score": 4, "comment": "quick"})
    assert rated.status_code == 201, rated.text
    assert {k: rated.json()[k] for k in ("number", "score", "comment")} == {
        "number": anonymous["number"],
        "score": 4,
        "comment": "quick",
    }
    twice = api.post(by_code, json={"score": 5})
    assert twice.status_code == 409 and twice.json()["code"] == "rating.already_rated"
    wordy = api.post(by_code, json={"score": "many"})
    assert wordy.status_code == 422 and wordy.json()["errors"][0]["field"] == "score"
    unknown = api.post(f"{V1}/receipts/{UNKNOWN}/rating", json={"score": 1})
    assert unknown.status_code == 404 and len(events("receipt_failed")) == 1

    number = file_complaint(b, "2026-11-16")["number"]
    act(number, "forward", b.commissioner, "2026-11-17",
        {"to_body": "Ministry", "reason": "Labour dispute"})  # fmt: skip
    url = f"{V1}/cases/{number}/rating"
    filer = signed_in(api, b.filer)
    too_high = filer.post(url, json={"score": 9})  # the model's rule, in the flow
    assert too_high.status_code == 422 and too_high.json()["code"] == "rating.score_range"
    assert too_high.json()["errors"][0]["field"] == "score"
    named = filer.post(url, json={"score": 5, "by": b.head})
    assert named.status_code == 422 and named.json()["errors"][0]["field"] == "by"
    respondent = signed_in(api, b.respondent)
    assert respondent.post(url, json={"score": 1}).json()["code"] == "permission.denied"
    outsider = signed_in(api, other.filer)
    assert outsider.post(url, json={"score": 1}).status_code == 404
    assert api.post(url, json={"score": 1}).status_code == 401
    done = filer.post(url, json={"score": 5})
    assert done.status_code == 201 and done.json()["score"] == 5
