"""The security log: one row and one line per event; no secret anywhere, no e-mail in the log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from ethicsflow.models.accounts import operations as accounts
from ethicsflow.models.accounts import tokens
from ethicsflow.models.errors import NotPermitted, Throttled
from tests.support.accounts import PASSWORD, T0, account_of, events, minutes, someone
from tests.support.cases import all_text

WRONG = "Tr0ub4dor&3 wrong one"
INVITED_PASSWORD = "a passphrase set through the link"


def test_every_event_is_a_row_and_a_log_line_and_no_secret_is_kept(
    home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "ethicsflow.security")
    email, invited = someone(), someone()
    accounts.set_password(email, PASSWORD, now=T0)
    person = accounts.authenticate_password(email, PASSWORD, address="10.1.1.1", now=T0)
    for n in range(5):
        with pytest.raises(NotPermitted):
            accounts.authenticate_password(email, WRONG, address="10.1.1.1", now=T0 + minutes(n))
    with pytest.raises(Throttled):
        accounts.authenticate_password(email, PASSWORD, address="10.1.1.1", now=T0 + minutes(5))
    accounts.record_sign_out(person, "10.1.1.1", now=T0 + minutes(6))
    link, _ = accounts.invite(invited, now=T0)
    accounts.accept_invitation(link, INVITED_PASSWORD, now=T0 + minutes(1))
    token, row = tokens.create_token(email, "ci", expires=None, now=T0)
    tokens.authenticate_token(token, now=T0 + minutes(1))
    tokens.revoke_token(row["id"], now=T0 + minutes(2))

    kinds = [e.kind for e in events()]
    assert kinds == [
        "password_set", "sign_in", *["sign_in_failed"] * 5, "throttled", "sign_out",
        "invitation_created", "invitation_used", "password_set", "token_created", "token_revoked",
    ]  # fmt: skip
    assert len(caplog.records) == len(kinds)
    assert [m.split()[0] for m in caplog.messages] == kinds
    assert {r.name for r in caplog.records} == {"ethicsflow.security"}
    assert [r.levelname for r in caplog.records].count("WARNING") == 6  # failures, throttled

    text = all_text()
    secrets = [PASSWORD, WRONG, INVITED_PASSWORD, link, token, token[8:]]
    assert not [s for s in secrets if any(s in value for value in text)]
    hashes = [accounts.sha256_hex(link), accounts.sha256_hex(token)]
    for account in (account_of(email), account_of(invited)):
        assert account is not None and account.password_hash is not None
        hashes.append(account.password_hash)
    logged = "\n".join(caplog.messages)
    for event in events():
        assert not [h for h in hashes if h in str(event.detail)]
    assert not [s for s in secrets + hashes if s in logged]
    assert email not in logged and invited not in logged and "@" not in logged
