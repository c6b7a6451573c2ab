"""A confidential filer: who reads their identity, who reads a placeholder; an anonymous
filer has none anywhere."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlmodel import select

from ethicsflow.models.cases import operations, views
from ethicsflow.models.cases.access import get_case
from ethicsflow.models.cases.tables import Party, PartyRole
from ethicsflow.models.db import session_scope
from ethicsflow.models.documents.operations import list_documents
from ethicsflow.models.errors import NotFound, NotPermitted
from ethicsflow.models.notifications.listing import list_notifications
from ethicsflow.models.permissions.decide import viewer_relations
from ethicsflow.models.permissions.redaction import PLACEHOLDER, Filer, filer_of, redact
from ethicsflow.models.permissions.relations import Relation
from ethicsflow.models.permissions.table import IDENTITY, TABLE, Operation
from tests.support import factories as f
from tests.support.cases import all_text
from tests.support.permissions import STRANGER, World, person, world

NAME = "Aigerim Sarsenova"
IIN = "880505400321"


@pytest.fixture(scope="module")
def secret(module_db: str) -> World:
    """A confidential complaint whose summary names its filer."""
    name = f"{NAME} {f.uid()}"
    return world(
        confidential=True,
        filer_name=name,
        summary=f"I, {name} (IIN {IIN}), heard rude and humiliating remarks at a meeting",
    )


def _identity(w: World) -> tuple[str, str]:
    with session_scope() as session:
        filer = person(session, w.email(Relation.filer))
        return filer.email, filer.name


def show(w: World, who: str) -> dict[str, Any]:
    with session_scope() as session:
        return views.case_view(session, w.number, viewer=person(session, w.email(who)))


def history(w: World, who: str) -> dict[str, Any]:
    with session_scope() as session:
        return views.history(session, w.number, viewer=person(session, w.email(who)))


def leaks(view: Any, w: World) -> list[str]:
    text = json.dumps(view, ensure_ascii=False).lower()
    email, name = _identity(w)
    return [s for s in (email, name.lower(), IIN) if s in text]


def complainant(view: dict[str, Any]) -> dict[str, Any]:
    return next(p for p in view["parties"] if p["role"] == "complainant")


def test_the_respondent_reads_a_placeholder_for_a_confidential_filer(secret: World) -> None:
    view = show(secret, Relation.respondent)
    assert view["confidential"] is True
    assert complainant(view) == {"role": "complainant", "email": PLACEHOLDER, "name": PLACEHOLDER}
    assert view["summary"].startswith(f"I, {PLACEHOLDER} (IIN {PLACEHOLDER})")
    respondent = next(p for p in view["parties"] if p["role"] == "respondent")
    assert respondent["email"] == secret.email(Relation.respondent)  # their own, as it is
    assert leaks(view, secret) == []
    with pytest.raises(NotPermitted):
        history(secret, Relation.respondent)  # the audit log is not the respondent's


@pytest.mark.parametrize(
    "who", [Relation.body_commissioner, Relation.agency], ids=["body_commissioner", "agency"]
)
def test_readers_outside_the_identity_read_placeholders_in_show_and_history(
    secret: World, who: Relation
) -> None:
    view = show(secret, who)
    assert complainant(view)["email"] == PLACEHOLDER
    log = history(secret, who)
    filed = log["events"][0]
    assert (filed["action"], filed["actor"]) == ("file", PLACEHOLDER)
    assert filed["payload"]["confidential"] is True
    assert leaks(view, secret) == leaks(log, secret) == []


@pytest.mark.parametrize(
    "who",
    [Relation.filer, Relation.assignee, Relation.body_head, Relation.board_secretary,
     Relation.board_member],
    ids=str,
)  # fmt: skip
def test_the_identity_holders_read_the_filer(secret: World, who: Relation) -> None:
    email, name = _identity(secret)
    view = show(secret, who)
    assert complainant(view) == {"role": "complainant", "email": email, "name": name}
    assert name in view["summary"] and IIN in view["summary"]
    if who in TABLE[Operation.case_history].relations:
        assert history(secret, who)["events"][0]["actor"] == email


def test_the_identity_is_the_tables(secret: World) -> None:
    assert {Relation.filer, Relation.assignee, Relation.body_head, Relation.board_secretary,
            Relation.board_member, Relation.operator} == IDENTITY  # fmt: skip


def test_the_operator_reads_everything_as_before(secret: World) -> None:
    email, _ = _identity(secret)
    with session_scope() as session:
        view = views.case_view(session, secret.number)
        log = views.history(session, secret.number)
        case = get_case(session, secret.number)
        filer = filer_of(session, case)
        stranger = person(session, secret.email(STRANGER))
        as_operator = viewer_relations(session, stranger, case, operator=True)
        respondent = viewer_relations(session, person(session, secret.email("respondent")), case)
    assert complainant(view)["email"] == email
    assert log["events"][0]["actor"] == email
    assert as_operator == {Relation.operator} and respondent == {Relation.respondent}
    assert redact(view, as_operator, filer) is view
    assert complainant(redact(view, respondent, filer))["email"] == PLACEHOLDER
    assert view["allowed_actions"]  # every action of the state, as the CLI shows them


def test_a_viewer_reads_only_their_own_actions(secret: World) -> None:
    assert show(secret, Relation.board_secretary)["allowed_actions"] == ["schedule_hearing"]
    assert show(secret, Relation.respondent)["allowed_actions"] == []


def test_reads_refuse_whom_the_table_refuses(secret: World) -> None:
    with pytest.raises(NotFound):
        show(secret, STRANGER)
    with pytest.raises(NotPermitted):
        show(secret, Relation.body_admin)  # sees the case in lists, reads no content
    with session_scope() as session:
        respondent = person(session, secret.email(Relation.respondent))
        stranger = person(session, secret.email(STRANGER))
        head = person(session, secret.email(Relation.body_head))
    with pytest.raises(NotPermitted):
        list_documents(secret.number, viewer=respondent)
    with pytest.raises(NotFound):
        list_documents(secret.number, viewer=stranger)
    assert list_documents(secret.number, viewer=head) == list_documents(secret.number)


def test_notification_lists_show_own_rows_and_hide_the_filer(secret: World) -> None:
    email, _ = _identity(secret)
    with session_scope() as session:
        filer = person(session, email)
        platform = person(session, secret.email(Relation.installation_admin))
        stranger = person(session, secret.email(STRANGER))
        respondent = person(session, secret.email(Relation.respondent))
        own = list_notifications(session, case=secret.number, viewer=filer)
        everyone = list_notifications(session, case=secret.number, viewer=platform)
        theirs = list_notifications(session, case=secret.number, viewer=respondent)
        operator = list_notifications(session, case=secret.number)
        with pytest.raises(NotFound):  # as unknown as a case that does not exist
            list_notifications(session, case=secret.number, viewer=stranger)
    assert [n["recipient"] for n in own] == [email]
    assert theirs == []
    assert len(everyone) == len(operator) >= 2
    assert PLACEHOLDER in {n["recipient"] for n in everyone}
    assert email not in json.dumps(everyone) and email in json.dumps(operator)


def test_a_case_that_is_not_confidential_shows_its_filer(module_db: str) -> None:
    w = world(confidential=False)
    email, _ = _identity(w)
    assert complainant(show(w, Relation.respondent))["email"] == email
    assert show(w, Relation.respondent)["confidential"] is False


def test_an_anonymous_filer_has_no_identity_anywhere(module_db: str) -> None:
    b = f.body()
    filed = operations.file_one(
        {
            "kind": "complaint",
            "org": b.code,
            "anonymous": True,
            "against": b.respondent,
            "summary": "Rude and humiliating remarks at a staff meeting",
        }
    )
    code = filed["receipt_code"]
    with session_scope() as session:
        case = get_case(session, filed["number"])
        parties = session.exec(select(Party).where(Party.case_id == case.id)).all()
        assert [p.role for p in parties] == [PartyRole.respondent]
        assert filer_of(session, case) == Filer(confidential=False)
        respondent = person(session, b.respondent)
        view = views.case_view(session, case.number, viewer=respondent)
        log = views.history(session, case.number)
        assert (log["events"][0]["actor"], case.anonymous) == ("anonymous", True)
        assert list_notifications(session, case=case.number, viewer=respondent) == []
    assert [p["role"] for p in view["parties"]] == ["respondent"]
    assert not any(code in text for text in all_text())  # only its hash is stored


def test_redact_replaces_whole_values_inside_any_structure() -> None:
    filer = Filer(True, email="Filer@Example.kz", name="Dana Bek", iin="880505400321")
    view = {
        "actor": "filer@example.kz",
        "payload": {"raised_by": "FILER@example.kz", "list": ["x Dana Bek y", 3, None]},
        "numbers": "9880505400321 and 880505400321",
        "hash": "ab880505400321cd" + "0" * 48,  # a SHA-256 is never redacted
    }
    out = redact(view, {Relation.respondent}, filer)
    assert out == {
        "actor": PLACEHOLDER,
        "payload": {"raised_by": PLACEHOLDER, "list": [f"x {PLACEHOLDER} y", 3, None]},
        "numbers": f"9880505400321 and {PLACEHOLDER}",
        "hash": view["hash"],
    }
    assert view["actor"] == "filer@example.kz"  # the input is left as it was
    assert redact(view, {Relation.assignee}, filer) is view
    assert redact(view, set(), Filer(False)) is view


def test_notifications_of_a_confidential_filer_still_reach_them(secret: World) -> None:
    with session_scope() as session:
        rows = list_notifications(session, case=secret.number)
    assert any(n["event"] == "acknowledgment" for n in rows)
