"""Administration over the API: organizations, people, Boards, accounts, invitations and
API tokens, each allowed and refused as the access table says (SQLite, PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from ethicsflow.models.accounts.operations import set_password
from ethicsflow.models.accounts.tokens import create_token, revoke_token
from ethicsflow.models.boards import roster
from tests.support import factories as f
from tests.support.api import Client, refused
from tests.support.tokens import signed_in as as_

V1 = "/api/v1"
PASSWORD = "correct horse battery staple"


@dataclass
class World:
    a: f.Body  # an organization with its admin, a Board secretary and a platform admin
    admin: str
    secretary: str
    platform_here: str
    other: str  # another organization with its own admin
    other_admin: str
    platform: str  # the installation's administrator (of the other organization)
    board: str  # the Board hosted by `a` (its secretary's organization)
    board_elsewhere: str  # the Board hosted by the other organization


@pytest.fixture
def world(home: Path) -> World:
    a, other = f.body(region=f"Region {f.uid()}"), f.org(region=f"Region {f.uid()}")
    w = World(
        a=a,
        admin=f.person(a.code, "admin"),
        secretary=f.person(a.code, "board_secretary"),
        platform_here=f.person(a.code, "platform_admin"),
        other=other,
        other_admin=f.person(other, "admin"),
        platform=f.person(other, "platform_admin"),
        board=f"B{f.uid().upper()[:6]}",
        board_elsewhere=f"B{f.uid().upper()[:6]}",
    )
    for code, secretary, region in (
        (w.board, w.secretary, "Region A"),
        (w.board_elsewhere, f.person(other, "board_secretary"), "Region B"),
    ):
        roster.add_board(
            {
                "code": code,
                "name": "Ethics Board",
                "region": f"{region} {code}",
                "secretary": secretary,
            }
        )
    return w


# --- organizations ----------------------------------------------------------------------


def test_organizations_list_for_anyone_and_a_new_one_is_the_installation_admins(
    world: World, api: Client, operator_api: Client, prefect_harness: None
) -> None:
    refused(api.get(f"{V1}/organizations"), 401, "auth.required")
    listed = as_(api, world.a.filer).get(f"{V1}/organizations")
    assert listed.status_code == 200
    codes = {o["code"]: o for o in listed.json()}
    assert codes[world.a.code]["parent"] is None and set(codes[world.a.code]) == {
        "code",
        "name",
        "region",
        "parent",
    }

    child = {"code": f"C{f.uid().upper()[:6]}", "name": "Department", "parent": world.a.code}
    refused(api.post(f"{V1}/organizations", json=child), 401, "auth.required")
    admin = as_(api, world.admin)  # even a child of their own body: a new organization
    refused(admin.post(f"{V1}/organizations", json=child), 403, "permission.denied_installation")
    platform = as_(api, world.platform)
    refused(
        platform.post(f"{V1}/organizations", json={"code": "X1"}),
        422,
        "validation.missing",
        "name",
    )
    named = platform.post(f"{V1}/organizations", json={**child, "by": world.admin})
    refused(named, 422, "auth.actor_is_the_signed_in_person", "by")
    refused(
        platform.post(f"{V1}/organizations", json={**child, "code": "x y"}),
        422,
        "org.code_format",
        "code",
    )

    added = platform.post(f"{V1}/organizations", json=child)
    assert added.status_code == 201, added.text
    assert added.json() == {**child, "region": None}
    again = operator_api.post(f"{V1}/organizations", json=child)  # the operator may too
    refused(again, 409, "org.exists")
    orphan = {**child, "code": f"C{f.uid().upper()[:6]}", "parent": "NOPE"}
    refused(platform.post(f"{V1}/organizations", json=orphan), 404, "org.not_found", "parent")


# --- people -----------------------------------------------------------------------------


def test_people_are_read_by_those_who_administer_them(world: World, api: Client) -> None:
    refused(api.get(f"{V1}/people"), 401, "auth.required")
    refused(api.get(f"{V1}/people/{world.a.head}"), 401, "auth.required")
    admin = as_(api, world.admin)
    mine = admin.get(f"{V1}/people")
    assert mine.status_code == 200
    assert {p["org"] for p in mine.json()} == {world.a.code}
    assert world.a.head in {p["email"] for p in mine.json()}
    head = admin.get(f"{V1}/people/{world.a.head.upper()}")
    assert head.status_code == 200
    assert head.json() == {
        "email": world.a.head,
        "name": f"Person {world.a.head.split('@')[0]}",
        "iin": "900101300123",
        "language": "ru",
        "org": world.a.code,
        "roles": ["head"],
        "notify": [],
        "manager": None,
    }
    refused(admin.get(f"{V1}/people?org={world.other}"), 403, "permission.denied_organization")
    refused(admin.get(f"{V1}/people/{world.other_admin}"), 403, "permission.denied_organization")
    refused(admin.get(f"{V1}/people/no-one@x.kz"), 404, "person.not_found", "email")
    refused(admin.get(f"{V1}/people?org=NOPE"), 404, "org.not_found", "org")
    refused(admin.get(f"{V1}/people?org={'X' * 17}"), 422, "validation.other", "org")
    # a person holding a role that counts everywhere is the installation admin's: not
    # shown, not listed
    refused(admin.get(f"{V1}/people/{world.platform_here}"), 403, "permission.denied_installation")
    assert world.platform_here not in {p["email"] for p in mine.json()}
    refused(as_(api, world.a.head).get(f"{V1}/people"), 403, "permission.denied_organization")

    everyone = as_(api, world.platform).get(f"{V1}/people")
    assert {world.a.code, world.other} <= {p["org"] for p in everyone.json()}
    assert world.platform_here in {p["email"] for p in everyone.json()}
    only = as_(api, world.platform).get(f"{V1}/people?org={world.other.lower()}")
    assert {p["org"] for p in only.json()} == {world.other}


def test_a_body_admin_adds_people_to_their_own_body(
    world: World, api: Client, prefect_harness: None
) -> None:
    email = f"new{f.uid()}@example.kz"
    values = {
        "email": email,
        "name": "New Person",
        "org": world.a.code,
        "roles": ["servant"],
        "notify": ["json://127.0.0.1:9/hook"],
        "language": "kk",
        "manager": world.a.head,
        "iin": None,
    }
    refused(api.post(f"{V1}/people", json=values), 401, "auth.required")
    other_admin = as_(api, world.other_admin)
    refused(other_admin.post(f"{V1}/people", json=values), 403, "permission.denied_organization")
    admin = as_(api, world.admin)
    grant = {**values, "roles": ["platform_admin"]}
    refused(admin.post(f"{V1}/people", json=grant), 403, "permission.denied_installation")
    refused(admin.post(f"{V1}/people", json={**values, "org": "NOPE"}), 404, "org.not_found", "org")
    refused(admin.post(f"{V1}/people", json={"name": "x"}), 422, "validation.missing", "email")
    refused(
        admin.post(f"{V1}/people", json={**values, "colour": "red"}),
        422,
        "validation.extra_forbidden",
        "colour",
    )

    added = admin.post(f"{V1}/people", json=values)
    assert added.status_code == 201, added.text
    assert added.json() == {**values, "roles": ["servant"]}
    refused(admin.post(f"{V1}/people", json=values), 409, "person.exists")
    assert admin.get(f"{V1}/people/{email}").json()["manager"] == world.a.head


# --- Boards -----------------------------------------------------------------------------


def test_boards_are_listed_by_their_hosts_administrators(world: World, api: Client) -> None:
    refused(api.get(f"{V1}/boards"), 401, "auth.required")
    listed = as_(api, world.admin).get(f"{V1}/boards")
    assert listed.status_code == 200
    assert listed.json() == [
        {
            "code": world.board,
            "name": "Ethics Board",
            "region": f"Region A {world.board}",
            "secretary": world.secretary,
            "members": [],
        }
    ]
    every = as_(api, world.platform).get(f"{V1}/boards").json()
    assert {b["code"] for b in every} >= {world.board, world.board_elsewhere}
    refused(as_(api, world.a.filer).get(f"{V1}/boards"), 403, "permission.denied_organization")


def test_boards_and_members_are_added_by_the_hosts_administrator(
    world: World, api: Client, prefect_harness: None
) -> None:
    code = f"B{f.uid().upper()[:6]}"
    board = {"code": code, "name": "Board", "region": f"Region {code}", "secretary": world.a.head}
    refused(api.post(f"{V1}/boards", json=board), 401, "auth.required")
    admin, other_admin = as_(api, world.admin), as_(api, world.other_admin)
    refused(other_admin.post(f"{V1}/boards", json=board), 403, "permission.denied_organization")
    unknown = {**board, "secretary": "no-one@x.kz"}
    refused(admin.post(f"{V1}/boards", json=unknown), 404, "board.no_person", "secretary")
    missing = {k: v for k, v in board.items() if k != "region"}
    refused(admin.post(f"{V1}/boards", json=missing), 422, "validation.missing", "region")

    added = admin.post(f"{V1}/boards", json=board)
    assert added.status_code == 201, added.text
    assert added.json() == {**board, "members": []}
    refused(admin.post(f"{V1}/boards", json=board), 409, "board.exists")

    member = {"email": world.a.filer, "chair": True}
    url = f"{V1}/boards/{code.lower()}/members"
    refused(api.post(url, json=member), 401, "auth.required")
    refused(other_admin.post(url, json=member), 403, "permission.denied_organization")
    refused(admin.post(f"{V1}/boards/NOPE/members", json=member), 404, "board.not_found", "code")
    refused(
        admin.post(url, json={**member, "chair": "maybe"}), 422, "validation.bool_parsing", "chair"
    )
    refused(
        admin.post(url, json={**member, "actor": world.platform}),
        422,
        "auth.actor_is_the_signed_in_person",
        "actor",
    )
    seated = admin.post(url, json={**member, "by": world.admin})  # naming oneself: as signed in
    assert seated.status_code == 201, seated.text
    filer_name = f"Person {world.a.filer.split('@')[0]}"
    assert seated.json()["members"] == [{"email": world.a.filer, "name": filer_name, "chair": True}]
    refused(admin.post(url, json=member), 409, "board.already_member")


# --- accounts, invitations, API tokens ----------------------------------------------------


def test_accounts_show_passwords_tokens_and_sign_ins_to_their_administrators(
    world: World, api: Client
) -> None:
    refused(api.get(f"{V1}/accounts"), 401, "auth.required")
    set_password(world.a.head, PASSWORD)
    signed = api.post(f"{V1}/session", json={"email": world.a.head, "password": PASSWORD})
    assert signed.status_code == 200
    admin = as_(api, world.admin)  # the admin's own token: active
    _, gone = create_token(world.a.head, "old", expires=None)
    revoke_token(gone["id"])
    create_token(world.a.head, "scripts", expires=None)

    listed = admin.get(f"{V1}/accounts")
    assert listed.status_code == 200
    rows = {r["email"]: r for r in listed.json()}
    assert {r["org"] for r in rows.values()} == {world.a.code}
    head = rows[world.a.head]
    assert (head["has_password"], head["active_tokens"], head["disabled"]) == (True, 1, False)
    assert head["last_sign_in_at"] is not None and head["last_sign_in_at"].endswith("+00:00")
    assert set(head) == {
        "email",
        "name",
        "org",
        "roles",
        "has_password",
        "disabled",
        "active_tokens",
        "last_sign_in_at",
    }
    assert rows[world.admin]["active_tokens"] == 1 and not rows[world.admin]["has_password"]
    filer = rows[world.a.filer]
    assert (filer["has_password"], filer["active_tokens"], filer["last_sign_in_at"]) == (
        False,
        0,
        None,
    )
    assert world.platform_here not in rows  # the installation admin's account to manage
    refused(admin.get(f"{V1}/accounts?org={world.other}"), 403, "permission.denied_organization")
    refused(as_(api, world.a.filer).get(f"{V1}/accounts"), 403, "permission.denied_organization")
    everyone = as_(api, world.platform).get(f"{V1}/accounts?org={world.other}").json()
    assert {r["org"] for r in everyone} == {world.other}
    body = as_(api, world.platform).get(f"{V1}/accounts?org={world.a.code}").json()
    assert world.platform_here in {r["email"] for r in body}


def test_an_invitation_sets_a_password_once(world: World, api: Client) -> None:
    refused(api.post(f"{V1}/invitations", json={"email": world.a.filer}), 401, "auth.required")
    admin = as_(api, world.admin)
    refused(
        as_(api, world.other_admin).post(f"{V1}/invitations", json={"email": world.a.filer}),
        403,
        "permission.denied_organization",
    )
    refused(
        admin.post(f"{V1}/invitations", json={"email": world.platform_here}),
        403,
        "permission.denied_installation",
    )
    refused(
        admin.post(f"{V1}/invitations", json={"email": "no-one@x.kz"}),
        404,
        "person.not_found",
        "email",
    )
    refused(
        admin.post(f"{V1}/invitations", json={"email": world.a.filer, "hours": 0}),
        422,
        "validation.other",
        "hours",
    )

    invited = admin.post(f"{V1}/invitations", json={"email": world.a.filer.upper(), "hours": 2})
    assert invited.status_code == 201, invited.text
    body = invited.json()
    assert set(body) == {"email", "link", "expires_at"} and body["email"] == world.a.filer
    token = body["link"].rsplit("/invite/", 1)[1]

    short = api.post(f"{V1}/invitations/accept", json={"token": token, "password": "short"})
    refused(short, 422, "account.password_too_short", "password")
    refused(
        api.post(f"{V1}/invitations/accept", json={"token": token}),
        422,
        "validation.missing",
        "password",
    )
    accepted = api.post(f"{V1}/invitations/accept", json={"token": token, "password": PASSWORD})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["email"] == world.a.filer and accepted.json()["org"] == world.a.code
    again = api.post(f"{V1}/invitations/accept", json={"token": token, "password": PASSWORD})
    refused(again, 403, "account.bad_invitation")
    signed = api.post(f"{V1}/session", json={"email": world.a.filer, "password": PASSWORD})
    assert signed.status_code == 200


def test_a_person_manages_their_own_tokens_and_an_admin_those_of_their_body(
    world: World, api: Client
) -> None:
    url = f"{V1}/accounts/{world.a.filer}/tokens"
    refused(api.get(url), 401, "auth.required")
    refused(api.post(url, json={"name": "laptop"}), 401, "auth.required")
    refused(api.delete(f"{url}/1"), 401, "auth.required")
    filer = as_(api, world.a.filer)
    refused(filer.post(url, json={}), 422, "validation.missing", "name")
    refused(
        filer.post(url, json={"name": "x", "expires": "soon"}),
        422,
        "validation.date_from_datetime_parsing",
        "expires",
    )
    refused(
        filer.post(url, json={"name": "x", "expires": "2020-01-01"}),
        422,
        "token.expires_in_past",
        "expires",
    )

    made = filer.post(url, json={"name": "laptop", "expires": "2999-12-31"})
    assert made.status_code == 201, made.text
    token = made.json()
    assert token["token"].startswith("ef_") and token["shown_once"] is True
    assert (token["email"], token["name"], token["status"]) == (world.a.filer, "laptop", "active")
    works = Client(api.transport.app)
    works.headers["Authorization"] = f"Bearer {token['token']}"
    assert works.get(f"{V1}/me").json()["email"] == world.a.filer

    mine = filer.get(url)
    assert mine.status_code == 200
    assert [t["name"] for t in mine.json()] == ["tests", "laptop"]
    assert token["token"] not in mine.text  # shown once, never again
    admin = as_(api, world.admin)
    assert [t["id"] for t in admin.get(url).json()] == [t["id"] for t in mine.json()]
    others = f"{V1}/accounts/{world.a.head}/tokens"
    refused(filer.get(others), 403, "permission.denied_organization")
    refused(filer.post(others, json={"name": "theirs"}), 403, "permission.denied_organization")
    refused(as_(api, world.other_admin).get(url), 403, "permission.denied_organization")
    refused(
        admin.get(f"{V1}/accounts/{world.platform_here}/tokens"),
        403,
        "permission.denied_installation",
    )
    head_token = admin.post(others, json={"name": "for the head"})
    assert head_token.status_code == 201 and head_token.json()["email"] == world.a.head

    refused(filer.delete(f"{url}/{head_token.json()['id']}"), 404, "token.not_found", "id")
    refused(filer.delete(f"{url}/x"), 422, "validation.int_parsing", "token_id")
    revoked = filer.delete(f"{url}/{token['id']}")
    assert revoked.status_code == 204 and revoked.content == b""
    assert works.get(f"{V1}/me").json()["code"] == "account.bad_token"
    assert filer.delete(f"{url}/{token['id']}").status_code == 204  # again: no change
    assert {t["id"]: t["status"] for t in filer.get(url).json()}[token["id"]] == "revoked"


def test_every_admin_answer_is_json(world: World, operator_api: Client) -> None:
    """The operator alone reads everything the admin lists hold."""
    for path in ("organizations", "people", "boards", "accounts"):
        answer = operator_api.get(f"{V1}/{path}")
        assert answer.status_code == 200, (path, answer.text)
        assert isinstance(answer.json(), list) and answer.json()
    tokens = operator_api.get(f"{V1}/accounts/{world.platform}/tokens")
    assert tokens.status_code == 200 and tokens.json() == []
