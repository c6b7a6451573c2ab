"""The API's endpoints in the access matrix: what guards each, what it is decided on, the
request each caller sends, and the answers that show it passed the decision.

Guards, targets and bodies are the routes' own (``app/api/*.py``): an organization
operation with no organization named (``GET /boards``, ``GET /people`` and ``GET
/accounts`` without ``?org=``, ``POST /cases/import``, the report without ``?org=``) is
decided in the caller's own organization and the list then keeps what they administer;
the whole installation (a new organization, notifications' retry and dispatch, the
sweep, recounting deadlines) takes a relation that holds everywhere; administering a
person targets what ``decide.person_target`` says for their roles (``administering``);
one's own API tokens are ``account.tokens``, another's ``admin.accounts``.
"""

from __future__ import annotations

from typing import Any

import httpx

from ethicsflow.models.permissions.table import Operation
from tests.support import factories as f
from tests.support.matrix import (
    PUBLIC,
    SIGNED_IN,
    E,
    Endpoint,
    Item,
    Keyed,
    administering,
    body_json,
    has_item,
    listing,
    ok,
)
from tests.support.matrix_world import (
    CHIEF_ROLES,
    HOLDER_ROLES,
    PASSWORD,
    MatrixWorld,
    Target,
)

ROUTES = (
    "POST /session",
    "DELETE /session",
    "GET /me",
    "GET /cases",
    "GET /cases/{number}",
    "GET /cases/{number}/history",
    "GET /cases/{number}/actions",
    "POST /cases/{number}/actions/{action}",
    "POST /cases",
    "POST /cases/import",
    "GET /cases/{number}/documents",
    "POST /cases/{number}/documents",
    "GET /documents/{document_id}",
    "GET /receipts/{code}",
    "POST /receipts/{code}/rating",
    "POST /cases/{number}/rating",
    "GET /reports/restoration",
    "GET /organizations",
    "POST /organizations",
    "GET /people",
    "POST /people",
    "GET /people/{email}",
    "GET /boards",
    "POST /boards",
    "POST /boards/{code}/members",
    "GET /accounts",
    "POST /invitations",
    "POST /invitations/accept",
    "GET /accounts/{email}/tokens",
    "POST /accounts/{email}/tokens",
    "DELETE /accounts/{email}/tokens/{token_id}",
    "GET /notifications",
    "POST /notifications/{notification_id}/retry",
    "POST /notifications/dispatch",
    "GET /me/notifications",
    "GET /policy",
    "POST /deadlines/recompute",
    "POST /sweep",
)
PATHS = frozenset(tuple(route.split()) for route in ROUTES)
"""The API's resource paths under ``/api/v1`` (issue 12), each served (``test_matrix.py``)."""


def _number(w: MatrixWorld, caller: str) -> str:
    return w.number


def _holder(w: MatrixWorld, caller: str) -> str:
    return w.holder


def _filing(w: MatrixWorld, caller: str) -> dict[str, Any]:
    return {"kind": "complaint", "org": w.other_org, "summary": f"Matrix filing {f.uid()}"}


def _lists(key: str, value: Any) -> Any:
    """Whether a list answer holds an object whose ``key`` is the world's ``value``."""

    def listed(response: httpx.Response, w: MatrixWorld) -> bool:
        return response.status_code == 200 and has_item(body_json(response), key, value(w))

    return listed


def _person(roles: tuple[str, ...]) -> Any:
    def body(w: MatrixWorld, caller: str) -> dict[str, Any]:
        email = f"n{f.uid()}@example.kz"
        return {"email": email, "name": "New Person", "org": w.org, "roles": list(roles)}

    return body


def _own(w: MatrixWorld, caller: str) -> dict[str, Any]:
    return {"email": w.emails[caller], "token_id": w.own_tokens[caller]}


