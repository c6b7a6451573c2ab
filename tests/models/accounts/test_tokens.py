"""API tokens: shown once, stored hashed, expiring, revocable; their last use."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from ethicsflow.app.errors import exit_code, message
from ethicsflow.models.accounts import tokens
from ethicsflow.models.accounts.tables import ApiToken
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import InvalidInput, NotFound, NotPermitted
from tests.support.accounts import T0, events, minutes, set_account, someone
from tests.support.cases import row_counts

ROW_KEYS = {"id", "email", "name", "prefix", "status", "created_at", "expires_at",
            "revoked_at", "last_used_at"}  # fmt: skip


def bad_token(raw: str, now: datetime = T0) -> None:
    with pytest.raises(NotPermitted) as info:
        tokens.authenticate_token(raw, now=now)
    assert message(info.value) == "the API token is unknown, expired or revoked"
    assert exit_code(info.value) == 4


def test_a_token_is_shown_once_and_kept_as_its_sha256(home: Path) -> None:
    email = someone()
    raw, row = tokens.create_token(email, " laptop ", expires=None, now=T0)
    assert raw.startswith("ef_") and len(raw) == 46
    assert set(row) == ROW_KEYS
    assert row["name"] == "laptop" and row["prefix"] == raw[:8] and row["status"] == "active"
    assert row["email"] == email and row["expires_at"] is None
    with session_scope() as session:
        stored = session.exec(select(ApiToken)).one()
        assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert tokens.authenticate_token(raw, now=T0 + minutes(1)).email == email
    assert tokens.list_tokens(email, now=T0 + minutes(1)) == [
        {**row, "last_used_at": (T0 + minutes(1)).isoformat()}
    ]
    assert all(raw not in str(value) for value in row.values())
    [event] = events("token_created")
    assert event.detail == {"token_id": row["id"], "name": "laptop"}


def test_last_used_at_is_written_at_most_once_a_minute(home: Path) -> None:
    raw, _ = tokens.create_token(someone(), "ci", expires=None, now=T0)

    def last_used() -> str | None:
        return tokens.list_tokens()[0]["last_used_at"]

    assert last_used() is None
    for seconds, expected in ((0, 0), (30, 0), (59, 0), (60, 60), (100, 60), (121, 121)):
        tokens.authenticate_token(raw, now=T0 + timedelta(seconds=seconds))
        assert last_used() == (T0 + timedelta(seconds=expected)).isoformat(), seconds


def test_a_token_works_through_its_last_day_in_almaty(home: Path) -> None:
    email = someone()
    raw, row = tokens.create_token(email, "ci", expires=date(2026, 12, 31), now=T0)
    assert row["expires_at"] == "2026-12-31T19:00:00+00:00"  # 2027-01-01 00:00 in Almaty
    last_minute = T0.replace(month=12, day=31, hour=18, minute=59)
    assert tokens.authenticate_token(raw, now=last_minute).email == email
    bad_token(raw, now=last_minute + minutes(1))
    assert tokens.list_tokens(now=last_minute + minutes(1))[0]["status"] == "expired"
    # today is a valid last day; yesterday is not
    tokens.create_token(email, "today", expires=date(2026, 12, 1), now=T0)
    with pytest.raises(InvalidInput) as info:
        tokens.create_token(email, "late", expires=date(2026, 11, 30), now=T0)
    assert message(info.value) == "--expires: 2026-11-30 is before today (2026-12-01)"


def test_a_revoked_token_is_refused_and_revoking_again_changes_nothing(home: Path) -> None:
    email = someone()
    raw, row = tokens.create_token(email, "ci", expires=None, now=T0)
    revoked = tokens.revoke_token(row["id"], now=T0 + minutes(1))
    assert revoked["status"] == "revoked" and revoked["revoked_at"] == (T0 + minutes(1)).isoformat()
    bad_token(raw, now=T0 + minutes(2))
    again = tokens.revoke_token(row["id"], now=T0 + minutes(3))
    assert again["revoked_at"] == revoked["revoked_at"]
    assert [e.detail for e in events("token_revoked")] == [{"token_id": row["id"]}]


def test_revoke_refuses_an_unknown_token_or_one_of_someone_else(home: Path) -> None:
    email, other = someone(), someone()
    _, row = tokens.create_token(email, "ci", expires=None, now=T0)
    before = row_counts()
    for attempt in (
        lambda: tokens.revoke_token(row["id"] + 1000),
        lambda: tokens.revoke_token(row["id"], owner=other),
    ):
        with pytest.raises(NotFound) as info:
            attempt()
        assert message(info.value).startswith("ID: no API token with id ")
        assert exit_code(info.value) == 2
    assert row_counts() == before
    assert tokens.revoke_token(row["id"], owner=email.upper())["status"] == "revoked"


def test_an_unknown_token_or_a_disabled_account_is_refused_alike(home: Path) -> None:
    email = someone()
    raw, _ = tokens.create_token(email, "ci", expires=None, now=T0)
    bad_token("ef_" + "A" * 43)
    bad_token("")
    bad_token(raw.upper())
    set_account(email, disabled_at=T0)
    bad_token(raw)


def test_create_token_refuses_a_bad_name_or_person_and_writes_nothing(home: Path) -> None:
    email = someone()
    before = row_counts()
    for name in ("", "   ", "x" * 101):
        with pytest.raises(InvalidInput) as info:
            tokens.create_token(email, name, expires=None)
        assert message(info.value) == "--name: must be 1 to 100 characters"
    with pytest.raises(NotFound):
        tokens.create_token("nobody@example.kz", "ci", expires=None)
    with pytest.raises(NotFound):
        tokens.list_tokens("nobody@example.kz")
    assert row_counts() == before


def test_list_tokens_of_one_person_or_of_everyone(home: Path) -> None:
    first, second = someone(), someone()
    tokens.create_token(first, "a", expires=None, now=T0)
    tokens.create_token(second, "b", expires=None, now=T0)
    tokens.create_token(first, "c", expires=None, now=T0)
    assert [t["name"] for t in tokens.list_tokens(first)] == ["a", "c"]
    assert [(t["name"], t["email"]) for t in tokens.list_tokens()] == [
        ("a", first), ("b", second), ("c", first)
    ]  # fmt: skip
    assert tokens.list_tokens(someone()) == []
