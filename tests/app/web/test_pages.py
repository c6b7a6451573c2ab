"""The web pages over HTTP in this process (SQLite and PostgreSQL): signing in and out,
the queue, filing, the case page's action forms, receipts, errors, and what every page
carries (its language, its Content-Security-Policy, no inline script)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import func, select

from ethicsflow.app.web.pages import safe_next
from ethicsflow.models.accounts.operations import invite, set_password
from ethicsflow.models.cases import operations
from ethicsflow.models.cases.listing import count_cases
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.cases.views import case_view, history
from ethicsflow.models.db import session_scope
from ethicsflow.models.deadlines.rules import local_date
from ethicsflow.models.notifications.listing import inbox
from ethicsflow.models.people.tables import Person
from ethicsflow.models.policy import load_policy
from ethicsflow.models.types import utcnow
from tests.support import factories as f
from tests.support.api import Client
from tests.support.cases import act, file_complaint
from tests.support.web import PASSWORD, Page, csrf, sign_in


@pytest.fixture
def world(home: Path) -> dict[str, Any]:
    b = f.body()
    for email in (b.commissioner, b.head, b.respondent, b.filer):
        set_password(email, PASSWORD)
    late = file_complaint(b, "2026-11-02")["number"]
    secret = file_complaint(b, "2026-11-17", confidential=True)["number"]
    return {"b": b, "late": late, "secret": secret}


def test_sign_in_form_language_and_headers(world: dict[str, Any], web: Client) -> None:
    first = web.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    page = Page(first.text)
    assert first.status_code == 200 and page.lang == "ru"
    assert first.headers["content-language"] == "ru"
    csp = first.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and first.headers["x-frame-options"] == "DENY"
    assert all(s.get("src", "").startswith("/static/") for s in page.scripts)  # none inline
    assert set(page.form(action="/")["inputs"]) >= {"email", "password"}

    switched = web.get("/?lang=kk")
    assert Page(switched.text).lang == "kk"
    assert Page(web.get("/receipt").text).lang == "kk"  # the switch is kept
    assert Page(web.get("/receipt?lang=en").text).lang == "en"


def test_sign_in_refusals_keep_the_email_and_sign_out_ends_the_session(
    world: dict[str, Any], web: Client
) -> None:
    b = world["b"]
    wrong = web.post("/?lang=kk", data={"email": b.head, "password": "not the password"})
    page = Page(wrong.text)
    assert wrong.status_code == 401 and page.lang == "kk"
    assert page.form(action="/")["inputs"]["email"] == b.head  # what was typed is kept
    assert "ethicsflow_session" not in web.cookies
    empty = Page(web.post("/", data={"email": b.head, "password": ""}).text)
    assert "password" in empty.errors

    sign_in(web, b.head)
    assert world["late"] in web.get("/cases").text
    forged = web.post("/sign-out", data={"csrf_token": "forged"})
    assert forged.status_code == 403
    assert web.get("/cases").status_code == 200  # still signed in
    out = web.post("/sign-out", data={"csrf_token": csrf(web)})
    assert out.status_code == 303
    again = web.get("/cases")
    assert again.status_code == 303 and again.headers["location"] == "/?next=%2Fcases"


def test_another_site_cannot_post_a_form(world: dict[str, Any], web: Client) -> None:
    b = world["b"]
    foreign = web.post(
        "/", data={"email": b.head, "password": PASSWORD}, headers={"Origin": "https://evil.kz"}
    )
    assert foreign.status_code == 403 and "ethicsflow_session" not in web.cookies


def test_the_queue_groups_by_deadline_and_pages(world: dict[str, Any], web: Client) -> None:
    b = world["b"]
    sign_in(web, b.commissioner)
    answer = web.get("/cases?lang=en")
    page = Page(answer.text)
    assert answer.status_code == 200
    assert "Cases found: 2 · page 1 of 1" in page.text
    # the case received on 2 November is long past its 15 working days
    overdue = answer.text.split('id="h-overdue"')[1].split("</section>")[0]
    assert world["late"] in overdue
    searched = Page(web.get(f"/cases?q={world['secret']}").text)
    assert "Cases found: 1 · page 1 of 1" in searched.text
    other = f.body()  # a case of another body where the commissioner is the respondent
    elsewhere = file_complaint(other, "2026-11-19", against=b.commissioner)["number"]
    assert elsewhere not in web.get("/cases").text  # the body's queue
    involved = web.get("/cases?scope=involved").text
    assert elsewhere in involved and world["late"] not in involved
    bad_page = web.get("/cases?page=999999999")
    assert bad_page.status_code == 422 and "page" in Page(bad_page.text).text


def test_filing_shows_the_coupon_and_bad_input_keeps_what_was_typed(
    world: dict[str, Any], web: Client, prefect_harness: None
) -> None:
    b = world["b"]
    sign_in(web, b.filer)
    form = Page(web.get("/cases/new").text).form(action="/cases/new")
    assert {"kind", "org", "against", "summary", "committed_on", "confidential"} <= set(
        form["inputs"]
    )
    typed = {"csrf_token": csrf(web), "kind": "complaint", "org": b.code, "summary": ""}
    refused = web.post("/cases/new?lang=ru", data={**typed, "committed_on": "yesterday"})
    page = Page(refused.text)
    assert refused.status_code == 422 and page.lang == "ru"
    assert page.errors, page.text
    with session_scope() as session:
        assert session.exec(select(func.count()).select_from(Case)).one() == 2  # none written

    summary = "Менің бастығым жиналыста айқайлады"
    filed = web.post("/cases/new", data={**typed, "summary": summary, "against": b.respondent})
    assert filed.status_code == 303
    number = filed.headers["location"].split("/")[2].split("?")[0]
    coupon = web.get(filed.headers["location"] + "&lang=kk")
    page = Page(coupon.text)
    assert page.lang == "kk" and number in page.text and 'class="coupon' in coupon.text
    with session_scope() as session:
        shown = case_view(session, number)
    assert shown["summary"] == summary and shown["parties"][0]["email"] == b.filer


def test_an_action_form_acts_and_a_bad_one_shows_the_error_on_its_field(
    world: dict[str, Any], web: Client, prefect_harness: None
) -> None:
    b, number = world["b"], world["late"]
    sign_in(web, b.commissioner)
    page = Page(web.get(f"/cases/{number}").text)
    accept = page.form(**{"data-action": "accept"})
    assert accept["action"] == f"/cases/{number}/actions/accept"
    assert "if_version" in accept["inputs"] and "csrf_token" in accept["inputs"]
    done = web.post(accept["action"], data=accept["inputs"])
    assert done.status_code == 303 and done.headers["location"].endswith("?done=accept")
    with session_scope() as session:
        version = case_view(session, number)["version"]
        assert case_view(session, number)["status"] == "under_review"

    page = Page(web.get(f"/cases/{number}").text)
    offered = {form.get("data-action") for form in page.forms}
    assert "suspend" in offered and "extend" not in offered  # extend: the head's
    suspend = page.form(**{"data-action": "suspend"})
    typed = {**suspend["inputs"], "fields.ground": "sick_leave", "fields.start": "not a date",
             "reason": "medical certificate No. 12"}  # fmt: skip
    refused = web.post(suspend["action"] + "?lang=kk", data=typed)
    shown = Page(refused.text)
    assert refused.status_code == 422 and shown.lang == "kk"
    assert "suspend-fields-start" in shown.errors, shown.errors
    kept = shown.form(**{"data-action": "suspend"})["inputs"]
    assert kept["reason"] == "medical certificate No. 12"  # what was typed is kept
    with session_scope() as session:
        assert case_view(session, number)["version"] == version  # nothing written

    stale = web.post(accept["action"], data=accept["inputs"])  # no longer allowed
    assert stale.status_code in (403, 409, 422)


def test_free_text_from_the_web_is_text_not_a_file_of_the_server(
    world: dict[str, Any], web: Client, prefect_harness: None, tmp_path: Path
) -> None:
    b, number = world["b"], world["late"]
    secret = tmp_path / "secret.txt"
    secret.write_text("the server's secret")
    act(number, "accept", b.commissioner, "2026-11-03")
    sign_in(web, b.commissioner)
    form = Page(web.get(f"/cases/{number}").text).form(**{"data-action": "refer_to_board"})
    web.post(form["action"], data={**form["inputs"], "reason": f"@{secret}"})
    with session_scope() as session:
        events = history(session, number)["events"]
    assert events[-1]["action"] == "refer_to_board"
    assert events[-1]["payload"]["reason"] == f"@{secret}"


def test_the_respondent_does_not_see_a_confidential_filer(
    world: dict[str, Any], web: Client
) -> None:
    b = world["b"]
    sign_in(web, b.respondent)
    seen = web.get(f"/cases/{world['secret']}")
    assert seen.status_code == 200
    assert b.filer not in seen.text
    with session_scope() as session:
        name = session.exec(select(Person.name).where(Person.email == b.filer)).one()
    assert name not in seen.text


def test_a_case_one_may_not_see_is_not_found_in_the_pages_language(
    world: dict[str, Any], web: Client
) -> None:
    other = f.body()
    set_password(other.commissioner, PASSWORD)
    sign_in(web, other.commissioner)
    missing = web.get(f"/cases/{world['late']}?lang=ru")
    page = Page(missing.text)
    assert missing.status_code == 404 and page.lang == "ru"
    assert missing.headers["content-type"].startswith("text/html")
    assert web.get("/no/such/page").status_code == 404


def test_status_by_receipt_code(world: dict[str, Any], web: Client) -> None:
    b = world["b"]
    filed = operations.file_one(
        {"kind": "complaint", "org": b.code, "summary": "anonymous report", "anonymous": True}
    )
    answer = web.post("/receipt", data={"receipt": filed["receipt_code"]})
    assert answer.status_code == 200 and filed["number"] in answer.text
    unknown = web.post("/receipt?lang=kk", data={"receipt": "x" * 5})
    page = Page(unknown.text)
    assert unknown.status_code == 422 and "receipt" in page.errors


def test_an_invitation_link_sets_the_password_and_signs_in(
    world: dict[str, Any], web: Client
) -> None:
    b = world["b"]
    token, _ = invite(b.respondent)
    differ = web.post(
        f"/invite/{token}", data={"password": PASSWORD + "!", "password_again": PASSWORD}
    )
    assert differ.status_code == 422 and "password_again" in Page(differ.text).errors
    done = web.post(f"/invite/{token}", data={"password": PASSWORD, "password_again": PASSWORD})
    assert done.status_code == 303
    assert "ethicsflow_session" in web.cookies
    assert web.get("/cases").status_code == 200


def test_static_files_are_served_and_small(web: Client) -> None:
    page = web.get("/")
    sources = re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text)
    total = 0
    for source in sources:
        answer = web.get(source)
        assert answer.status_code == 200, source
        assert "immutable" in answer.headers["cache-control"]
        if source.split("?")[0].endswith((".js", ".css")):
            total += len(answer.content)
    assert 0 < total <= 100 * 1024


def test_the_inbox_shows_what_was_written_to_the_person(world: dict[str, Any], web: Client) -> None:
    b = world["b"]
    filer = f.person(b.code, notify=["json://127.0.0.1:9/inbox"])
    set_password(filer, PASSWORD)
    file_complaint(b, "2026-11-18", by=filer)
    with session_scope() as session:
        person = session.exec(select(Person).where(Person.email == filer)).one()
        written = inbox(session, person)
    sign_in(web, filer)
    page = Page(web.get("/inbox?lang=ru").text)
    assert page.lang == "ru"
    assert written, "filing queues the acknowledgment to the filer"
    for item in written:
        assert item["subject"] in page.text
    sign_in(web, b.head)
    assert written[0]["subject"] not in web.get("/inbox").text  # not theirs


def test_the_filer_rates_a_closed_case_once(
    world: dict[str, Any], web: Client, prefect_harness: None
) -> None:
    b, number = world["b"], world["late"]
    act(number, "accept", b.commissioner, "2026-11-03")
    act(number, "find_no_violation", b.commissioner, "2026-11-04", {"reason": "no breach"})
    act(number, "close", b.commissioner, "2027-03-01")  # after the appeal window
    sign_in(web, b.filer)
    form = Page(web.get(f"/cases/{number}").text).form(**{"data-action": "rate"})
    refused = web.post(form["action"], data={**form["inputs"], "comment": "kept text"})
    page = Page(refused.text)
    assert refused.status_code == 422 and "score" in page.errors
    assert page.form(**{"data-action": "rate"})["inputs"]["comment"] == "kept text"
    done = web.post(form["action"], data={**form["inputs"], "score": "4"})
    assert done.status_code == 303 and done.headers["location"].endswith("?done=rate")
    again = web.post(form["action"], data={**form["inputs"], "score": "5"})
    assert again.status_code in (409, 422)


def test_the_profile_sets_the_language_and_the_channels(
    world: dict[str, Any], web: Client, prefect_harness: None
) -> None:
    b = world["b"]
    sign_in(web, b.filer)
    form = Page(web.get("/profile?lang=en").text).form(action="/profile")
    bad = {**form["inputs"], "language": "kk", "notify": "json://127.0.0.1:9/a\nnot a url"}
    refused = web.post("/profile", data=bad)
    page = Page(refused.text)
    assert refused.status_code == 422 and "notify" in page.errors
    assert "not a url" in page.form(action="/profile")["inputs"]["notify"]  # kept
    with session_scope() as session:
        person = session.exec(select(Person).where(Person.email == b.filer)).one()
        assert person.notify_urls == [] and person.language != "kk"  # nothing written

    good = {**form["inputs"], "language": "kk", "notify": "json://127.0.0.1:9/a\n"}
    saved = web.post("/profile", data=good)
    assert saved.status_code == 303 and saved.headers["location"] == "/profile?saved=1"
    with session_scope() as session:
        person = session.exec(select(Person).where(Person.email == b.filer)).one()
        assert (person.language, person.notify_urls) == ("kk", ["json://127.0.0.1:9/a"])
    assert Page(web.get("/profile").text).lang == "kk"  # the person's language now


def test_the_agency_sees_every_body_at_a_glance(world: dict[str, Any], web: Client) -> None:
    b = world["b"]
    agency = f.person(f.org(), "agency")
    set_password(agency, PASSWORD)
    with session_scope() as session:  # overdue as the queue's filter counts it, today
        today = local_date(utcnow(), load_policy().zone)
        overdue = count_cases(session, org=b.code, overdue_on=today)
    assert overdue >= 1  # the case received on 2 November is long past its answer date
    sign_in(web, agency)
    page = Page(web.get("/bodies?lang=en").text)
    row = page.text.split(f"({b.code})")[1].split()[:5]
    assert row == ["Astana", "2", str(overdue), "0", "2"]  # region, open, overdue, escalated, all
    listed = web.get(f"/cases?org={b.code}&overdue=1")
    assert world["late"] in listed.text
    sign_in(web, b.commissioner)
    refused = web.get("/bodies")
    assert refused.status_code == 403 and "Agency" in Page(web.get("/bodies?lang=en").text).text


@pytest.mark.parametrize(
    "target",
    ["https://evil.kz/", "//evil.kz/", "/\\evil.kz/", "/\\\\evil.kz", "/\t/evil.kz", "cases"],
)
def test_signing_in_goes_back_only_to_this_site(target: str) -> None:
    assert safe_next(target) == "/"
    assert safe_next("/cases?q=x&page=2") == "/cases?q=x&page=2"
