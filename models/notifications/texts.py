"""Notification texts: Jinja2 templates per event and language, and their formatting.

Templates live in ``templates/notifications/<kk|ru|en>/<event>.txt.j2``, each with a
``subject`` and a ``body`` block. They hold placeholders and simple loops only; every
value is formatted here or in ``models/notifications/outbox.py`` (dates in the
recipient's language, labels). Rendering is sandboxed with ``StrictUndefined``: a
missing value fails loudly. Texts are plain text (sent with apprise
``body_format=TEXT``), so no HTML escaping applies; an ``.html.j2`` template would be
autoescaped.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment

from ethicsflow.models.errors import InvalidInput

LANGUAGES = ("kk", "ru", "en")

COMMON_FIELDS = ("recipient_name", "case_number", "case_kind", "org_name")

EVENT_FIELDS: dict[str, tuple[str, ...]] = {
    # to the filer, on registration: the coupon of APPK Art. 64(2)
    "acknowledgment": (
        "received_date",
        "received_time",
        "registered_on",
        "registering_officer",
        "registering_post",
        "answer_due",
    ),
    # to the commissioner the case was assigned to
    "assignment": ("summary", "received_date", "answer_due", "assignment_reason"),
    # to the respondent
    "explanation_request": ("questions", "explanation_due", "commissioner_name"),
    # to the filer, within 3 working days of the extension (APPK Art. 76(3))
    "extension_notice": ("old_due", "new_due", "reason"),
    # to the filer (APPK Art. 65(1))
    "forwarding_notice": ("to_body", "reason"),
    # to the filer: the reasoned answer with appeal rights (APPK Art. 91)
    "answer": ("reason", "appeal_until"),
    # to the filer (APPK Art. 63, 64(6))
    "correction_request": ("missing", "correction_due", "note"),
    # to the filer
    "dismissal": ("ground", "reason"),
    # to the filer (APPK Art. 64(7))
    "returned": ("reason",),
    # to the filer, when the sweep closes the case after the appeal window
    "closed": ("closed_on",),
    # to the assignee, N working days before a deadline
    "reminder": ("deadline_label", "due", "days_left", "basis"),
    # to the assignee, once per missed deadline
    "overdue": ("deadline_label", "due", "basis"),
    # to the heads of the body, once per missed deadline
    "escalation": ("deadline_label", "due", "basis", "assignee_name"),
    # to each commissioner at 09:00 on working days (no case)
    "digest": ("recipient_name", "date", "open_count", "due_this_week", "overdue"),
    # to the board members not recused and to the parties, when a hearing is (re)scheduled
    "hearing_invitation": (
        "board_name",
        "invited_as",
        "hearing_date",
        "hearing_time",
        "place",
        "limitation_due",
    ),
    # to the complainant and the respondent, when the Board decided
    "decision": (
        "board_name",
        "decided_on",
        "outcome",
        "standards",
        "code_title",
        "penalty",
        "reason",
    ),
    # to each person responsible for measures just proposed: their measures
    "measure_assigned": ("measures", "commissioner_name"),
    # to the person responsible, N working days before a measure's due date (sweep)
    "measure_reminder": (
        "measure_what",
        "due",
        "days_left",
        "evidence_expected",
        "commissioner_name",
    ),
    # to the person responsible, once when a measure's due date passed (sweep)
    "measure_overdue": ("measure_what", "due", "evidence_expected", "commissioner_name"),
    # to the servant (the filer), when a measure is recorded done
    "measure_completed": ("measure_what", "completed_on", "evidence"),
    # to the filer, when the commissioner confirms the rights restored
    "restored": ("restored_on", "follow_ups"),
    # to the heads of the body (and the Board's secretary or the Agency), on escalation
    "restoration_escalated": ("escalated_to", "failed_measures", "reason", "commissioner_name"),
}
"""Each event's own context keys (besides COMMON_FIELDS; ``digest`` has no case)."""

MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

