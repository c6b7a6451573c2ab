"""The API's endpoints in the access matrix: what guards each, what it is decided on, the
request each caller sends, and the answers that show it passed the decision.

Guards and bodies of the paths not served on this branch yet (the case resources and the
administration) are this branch's reading of issue 12, to be checked when they merge:
GET /organizations, POST /deadlines/recompute and POST /sweep under ``admin.organizations``
for the whole installation; POST /notifications/dispatch under ``notifications.retry``;
lists of one organization take ``?org=``; bodies carry the CLI's option names.
"""

from __future__ import annotations

from typing import Any

import httpx

from ethicsflow.models.permissions.table import Operation
from tests.support import factories as f
from tests.support.matrix import PUBLIC, SIGNED_IN, E, Endpoint, has_item, ok
from tests.support.matrix_world import PASSWORD, MatrixWorld, Target

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
    "GET /documents/{id}",
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
    "POST /notifications/{id}/retry",
    "POST /notifications/dispatch",
    "GET /me/notifications",
    "GET /policy",
    "POST /deadlines/recompute",
    "POST /sweep",
)
PATHS = frozenset(tuple(route.split()) for route in ROUTES)
"""The API's resource paths under ``/api/v1``, fixed for the whole team (issue 12)."""


def _number(w: MatrixWorld, caller: str) -> str:
    return w.number


def _holder(w: MatrixWorld, caller: str) -> str:
    return w.holder


def _filing(w: MatrixWorld, caller: str) -> dict[str, Any]:
    return {"kind": "complaint", "org": w.other_org, "summary": f"Matrix filing {f.uid()}"}


def _in_case_list(response: httpx.Response, w: MatrixWorld) -> bool:
    return response.status_code == 200 and has_item(response, "number", w.number)


Op, T = Operation, Target
CREATED = ok(200, 201)
BY_ORG: dict[str, Any] = {"params": lambda w, c: {"org": w.org}, "target": T.org}

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
        ok(200, 204),
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
        listed=_in_case_list,
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
    E("case.file", Op.case_file, "POST /cases", CREATED, body=_filing, writes=True),
    E(
        "case.file/import",
        Op.case_file,
        "POST /cases/import",
        ok(200, shows=lambda w, c: '"ok"'),
        body=lambda w, c: {"rows": [_filing(w, c)]},
        writes=True,
    ),
    E(
        "case.documents",
        Op.case_documents,
        "GET /cases/{number}/documents",
        ok(200, shows=lambda w, c: "acknowledgment"),
    ),
    E(
        "case.documents/download",
        Op.case_documents,
        "GET /documents/{id}",
        ok(200),
        args=(("id", "document"),),
        hidden=("case.not_found", "document.not_found"),
    ),
    E(
        "case.render_document",
        Op.case_render_document,
        "POST /cases/{number}/documents",
        CREATED,
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
        args=(("code", "receipt"),),
        body={"score": 5},
        target=T.receipt,
        writes=True,
    ),
    E(
        "receipt.show",
        Op.receipt_show,
        "GET /receipts/{code}",
        ok(200, shows=lambda w, c: w.receipt_number),
        args=(("code", "receipt"),),
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
    # administration
    E(
        "admin.organizations",
        Op.admin_organizations,
        "GET /organizations",
        ok(200, shows=lambda w, c: w.org),
        target=T.installation,
    ),
    E(
        "admin.organizations/add",
        Op.admin_organizations,
        "POST /organizations",
        CREATED,
        body=lambda w, c: {"code": f"N{f.uid().upper()[:6]}", "name": "Body", "region": "Astana"},
        target=T.installation,
        writes=True,
    ),
    E(
        "admin.organizations/recompute",
        Op.admin_organizations,
        "POST /deadlines/recompute",
        ok(200),
        target=T.installation,
        writes=True,
    ),
    E(
        "admin.organizations/sweep",
        Op.admin_organizations,
        "POST /sweep",
        ok(200),
        target=T.installation,
        writes=True,
    ),
    E("admin.people", Op.admin_people, "GET /people", ok(200, shows=_holder), **BY_ORG),
    E(
        "admin.people/show",
        Op.admin_people,
        "GET /people/{email}",
        ok(200, shows=_holder),
        target=T.org,
    ),
    E(
        "admin.people/add",
        Op.admin_people,
        "POST /people",
        CREATED,
        body=lambda w, c: {"email": f"n{f.uid()}@example.kz", "name": "New Person", "org": w.org},
        target=T.org,
        writes=True,
    ),
    E(
        "admin.boards",
        Op.admin_boards,
        "GET /boards",
        ok(200, shows=lambda w, c: w.board),
        **BY_ORG,
    ),
    E(
        "admin.boards/add",
        Op.admin_boards,
        "POST /boards",
        CREATED,
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
        CREATED,
        args=(("code", "board"),),
        body=lambda w, c: {"email": w.spares[c]},
        target=T.org,
        writes=True,
    ),
    E("admin.accounts", Op.admin_accounts, "GET /accounts", ok(200, shows=_holder), **BY_ORG),
    E(
        "admin.accounts/invite",
        Op.admin_accounts,
        "POST /invitations",
        CREATED,
        body=lambda w, c: {"email": w.holder},
        target=T.org,
    ),
    E(
        "admin.accounts/tokens",
        Op.admin_accounts,
        "GET /accounts/{email}/tokens",
        ok(200, shows=lambda w, c: w.revocable),
        target=T.org,
    ),
    E(
        "admin.accounts/token",
        Op.admin_accounts,
        "POST /accounts/{email}/tokens",
        CREATED,
        body={"name": "matrix"},
        target=T.org,
    ),
    E(
        "admin.accounts/revoke",
        Op.admin_accounts,
        "DELETE /accounts/{email}/tokens/{token_id}",
        ok(200, 204),
        target=T.org,
    ),
    # notifications and the policy
    E(
        "notifications.list",
        Op.notifications_list,
        "GET /notifications",
        ok(200),
        params=lambda w, c: {"case": w.number},
    ),
    E("notifications.list/mine", Op.notifications_list, "GET /me/notifications", ok(200)),
    E(
        "notifications.retry",
        Op.notifications_retry,
        "POST /notifications/{id}/retry",
        ok(422, code="notification.already_queued"),
        ok(200),  # after a dispatch cell left it failed
        args=(("id", "notification"),),
        target=T.installation,
        writes=True,
    ),
    E(
        "notifications.retry/dispatch",
        Op.notifications_retry,
        "POST /notifications/dispatch",
        ok(200),
        body={"limit": 5},
        target=T.installation,
        writes=True,
    ),
    E("policy.read", Op.policy_read, "GET /policy", ok(200, shows=lambda w, c: "Asia/Almaty")),
)
