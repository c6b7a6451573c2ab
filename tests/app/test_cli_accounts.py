"""`account set-password`, `account invite`, `token create/list/revoke` through the executable.

They run in the CLI process against the database: no engine starts and no Prefect
server is needed (``PREFECT_API_URL`` points at a closed port). A password comes from
stdin only; a refusal is one ``error:`` line, its exit code, and nothing written.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from ethicsflow.models.accounts import operations as accounts
from ethicsflow.models.accounts import tokens
from ethicsflow.models.errors import NotPermitted
from ethicsflow.models.types import utcnow
from tests.support.accounts import PASSWORD, events, someone
from tests.support.cases import all_text, row_counts
from tests.support.cli import Cli, clean_environment, free_port


@pytest.fixture
def cli(home: Path, db_url: str, tmp_path: Path) -> Cli:
    """The CLI on this test's home and database, with no Prefect server to reach and the
    engine on `auto` (a command that used it would start one)."""
    return Cli(
        env=clean_environment()
        | {
            "ETHICSFLOW_HOME": str(home),
            "ETHICSFLOW_DATABASE_URL": db_url,
            "ETHICSFLOW_ENGINE": "auto",
            "PREFECT_API_URL": f"http://127.0.0.1:{free_port()}/api",
            "PREFECT_HOME": str(tmp_path / "prefect"),
            "PYTHONIOENCODING": "utf-8",
        },
        cwd=home,
    )


def no_engine(home: Path) -> bool:
    return not (home / "engine.json").exists() and not (home / "prefect").exists()


def test_set_password_reads_the_password_from_stdin(cli: Cli, home: Path) -> None:
    email = someone()
    result = cli.ok("account", "set-password", email.upper(), "--password-stdin",
                    stdin=PASSWORD + "\n")  # fmt: skip
    assert result.out == f"password set for {email}\n" and result.err == ""
    assert accounts.authenticate_password(email, PASSWORD, address=None).email == email
    again = "another password, with a trailing space "
    data = cli.json("account", "set-password", email, "--password-stdin", stdin=again + "\r\n")
    assert set(data) == {"email", "password_set_at"}
    accounts.authenticate_password(email, again, address=None)
    assert [e.kind for e in events()] == ["password_set", "sign_in", "password_set", "sign_in"]
    assert no_engine(home)


def test_set_password_refuses_a_password_in_argv_or_a_bad_one_and_writes_nothing(
    cli: Cli, home: Path
) -> None:
    email = someone()
    before = row_counts()
    assert cli.fails(2, "account", "set-password", email, stdin=PASSWORD).startswith(
        "--password-stdin: required: the password is read from stdin"
    )
    assert "No such option: --password" in cli.fails(
        2, "account", "set-password", email, "--password", PASSWORD
    )
    set_password = ("account", "set-password", email, "--password-stdin")
    for short in ("", "\n", "eleven char\n"):
        assert cli.fails(2, *set_password, stdin=short) == (
            "--password-stdin: must be at least 12 characters long"
        )
    unknown = ("account", "set-password", "nobody@example.kz", "--password-stdin")
    assert cli.fails(2, *unknown, stdin=PASSWORD) == (
        "EMAIL: no person with e-mail nobody@example.kz"
    )
    assert row_counts() == before
    assert no_engine(home)


def test_invite_prints_a_one_time_link_under_the_public_url(cli: Cli, home: Path) -> None:
    email = someone()
    cli.env["ETHICSFLOW_PUBLIC_URL"] = "https://ethics.example.kz/"
    started = utcnow()
    out = cli.ok("account", "invite", email, "--hours", "2").out.splitlines()
    found = re.fullmatch(r"https://ethics\.example\.kz/invite/([A-Za-z0-9_-]{43})", out[0])
    assert found, out
    assert re.fullmatch(
        rf"one-time link for {re.escape(email)} to set a password; valid until"
        r" \d{4}-\d\d-\d\d \d\d:\d\d \(Asia/Almaty\)",
        out[1],
    )
    raw = found.group(1)
    del cli.env["ETHICSFLOW_PUBLIC_URL"]
    data = cli.json("account", "invite", email)  # the default: 72 hours, the local address
    assert data["link"].startswith("http://127.0.0.1:8000/invite/")
    assert data["email"] == email
    valid = datetime.fromisoformat(data["expires_at"]) - started
    assert timedelta(hours=72) <= valid < timedelta(hours=72, minutes=1)
    with pytest.raises(NotPermitted):  # the second invitation ended the first
        accounts.accept_invitation(raw, PASSWORD)
    accounts.accept_invitation(data["link"].rsplit("/", 1)[1], PASSWORD)

    before = row_counts()
    assert "Invalid value for '--hours'" in cli.fails(2, "account", "invite", email,
                                                      "--hours", "0")  # fmt: skip
    assert cli.fails(2, "account", "invite", "nobody@example.kz") == (
        "EMAIL: no person with e-mail nobody@example.kz"
    )
    assert row_counts() == before
    assert no_engine(home)


def test_token_create_list_and_revoke(cli: Cli, home: Path) -> None:
    email, other = someone(), someone()
    out = cli.ok("token", "create", email, "--name", "ci runner", "--expires", "2099-12-31")
    token, about, once = out.out.splitlines()
    assert re.fullmatch(r"ef_[A-Za-z0-9_-]{43}", token)
    assert about == (
        f"API token 1 (ci runner) of {email}, works until 2100-01-01 00:00 (Asia/Almaty)"
    )
    assert once == "this token is shown once: store it now (ethicsflow keeps only its SHA-256)"
    assert tokens.authenticate_token(token).email == email
    made = cli.json("token", "create", other, "--name", "laptop")
    assert made["token"].startswith("ef_") and made["shown_once"] is True
    assert made["expires_at"] is None and made["prefix"] == made["token"][:8]

    listed = cli.json("token", "list")
    assert [(t["id"], t["email"], t["status"]) for t in listed] == [
        (1, email, "active"), (made["id"], other, "active")
    ]  # fmt: skip
    assert listed[0]["last_used_at"] is not None
    assert [t["id"] for t in cli.json("token", "list", other)] == [made["id"]]
    text = cli.ok("token", "list", email).out
    assert text.startswith(f"    1 {token[:8]}…  active   ci runner  {email}  created ")
    assert token not in text and token[8:] not in str(listed)

    revoked = cli.json("token", "revoke", "1")
    assert revoked["status"] == "revoked"
    with pytest.raises(NotPermitted):
        tokens.authenticate_token(token)
    again = cli.ok("token", "revoke", "1").out
    assert again.startswith(f"API token 1 (ci runner) of {email} revoked ")
    assert cli.ok("token", "list", someone()).out == "no API tokens\n"
    assert [e.kind for e in events()].count("token_revoked") == 1
    secrets = [token, made["token"]]
    assert not [s for s in secrets if any(s in value for value in all_text())]
    assert no_engine(home)


def test_token_commands_refuse_bad_input_and_write_nothing(cli: Cli, home: Path) -> None:
    email = someone()
    before = row_counts()
    assert cli.fails(2, "token", "create", email, "--name", "x", "--expires", "31.12.2099") == (
        "--expires '31.12.2099': expected a date YYYY-MM-DD, e.g. 2027-06-30"
    )
    assert cli.fails(2, "token", "create", email, "--name", "x", "--expires", "2020-01-01"
                     ).startswith("--expires: 2020-01-01 is before today (")  # fmt: skip
    assert cli.fails(2, "token", "create", email, "--name", " ") == (
        "--name: must be 1 to 100 characters"
    )
    assert "Missing option '--name'" in cli.fails(2, "token", "create", email)
    assert cli.fails(2, "token", "create", "nobody@example.kz", "--name", "x") == (
        "EMAIL: no person with e-mail nobody@example.kz"
    )
    assert cli.fails(2, "token", "revoke", "999") == "ID: no API token with id 999"
    assert cli.fails(2, "token", "list", "nobody@example.kz") == (
        "EMAIL: no person with e-mail nobody@example.kz"
    )
    assert row_counts() == before
    assert no_engine(home)
