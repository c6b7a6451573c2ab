"""Notification templates: one per event and language, rendered by ``models.messages``.

No database: the renderer takes a plain context. Every template must render with a
complete context, use only its event's fields, and every field must reach the reader in
at least one language.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from jinja2 import UndefinedError, meta, nodes

from ethicsflow.models.errors import InvalidInput
from ethicsflow.models.notifications import texts as messages
from ethicsflow.models.notifications.texts import (
    COMMON_FIELDS,
    EVENT_FIELDS,
    LANGUAGES,
    pick_language,
    render,
    templates_dir,
)

# Characters that HTML escaping would mangle: plain text must keep them as they are.
TRICKY = 'Письмо от «Әділет & Co» <срочно> "ответ" it\'s'

SAMPLE: dict[str, Any] = {
    "recipient_name": "Айгүл Серікқызы Нұрланова",
    "case_number": "MCS-2025-00042",
    "case_kind": "шағым",
    "org_name": 'Министерство "Цифра & Связь" <KZ>',
    "received_date": "03.03.2025",
    "received_time": "17:45",
    "registered_on": "04.03.2025",
    "registering_officer": "Ахметов А. Б.",
    "registering_post": "Әдеп жөніндегі уәкіл",
    "answer_due": "25.03.2025",
    "summary": "Грубость руководителя отдела на совещании 28.02.2025",
    "assignment_reason": "нагрузка по делам & отсутствие конфликта интересов",
    "questions": "1. Что произошло на совещании?\n2. Кто присутствовал?",
    "explanation_due": "06.03.2025",
    "commissioner_name": "Ахметов А. Б.",
    "old_due": "25.03.2025",
    "new_due": "05.05.2025",
    "reason": TRICKY,
    "to_body": "Агентство по противодействию коррупции",
    "appeal_until": "25.06.2025",
    "missing": ["почтовый адрес", "подпись заявителя"],
    "correction_due": "14.03.2025",
    "note": "Можно ответить на это письмо",
    "ground": "дубликат обращения MCS-2025-00017",
    "closed_on": "30.06.2025",
    "deadline_label": "срок ответа",
    "due": "25.03.2025",
    "days_left": 3,
    "basis": "APPK Art. 76(1)-(2), Art. 62(2): 15 working days from the day of receipt",
    "assignee_name": "Ахметов А. Б.",
    "board_name": "Совет по этике по г. Астане",
    "invited_as": "член Совета по этике",
    "hearing_date": "03.12.2026",
    "hearing_time": "10:00",
    "place": "г. Астана, ул. Мәңгілік Ел, 8, зал 301",
    "limitation_due": "16.12.2026",
    "decided_on": "03.12.2026",
    "outcome": "установлено нарушение Этического кодекса",
    "standards": ["подпункт 1) пункта 8: быть вежливыми", "подпункт 6) пункта 8: не унижать"],
    "code_title": "Этический кодекс государственных служащих (Указ № 153)",
    "penalty": "Замечание",
    "date": "11.03.2025",
    "open_count": 7,
    "due_this_week": [
        {"number": "MCS-2025-00042", "deadline_label": "срок ответа", "due": "14.03.2025"},
        {"number": "MCS-2025-00044", "deadline_label": "объяснение", "due": "12.03.2025"},
    ],
    "overdue": [
        {
            "number": "MCS-2025-00031",
            "deadline_label": "устранение недостатков",
            "due": "10.03.2025",
        }
    ],
    "measures": [
        {
            "seq": 1,
            "what": "Отменить приказ о переводе & восстановить в должности",
            "due": "10.12.2026",
            "evidence": "копия приказа об отмене",
        },
        {"seq": 2, "what": "Провести беседу", "due": "18.12.2026", "evidence": "протокол"},
    ],
    "measure_what": "Отменить приказ о переводе & восстановить в должности",
    "evidence_expected": "копия приказа об отмене",
    "completed_on": "09.12.2026",
    "evidence": "Приказ № 45-к от 08.12.2026 <отменён>",
    "restored_on": "21.12.2026",
    "follow_ups": ["22.03.2027", "21.06.2027", "21.12.2027"],
    "escalated_to": "Агентство по делам государственной службы",
    "failed_measures": [
        {
            "seq": 1,
            "what": "Отменить приказ о переводе",
            "responsible": "head@example.kz",
            "due": "10.12.2026",
            "state": "срок истёк",
        }
    ],
}

CASES = [(event, lang) for event in EVENT_FIELDS for lang in LANGUAGES]
CASE_IDS = [f"{event}-{lang}" for event, lang in CASES]


def fields(event: str) -> tuple[str, ...]:
    common = () if event == "digest" else COMMON_FIELDS
    return (*common, *EVENT_FIELDS[event])


def context(event: str, **overrides: Any) -> dict[str, Any]:
    ctx = {name: SAMPLE[name] for name in fields(event)}
    ctx.update(overrides)
    return ctx


def source(event: str, lang: str) -> str:
    return (templates_dir() / lang / f"{event}.txt.j2").read_text(encoding="utf-8")


def used_variables(event: str, lang: str) -> set[str]:
    env = messages._environment(str(templates_dir()))
    return meta.find_undeclared_variables(env.parse(source(event, lang))) - {"language"}


def test_sample_covers_every_field() -> None:
    needed = set(COMMON_FIELDS).union(*EVENT_FIELDS.values())
    assert needed <= set(SAMPLE)


@pytest.mark.parametrize(("event", "lang"), CASES, ids=CASE_IDS)
def test_template_file_is_clean(event: str, lang: str) -> None:
    path = templates_dir() / lang / f"{event}.txt.j2"
    assert path.is_file(), f"missing template {path}"
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\r" not in text and "\t" not in text
    trailing = [n for n, line in enumerate(text.splitlines(), 1) if line != line.rstrip()]
    assert not trailing, f"trailing whitespace on lines {trailing}"
    env = messages._environment(str(templates_dir()))
    tree = env.parse(text)
    assert [b.name for b in tree.find_all(nodes.Block)] == ["subject", "body"]
    filters = {f.name for f in tree.find_all(nodes.Filter)}
    assert filters <= {"join"}, f"formatting belongs in messages.py, not in filters {filters}"


def test_no_stray_templates() -> None:
    found = {
        (p.parent.name, p.name.removesuffix(".txt.j2"))
        for p in templates_dir().glob("*/*")
        if p.is_file()
    }
    assert found == {(lang, event) for event, lang in CASES}


@pytest.mark.parametrize(("event", "lang"), CASES, ids=CASE_IDS)
def test_renders_with_complete_context(event: str, lang: str) -> None:
    used, subject, body = render(event, lang, context(event))
    assert used == lang
    assert subject and "\n" not in subject and subject == subject.strip()
    assert body.endswith("\n") and not body.endswith("\n\n")
    assert "\n\n\n" not in body
    assert all(line == line.rstrip() for line in body.splitlines())
    assert "{{" not in subject + body and "{%" not in subject + body
    assert "ethicsflow" in body
    if event == "digest":
        assert SAMPLE["date"] in subject
        for item in SAMPLE["due_this_week"] + SAMPLE["overdue"]:
            assert item["number"] in body and item["due"] in body
    else:
        assert SAMPLE["case_number"] in subject
        assert f"ethicsflow — {SAMPLE['org_name']}" in body
    assert SAMPLE["recipient_name"] in body
    # plain text: nothing is HTML-escaped
    assert "&amp;" not in body and "&lt;" not in body and "&#" not in body
    if "reason" in EVENT_FIELDS[event]:
        assert TRICKY in body


@pytest.mark.parametrize(("event", "lang"), CASES, ids=CASE_IDS)
def test_template_uses_only_its_fields(event: str, lang: str) -> None:
    unknown = used_variables(event, lang) - set(fields(event))
    assert not unknown, f"{lang}/{event} uses variables outside its fields: {unknown}"


@pytest.mark.parametrize("event", list(EVENT_FIELDS))
def test_every_field_reaches_the_reader(event: str) -> None:
    used = set().union(*(used_variables(event, lang) for lang in LANGUAGES))
    dropped = set(fields(event)) - used
    assert not dropped, f"{event}: fields no template shows: {dropped}"


@pytest.mark.parametrize("event", list(EVENT_FIELDS))
def test_each_language_shows_the_same_fields(event: str) -> None:
    by_lang = {lang: used_variables(event, lang) for lang in LANGUAGES}
    assert by_lang["kk"] == by_lang["ru"] == by_lang["en"]


@pytest.mark.parametrize(
    ("event", "field"),
    [(event, field) for event in EVENT_FIELDS for field in fields(event)],
    ids=lambda v: str(v),
)
def test_missing_field_is_named(event: str, field: str) -> None:
    ctx = context(event)
    del ctx[field]
    with pytest.raises(InvalidInput, match=rf"\b{re.escape(field)}\b"):
        render(event, "ru", ctx)


def test_digest_needs_no_case_fields() -> None:
    ctx = context("digest")
    assert not set(ctx) & (set(COMMON_FIELDS) - {"recipient_name"})
    lang, subject, _ = render("digest", "kk", ctx)
    assert lang == "kk" and SAMPLE["date"] in subject


def test_unknown_event_is_refused() -> None:
    with pytest.raises(InvalidInput, match="unknown notification event"):
        render("party_invitation", "ru", {})


@pytest.mark.parametrize(
    ("wanted", "fallback", "expected"),
    [
        ("de", ("kk", "ru", "en"), "kk"),
        ("de", ("ru", "en"), "ru"),
        ("", ("en",), "en"),
        ("en", ("kk", "ru", "en"), "en"),
    ],
)
def test_unknown_language_falls_back(wanted: str, fallback: tuple[str, ...], expected: str) -> None:
    assert pick_language(wanted, fallback)[0] == expected
    lang, subject, _ = render("answer", wanted, context("answer"), fallback)
    assert lang == expected
    assert SAMPLE["case_number"] in subject


def test_missing_translation_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ru").mkdir()
    (tmp_path / "ru" / "closed.txt.j2").write_text(
        "{% block subject %}Дело № {{ case_number }}{% endblock %}"
        "{% block body %}{{ closed_on }}{% endblock %}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(messages, "templates_dir", lambda: tmp_path)
    lang, subject, body = render("closed", "kk", context("closed"))
    assert (lang, subject, body) == ("ru", f"Дело № {SAMPLE['case_number']}", "30.06.2025\n")
    with pytest.raises(InvalidInput, match="no template"):
        render("closed", "kk", context("closed"), fallback=("en",))


def test_undefined_variable_fails_loudly(tmp_path: Path) -> None:
    (tmp_path / "bad.txt.j2").write_text(
        "{% block subject %}Case {{ case_number }}{% endblock %}"
        "{% block body %}{{ not_a_field }}{% endblock %}\n",
        encoding="utf-8",
    )
    template = messages._environment(str(tmp_path)).get_template("bad.txt.j2")
    ctx = template.new_context({"case_number": "X-1"})
    assert "".join(template.blocks["subject"](ctx)) == "Case X-1"
    with pytest.raises(UndefinedError, match="not_a_field"):
        "".join(template.blocks["body"](ctx))


def test_templates_are_sandboxed(tmp_path: Path) -> None:
    from jinja2.exceptions import SecurityError

    (tmp_path / "evil.txt.j2").write_text(
        "{% block subject %}{{ x.__class__.__mro__ }}{% endblock %}{% block body %}{% endblock %}",
        encoding="utf-8",
    )
    template = messages._environment(str(tmp_path)).get_template("evil.txt.j2")
    with pytest.raises((SecurityError, UndefinedError)):
        "".join(template.blocks["subject"](template.new_context({"x": 1})))


@pytest.mark.parametrize(
    ("days", "phrase"),
    [
        (1, "остался 1 рабочий день"),
        (2, "осталось 2 рабочих дня"),
        (4, "осталось 4 рабочих дня"),
        (5, "осталось 5 рабочих дней"),
        (10, "осталось 10 рабочих дней"),
        (11, "осталось 11 рабочих дней"),
        (12, "осталось 12 рабочих дней"),
        (21, "остался 21 рабочий день"),
        (22, "осталось 22 рабочих дня"),
    ],
)
def test_reminder_russian_plural(days: int, phrase: str) -> None:
    _, _, body = render("reminder", "ru", context("reminder", days_left=days))
    assert phrase in body


@pytest.mark.parametrize(("days", "phrase"), [(1, "1 working day is"), (3, "3 working days are")])
def test_reminder_english_plural(days: int, phrase: str) -> None:
    _, _, body = render("reminder", "en", context("reminder", days_left=days))
    assert phrase in body


def test_reminder_kazakh_count() -> None:
    _, _, body = render("reminder", "kk", context("reminder", days_left=1))
    assert "1 жұмыс күні қалғанын" in body


@pytest.mark.parametrize(("lang", "none"), [("kk", "- жоқ"), ("ru", "- нет"), ("en", "- none")])
def test_empty_digest(lang: str, none: str) -> None:
    _, _, body = render("digest", lang, context("digest", due_this_week=[], overdue=[]))
    assert body.count(none) == 2


@pytest.mark.parametrize("lang", LANGUAGES)
def test_optional_values_are_left_out(lang: str) -> None:
    _, _, with_reason = render("assignment", lang, context("assignment"))
    _, _, without = render("assignment", lang, context("assignment", assignment_reason=None))
    assert SAMPLE["assignment_reason"] in with_reason
    assert "None" not in without
    assert len(without.splitlines()) == len(with_reason.splitlines()) - 1

    _, _, with_note = render("correction_request", lang, context("correction_request"))
    _, _, no_note = render("correction_request", lang, context("correction_request", note=None))
    assert SAMPLE["note"] in with_note
    assert "None" not in no_note
    assert len(no_note.splitlines()) == len(with_note.splitlines()) - 2
    for item in SAMPLE["missing"]:
        assert f"- {item}\n" in no_note


@pytest.mark.parametrize("lang", LANGUAGES)
def test_acknowledgment_is_the_coupon(lang: str) -> None:
    """APPK Art. 64(2): number, date and time of receipt, who registered it; Art. 76: due."""
    _, _, body = render("acknowledgment", lang, context("acknowledgment"))
    for name in (
        "case_number",
        "received_date",
        "received_time",
        "registering_officer",
        "registering_post",
        "answer_due",
    ):
        assert SAMPLE[name] in body
    assert "64" in body and "76" in body


@pytest.mark.parametrize(
    ("event", "articles"),
    [
        ("acknowledgment", ("64", "76")),
        ("extension_notice", ("76",)),
        ("forwarding_notice", ("65",)),
        ("answer", ("91",)),
        ("correction_request", ("63", "64")),
        ("returned", ("64",)),
        ("dismissal", ("91",)),
    ],
)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_filer_letters_cite_the_code(event: str, articles: tuple[str, ...], lang: str) -> None:
    _, _, body = render(event, lang, context(event))
    for article in articles:
        assert re.search(rf"\b{article}\b", body), f"{lang}/{event} does not cite Art. {article}"
