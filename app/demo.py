"""`ethicsflow demo`: a scripted scenario on a fresh embedded installation.

Two state bodies, their people, the Ethics Board of the region, and complaints
walked through different paths (answered, forwarded, dismissed as anonymous,
heard by the board to a decision, extended) plus a restoration request — every
step a real flow run — then a readable summary of cases, statuses and deadlines,
and where the data is.
"""

from __future__ import annotations

import os
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import col, func, select

from ethicsflow.app import demo_board
from ethicsflow.app.engine_client import run_inprocess
from ethicsflow.app.smtp_sink import SmtpSink
from ethicsflow.models.cases.views import case_view, history
from ethicsflow.models.db import init_database, session_scope
from ethicsflow.models.deadlines.calendar import calendar_for
from ethicsflow.models.errors import InvalidInput
from ethicsflow.models.notifications.tables import Notification
from ethicsflow.models.policy import load_policy

ASTANA = "+05:00"


def _fresh_home(out: Path | None) -> Path:
    if out is None:
        out = Path.cwd() / f"ethicsflow-demo-{datetime.now():%Y%m%d-%H%M%S}"
    out = out.expanduser().resolve()
    if out.exists() and any(out.iterdir()):
        raise InvalidInput(f"--out: {out} is not empty; the demo needs a fresh folder")
    out.mkdir(parents=True, exist_ok=True)
    return out


def _ago(days: int, hour: int = 10) -> str:
    moment = datetime.now().astimezone() - timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0).isoformat()


def _working_day_ago(days: int) -> date:

    cal = calendar_for(load_policy())
    day = (datetime.now().astimezone() - timedelta(days=days)).date()
    while not cal.is_working_day(day):
        day -= timedelta(days=1)
    return day


def run_demo(out: Path | None, stream: Any = None) -> dict[str, Any]:
    """Run the scenario with a loopback SMTP sink that receives every notification."""

    with SmtpSink() as sink:
        return _run(out, stream or sys.stdout, sink)