DEADLINE_LABELS = {
    "answer": {"kk": "жауап беру мерзімі", "ru": "срок ответа", "en": "answer"},
    "forward": {
        "kk": "құзыретті органға жолдау",
        "ru": "направление по подведомственности",
        "en": "forwarding to the competent body",
    },
    "explanation": {"kk": "түсініктеме", "ru": "объяснение", "en": "explanation"},
    "correction": {
        "kk": "кемшіліктерді жою",
        "ru": "устранение недостатков",
        "en": "correction of the appeal",
    },
    "extension_notice": {
        "kk": "ұзарту туралы хабарлама",
        "ru": "уведомление о продлении",
        "en": "extension notice",
    },
    "limitation": {
        "kk": "тәртіптік жаза қолдану мерзімі",
        "ru": "срок наложения дисциплинарного взыскания",
        "en": "disciplinary limitation",
    },
    "appeal_window": {"kk": "шағымдану мерзімі", "ru": "срок обжалования", "en": "appeal window"},
    "measure": {"kk": "шара", "ru": "мера", "en": "measure"},
    "follow_up_3m": {
        "kk": "3 айдан кейінгі бақылау (қудалау)",
        "ru": "проверка через 3 месяца (преследование)",
        "en": "3-month retaliation check",
    },
    "follow_up_6m": {
        "kk": "6 айдан кейінгі бақылау (қудалау)",
        "ru": "проверка через 6 месяцев (преследование)",
        "en": "6-month retaliation check",
    },
    "follow_up_12m": {
        "kk": "12 айдан кейінгі бақылау (қудалау)",
        "ru": "проверка через 12 месяцев (преследование)",
        "en": "12-month retaliation check",
    },
}

KIND_LABELS = {
    "complaint": {"kk": "шағым", "ru": "жалоба", "en": "complaint"},
    "restoration": {
        "kk": "құқықтарды қалпына келтіру туралы өтініш",
        "ru": "заявление о восстановлении прав",
        "en": "restoration request",
    },
}

GROUND_LABELS = {
    "anonymous": {
        "kk": "анонимді өтініш (ӘРПК 88-бабы)",
        "ru": "анонимное обращение (статья 88 АППК РК)",
        "en": "anonymous appeal (APPK Art. 88)",
    },
    "no_substance": {
        "kk": "өтініште мәні бойынша қарайтын мәселе жоқ",
        "ru": "обращение не содержит вопроса, подлежащего рассмотрению по существу",
        "en": "the appeal raises no question to consider on the merits",
    },
    "duplicate": {
        "kk": "сол мәселе бойынша өтініш бұрын қаралған",
        "ru": "обращение по тому же вопросу уже рассмотрено",
        "en": "an appeal on the same matter has already been considered",
    },
}

POST_LABELS = {
    "commissioner": {
        "kk": "Әдеп жөніндегі уәкіл",
        "ru": "Уполномоченный по этике",
        "en": "Ethics Commissioner",
    },
    "system": {
        "kk": "ethicsflow автоматты тіркеу",
        "ru": "автоматическая регистрация ethicsflow",
        "en": "ethicsflow automatic registration",
    },
}


OUTCOME_LABELS = {
    "violation": {
        "kk": "Әдеп кодексінің бұзылуы анықталды",
        "ru": "установлено нарушение Этического кодекса",
        "en": "a breach of the Ethical Code was found",
    },
    "no_violation": {
        "kk": "Әдеп кодексінің бұзылуы анықталған жоқ",
        "ru": "нарушение Этического кодекса не установлено",
        "en": "no breach of the Ethical Code was found",
    },
}

INVITED_AS_LABELS = {
    "chair": {
        "kk": "Әдеп жөніндегі кеңестің төрағасы",
        "ru": "председатель Совета по этике",
        "en": "chair of the Ethics Board",
    },
    "member": {
        "kk": "Әдеп жөніндегі кеңестің мүшесі",
        "ru": "член Совета по этике",
        "en": "member of the Ethics Board",
    },
    "complainant": {"kk": "өтініш беруші", "ru": "заявитель", "en": "complainant"},
    "respondent": {
        "kk": "өзіне қатысты өтініш берілген адам",
        "ru": "лицо, в отношении которого подано обращение",
        "en": "the person the complaint is about",
    },
}


