"""Who may do what: the authorization table of DESIGN §9, as data.

Each operation names the relations that may do it (``relations.py``) and its scope:

- ``case``: decided by the person's relations to the case. A case none of whose
  relations is in :data:`VISIBILITY` is one the person cannot see at all (to them it
  does not exist); one they see but may not do this on is refused.
- ``organization``: decided by the person's roles in the target organization (the
  case's, or the one administered); ``installation_admin`` and ``agency`` hold in every one.
- ``anyone``: any signed-in person (what they then see is filtered: their own filings,
  their own notifications).
- ``public``: no sign-in; the receipt code is the key.

``case.act`` decides only *whether* a person may act on the case; *which* action the
lifecycle decides from ``Action.roles``, and :data:`ROLE_TOKENS` maps relations onto those
role tokens (so the lifecycle tables stay the one place for each action).

``python -m ethicsflow.models.permissions.table > docs/access.md`` renders the table;
a test fails when the committed file is stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ethicsflow.models.lifecycle.base import ASSIGNEE, COMPLAINANT, SECRETARY
from ethicsflow.models.people.tables import Role
from ethicsflow.models.permissions.relations import Relation as R


class Operation(StrEnum):
    case_list = "case.list"
    case_show = "case.show"
    case_history = "case.history"
    case_documents = "case.documents"
    case_render_document = "case.render_document"
    case_file = "case.file"
    case_import = "case.import"
    case_rate = "case.rate"
    case_act = "case.act"
    admin_people = "admin.people"
    admin_organizations = "admin.organizations"
    admin_boards = "admin.boards"
    admin_accounts = "admin.accounts"
    organizations_list = "organizations.list"
    account_tokens = "account.tokens"
    notifications_list = "notifications.list"
    notifications_retry = "notifications.retry"
    notifications_dispatch = "notifications.dispatch"
    policy_read = "policy.read"
    platform_recompute_deadlines = "platform.recompute_deadlines"
    platform_sweep = "platform.sweep"
    report_restoration = "report.restoration"
    receipt_show = "receipt.show"


class Scope(StrEnum):
    case = "case"
    organization = "organization"
    anyone = "anyone"
    public = "public"


@dataclass(frozen=True)
class Rule:
    operation: Operation
    scope: Scope
    relations: frozenset[R]
    what: str  # what the operation is, for the rendered table


def _rule(operation: Operation, scope: Scope, relations: set[R], what: str) -> Rule:
    return Rule(operation, scope, frozenset(relations), what)


ROLE_TOKENS: dict[R, str] = {
    R.filer: COMPLAINANT,
    R.assignee: ASSIGNEE,
    R.body_head: Role.head.value,
    R.body_admin: Role.admin.value,
    R.board_secretary: SECRETARY,
}
"""The lifecycle's role tokens (``Action.roles``) each relation holds; the relations not
here run no action. A person acting through the operator holds their own tokens."""

VISIBILITY = frozenset(
    {
        R.filer,
        R.respondent,
        R.assignee,
        R.body_commissioner,
        R.body_head,
        R.board_secretary,
        R.board_member,
        R.agency,
        R.body_admin,
        R.operator,
    }
)
"""Who sees that a case exists. A body admin sees the body's cases in lists (number,
status, assignee, dates) and runs the lifecycle's ``admin`` actions, but reads no content."""

IDENTITY = frozenset(
    {R.filer, R.assignee, R.body_head, R.board_secretary, R.board_member, R.operator}
)
"""Who sees a confidential filer's name, e-mail and IIN (everyone else reads a placeholder)."""

EVERYONE = frozenset(R)
READERS = {R.assignee, R.body_commissioner, R.body_head, R.board_secretary, R.board_member}
ADMINS = {R.body_admin, R.installation_admin, R.operator}
PLATFORM = {R.installation_admin, R.operator}
"""Who runs the installation as a whole (the target is every organization)."""

