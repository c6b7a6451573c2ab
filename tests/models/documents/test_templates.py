"""Word templates: reproducible build, variables checked against the contexts, strict and
escaped rendering, formatting of dates and citations. No database."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path
from typing import Any

import docx
import pytest

from ethicsflow.models.documents.formatting import cite, clean, date_in_words, quorum_statement
from ethicsflow.models.documents.kinds import FIELDS, KINDS
from ethicsflow.models.documents.render import (
    check_templates,
    find_template,
    packaged_dir,
    render_docx,
)
from ethicsflow.models.errors import InvalidInput
from ethicsflow.models.people.tables import LANGUAGES
from ethicsflow.models.policy import load_policy
from ethicsflow.templates.documents import build

LISTS = {
    "notes",
    "members_present",
    "members_absent",
    "invited",
    "agenda",
    "standards",
    "recusals",
    "dissents",
    "instructions",
}
TRICKY = 'Acme & Sons <ltd> "quoted" Әғқңөұүһі'


def sample(kind: str) -> dict[str, Any]:
    """A context with every field of ``kind``, each value full of XML specials."""
    context: dict[str, Any] = {}
    for name in FIELDS[kind]:
        value = f"{name}: {TRICKY}"
        context[name] = [value, f"{value} (2)"] if name in LISTS else value
    if "votes" in context:
        context["votes"] = [{"name": f"member: {TRICKY}", "vote": "for"}]
    if "measures" in context:
        keys = ("number", "what", "responsible", "due", "evidence")
        context["measures"] = [{key: f"measure {key}: {TRICKY}" for key in keys}]
    return context


def text_of(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    lines += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(lines)


def override(home: Path, language: str, kind: str, line: str) -> Path:
    """A secretary's copy of the packaged template with one paragraph added."""
    path = home / "templates" / "documents" / language / f"{kind}.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    base = packaged_dir() / language / f"{kind}.docx"
    document = docx.Document(str(base if base.is_file() else packaged_dir() / "en/answer.docx"))
    document.add_paragraph(line)
    document.save(str(path))
    return path


# --- the build --------------------------------------------------------------------------


