"""Delivery of the outbox with apprise to real loopback receivers, SQLite and PostgreSQL.

No mocked apprise: the aiosmtpd sink of ``app/smtp_sink.py`` takes ``mailto://`` (and
``mailtos://`` with STARTTLS), an HTTP server takes ``json://`` (``tests/support/notify.py``;
the fixtures are in ``conftest.py``). Dispatchers that
must die or race run as real subprocesses of the plain dispatch loop; the flow tier runs
against the session's temporary Prefect server (``conftest.py``).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterId,
)
from prefect.client.schemas.objects import StateType
from prefect.client.schemas.sorting import FlowRunSort

from ethicsflow.app.errors import message
from ethicsflow.app.smtp_sink import SmtpSink
from ethicsflow.flows.commands import execute
from ethicsflow.flows.dispatch import dispatch
from ethicsflow.flows.sending import DEDUP_HEADER, privacy_url
from ethicsflow.models.cases import operations, views
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import InvalidInput, NotFound
from ethicsflow.models.notifications import delivery, listing
from ethicsflow.models.notifications.delivery import UNKNOWN_OUTCOME, Outcome
from ethicsflow.models.types import utcnow
from tests.support import factories
from tests.support.notify import WAIT, HttpSink, add_rows, rows

CHILD = r"""
import json, sys
from ethicsflow.flows.dispatch import dispatch
from ethicsflow.models.db import require_schema

require_schema()  # connect and import everything before the start
print("ready", flush=True)
sys.stdin.readline()  # the start barrier
print(json.dumps(dispatch()), flush=True)
"""


def dispatcher(**env: str) -> subprocess.Popen[str]:
    """A dispatcher process on this test's database; it waits for a line on stdin."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready", child.stderr
    return child


def start(*children: subprocess.Popen[str]) -> None:
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()


