"""Domain errors: codes with kk/ru/en texts, fields instead of CLI flags.

Read from the source tree with ``ast``: every error code raised under ``app/``,
``flows/`` and ``models/`` has a catalogue entry in all three languages with the
same placeholders; no module under ``models/`` or ``flows/`` spells a CLI flag, a
command or an exit code in a string it builds (docstrings may describe them).
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from ethicsflow.app.errors import exit_code, flag, message
from ethicsflow.models import errors
from ethicsflow.models.catalogue import CATALOGUE
from ethicsflow.models.errors import (
    ACTOR,
    ActionNotAllowed,
    Conflict,
    InvalidInput,
    NotFound,
    NotPermitted,
    PolicyError,
    Throttled,
    from_dict,
    key,
    operation,
    option,
    payload,
    placeholders,
    render,
    to_dict,
)

ROOT = Path(__file__).resolve().parents[2]
ERROR_CLASSES = set(errors.CLASSES) | {"rule"}
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*|`(ethicsflow )?[a-z]+ [a-z]+( [a-z]+)?`|exit_code")
# command lines of other programs, not ethicsflow's CLI
OTHER_PROGRAMS = {"models/documents/pdf.py": {"--headless", "--norestore", "--convert-to",
                                              "--outdir"}}  # fmt: skip


def _sources(*roots: str) -> list[Path]:
    return sorted(p for root in roots for p in (ROOT / root).rglob("*.py"))


def _raised_codes() -> dict[str, list[str]]:
    """Literal codes given to an error class or to ``rule`` -> where."""
    found: dict[str, list[str]] = {}
    for path in _sources("app", "flows", "models"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            first = node.args[0]
            if name == "rule" and not isinstance(func, ast.Name):
                continue  # policy.rule("answer") is a deadline rule, not an error
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if name in ERROR_CLASSES and isinstance(first, ast.Constant):
                found.setdefault(str(first.value), []).append(where)
            elif name in ERROR_CLASSES and isinstance(first, ast.JoinedStr | ast.BinOp):
                found.setdefault(f"<a built text, not a code: {ast.unparse(first)}>", []).append(
                    where
                )
    return found


def _docstrings(tree: ast.AST) -> set[int]:
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }


def test_every_raised_code_is_in_the_catalogue() -> None:
    raised = _raised_codes()
    missing = {code: where for code, where in raised.items() if code not in CATALOGUE}
    assert not missing, f"codes without a catalogue entry: {missing}"


def test_every_catalogue_code_is_raised_somewhere() -> None:
    text = "\n".join(p.read_text() for p in _sources("app", "flows", "models"))
    unused = [
        code
        for code in CATALOGUE
        if not code.startswith("validation.") and f'"{code}"' not in text.replace("'", '"')
    ]
    assert not unused, f"catalogue entries nothing raises: {unused}"


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_each_code_speaks_kk_ru_en_with_the_same_placeholders(code: str) -> None:
    texts = CATALOGUE[code]
    assert set(texts) == {"kk", "ru", "en"}, code
    assert all(texts[lang].strip() for lang in texts), code
    en = placeholders(texts["en"])
    for language in ("kk", "ru"):
        assert placeholders(texts[language]) == en, (code, language)
    # translated, not the English copied (a text that is only a placeholder is fine)
    if re.search("[a-z]{4}", re.sub(r"\{[^}]*\}", "", texts["en"])):
        for language in ("kk", "ru"):
            assert re.search("[а-яёәғқңөұүһі]", texts[language], re.I), (code, language)


def test_no_model_or_flow_spells_a_cli_flag_or_an_exit_code() -> None:
    found = []
    for path in _sources("models", "flows"):
        rel = str(path.relative_to(ROOT))
        tree = ast.parse(path.read_text())
        skip = _docstrings(tree)
        allowed = OTHER_PROGRAMS.get(rel, set())
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in skip or node.value in allowed:
                    continue
                if FLAG.search(node.value):
                    found.append(f"{rel}:{node.lineno}: {node.value!r}")
            if isinstance(node, ast.Name | ast.Attribute):
                name = node.id if isinstance(node, ast.Name) else node.attr
                if name == "exit_code":
                    found.append(f"{rel}:{node.lineno}: exit_code")
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("ref", "spelled"),
    [
        (payload("commissioner"), "--set commissioner"),
        (payload("measures.0.due"), "--set measures[0].due"),
        (payload("reason"), "--reason"),
        (payload("confirm_after_limitation", "true"), "--set confirm_after_limitation=true"),
        (option("received_at"), "--received-at"),
        (option("receipt", "CODE"), "--receipt CODE"),
        (key("number"), "NUMBER"),
        (key("email"), "EMAIL"),
        (ACTOR, "--by"),
        (operation("person add"), "`person add`"),
        (
            operation("case file", kind="restoration", related="R-1"),
            "`case file --kind restoration --related R-1`",
        ),
        (
            operation("notify dispatch", program=True, recover_now=None),
            "`ethicsflow notify dispatch --recover-now`",
        ),
    ],
)
def test_the_cli_spells_references_as_flags_and_commands(ref: object, spelled: str) -> None:
    assert flag(ref) == spelled  # type: ignore[arg-type]


def test_an_error_renders_per_edge_and_language() -> None:
    error = InvalidInput("rating.case_not_closed", key("number"), number="KZ-1",
                         status="registered", closed=["closed", "answered"])  # fmt: skip
    assert message(error) == (
        "NUMBER: case KZ-1 is registered; a rating is taken once the case is closed"
        " (closed, answered)"
    )
    assert error.message.startswith("number: case KZ-1 is registered;")
    assert render(error, "ru").startswith("number: дело KZ-1 в статусе registered;")
    assert "KZ-1" in render(error, "kk")
    assert render(error, "xx") == error.message  # an unknown language falls back to English


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InvalidInput("db.changed_meanwhile"), 2),
        (PolicyError("db.changed_meanwhile"), 2),
        (NotFound("db.changed_meanwhile"), 2),
        (ActionNotAllowed("db.changed_meanwhile", allowed=["a"]), 2),
        (Conflict("db.changed_meanwhile"), 3),
        (NotPermitted("db.changed_meanwhile"), 4),
        (Throttled("auth.throttled", retry_after=60), 4),
        (errors.EthicsflowError("db.changed_meanwhile"), 1),
    ],
)
def test_exit_codes_by_class(error: errors.EthicsflowError, code: int) -> None:
    assert exit_code(error) == code


def test_an_error_travels_as_json_and_back_unchanged() -> None:
    error = InvalidInput(
        "rating.by_or_receipt",
        ACTOR,
        by=ACTOR,
        receipt=option("receipt", "CODE"),
    )
    error.params["day"] = dt.date(2026, 12, 7)
    error.params["list"] = [payload("a"), "b"]
    error.params["op"] = operation("case file", kind="restoration")
    back = from_dict(to_dict(error))
    assert type(back) is InvalidInput
    assert (back.code, back.field) == (error.code, error.field)
    assert back.params["receipt"] == option("receipt", "CODE")
    assert back.params["list"] == [payload("a"), "b"]
    assert back.params["op"] == operation("case file", kind="restoration")
    assert back.params["day"] == "2026-12-07"
    assert message(back) == message(error)
    throttled = from_dict(to_dict(Throttled("auth.throttled", retry_after=60)))
    assert isinstance(throttled, Throttled) and throttled.retry_after == 60
    allowed = from_dict(to_dict(ActionNotAllowed("db.changed_meanwhile", allowed=["x", "y"])))
    assert isinstance(allowed, ActionNotAllowed) and allowed.allowed == ["x", "y"]


def test_str_leaves_out_emails_and_iins() -> None:
    error = NotPermitted("rating.not_filer", ACTOR, email="Ann@Example.kz", number="900101300123")
    assert "Ann@Example.kz" in error.message
    assert "<e-mail>" in str(error) and "<IIN>" in repr(error)