def _run(out: Path | None, stream: Any, sink: Any) -> dict[str, Any]:
    home = _fresh_home(out)
    os.environ["ETHICSFLOW_HOME"] = str(home)
    os.environ.pop("ETHICSFLOW_DATABASE_URL", None)
    os.environ["ETHICSFLOW_ENGINE"] = "inprocess"

    def say(text: str) -> None:
        stream.write(text + "\n")
        stream.flush()

    say(f"ethicsflow demo — fresh installation in {home}")
    init_database()
    say("starting the workflow engine (Prefect) ...")

    def op(name: str, **params: Any) -> dict[str, Any]:
        return run_inprocess(name, params)

    def act(number: str, action: str, by: str, **values: Any) -> None:
        result = op("act", number=number, action=action, by=by, values=values)
        say(f"  {number}: {action:<20} {result['from']} -> {result['status']}")

    op("add_org", values={"code": "MINFIN", "name": "Ministry of Finance", "region": "Astana"})
    op("add_org", values={"code": "AKMALA", "name": "Akimat of Almaty", "region": "Almaty"})
    people = [
        ("yerlan.head@minfin.kz", "Yerlan Sadykov", "MINFIN", ["head"], None, "ru"),
        ("aigerim.ethics@minfin.kz", "Aigerim Nurlanova", "MINFIN", ["commissioner"], None, "kk"),
        ("daniyar.ethics@minfin.kz", "Daniyar Abenov", "MINFIN", ["commissioner"], None, "ru"),
        (
            "bolat@minfin.kz",
            "Bolat Zhaksybekov",
            "MINFIN",
            ["servant"],
            "yerlan.head@minfin.kz",
            "ru",
        ),
        ("asel@minfin.kz", "Asel Temirova", "MINFIN", ["servant"], "bolat@minfin.kz", "kk"),
        ("marat@minfin.kz", "Marat Ospanov", "MINFIN", ["servant"], None, "en"),
        ("gulnara.ethics@akmala.kz", "Gulnara Seitova", "AKMALA", ["commissioner"], None, "ru"),
        ("timur.head@akmala.kz", "Timur Kassymov", "AKMALA", ["head"], None, "ru"),
    ]
    for email, name, org, roles, manager, lang in people:
        op(
            "add_person",
            values={
                "email": email,
                "name": name,
                "org": org,
                "roles": roles,
                "manager": manager,
                "language": lang,
                "iin": None if email.startswith("marat") else "880315300456",
                "notify": [sink.url_for(email)],
            },
        )
    demo_board.setup_board(op, sink.url_for)
    say("3 organizations, 14 people and the Ethics Board of Astana (5 members) added\n")

    def file(**values: Any) -> str:
        result = op("file_case", values=values)
        who = result["assignee"] or "unassigned"
        say(f"  {result['number']}: filed ({values['kind']}), {result['status']}, {who}")
        return str(result["number"])

    say("filing appeals")
    answered = file(
        kind="complaint",
        org="MINFIN",
        by="asel@minfin.kz",
        against="bolat@minfin.kz",
        received_at=_ago(12),
        summary="My manager shouted at me in front of colleagues at the weekly meeting.",
    )
    forwarded = file(
        kind="complaint",
        org="MINFIN",
        by="marat@minfin.kz",
        received_at=_ago(2),
        summary="An official of the city akimat demanded a gift for a permit.",
    )
    anonymous = file(
        kind="complaint",
        org="MINFIN",
        anonymous=True,
        received_at=_ago(5),
        summary="Someone in the finance department is rude to visitors.",
    )
    board_received = _working_day_ago(45)
    board = file(
        kind="complaint",
        org="MINFIN",
        by="marat@minfin.kz",
        against="bolat@minfin.kz",
        received_at=f"{board_received.isoformat()}T10:00:00{ASTANA}",
        committed_on=(board_received - timedelta(days=7)).isoformat(),
        summary="Public insults of subordinates on social media, discrediting the service.",
    )
    extended = file(
        kind="complaint",
        org="MINFIN",
        by="asel@minfin.kz",
        received_at=_ago(15),
        summary="Repeated unequal distribution of workload within the department.",
    )
    restoration = file(
        kind="restoration",
        org="AKMALA",
        by="asel@minfin.kz",
        received_at=_ago(1),
        related=answered,
        summary="After my earlier complaint I was removed from all projects.",
    )
    say("")
    say("moving them through their lifecycles")
    a1 = _assignee(answered)
    act(answered, "accept", a1)
    act(answered, "request_explanation", a1, questions="Explain the remarks of the meeting.")
    act(answered, "record_explanation", a1, text="Admits raising his voice; apologised.")
    act(
        answered,
        "find_no_violation",
        a1,
        reason="An isolated incident, apologised for; no breach of the Ethical Code found.",
    )
    act(
        forwarded,
        "forward",
        _assignee(forwarded),
        to_body="Akimat of Almaty",
        ground="not_competent",
        reason="The official serves in the akimat, not the ministry.",
    )
    act(
        anonymous,
        "dismiss",
        _assignee(anonymous),
        ground="anonymous",
        reason="Anonymous; reports neither a crime nor a threat to security (APPK Art. 88).",
    )
    say("\nthe Ethics Board of Astana hears the referred complaint")
    decisions = demo_board.hearing(op, say, board, _assignee(board), board_received, home)
    say("")
    a5 = _assignee(extended)
    act(extended, "accept", a5)
    act(
        extended,
        "extend",
        "yerlan.head@minfin.kz",
        reason="Needs the payroll records of three departments.",
    )
    act(
        restoration,
        "accept",
        _assignee(restoration),
        category="retaliation",
        risk="high",
        reason="Removal from projects followed the earlier complaint within a week.",
    )
    r1 = _assignee(restoration)
    act(
        restoration,
        "propose_measures",
        r1,
        measures=[
            {
                "what": "Return Asel Temirova to the project teams she was removed from",
                "responsible": "timur.head@akmala.kz",
                "due_working_days": 5,
                "evidence": "the head's order",
            }
        ],
    )
    act(restoration, "complete_measure", r1, measure=1, evidence="Order No. 45 of the akimat")
    act(restoration, "confirm_restored", r1, reason="Back in all three project teams.")

    say("\nsummary")
    numbers = [answered, forwarded, anonymous, board, extended, restoration]
    views = []
    with session_scope() as session:
        for number in numbers:
            view = case_view(session, number)
            verified = history(session, number, verify=True)["verified"]
            views.append(view)
            say(
                f"  {view['number']:<18} {view['kind']:<12} {view['status']:<15}"
                f" {view['assignee'] or '-':<26} audit {'ok' if verified else 'BROKEN'}"
            )
            for d in view["deadlines"]:
                say(f"      {d['name']:<17} {d['due']}  {d['status']}")
    say("\nsweeping deadlines and delivering notifications (loopback SMTP sink)")
    swept = op("sweep")
    say(f"  sweep: {swept['queued']}")
    delivered = op("notify_dispatch")
    say(f"  dispatch: {delivered}")
    say(f"  {len(sink.messages)} e-mails arrived at the sink; by event and status:")
    with session_scope() as session:
        rows = session.exec(
            select(Notification.event, Notification.status, func.count())
            .group_by(col(Notification.event), col(Notification.status))
            .order_by(col(Notification.event))
        ).all()
    for event, status, count in rows:
        say(f"    {event:<20} {status:<8} {count}")
    if sink.messages:
        example = sink.messages[0]
        say("\none of them, as received:")
        say(f"  To: {example['To']}")
        say(f"  Subject: {example['Subject']}")
        body = example.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        say("  " + "\n  ".join(text.strip().splitlines()))
    say("\nthe Board's decision, issued in three languages:")
    for path in decisions:
        say(f"  {path}")
    say(f"\ndata: {home / 'ethicsflow.db'}")
    say(f"look around:  ETHICSFLOW_HOME={home} ethicsflow case list")
    say(f"              ETHICSFLOW_HOME={home} ethicsflow case history {answered} --verify")
    return {"home": str(home), "cases": views}


def _assignee(number: str) -> str:

    with session_scope() as session:
        assignee = case_view(session, number)["assignee"]
    if assignee is None:
        raise InvalidInput(f"demo: {number} was not assigned")
    return str(assignee)