def finish(child: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = child.communicate(timeout=WAIT)
    assert child.returncode == 0, err
    return dict(json.loads(out))


def statuses(ids: list[int]) -> list[str]:
    found = rows(ids)
    return [found[i].status for i in ids]


# --- what arrives --------------------------------------------------------------------------


def test_dispatch_mails_the_acknowledgment_with_the_case_number_in_the_filers_language(
    home: Path, smtp_sink: SmtpSink
) -> None:
    b = factories.body()
    filer = factories.person(b.code, language="kk", notify=[smtp_sink.url("filer@example.kz")])
    number = factories.complaint(b, by=filer)["number"]
    [row] = rows().values()

    counts = dispatch()

    assert (counts["claimed"], counts["sent"]) == (1, 1)
    [mail] = smtp_sink.messages
    assert mail["Subject"] == f"№ {number} өтінішті қабылдау туралы талон"
    assert mail["To"] == "filer@example.kz"
    assert mail[DEDUP_HEADER] == row.dedup_key
    text = mail.get_body(("plain",))
    assert text is not None
    content = text.get_content()
    assert f"Тіркеу нөмірі: {number}" in content
    assert "Сіздің өтінішіңіз қабылданды және тіркелді." in content
    after = rows()[row.id or 0]
    assert (after.status, after.attempts, after.last_error) == ("sent", 1, None)
    assert after.sent_at is not None


def test_json_receiver_gets_the_dedup_key_in_the_payload_and_a_header(
    home: Path, http_sink: HttpSink
) -> None:
    [row_id] = add_rows(http_sink.url, subject="Тема", body="Текст\n")

    dispatch()

    [arrival] = http_sink.arrivals
    key = rows()[row_id].dedup_key
    assert arrival.payload["dedup_key"] == key
    assert arrival.headers[DEDUP_HEADER] == key
    assert (arrival.payload["title"], arrival.payload["message"].strip()) == ("Тема", "Текст")


def test_attachments_arrive_and_a_missing_one_fails_the_attempt(
    home: Path, smtp_sink: SmtpSink, tmp_path: Path
) -> None:
    decision = tmp_path / "decision.txt"
    decision.write_text("Решение Совета по этике\n", encoding="utf-8")
    [ok] = add_rows(smtp_sink.url(), attachments=[str(decision)])
    [missing] = add_rows(smtp_sink.url(), attachments=[str(tmp_path / "gone.docx")])

    counts = dispatch()

    assert (counts["sent"], counts["failed"]) == (1, 1)
    [mail] = smtp_sink.messages
    [attached] = list(mail.iter_attachments())
    assert attached.get_filename() == "decision.txt"
    assert attached.get_payload(decode=True) == decision.read_bytes()
    assert rows()[ok].status == "sent"
    assert rows()[missing].last_error == f"attachment not found: {tmp_path / 'gone.docx'}"


# --- failures, backoff, dead letters -----------------------------------------------------


def test_refused_target_is_retried_with_backoff_and_ends_dead_with_the_error_kept(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ETHICSFLOW_NOTIFY_MAX_ATTEMPTS", "3")
    monkeypatch.setenv("ETHICSFLOW_NOTIFY_BACKOFF_SECONDS", "60")
    refused = SmtpSink()  # a port that refuses at once: the sink's, after it stopped
    refused.stop()
    [row_id] = add_rows(refused.url())
    t0 = utcnow()

    first = dispatch(now=t0)
    row = rows()[row_id]
    assert (first["failed"], row.status, row.attempts) == (1, "failed", 1)
    assert row.next_attempt_at == t0 + timedelta(seconds=60)
    assert row.last_error is not None and "Connection refused" in row.last_error

    assert dispatch(now=t0 + timedelta(seconds=59))["claimed"] == 0  # not due yet
    dispatch(now=t0 + timedelta(seconds=60))
    row = rows()[row_id]
    assert (row.status, row.attempts) == ("failed", 2)
    assert row.next_attempt_at == t0 + timedelta(seconds=60 + 120)

    last = dispatch(now=t0 + timedelta(seconds=180))
    row = rows()[row_id]
    assert (last["dead"], row.status, row.attempts) == (1, "dead", 3)
    assert "Connection refused" in (row.last_error or "")
    assert dispatch(now=t0 + timedelta(days=1))["claimed"] == 0  # dead stays dead


def test_url_no_service_accepts_fails_saying_so(home: Path) -> None:
    [row_id] = add_rows("nosuchservice://example.kz/x")

    counts = dispatch()

    row = rows()[row_id]
    assert (counts["failed"], row.status) == (1, "failed")
    assert (row.last_error or "").startswith("no service accepted the URL")


def test_starttls_still_verifies_the_server_certificate(
    home: Path, tls_smtp_sink: SmtpSink
) -> None:
    """The e-mail plugin's TLS context is built lazily (flows/sending.py): verification
    must be exactly what the URL asks for."""
    [verified] = add_rows(tls_smtp_sink.url(scheme="mailtos", mode="starttls"))
    [unverified] = add_rows(tls_smtp_sink.url(scheme="mailtos", mode="starttls", verify="no"))

    dispatch()

    assert "CERTIFICATE_VERIFY_FAILED" in (rows()[verified].last_error or "")
    assert rows()[unverified].status == "sent"
    assert len(tls_smtp_sink.messages) == 1


# --- claims and records ------------------------------------------------------------------


def test_claims_never_overlap_and_only_the_claimer_records(home: Path) -> None:
    ids = add_rows("json://127.0.0.1:9/none", count=5)

    mine = delivery.claim("A", 3)
    theirs = delivery.claim("B", 3)

    assert [m.id for m in mine] == ids[:3]
    assert [m.id for m in theirs] == ids[3:]
    assert delivery.record(mine[0], Outcome(True), "B") == "lost"
    assert rows()[ids[0]].status == "sending"
    assert delivery.record(mine[0], Outcome(True), "A") == "sent"
    assert delivery.record(mine[0], Outcome(True), "A") == "lost"  # recorded once


def test_a_slow_dispatchers_result_replaces_the_unknown_outcome(home: Path) -> None:
    [row_id] = add_rows("json://127.0.0.1:9/none")
    [message] = delivery.claim("slow", 1)

    assert delivery.recover_abandoned(0) == [row_id]
    assert rows()[row_id].last_error == UNKNOWN_OUTCOME.format(id=row_id)
    assert delivery.record(message, Outcome(True), "slow") == "sent"

    row = rows()[row_id]
    assert (row.status, row.sent_at is not None) == ("sent", True)


# --- at most once: a dispatcher killed while sending ------------------------------------------


def test_sigkill_inside_a_send_loses_nothing_and_sends_nothing_twice(
    home: Path, http_sink: HttpSink
) -> None:
    ids = add_rows(http_sink.url, count=6)
    keys = {i: rows()[i].dedup_key for i in ids}
    k = ids[2]
    http_sink.hold_key = keys[k]  # the server receives row k, then holds its answer
    child = dispatcher(ETHICSFLOW_NOTIFY_WORKERS="1")
    start(child)

    assert http_sink.held.wait(WAIT), "row k never reached the server"
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=WAIT)
    assert child.returncode == -signal.SIGKILL
    http_sink.release.set()
    assert statuses(ids) == ["sent", "sent", "sending", "queued", "queued", "queued"]

    # The next dispatch, while row k's lease lasts: the rest goes out, row k waits.
    assert dispatch()["sent"] == 3
    assert statuses(ids) == ["sent", "sent", "sending", "sent", "sent", "sent"]

    # Once the lease is over (here: at once), row k is dead and unknown, not re-sent.
    again = dispatch(recover_now=True)
    assert (again["recovered_ids"], again["claimed"]) == ([k], 0)
    row = rows()[k]
    assert (row.status, row.last_error) == ("dead", UNKNOWN_OUTCOME.format(id=k))
    assert http_sink.keys() == {key: 1 for key in keys.values()}  # each exactly once

    # Only an operator's retry sends it again -- the receiver sees the same dedup key.
    delivery.retry(k)
    assert dispatch()["sent"] == 1
    assert http_sink.keys()[keys[k]] == 2
    assert statuses(ids) == ["sent"] * 6


# --- two dispatchers at once ----------------------------------------------------------------


def test_two_dispatchers_at_once_send_each_row_exactly_once(
    home: Path, http_sink: HttpSink
) -> None:
    ids = add_rows(http_sink.url, count=200)
    http_sink.pair_first_two()  # the first send waits until the other dispatcher sends
    children = [dispatcher(ETHICSFLOW_NOTIFY_WORKERS="1") for _ in range(2)]

    start(*children)
    results = [finish(child) for child in children]

    assert sum(r["sent"] for r in results) == 200
    assert sum(r["claimed"] for r in results) == 200
    found = rows(ids)
    assert {row.status for row in found.values()} == {"sent"}
    assert http_sink.keys() == {row.dedup_key: 1 for row in found.values()}
    assert http_sink.paired == [True, True]
    assert {row.claimed_by for row in found.values()} == {r["dispatcher"] for r in results}


# --- deadlines met by delivery -------------------------------------------------------------


@pytest.mark.parametrize("late", [False, True], ids=["on time", "late"])
def test_delivered_extension_notice_meets_its_deadline_with_an_audit_event(
    home: Path, smtp_sink: SmtpSink, late: bool
) -> None:
    b = factories.body()
    filer = factories.person(b.code, language="ru", notify=[smtp_sink.url()])
    number = factories.complaint(b, by=filer)["number"]
    operations.act(number, "accept", b.commissioner, {})
    operations.act(number, "extend", b.head, {"reason": "нужны материалы из другого органа"})
    with session_scope() as session:
        before = views.case_view(session, number)

    dispatch(now=utcnow() + timedelta(days=30 if late else 0))

    with session_scope() as session:
        after = views.case_view(session, number)
        log = views.history(session, number, verify=True)
    [notice] = [d for d in after["deadlines"] if d["name"] == "extension_notice"]
    subjects = [m["Subject"] for m in smtp_sink.messages]
    assert any(number in s and "продлении" in s for s in subjects), subjects
    assert log["verified"] is True
    if late:  # left open: the sweep marks it missed and escalates
        assert (notice["status"], after["version"]) == ("open", before["version"])
        return
    assert (notice["status"], after["version"]) == ("met", before["version"] + 1)
    event = log["events"][-1]
    assert (event["action"], event["actor"]) == ("notice_delivered", "system")


# --- operators: retry and list ------------------------------------------------------------


def test_retry_requeues_dead_and_failed_rows_and_refuses_the_rest(home: Path) -> None:
    [dead, failed, sent, queued] = add_rows("json://127.0.0.1:9/none", count=4)
    claimed = {m.id: m for m in delivery.claim("A", 3)}
    delivery.record(claimed[sent], Outcome(True), "A")
    delivery.record(claimed[failed], Outcome(False, "refused"), "A")
    delivery.recover_abandoned(0)  # `dead` was left sending

    requeued = delivery.retry(dead)

    assert (requeued["status"], requeued["attempts"]) == ("queued", 0)
    assert requeued["last_error"].startswith("re-queued by an operator (dead after 1 attempt(s));")
    assert delivery.retry(failed)["status"] == "queued"
    with pytest.raises(InvalidInput, match="was sent at"):
        delivery.retry(sent)
    with pytest.raises(InvalidInput, match="already queued"):
        delivery.retry(queued)
    with pytest.raises(NotFound, match="no notification 999999"):
        delivery.retry(999999)


def test_list_masks_secrets_and_filters_by_status_and_case(home: Path, smtp_sink: SmtpSink) -> None:
    b = factories.body()
    filer = factories.person(b.code, notify=[smtp_sink.url()])
    number = factories.complaint(b, by=filer)["number"]
    [secret] = add_rows("mailtos://clerk:s3cret@smtp.example.kz:587?to=a@example.kz")
    [header] = add_rows("json://127.0.0.1:9/hook?+Authorization=Bearer%20t0ken")

    with session_scope() as session:
        everything = listing.list_notifications(session, mask=privacy_url)
        of_case = listing.list_notifications(session, case=number.lower())
        queued = listing.list_notifications(session, status="queued", limit=2)
        with pytest.raises(InvalidInput) as bad_status:
            listing.list_notifications(session, status="lost")
        assert re.search("--status", message(bad_status.value))
        with pytest.raises(NotFound) as no_case:
            listing.list_notifications(session, case="NOPE-2026-00001")
        assert re.search("--case", message(no_case.value))

    shown = {r["id"]: r["url"] for r in everything}
    assert "s3cret" not in shown[secret] and "clerk:****@smtp.example.kz" in shown[secret]
    assert "t0ken" not in shown[header]
    assert [r["event"] for r in of_case] == ["acknowledgment"]
    assert of_case[0]["case"] == number
    assert [r["id"] for r in queued] == [header, secret]  # newest first
    assert listing.mask_url(rows()[secret].url) == "mailtos://clerk:****@smtp.example.kz:587/…"


# --- the flow tier -------------------------------------------------------------------------


def test_notify_operations_run_the_dispatch_and_retry_flows(
    home: Path, http_sink: HttpSink
) -> None:
    ids = add_rows(http_sink.url, count=3)
    add_rows("nosuchservice://x")

    first = execute("notify_dispatch", {"limit": 2})
    counts = execute("notify_dispatch", {})

    assert (first["claimed"], first["sent"]) == (2, 2)
    assert (counts["claimed"], counts["sent"], counts["failed"]) == (2, 1, 1)
    with get_client(sync_client=True) as client:
        [run] = client.read_flow_runs(  # the newest: tests run one at a time
            flow_filter=FlowFilter(name=FlowFilterName(any_=["dispatch-notifications"])),
            sort=FlowRunSort.START_TIME_DESC,
            limit=1,
        )
        tasks = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id]))
        )
    assert run.state_type == StateType.COMPLETED
    assert {t.name.rsplit("-", 1)[0] for t in tasks} == {"send-notifications"}

    with pytest.raises(InvalidInput, match="was sent at"):
        execute("notify_retry", {"id": ids[0]})
    assert sorted(http_sink.keys().values()) == [1, 1, 1]