TABLE: dict[Operation, Rule] = {
    rule.operation: rule
    for rule in (
        _rule(Operation.case_list, Scope.case, set(VISIBILITY), "see the case in lists"),
        _rule(
            Operation.case_show,
            Scope.case,
            {R.filer, R.respondent, *READERS, R.agency, R.operator},
            "read the case: status, parties, deadlines, Board, measures",
        ),
        _rule(
            Operation.case_history,
            Scope.case,
            {*READERS, R.agency, R.operator},
            "read the audit log",
        ),
        _rule(
            Operation.case_documents,
            Scope.case,
            {*READERS, R.agency, R.operator},
            "list and download the issued documents",
        ),
        _rule(
            Operation.case_render_document,
            Scope.case,
            {R.assignee, R.board_secretary, R.operator},
            "issue a document",
        ),
        _rule(Operation.case_rate, Scope.case, {R.filer, R.operator}, "rate the closed case"),
        _rule(
            Operation.case_act,
            Scope.case,
            {*ROLE_TOKENS, R.operator},
            "act: the lifecycle's actions of the relation's role token",
        ),
        _rule(Operation.case_file, Scope.anyone, set(EVERYONE), "file a case as oneself"),
        _rule(
            Operation.case_import,
            Scope.organization,
            {R.operator},
            "file many cases from a file, each as the filer it names (the operator only)",
        ),
        _rule(Operation.admin_people, Scope.organization, ADMINS, "add and change people"),
        _rule(
            Operation.admin_organizations,
            Scope.organization,
            ADMINS,
            "change an organization (a new one: the installation admin)",
        ),
        _rule(
            Operation.admin_boards,
            Scope.organization,
            ADMINS,
            "the Board hosted by the organization: secretary, members",
        ),
        _rule(Operation.admin_accounts, Scope.organization, ADMINS, "passwords, API tokens"),
        _rule(
            Operation.organizations_list,
            Scope.anyone,
            set(EVERYONE),
            "list the organizations: code, name, region, parent",
        ),
        _rule(
            Operation.account_tokens,
            Scope.anyone,
            set(EVERYONE),
            "one's own API tokens: list, create, revoke",
        ),
        _rule(
            Operation.notifications_list,
            Scope.anyone,
            set(EVERYONE),
            "list notifications: one's own (all: installation admin, operator)",
        ),
        _rule(
            Operation.notifications_retry,
            Scope.organization,
            PLATFORM,
            "re-queue a dead or failed notification",
        ),
        _rule(
            Operation.notifications_dispatch,
            Scope.organization,
            PLATFORM,
            "deliver the queued notifications now",
        ),
        _rule(Operation.policy_read, Scope.anyone, set(EVERYONE), "read the policy file"),
        _rule(
            Operation.platform_recompute_deadlines,
            Scope.organization,
            PLATFORM,
            "count open deadlines again after the policy's calendar overrides changed",
        ),
        _rule(
            Operation.platform_sweep,
            Scope.organization,
            PLATFORM,
            "run the deadline sweep: reminders, overdue, escalation, auto-close, digests",
        ),
        _rule(
            Operation.report_restoration,
            Scope.organization,
            {R.body_head, R.agency, R.operator},
            "the restoration report of an organization (all of them: agency)",
        ),
        _rule(
            Operation.receipt_show,
            Scope.public,
            set(EVERYONE),
            "an anonymous filer's status, by receipt code",
        ),
    )
}

SEES_ALL_NOTIFICATIONS = frozenset(PLATFORM)
"""Who lists every notification (everyone else: those addressed to them)."""


def rule_of(operation: Operation | str) -> Rule:
    return TABLE[Operation(operation)]


# --- the rendered table (docs/access.md) ---------------------------------------------------


def _cell(rule: Rule, relation: R) -> str:
    if rule.scope in (Scope.anyone, Scope.public):
        return "✓"
    return "✓" if relation in rule.relations else ""


def document() -> str:
    relations = list(R)
    header = "| operation | what | scope | " + " | ".join(r.value for r in relations) + " |"
    rows = [header, "|" + "---|" * (len(relations) + 3)]
    for rule in TABLE.values():
        cells = " | ".join(_cell(rule, r) for r in relations)
        rows.append(f"| `{rule.operation}` | {rule.what} | {rule.scope} | {cells} |")
    tokens = [
        "| relation | role token in `Action.roles` |",
        "|---|---|",
        *(f"| {relation} | `{token}` |" for relation, token in ROLE_TOKENS.items()),
    ]
    lines = [
        "# Access: who may see and do what",
        "",
        "Generated from `models/permissions/table.py` by "
        "`python -m ethicsflow.models.permissions.table > docs/access.md`;"
        " do not edit by hand (a test compares).",
        "",
        "Relations come from data (`models/permissions/relations.py`): the case's parties"
        " (filer = complainant, respondent), its assignee, the person's roles in the case's"
        " organization (commissioner, head, admin: of that organization only), the Ethics"
        " Board of the case's region once the case is before it, the `agency` and"
        " `platform_admin` roles (every organization). `operator` is the OS user owning the"
        " home on the local socket: given by the caller, never derived, and acting for a"
        " person it holds that person's role tokens.",
        "",
        "Scopes: `case` — the person's relations to the case; a person with none of the"
        " relations of `case.list` cannot see the case at all (not found, as if it did not"
        " exist), one who sees it but may not do this is refused (not permitted)."
        " `organization` — the person's roles in the target organization: the case's, or"
        " the one administered (a person's or an account's own, a Board's: its"
        " secretary's). A new organization, a person holding a role that counts"
        " everywhere (`agency`, `platform_admin`) and an operation on the whole"
        " installation (the sweep, notifications) target every organization: only a"
        " relation that holds in all of them counts (the installation admin)."
        " `anyone` — any signed-in person (filing as oneself; listing one's own"
        " notifications; one's own API tokens). `public` — no sign-in, the receipt code is"
        " the key.",
        "",
        *rows,
        "",
        "## Acting on a case",
        "",
        "`case.act` says whether a relation may act at all; which action, the lifecycle"
        " decides (`docs/lifecycles.md`, column roles) from these tokens:",
        "",
        *tokens,
        "",
        "## A confidential filer",
        "",
        "A case filed as confidential shows its filer's name, e-mail and IIN (also as the"
        " actor of the history's events and inside their payloads) only to: "
        + ", ".join(r.value for r in R if r in IDENTITY)
        + ". Everyone else, the respondent first, reads a placeholder"
        " (`models/permissions/redaction.py`). An anonymous filer has no identity stored"
        " at all.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(document(), end="")
