"""The administration pages over HTTP in this process (SQLite and PostgreSQL): adding an
organization and a person, bad input kept on its field, an invitation link and an API
token shown once, revoking the token, re-queueing a dead notification, and what a
servant and the administrator of one body are refused or not shown (as the API)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlmodel import func, select

from ethicsflow.models.accounts.operations import set_password
from ethicsflow.models.accounts.tokens import list_tokens
from ethicsflow.models.db import session_scope
from ethicsflow.models.notifications.tables import Notification
from ethicsflow.models.people.tables import Organization, Person
from ethicsflow.models.policy import policy_summary
from tests.support import factories as f
from tests.support.api import Client
from tests.support.web import PASSWORD, Page, csrf, sign_in


@dataclass
class World:
    a: f.Body  # an organization with its admin
    admin: str
    platform_here: str  # of `a`, but the whole installation's to administer
    other: str  # another organization and a servant there
    stranger: str
    platform: str  # the installation's administrator (of the other organization)


@pytest.fixture
def world(home: Path) -> World:
    a, other = f.body(), f.org()
    return World(
        a=a,
        admin=f.person(a.code, "admin"),
        platform_here=f.person(a.code, "platform_admin"),
        other=other,
        stranger=f.person(other),
        platform=f.person(other, "platform_admin"),
    )


def _as(web: Client, email: str) -> None:
    """Sign ``email`` in (a password is set first: hashing is slow, so only for those a
    test signs in)."""
    set_password(email, PASSWORD)
    sign_in(web, email)


def _people() -> int:
    with session_scope() as session:
        return session.exec(select(func.count()).select_from(Person)).one()


def test_admins_add_an_organization_a_person_a_board_and_its_member(
    world: World, web: Client, prefect_harness: None
) -> None:
    _as(web, world.platform)
    code = f"N{uuid.uuid4().hex[:6].upper()}"
    form = Page(web.get("/admin/organizations").text).form(**{"data-action": "add_organization"})
    typed = {"code": code, "name": "Ministry of Tests", "region": "Abai", "parent": world.other}
    added = web.post(form["action"], data={**form["inputs"], **typed})
    assert added.status_code == 303, added.text
    assert added.headers["location"] == "/admin/organizations?done=add_organization"
    listed = Page(web.get(added.headers["location"] + "&lang=en").text).text
    assert (
        code in listed and "Ministry of Tests" in listed and "The organization is added" in listed
    )
    with session_scope() as session:
        org = session.exec(select(Organization).where(Organization.code == code)).one()
        assert org.region == "Abai" and org.parent_id is not None

    _as(web, world.admin)  # a body's admin: its people, not a new organization
    assert "add_organization" not in web.get("/admin/organizations").text
    html = web.get("/admin/people").text
    form = Page(html).form(**{"data-action": "add_person"})
    assert f'<option value="{world.a.code}" selected>' in html  # their body, the only one
    assert f'<option value="{world.other}"' not in html
    email = f"new{f.uid()}@example.kz"
    person = {"email": email, "name": "Айгерим Сапарова", "org": world.a.code,
              "roles": ["commissioner", "servant"]}  # fmt: skip
    added = web.post(form["action"], data={**form["inputs"], **person, "language": "kk"})
    assert added.status_code == 303 and added.headers["location"].endswith("?done=add_person")
    listed = Page(web.get("/admin/people").text).text
    assert email in listed and "Айгерим Сапарова" in listed
    with session_scope() as session:
        row = session.exec(select(Person).where(Person.email == email)).one()
        assert (sorted(row.roles), row.language) == (["commissioner", "servant"], "kk")

    secretary, board = f.person(world.a.code, "board_secretary"), f"B{f.uid().upper()[:6]}"
    form = Page(web.get("/admin/boards").text).form(**{"data-action": "add_board"})
    typed = {"code": board, "name": "Ethics Board", "region": f"R {board}", "secretary": secretary}
    added = web.post(form["action"], data={**form["inputs"], **typed})
    assert added.status_code == 303 and added.headers["location"].endswith("?done=add_board")
    form = Page(web.get("/admin/boards").text).form(**{"data-action": "add_board_member"})
    bad = web.post(form["action"], data={**form["inputs"], "code": board, "email": secretary})
    assert bad.status_code == 422 and set(Page(bad.text).errors) == {"member-email"}
    member = {"code": board, "email": email, "chair": "1"}
    added = web.post(form["action"], data={**form["inputs"], **member})
    assert added.status_code == 303, added.text
    listed = Page(web.get("/admin/boards?lang=en").text).text
    assert board in listed and secretary in listed and f"{email}> (chair)" in listed


def test_bad_input_is_shown_on_its_field_with_what_was_typed_and_nothing_written(
    world: World, web: Client, prefect_harness: None
) -> None:
    _as(web, world.admin)
    form = Page(web.get("/admin/people").text).form(**{"data-action": "add_person"})
    before = _people()
    typed = {"email": "not an e-mail", "name": "Kept Name", "iin": "900101300123",
             "org": world.a.code}  # fmt: skip
    refused = web.post(form["action"] + "?lang=ru", data={**form["inputs"], **typed})
    page = Page(refused.text)
    assert refused.status_code == 422 and page.lang == "ru"
    assert refused.headers["hx-push-url"] == "false"
    assert set(page.errors) == {"new-email"}, page.errors
    kept = page.form(**{"data-action": "add_person"})["inputs"]
    assert (kept["email"], kept["name"], kept["iin"]) == (
        "not an e-mail",
        "Kept Name",
        typed["iin"],
    )
    assert _people() == before  # nothing written

    unknown = {**typed, "email": f"x{f.uid()}@example.kz", "manager": "nobody@example.kz"}
    page = Page(web.post(form["action"], data={**form["inputs"], **unknown}).text)
    assert set(page.errors) == {"new-manager"}, page.errors
    assert page.form(**{"data-action": "add_person"})["inputs"]["manager"] == "nobody@example.kz"
    assert _people() == before

    _as(web, world.platform)
    form = Page(web.get("/admin/organizations").text).form(**{"data-action": "add_organization"})
    bad = web.post(form["action"], data={**form["inputs"], "code": "no spaces!", "name": "N"})
    page = Page(bad.text)
    assert bad.status_code == 422 and set(page.errors) == {"code"}, page.errors
    assert page.form(**{"data-action": "add_organization"})["inputs"]["code"] == "no spaces!"


def test_an_invitation_link_is_shown_once_and_sets_the_password(world: World, web: Client) -> None:
    _as(web, world.admin)
    form = Page(web.get("/admin/accounts").text).form(**{"data-action": "invite"})
    wrong = web.post(form["action"], data={**form["inputs"], "email": world.a.respondent,
                                           "hours": "9999"})  # fmt: skip
    assert wrong.status_code == 422 and set(Page(wrong.text).errors) == {"invite-hours"}
    shown = web.post(form["action"], data={**form["inputs"], "email": world.a.respondent})
    assert shown.status_code == 200 and shown.headers["cache-control"] == "no-store"
    found = re.search(r'id="invitation-link"[^>]*>([^<]+)<', shown.text)
    assert found is not None, shown.text
    token = found.group(1).rsplit("/invite/", 1)[1]
    assert token not in web.get("/admin/accounts").text  # shown once
    elsewhere = web.post(form["action"], data={**form["inputs"], "email": world.stranger})
    assert elsewhere.status_code == 403  # another body's person, as the API

    invited = Client(web.transport.app)
    accepted = invited.post(
        f"/invite/{token}", data={"password": PASSWORD, "password_again": PASSWORD}
    )
    assert accepted.status_code == 303 and "ethicsflow_session" in invited.cookies
    again = Client(web.transport.app).post(
        f"/invite/{token}", data={"password": PASSWORD, "password_again": PASSWORD}
    )
    assert again.status_code != 303  # once
    row = Page(web.get("/admin/accounts").text)
    assert world.a.respondent in row.text


def test_a_token_is_shown_once_and_revoked(world: World, web: Client) -> None:
    _as(web, world.admin)
    owner = world.a.respondent
    listing = web.get("/admin/accounts")
    here = f"/admin/accounts/{quote(owner, safe='@')}/tokens"
    assert here in listing.text
    form = Page(web.get(here).text).form(**{"data-action": "create_token"})
    past = web.post(form["action"], data={**form["inputs"], "name": "CI", "expires": "2000-01-01"})
    assert past.status_code == 422 and set(Page(past.text).errors) == {"expires"}
    assert list_tokens(owner) == []  # nothing written
    made = web.post(form["action"], data={**form["inputs"], "name": "CI runner"})
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    found = re.search(r'id="new-token"[^>]*>(ef_[^<]+)<', made.text)
    assert found is not None, made.text
    raw = found.group(1)

    api = Client(web.transport.app)
    api.headers["Authorization"] = f"Bearer {raw}"
    assert api.get("/api/v1/policy").status_code == 200  # the token works
    page = web.get(here)
    assert raw not in page.text and "CI runner" in page.text  # shown once
    revoke = Page(page.text).form(**{"data-action": "revoke_token"})
    revoked = web.post(revoke["action"], data=revoke["inputs"])
    assert revoked.status_code == 303 and revoked.headers["location"].endswith("?done=revoke_token")
    assert [t["status"] for t in list_tokens(owner)] == ["revoked"]
    assert api.get("/api/v1/policy").status_code == 401
    assert "revoke_token" not in web.get(here).text  # nothing left to revoke

    _as(web, world.a.filer)  # a servant: their own tokens, nobody else's
    own = web.get(f"/admin/accounts/{quote(world.a.filer, safe='@')}/tokens")
    assert own.status_code == 200 and "create_token" in own.text
    assert web.get(here).status_code == 403


def test_the_installation_admin_queues_a_dead_notification_again(
    world: World, web: Client, prefect_harness: None
) -> None:
    with session_scope(write=True) as session:
        admin = session.exec(select(Person).where(Person.email == world.admin)).one()
        row = Notification(
            person_id=admin.id,
            recipient=admin.email,
            url="json://127.0.0.1:9/hook",
            event="case_filed",
            language="ru",
            subject="s",
            body="b",
            status="dead",
            attempts=5,
            last_error="connection refused",
            dedup_key=f"test-{f.uid()}",
        )
        session.add(row)
        session.flush()
        dead = row.id
    _as(web, world.admin)  # their own notification, listed; not theirs to re-queue
    page = Page(web.get("/admin/notifications").text)
    assert "connection refused" in page.text
    assert not [x for x in page.forms if x.get("data-action") == "retry_notification"]
    refused = web.post(f"/admin/notifications/{dead}/retry", data={"csrf_token": csrf(web)})
    assert refused.status_code == 403

    _as(web, world.platform)
    form = Page(web.get("/admin/notifications").text).form(
        action=f"/admin/notifications/{dead}/retry"
    )
    assert form["data-action"] == "retry_notification"
    queued = web.post(form["action"], data=form["inputs"])
    assert queued.status_code == 303, queued.text
    assert queued.headers["location"] == "/admin/notifications?done=retry_notification"
    with session_scope() as session:
        again = session.get(Notification, dead)
        assert again is not None and (again.status, again.attempts) == ("queued", 0)
    assert f'/admin/notifications/{dead}/retry"' not in web.get(queued.headers["location"]).text


def test_a_servant_is_refused_and_a_body_admin_sees_only_their_body(
    world: World, web: Client
) -> None:
    _as(web, world.a.filer)
    for address in ("/admin/people", "/admin/accounts", "/admin/boards"):
        refused = web.get(f"{address}?lang=en")
        assert refused.status_code == 403, address
        assert "Not allowed" in Page(refused.text).text and world.a.respondent not in refused.text
    mine = {"csrf_token": csrf(web), "email": f"s{f.uid()}@example.kz", "name": "S",
            "org": world.a.code}  # fmt: skip
    assert web.post("/admin/people", data=mine).status_code == 403
    index = web.get("/admin")
    assert index.status_code == 200
    for address in ("/admin/people", "/admin/accounts", "/admin/boards"):
        assert f'href="{address}"' not in index.text
    assert 'href="/admin"' not in web.get("/").text  # base.html's link: admins only
    policy = web.get("/admin/policy?lang=en")  # anyone's to read, as the API's
    assert policy.status_code == 200
    assert policy_summary()["rules"]["answer"]["basis"] in Page(policy.text).text

    _as(web, world.admin)
    assert 'href="/admin/people"' in web.get("/admin").text
    people = web.get("/admin/people").text
    assert world.a.respondent in people and world.stranger not in people
    assert world.platform_here not in people  # the installation's to administer
    accounts = web.get("/admin/accounts").text
    assert world.a.respondent in accounts and world.stranger not in accounts
    assert world.platform_here not in accounts
    assert web.get(f"/admin/people?org={world.other}").status_code == 403
    form = Page(people).form(**{"data-action": "add_person"})
    before = _people()
    forged = {**form["inputs"], "email": f"x{f.uid()}@example.kz", "name": "X",
              "org": world.a.code, "csrf_token": "forged"}  # fmt: skip
    assert web.post(form["action"], data=forged).status_code == 403
    assert _people() == before
    elsewhere = {"email": f"y{f.uid()}@example.kz", "name": "Y", "org": world.other}
    assert web.post(form["action"], data={**form["inputs"], **elsewhere}).status_code == 403
    grant = {"email": f"z{f.uid()}@example.kz", "name": "Z", "org": world.a.code,
             "roles": ["platform_admin"]}  # fmt: skip
    assert web.post(form["action"], data={**form["inputs"], **grant}).status_code == 403