Op, T = Operation, Target
HOLDER, CHIEF = administering(HOLDER_ROLES), administering(CHIEF_ROLES)
BY_ORG: dict[str, Any] = {"params": lambda w, c: {"org": w.org}, "target": T.org}
ADMINISTERED: dict[str, Any] = {"target": T.unnamed, "item": Item.org}
CASE_NOTIFICATION = _lists("id", lambda w: w.notification)

ENDPOINTS: tuple[Endpoint, ...] = (
    # the caller's own session (no rule of the table); the server's health
    E(
        "session.sign_in",
        PUBLIC,
        "POST /session",
        ok(200, shows=lambda w, c: w.emails[c]),
        body=lambda w, c: {"email": w.emails[c], "password": PASSWORD},
    ),
    E("session.sign_out", SIGNED_IN, "DELETE /session", ok(204)),
    E("session.me", SIGNED_IN, "GET /me", ok(200, shows=lambda w, c: w.emails[c])),
    E(
        "session.accept_invitation",
        PUBLIC,
        "POST /invitations/accept",
        ok(200),
        body=lambda w, c: {"token": w.invitations[c], "password": PASSWORD},
    ),
    E("health", PUBLIC, "GET /health", ok(200, shows=lambda w, c: "ok")),
    # cases
    E(
        "case.list",
        Op.case_list,
        "GET /cases",
        ok(200),
        params=lambda w, c: {"org": w.org, "per_page": 200},
        target=T.unnamed,
        item=Item.case,
        listed=_lists("number", lambda w: w.number),
    ),
    E("case.show", Op.case_show, "GET /cases/{number}", ok(200, shows=_number)),
    E("case.show/actions", Op.case_show, "GET /cases/{number}/actions", ok(200, shows=_number)),
    E("case.history", Op.case_history, "GET /cases/{number}/history", ok(200, shows=_number)),
    E(
        "case.act",
        Op.case_act,
        "POST /cases/{number}/actions/{action}",
        ok(422, code="action.not_allowed"),
        writes=True,
    ),
    E("case.file", Op.case_file, "POST /cases", ok(201), body=_filing, writes=True),
    E(
        "case.import",
        Op.case_import,
        "POST /cases/import",
        ok(200, shows=lambda w, c: Keyed("filed", 1)),
        body=lambda w, c: {"rows": [[1, {**_filing(w, c), "by": w.emails[c]}]]},
        target=T.unnamed,
        writes=True,
    ),
    E(
        "case.documents",
        Op.case_documents,
        "GET /cases/{number}/documents",
        ok(200, shows=lambda w, c: Keyed("id", w.document)),
    ),
    E(
        "case.documents/download",
        Op.case_documents,
        "GET /documents/{document_id}",
        ok(200),
        args=lambda w, c: {"document_id": w.document},
        hidden=("document.not_found",),
    ),
    E(
        "case.render_document",
        Op.case_render_document,
        "POST /cases/{number}/documents",
        ok(200, 201, shows=lambda w, c: Keyed("kind", "acknowledgment")),
        body={"kind": "acknowledgment"},
        writes=True,
    ),
    E(
        "case.rate",
        Op.case_rate,
        "POST /cases/{number}/rating",
        ok(422, code="rating.case_not_closed"),
        ok(403, code="rating.not_filer"),  # the operator acting for the stranger
        body={"score": 5},
        writes=True,
    ),
    E(
        "case.rate/receipt",
        Op.case_rate,
        "POST /receipts/{code}/rating",
        ok(422, code="rating.case_not_closed"),
        args=lambda w, c: {"code": w.receipt},
        body={"score": 5},
        target=T.receipt,
        writes=True,
    ),
    E(
        "receipt.show",
        Op.receipt_show,
        "GET /receipts/{code}",
        ok(200, shows=lambda w, c: w.receipt_number),
        args=lambda w, c: {"code": w.receipt},
        target=T.receipt,
    ),
    E("report.restoration", Op.report_restoration, "GET /reports/restoration", ok(200), **BY_ORG),
    E(
        "report.restoration/csv",
        Op.report_restoration,
        "GET /reports/restoration",
        ok(200, shows=lambda w, c: "section"),
        params=lambda w, c: {"org": w.org, "format": "csv"},
        target=T.org,
    ),
    E(  # none named: all of them if one may, else one's own
        "report.restoration/own",
        Op.report_restoration,
        "GET /reports/restoration",
        ok(200),
        target=T.unnamed,
    ),
    # the installation
    E(
        "organizations.list",
        Op.organizations_list,
        "GET /organizations",
        ok(200, shows=lambda w, c: Keyed("code", w.org)),
    ),
    E(
        "admin.organizations",
        Op.admin_organizations,
        "POST /organizations",
        ok(201),
        body=lambda w, c: {"code": f"N{f.uid().upper()[:6]}", "name": "Body", "region": "Astana"},
        target=T.installation,
        writes=True,
    ),
    E(
        "platform.recompute_deadlines",
        Op.platform_recompute_deadlines,
        "POST /deadlines/recompute",
        ok(200),
        target=T.installation,
        writes=True,
    ),
    E(
        "platform.sweep",
        Op.platform_sweep,
        "POST /sweep",
        ok(200),
        target=T.installation,
        writes=True,
    ),
    # people
    E(  # holds the servant; the chief only for who administers the installation
        "admin.people",
        Op.admin_people,
        "GET /people",
        ok(200, shows=_holder),
        item=listing(CHIEF),
        listed=_lists("email", lambda w: w.chief),
        **BY_ORG,
    ),
    E(
        "admin.people/administered",
        Op.admin_people,
        "GET /people",
        ok(200),
        listed=_lists("email", lambda w: w.holder),
        **ADMINISTERED,
    ),
    E(
        "admin.people/administered-everywhere",
        Op.admin_people,
        "GET /people",
        ok(200),
        target=T.unnamed,
        item=listing(CHIEF),
        listed=_lists("email", lambda w: w.chief),
    ),
    E(
        "admin.people/show",
        Op.admin_people,
        "GET /people/{email}",
        ok(200, shows=_holder),
        target=HOLDER,
    ),
    E(
        "admin.people/show-everywhere",
        Op.admin_people,
        "GET /people/{email}",
        ok(200, shows=lambda w, c: w.chief),
        args=lambda w, c: {"email": w.chief},
        target=CHIEF,
    ),
    E(
        "admin.people/add",
        Op.admin_people,
        "POST /people",
        ok(201),
        body=_person(HOLDER_ROLES),
        target=HOLDER,
        writes=True,
    ),
    E(
        "admin.people/add-everywhere",
        Op.admin_people,
        "POST /people",
        ok(201),
        body=_person(CHIEF_ROLES),
        target=CHIEF,
        writes=True,
    ),
    # Ethics Boards (hosted by their secretary's organization: the case's body)
    E(
        "admin.boards",
        Op.admin_boards,
        "GET /boards",
        ok(200),
        listed=_lists("code", lambda w: w.board),
        **ADMINISTERED,
    ),
    E(
        "admin.boards/add",
        Op.admin_boards,
        "POST /boards",
        ok(201),
        body=lambda w, c: {
            "code": f"B{f.uid().upper()[:6]}",
            "name": "Board",
            "region": f"Region {f.uid()}",
            "secretary": w.secretary,
        },
        target=T.org,
        writes=True,
    ),
    E(
        "admin.boards/member",
        Op.admin_boards,
        "POST /boards/{code}/members",
        ok(201),
        args=lambda w, c: {"code": w.board},
        body=lambda w, c: {"email": w.spares[c]},
        target=T.org,
        writes=True,
    ),
    # accounts: another's (administered), one's own
    E(
        "admin.accounts",
        Op.admin_accounts,
        "GET /accounts",
        ok(200, shows=_holder),
        item=listing(CHIEF),
        listed=_lists("email", lambda w: w.chief),
        **BY_ORG,
    ),
    E(
        "admin.accounts/administered",
        Op.admin_accounts,
        "GET /accounts",
        ok(200),
        listed=_lists("email", lambda w: w.holder),
        **ADMINISTERED,
    ),
    E(
        "admin.accounts/administered-everywhere",
        Op.admin_accounts,
        "GET /accounts",
        ok(200),
        target=T.unnamed,
        item=listing(CHIEF),
        listed=_lists("email", lambda w: w.chief),
    ),
    E(
        "admin.accounts/invite",
        Op.admin_accounts,
        "POST /invitations",
        ok(201, shows=_holder),
        body=lambda w, c: {"email": w.holder},
        target=HOLDER,
    ),
    E(
        "admin.accounts/invite-everywhere",
        Op.admin_accounts,
        "POST /invitations",
        ok(201, shows=lambda w, c: w.chief),
        body=lambda w, c: {"email": w.chief},
        target=CHIEF,
    ),
    E(
        "admin.accounts/tokens",
        Op.admin_accounts,
        "GET /accounts/{email}/tokens",
        ok(200, shows=lambda w, c: Keyed("id", w.revocable)),
        target=HOLDER,
    ),
    E(
        "admin.accounts/tokens-everywhere",
        Op.admin_accounts,
        "GET /accounts/{email}/tokens",
        ok(200, shows=lambda w, c: Keyed("id", w.chief_token)),
        args=lambda w, c: {"email": w.chief},
        target=CHIEF,
    ),
    E(
        "admin.accounts/token",
        Op.admin_accounts,
        "POST /accounts/{email}/tokens",
        ok(201, shows=_holder),
        body={"name": "matrix"},
        target=HOLDER,
    ),
    E(
        "admin.accounts/revoke",
        Op.admin_accounts,
        "DELETE /accounts/{email}/tokens/{token_id}",
        ok(204),
        target=HOLDER,
    ),
    E(
        "account.tokens",
        Op.account_tokens,
        "GET /accounts/{email}/tokens",
        ok(200, shows=lambda w, c: Keyed("id", w.own_tokens[c])),
        args=_own,
    ),
    E(
        "account.tokens/create",
        Op.account_tokens,
        "POST /accounts/{email}/tokens",
        ok(201, shows=lambda w, c: w.emails[c]),
        args=_own,
        body={"name": "mine"},
    ),
    E(
        "account.tokens/revoke",
        Op.account_tokens,
        "DELETE /accounts/{email}/tokens/{token_id}",
        ok(204),
        args=_own,
    ),
    # notifications and the policy
    E(
        "notifications.list",
        Op.notifications_list,
        "GET /notifications",
        ok(200),
        params=lambda w, c: {"case": w.number},
        names_case=True,
        item=Item.addressed,
        listed=CASE_NOTIFICATION,
    ),
    E(
        "notifications.list/mine",
        Op.notifications_list,
        "GET /me/notifications",
        ok(200),
        item=Item.own,
        listed=CASE_NOTIFICATION,
    ),
    E(
        "notifications.retry",
        Op.notifications_retry,
        "POST /notifications/{notification_id}/retry",
        ok(422, code="notification.already_queued"),
        ok(200, shows=lambda w, c: Keyed("id", w.notification)),  # a dispatch failed it
        args=lambda w, c: {"notification_id": w.notification},
        target=T.installation,
        writes=True,
    ),
    E(
        "notifications.dispatch",
        Op.notifications_dispatch,
        "POST /notifications/dispatch",
        ok(200),
        body={"limit": 5},
        target=T.installation,
        writes=True,
    ),
    E("policy.read", Op.policy_read, "GET /policy", ok(200, shows=lambda w, c: "Asia/Almaty")),
)