ESCALATED_TO_LABELS = {
    "agency": {
        "kk": "Мемлекеттік қызмет істері агенттігі",
        "ru": "Агентство по делам государственной службы",
        "en": "the Agency for Civil Service Affairs",
    },
    "board": {
        "kk": "Әдеп жөніндегі кеңес",
        "ru": "Совет по этике",
        "en": "the Ethics Board",
    },
}

MEASURE_STATE_LABELS = {
    "overdue": {"kk": "мерзімі өтті", "ru": "срок истёк", "en": "overdue"},
    "rejected": {"kk": "орындаудан бас тартылды", "ru": "отклонена", "en": "rejected"},
}


def standard_place(
    paragraph: int, subparagraph: int | None, language: str, *, of_code: bool = False
) -> str:
    """Where a standard sits: "subpara. 1) para. 5", "подпункт 1) пункта 5", "5-тармақтың 1)
    тармақшасы" (``of_code``: the Kazakh possessive form that follows the Code's name)."""
    if language == "kk":
        of = "тармағының" if of_code else "тармақтың"
        whole = "тармағы" if of_code else "тармақ"
        if subparagraph is None:
            return f"{paragraph}-{whole}"
        return f"{paragraph}-{of} {subparagraph}) тармақшасы"
    if language == "ru":
        if subparagraph is None:
            return f"пункт {paragraph}"
        return f"подпункт {subparagraph}) пункта {paragraph}"
    if subparagraph is None:
        return f"para. {paragraph}"
    return f"subpara. {subparagraph}) para. {paragraph}"


def cite_standard(paragraph: int, subparagraph: int | None, text: str, language: str) -> str:
    """A standard of the Ethical Code as cited in a letter: "subpara. 1) para. 5: text"."""
    return f"{standard_place(paragraph, subparagraph, language)}: {text}"


def format_date(day: dt.date, language: str) -> str:
    """A date as people write it: 11.12.2026 (kk, ru), 11 December 2026 (en)."""
    if language == "en":
        return f"{day.day} {MONTHS['en'][day.month - 1]} {day.year}"
    return day.strftime("%d.%m.%Y")


def label(table: dict[str, dict[str, str]], key: str, language: str) -> str:
    entry = table.get(key)
    return entry.get(language, entry["en"]) if entry else key


def templates_dir() -> Path:
    return Path(str(files("ethicsflow.templates"))) / "notifications"


@lru_cache(maxsize=4)
def _environment(root: str) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=FileSystemLoader(root),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def pick_language(wanted: str, fallback: tuple[str, ...] = ("kk", "ru", "en")) -> list[str]:
    """The recipient's language first, then the configured fallback order."""
    order = [wanted, *fallback]
    return [lang for i, lang in enumerate(order) if lang in LANGUAGES and lang not in order[:i]]


def resolve_language(
    event: str, wanted: str, fallback: tuple[str, ...] = ("kk", "ru", "en")
) -> str:
    """The language whose template will be used for ``event`` (recipient's first)."""
    for lang in pick_language(wanted, fallback):
        if (templates_dir() / f"{lang}/{event}.txt.j2").is_file():
            return lang
    raise InvalidInput(
        "notification.no_template", event=event, languages=pick_language(wanted, fallback)
    )


def render(
    event: str,
    language: str,
    context: dict[str, Any],
    fallback: tuple[str, ...] = ("kk", "ru", "en"),
) -> tuple[str, str, str]:
    """(language used, subject, body) of ``event`` for ``context``."""
    if event not in EVENT_FIELDS:
        raise InvalidInput("notification.unknown_event", event=event)
    expected = set(EVENT_FIELDS[event]) | (set() if event == "digest" else set(COMMON_FIELDS))
    missing = expected - set(context)
    if missing:
        raise InvalidInput("notification.context_lacks", event=event, missing=sorted(missing))
    env = _environment(str(templates_dir()))
    for lang in pick_language(language, fallback):
        path = f"{lang}/{event}.txt.j2"
        if not (templates_dir() / path).is_file():
            continue
        template = env.get_template(path)
        ctx = template.new_context(dict(context, language=lang))
        subject = "".join(template.blocks["subject"](ctx)).strip()
        body = "".join(template.blocks["body"](ctx)).strip() + "\n"
        return lang, subject, body
    raise InvalidInput(
        "notification.no_template", event=event, languages=pick_language(language, fallback)
    )