def test_build_matches_the_committed_templates_byte_for_byte(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    built = build.build(first)
    build.build(second)
    assert len(built) == len(KINDS) * len(LANGUAGES)
    stale = []
    for path in built:
        relative = path.relative_to(first)
        assert path.read_bytes() == (second / relative).read_bytes(), f"{relative} not reproducible"
        committed = packaged_dir() / relative
        if not committed.is_file() or committed.read_bytes() != path.read_bytes():
            stale.append(str(relative))
    assert not stale, (
        f"stale templates {stale}: run `python -m ethicsflow.templates.documents.build`"
        " and commit the .docx files"
    )


def test_built_templates_carry_fixed_core_properties() -> None:
    for language in LANGUAGES:
        for kind in KINDS:
            props = docx.Document(str(packaged_dir() / language / f"{kind}.docx")).core_properties
            assert props.author == "ethicsflow" and props.last_modified_by == "ethicsflow"
            assert props.revision == 1
            assert props.created == props.modified == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def test_build_refuses_unknown_markup() -> None:
    with pytest.raises(ValueError, match="line 2: unknown markup"):
        build.body_xml("fine\n=bad\n")


def test_build_cli_writes_into_the_given_folder(tmp_path: Path) -> None:
    assert build.main(["--out", str(tmp_path)]) == 0
    assert (tmp_path / "kk" / "board_decision.docx").is_file()


# --- the check --------------------------------------------------------------------------


def test_check_passes_on_the_packaged_templates(tmp_path: Path) -> None:
    assert check_templates(home=tmp_path) == []


def test_check_names_the_file_and_the_unknown_variable(tmp_path: Path) -> None:
    path = override(tmp_path, "ru", "board_decision", "Итого: {{ unknown_thing }}")
    [problem] = check_templates(home=tmp_path)
    assert problem.file == str(path)
    assert problem.variable == "unknown_thing" and problem.kind == "board_decision"
    assert str(path) in str(problem) and "unknown_thing" in str(problem)


def test_check_reports_broken_syntax_and_stray_files(tmp_path: Path) -> None:
    override(tmp_path, "en", "answer", "{{ case_number ")
    override(tmp_path, "en", "verdict", "text")
    override(tmp_path, "de", "answer", "text")
    problems = {Path(p.file).relative_to(tmp_path).as_posix(): p for p in check_templates(tmp_path)}
    assert set(problems) == {
        "templates/documents/en/answer.docx",
        "templates/documents/en/verdict.docx",
        "templates/documents/de/answer.docx",
    }
    assert "line" in problems["templates/documents/en/answer.docx"].message
    assert "not a document kind" in problems["templates/documents/en/verdict.docx"].message


# --- rendering --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_every_template_renders_with_its_fields_escaped(kind: str, tmp_path: Path) -> None:
    for language in LANGUAGES:
        context = sample(kind)
        rendered = render_docx(kind, language, context, home=tmp_path)
        content = text_of(rendered.data)
        assert f"case_number: {TRICKY}" in content, (kind, language)
        assert "{{" not in content and "{%" not in content
        assert rendered.sha256 == hashlib.sha256(rendered.data).hexdigest()
        assert rendered.template == f"{language}/{kind}.docx"
        again = render_docx(kind, language, context, home=tmp_path)
        assert again.data == rendered.data  # same inputs, same bytes


def test_a_template_using_an_unknown_variable_is_refused_never_blank(tmp_path: Path) -> None:
    path = override(tmp_path, "kk", "answer", "{{ unknown_thing | default('') }}")
    with pytest.raises(InvalidInput, match=rf"template {path}: unknown variable unknown_thing"):
        render_docx("answer", "kk", sample("answer"), home=tmp_path)


def test_a_missing_attribute_is_refused_by_strict_undefined(tmp_path: Path) -> None:
    path = override(tmp_path, "en", "hearing_minutes", "{{ votes[0].dissent }}")
    with pytest.raises(InvalidInput, match=rf"template {path}: unknown variable: .*dissent"):
        render_docx("hearing_minutes", "en", sample("hearing_minutes"), home=tmp_path)


def test_the_sandbox_refuses_unsafe_access(tmp_path: Path) -> None:
    override(tmp_path, "en", "answer", "{{ case_number.__class__.__mro__ }}")
    with pytest.raises(InvalidInput, match=r"template .*answer\.docx"):
        render_docx("answer", "en", sample("answer"), home=tmp_path)


def test_an_override_wins_over_the_packaged_template(tmp_path: Path) -> None:
    override(tmp_path, "ru", "coupon", "Отредактировано секретарём")
    found = find_template("coupon", "ru", home=tmp_path)
    assert found.name == "override:ru/coupon.docx"
    assert "Отредактировано секретарём" in text_of(
        render_docx("coupon", "ru", sample("coupon"), home=tmp_path).data
    )


# --- formatting -------------------------------------------------------------------------


def test_dates_are_written_in_words_in_each_language() -> None:
    day = dt.date(2026, 11, 23)
    assert date_in_words(day, "en") == "23 November 2026"
    assert date_in_words(day, "ru") == "23 ноября 2026 г."
    assert date_in_words(day, "kk") == "2026 жылғы 23 қараша"
    assert date_in_words(dt.date(2027, 5, 1), "kk") == "2027 жылғы 1 мамыр"


def test_citations_follow_the_code_version() -> None:
    code = load_policy().ethical_code
    current, old = code.in_force(dt.date(2026, 1, 1)), code.in_force(dt.date(2020, 1, 1))
    assert cite(current, "3.4", "en").startswith(
        "subpara. 6) para. 8 of the Ethical Code of Civil Servants (Decree No. 153 of"
        " 29.12.2015, as amended 02.11.2023): “not exert pressure"
    )
    assert cite(current, "3.4", "ru").startswith(
        "подпункт 6) пункта 8 Этического кодекса государственных служащих (Указ № 153"
    )
    assert cite(current, "3.4", "kk").startswith(
        "Мемлекеттік қызметшілердің әдеп кодексінің (29.12.2015 № 153 Жарлық, 02.11.2023"
        " редакциясы) 8-тармағының 6) тармақшасы"
    )
    assert cite(old, "3.1", "en").startswith("subpara. 1) para. 9 of the Ethical Code")
    assert "not in the 2015 version" in cite(old, "3.4", "en")


def test_the_quorum_statement_gives_the_rule_and_says_it_is_assumed() -> None:
    policy = load_policy()
    en = quorum_statement(policy, members=5, present=3, recused=0, language="en")
    assert "3 of the Board's 5 members are present and not recused" in en
    assert "is NOT present" in en and "assumption" in en
    assert "at least 2/3 of the members present and not recused (at least 4)" in en
    ru = quorum_statement(policy, members=5, present=None, recused=0, language="ru")
    assert ru.startswith("Явка в ethicsflow не записана.")


def test_clean_drops_control_characters_but_keeps_lines() -> None:
    assert clean("a\x07b\x0cc\nd\te\x00") == "a b c\nd\te"
