"""`person add --notify`: a URL apprise cannot deliver to is refused and nothing is written."""

from pathlib import Path

import pytest
from sqlmodel import select

from ethicsflow.app.errors import message
from ethicsflow.flows.admin import check_notify_urls
from ethicsflow.flows.commands import execute
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import InvalidInput
from ethicsflow.models.people.tables import Person
from tests.support import factories as f


@pytest.mark.parametrize("url", ["garbage", "mailto://", "http//host/x", "nosuch://a/b"])
def test_check_notify_urls_refuses_malformed(url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_notify_urls([url])
    assert "--notify" in message(refused.value)


def test_check_notify_urls_accepts_apprise_targets() -> None:
    check_notify_urls(
        [
            "mailto://127.0.0.1:2525?from=a@b.kz&to=c@d.kz",
            "json://127.0.0.1:8080/hook",
            "tgram://123456789:abcdefg_hijklmnop/12345",
        ]
    )


def test_add_person_with_bad_url_writes_nothing(home: Path) -> None:
    code = f.org()
    values = {"email": "x@example.kz", "name": "X", "org": code, "notify": ["garbage"]}
    with pytest.raises(InvalidInput) as refused:
        execute("add_person", {"values": values})
    assert "--notify" in message(refused.value)
    with session_scope() as session:
        assert session.exec(select(Person).where(Person.email == "x@example.kz")).first() is None
