"""The API's skeleton: problem details in the request's language, never a 500 for bad input."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi import FastAPI
from pydantic import BaseModel, Field

from ethicsflow.app.api.app import PREFIX, create_app
from ethicsflow.app.api.language import negotiate
from ethicsflow.app.api.problems import MEDIA_TYPE, field_name, problem
from ethicsflow.models.errors import (
    ACTOR,
    ActionNotAllowed,
    Conflict,
    EthicsflowError,
    InvalidInput,
    NotFound,
    NotPermitted,
    PolicyError,
    Throttled,
    key,
    operation,
    option,
    payload,
)
from tests.support.api import Client


class Body(BaseModel):
    until: dt.date
    score: int = Field(ge=1, le=5)


def _app() -> FastAPI:
    api = create_app()

    @api.post(f"{PREFIX}/probe")
    def probe(body: Body) -> dict[str, str]:
        return {"until": body.until.isoformat()}

    @api.get(f"{PREFIX}/refuse/{{what}}")
    def refuse(what: str) -> None:
        raise {
            "invalid": InvalidInput("case.until_not_working_day", payload("until"), until="x"),
            "missing": NotFound("case.not_found", key("number"), number="KZ-1"),
            "conflict": Conflict("db.changed_meanwhile"),
            "forbidden": NotPermitted("rating.not_filer", ACTOR, email="a@b.kz", number="N"),
            "throttled": Throttled("auth.throttled", retry_after=61),
        }[what]

    @api.get(f"{PREFIX}/boom")
    def boom() -> None:
        raise RuntimeError("secret detail of the cause")

    return api


@pytest.fixture(scope="module")
def client() -> Client:
    return Client(_app())


@pytest.mark.parametrize(
    ("header", "explicit", "language"),
    [
        (None, None, "en"),
        ("kk-KZ, ru;q=0.8", None, "kk"),
        ("ru-RU,ru;q=0.9,en;q=0.8", None, "ru"),
        ("de, en;q=0.5, kk;q=0.7", None, "kk"),
        ("de, fr", None, "en"),
        ("*", None, "en"),
        ("ru;q=0, en;q=0.1", None, "en"),
        ("ru;q=abc, kk;q=0.2", None, "kk"),
        ("en, ru", None, "en"),
        ("ru", "kk", "kk"),
        ("ru", "xx", "ru"),
    ],
)
def test_the_language_of_a_response(
    header: str | None, explicit: str | None, language: str
) -> None:
    assert negotiate(header, explicit) == language


@pytest.mark.parametrize(
    ("ref", "spelled"),
    [
        (payload("until"), "fields.until"),
        (payload("measures.0.due"), "fields.measures.0.due"),
        (payload("reason"), "reason"),
        (option("received_at"), "received_at"),
        (key("number"), "number"),
        (ACTOR, "actor"),
        (operation("person add"), "person add"),
    ],
)
def test_the_api_spells_fields_by_their_json_names(ref: object, spelled: str) -> None:
    assert field_name(ref) == spelled  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InvalidInput("db.changed_meanwhile"), 422),
        (ActionNotAllowed("db.changed_meanwhile", allowed=["accept"]), 422),
        (NotFound("db.changed_meanwhile"), 404),
        (PolicyError("db.changed_meanwhile"), 503),
        (Conflict("db.changed_meanwhile"), 409),
        (NotPermitted("db.changed_meanwhile"), 403),
        (Throttled("auth.throttled", retry_after=60), 429),
        (EthicsflowError("db.changed_meanwhile"), 500),
    ],
)
def test_status_by_class(error: EthicsflowError, status: int) -> None:
    assert problem(error, "en")[0] == status


def test_a_domain_error_is_a_problem_in_the_requested_language(client: Client) -> None:
    answer = client.get(f"{PREFIX}/refuse/invalid", headers={"Accept-Language": "ru"})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == MEDIA_TYPE
    body = answer.json()
    assert body["code"] == "case.until_not_working_day"
    assert body["type"] == "urn:ethicsflow:problem:case.until_not_working_day"
    assert body["detail"] == "fields.until: x не является рабочим днём"
    assert body["errors"] == [
        {"field": "fields.until", "rule": body["code"], "message": "x не является рабочим днём"}
    ]
    kk = client.get(f"{PREFIX}/refuse/invalid?lang=kk").json()
    assert kk["detail"] == "fields.until: x жұмыс күні емес"
    for what, status in (("missing", 404), ("conflict", 409), ("forbidden", 403)):
        answer = client.get(f"{PREFIX}/refuse/{what}")
        assert answer.status_code == status and answer.json()["status"] == status
    throttled = client.get(f"{PREFIX}/refuse/throttled")
    assert throttled.status_code == 429 and throttled.headers["retry-after"] == "61"


def test_every_bad_field_of_a_request_is_named(client: Client) -> None:
    answer = client.post(
        f"{PREFIX}/probe",
        json={"until": "2026-13-01", "score": 9},
        headers={"Accept-Language": "kk"},
    )
    assert answer.status_code == 422 and answer.headers["content-type"] == MEDIA_TYPE
    errors = answer.json()["errors"]
    assert [e["field"] for e in errors] == ["until", "score"]
    assert errors[0]["rule"] == "validation.date_from_datetime_parsing"
    assert errors[0]["message"].startswith("мән күн болуы керек")
    assert errors[1]["rule"] == "validation.other"
    assert client.post(f"{PREFIX}/probe", content=b"{not json").status_code == 422


def test_unknown_paths_and_crashes_are_problems_too(client: Client) -> None:
    missing = client.get(f"{PREFIX}/nothing-here")
    assert missing.status_code == 404 and missing.headers["content-type"] == MEDIA_TYPE
    crash = client.get(f"{PREFIX}/boom")
    assert crash.status_code == 500 and crash.json() == {
        "type": "about:blank",
        "title": "Internal error",
        "status": 500,
    }
    assert "secret" not in crash.text


def test_the_openapi_document_and_the_docs_page(client: Client) -> None:
    document = client.get(f"{PREFIX}/openapi.json").json()
    assert f"{PREFIX}/health" in document["paths"]
    assert client.get(f"{PREFIX}/health").json()["status"] == "ok"
    page = client.get(f"{PREFIX}/docs")
    assert page.status_code == 200
    # every file the page loads is the app's own (no CDN)
    loaded = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    loaded += re.findall(r"""url: ?["']([^"']+)["']""", page.text)
    assert loaded and all(url.startswith(f"{PREFIX}/") for url in loaded), loaded
    assert "http" not in page.text.replace("http-equiv", "")
    for url in loaded:
        assert client.get(url).status_code == 200, url
