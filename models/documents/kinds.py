"""Document kinds, their languages and the context fields each template may use.

``FIELDS[kind]`` is the contract between a template and its context builder: the
builder returns exactly these keys (a test checks it), and ``check_templates`` refuses a
template that uses any other name. Adding a field means adding it here, to the builder
and, if it should be printed, to the templates.
"""

from __future__ import annotations

from ethicsflow.models.errors import InvalidInput, key, option
from ethicsflow.models.people.tables import LANGUAGES

KINDS: tuple[str, ...] = (
    "coupon",  # registration coupon, APPK Art. 64(2)
    "acknowledgment",  # letter to the filer: received, registered, answer due
    "extension_notice",  # APPK Art. 76(3)
    "forwarding_notice",  # APPK Art. 65(1)
    "explanation_request",  # to the respondent
    "board_decision",  # decision of the Ethics Board
    "hearing_minutes",  # minutes of the Board's sitting
    "formal_request",  # представление to the appointing official
    "answer",  # reasoned answer to the filer with appeal rights (APPK Art. 91)
    "measures_letter",  # restoration measures, to each responsible person
)

ADDRESSED: tuple[str, ...] = ("measures_letter",)
"""Kinds that may be addressed to one person (``to``): one letter, and one line of
versions, per recipient."""

FORMATS: tuple[str, ...] = ("docx", "pdf")

COMMON: frozenset[str] = frozenset({"case_number", "case_kind", "org_name", "doc_date"})
"""Every document names its case, the kind of appeal, the body and its own date."""

_BOARD = frozenset(
    {
        "board_name",
        "board_region",
        "hearing_date",
        "hearing_time",
        "place",
        "chair",
        "secretary",
        "members_present",
        "members_absent",
        "invited",
        "quorum",
        "agenda",
        "referred_by",
        "referred_on",
        "referral_reason",
        "facts",
        "respondent",
        "respondent_org",
        "explanation",
        "service_length",
        "earlier_penalties",
        "outcome",
        "standards",
        "reasoning",
        "votes_for",
        "votes_against",
        "votes_abstain",
        "recusals",
        "dissents",
        "penalty",
        "instructions",
        "addressee",
        "limitation_date",
    }
)

FIELDS: dict[str, frozenset[str]] = {
    "coupon": COMMON
    | {
        "received_date",
        "received_time",
        "registered_on",
        "registering_officer",
        "registering_post",
        "filer",
        "answer_due",
        "notes",
    },
    "acknowledgment": COMMON
    | {
        "filer",
        "received_date",
        "registered_on",
        "answer_due",
        "commissioner",
        "commissioner_post",
    },
    "extension_notice": COMMON
    | {"filer", "received_date", "old_due", "new_due", "reason", "approved_by"},
    "forwarding_notice": COMMON
    | {"filer", "received_date", "to_body", "reason", "commissioner", "commissioner_post"},
    "explanation_request": COMMON
    | {
        "respondent",
        "respondent_org",
        "facts",
        "questions",
        "explanation_due",
        "commissioner",
        "commissioner_post",
    },
    "board_decision": COMMON | _BOARD | {"decision_number"},
    "hearing_minutes": COMMON | _BOARD | {"minutes_number", "votes"},
    "formal_request": COMMON
    | {
        "outgoing_number",
        "board_name",
        "board_region",
        "addressee",
        "respondent",
        "respondent_org",
        "decision_number",
        "decision_date",
        "facts",
        "reasoning",
        "standards",
        "penalty",
        "limitation_date",
        "chair",
    },
    "answer": COMMON
    | {
        "filer",
        "received_date",
        "facts",
        "outcome",
        "reasoning",
        "standards",
        "appeal_until",
        "signer",
        "signer_post",
    },
    "measures_letter": COMMON
    | {
        "addressee",
        "addressee_org",
        "servant",
        "received_date",
        "category",
        "measures",  # [{number, what, responsible, due, evidence}], by responsible person
        "commissioner",
        "commissioner_post",
    },
}


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput("document.unknown_kind", key("kind"), kind=kind, allowed=list(KINDS))
    return kind


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise InvalidInput(
            "document.unknown_language",
            option("language"),
            language=language,
            allowed=list(LANGUAGES),
        )
    return language


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InvalidInput(
            "document.unknown_format", option("format"), format=fmt, allowed=list(FORMATS)
        )
    return fmt
