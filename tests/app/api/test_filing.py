"""Filing over the API: one case as the signed-in person, many from the operator's socket."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ethicsflow.app.api.auth import operator_label
from tests.support import factories as f
from tests.support.api import Client
from tests.support.cases import SUMMARY, show
from tests.support.tokens import signed_in

V1 = "/api/v1"


def filing(b: f.Body, **values: Any) -> dict[str, Any]:
    return {"kind": "complaint", "org": b.code, "summary": SUMMARY, **values}


def test_filing_is_a_flow_run_as_the_signed_in_person(
    home: Path, api: Client, prefect_harness: None
) -> None:
    b, other = f.body(), f.body()
    filer = signed_in(api, b.filer)
    body = filing(b, against=b.respondent, confidential=True, key=f"web-{f.uid()}")
    filed = filer.post(f"{V1}/cases", json=body)
    assert filed.status_code == 201, filed.text
    data = filed.json()
    number = data["number"]
    assert number.startswith(f"{b.code}-") and data["created"] is True
    assert (data["status"], data["assignee"]) == ("triage", b.commissioner)
    assert "answer" in {d["name"] for d in data["deadlines"]} and "receipt_code" not in data
    assert filed.headers["location"] == f"{V1}/cases/{number}"
    parties = {p["role"]: p["email"] for p in show(number)["parties"]}
    assert parties == {"complainant": b.filer, "respondent": b.respondent}
    assert filer.get(filed.headers["location"]).status_code == 200

    again = filer.post(f"{V1}/cases", json=body)  # the same key: the same case
    assert again.status_code == 200 and "location" not in again.headers
    assert (again.json()["number"], again.json()["created"]) == (number, False)
    stranger = signed_in(api, other.filer)  # a key is no way into another's case
    taken = stranger.post(f"{V1}/cases", json={**body, "org": other.code})
    assert taken.status_code == 409 and taken.json()["code"] == "case.key_taken"
    assert number not in taken.text

    respondent = signed_in(api, b.respondent)  # a confidential filer: not to the respondent
    seen = respondent.get(f"{V1}/cases/{number}")
    assert seen.status_code == 200 and seen.json()["summary"] == SUMMARY
    assert b.filer not in seen.text and b.filer.split("@")[0] not in seen.text


def test_filing_refuses_bad_input_and_other_filers_before_a_flow_runs(
    home: Path, api: Client, operator_api: Client
) -> None:
    b = f.body()
    nobody = api.post(f"{V1}/cases", json=filing(b))
    assert nobody.status_code == 401 and nobody.json()["code"] == "auth.required"

    filer = signed_in(api, b.filer)
    named = filer.post(f"{V1}/cases", json=filing(b, by=b.head))
    assert named.status_code == 422
    assert named.json()["code"] == "auth.actor_is_the_signed_in_person"
    assert [e["field"] for e in named.json()["errors"]] == ["actor"]
    short = filer.post(f"{V1}/cases", json=filing(b, summary="too short"))
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "summary"
    late = filer.post(f"{V1}/cases", json=filing(b, received_at="2026-11-16T10:00"))
    assert late.json()["errors"][0] == {
        "field": "received_at",
        "rule": "case.received_at_no_offset",
        "message": "received_at must carry a UTC offset",
    }
    unknown = filer.post(f"{V1}/cases", json={**filing(b), "out": "/tmp/x"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "out"
    missing = filer.post(f"{V1}/cases", json={"org": b.code, "summary": SUMMARY})
    assert [e["field"] for e in missing.json()["errors"]] == ["kind"]

    # the operator alone files only an anonymous appeal; a filer comes from the header
    alone = operator_api.post(f"{V1}/cases", json=filing(b))
    assert alone.status_code == 422 and alone.json()["code"] == "case.filer_required"
    assert alone.json()["errors"][0]["field"] == "actor"
    named = operator_api.post(f"{V1}/cases", json=filing(b, by=b.filer))
    assert named.json()["code"] == "auth.actor_is_the_signed_in_person"


def test_the_operator_filing_for_a_person_is_recorded_with_them(
    home: Path, operator_api: Client, prefect_harness: None
) -> None:
    b = f.body()
    filed = operator_api.post(
        f"{V1}/cases", json=filing(b), headers={"X-Ethicsflow-Act-For": b.filer}
    )
    assert filed.status_code == 201, filed.text
    events = operator_api.get(f"{V1}/cases/{filed.json()['number']}/history").json()["events"]
    assert events[0]["action"] == "file" and events[0]["actor"] == b.filer
    assert events[0]["payload"]["operator"] == operator_label()


def test_import_streams_progress_then_the_report(
    home: Path, api: Client, operator_api: Client, prefect_harness: None
) -> None:
    b = f.body()
    key = f"import-{f.uid()}"
    rows = [
        [1, {**filing(b, by=b.filer, key=key)}],
        [2, filing(b, by=b.filer, summary="short")],
        [3, "not valid JSON (Expecting value)"],
    ]
    answer = operator_api.post(
        f"{V1}/cases/import", json={"rows": rows}, headers={"Accept-Language": "ru"}
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in answer.text.splitlines()]
    assert lines[:-1] == [{"progress": 3}]
    report = lines[-1]["ok"]
    assert (report["filed"], report["existing"], report["failed"]) == (1, 0, 2)
    assert [(c["line"], c["created"]) for c in report["cases"]] == [(1, True)]
    bad, unreadable = report["errors"]
    assert bad["line"] == 2 and bad["error"]["status"] == 422
    assert bad["error"]["errors"][0]["field"] == "summary"
    assert bad["error"]["errors"][0]["message"].startswith("недопустимое значение")  # ru
    assert (unreadable["line"], unreadable["error"]["code"]) == (3, "case.import_row_unreadable")

    head = signed_in(api, b.head)  # filing for others: the operator only
    refused = head.post(f"{V1}/cases/import", json={"rows": rows[:1]})
    assert refused.status_code == 403 and refused.json()["code"] == "permission.denied_organization"
    assert api.post(f"{V1}/cases/import", json={"rows": rows[:1]}).status_code == 401
    shapeless = operator_api.post(f"{V1}/cases/import", json={"rows": "all of them"})
    assert shapeless.status_code == 422 and shapeless.json()["errors"][0]["field"] == "rows"
