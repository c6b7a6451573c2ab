"""`ethicsflow demo`: a scripted scenario on a fresh embedded installation.

Two state bodies, their people, the Ethics Board of the region, and complaints
walked through different paths (answered, forwarded, dismissed as anonymous,
heard by the board to a decision, extended) plus a restoration request — every
step a real flow run — then a readable summary of cases, statuses and deadlines,
and where the data is.
"""

from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import col, func, select

from ethicsflow.app import demo_board
from ethicsflow.app.engine_client import run_inprocess
from ethicsflow.app.smtp_sink import SmtpSink
from ethicsflow.models.accounts.operations import set_password
from ethicsflow.models.cases.views import case_view, history
from ethicsflow.models.db import init_database, session_scope
from ethicsflow.models.deadlines.calendar import calendar_for
from ethicsflow.models.errors import InvalidInput, option
from ethicsflow.models.notifications.tables import Notification
from ethicsflow.models.policy import load_policy
from ethicsflow.models.settings import get_settings

ASTANA = "+05:00"


def _fresh_home(out: Path | None) -> Path:
    if out is None:
        out = Path.cwd() / f"ethicsflow-demo-{datetime.now():%Y%m%d-%H%M%S}"
    out = out.expanduser().resolve()
    if out.exists() and any(out.iterdir()):
        raise InvalidInput("platform.demo_folder_not_empty", option("out"), path=str(out))
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
    demo = _Scenario(home, stream, sink)
    demo.say(f"ethicsflow demo — fresh installation in {home}")
    init_database()
    demo.say("starting the workflow engine (Prefect) ...")
    demo.add_people()
    cases = demo.file_appeals()
    decisions = demo.move(cases)
    views = demo.summary(cases)
    demo.deliver()
    demo.closing(decisions, cases)
    demo.accounts()
    return {"home": str(home), "cases": views}


@dataclass(frozen=True)
class _Appeals:
    """The numbers of the demo's cases, by the path each one takes."""

    answered: str
    forwarded: str
    anonymous: str
    board: str
    board_received: date
    extended: str
    restoration: str


@dataclass
class _Scenario:
    """The demo's steps, each saying what it did on ``stream``."""

    home: Path
    stream: Any
    sink: Any

    def say(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    def op(self, name: str, **params: Any) -> dict[str, Any]:
        return run_inprocess(name, params)

    def act(self, number: str, action: str, by: str, **values: Any) -> None:
        result = self.op("act", number=number, action=action, by=by, values=values)
        self.say(f"  {number}: {action:<20} {result['from']} -> {result['status']}")

    def file(self, **values: Any) -> str:
        result = self.op("file_case", values=values)
        who = result["assignee"] or "unassigned"
        self.say(f"  {result['number']}: filed ({values['kind']}), {result['status']}, {who}")
        return str(result["number"])

    def add_people(self) -> None:
        self.op(
            "add_org", values={"code": "MINFIN", "name": "Ministry of Finance", "region": "Astana"}
        )
        self.op(
            "add_org", values={"code": "AKMALA", "name": "Akimat of Almaty", "region": "Almaty"}
        )
        people = [
            ("yerlan.head@minfin.kz", "Yerlan Sadykov", "MINFIN", ["head"], None, "ru"),
            (
                "aigerim.ethics@minfin.kz",
                "Aigerim Nurlanova",
                "MINFIN",
                ["commissioner"],
                None,
                "kk",
            ),
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
            self.op(
                "add_person",
                values={
                    "email": email,
                    "name": name,
                    "org": org,
                    "roles": roles,
                    "manager": manager,
                    "language": lang,
                    "iin": None if email.startswith("marat") else "880315300456",
                    "notify": [self.sink.url_for(email)],
                },
            )
        demo_board.setup_board(self.op, self.sink.url_for)
        self.say("3 organizations, 14 people and the Ethics Board of Astana (5 members) added\n")

    def file_appeals(self) -> _Appeals:
        self.say("filing appeals")
        answered = self.file(
            kind="complaint",
            org="MINFIN",
            by="asel@minfin.kz",
            against="bolat@minfin.kz",
            received_at=_ago(12),
            summary="My manager shouted at me in front of colleagues at the weekly meeting.",
        )
        forwarded = self.file(
            kind="complaint",
            org="MINFIN",
            by="marat@minfin.kz",
            received_at=_ago(2),
            summary="An official of the city akimat demanded a gift for a permit.",
        )
        anonymous = self.file(
            kind="complaint",
            org="MINFIN",
            anonymous=True,
            received_at=_ago(5),
            summary="Someone in the finance department is rude to visitors.",
        )
        board_received = _working_day_ago(45)
        board = self.file(
            kind="complaint",
            org="MINFIN",
            by="marat@minfin.kz",
            against="bolat@minfin.kz",
            received_at=f"{board_received.isoformat()}T10:00:00{ASTANA}",
            committed_on=(board_received - timedelta(days=7)).isoformat(),
            summary="Public insults of subordinates on social media, discrediting the service.",
        )
        extended = self.file(
            kind="complaint",
            org="MINFIN",
            by="asel@minfin.kz",
            received_at=_ago(15),
            summary="Repeated unequal distribution of workload within the department.",
        )
        restoration = self.file(
            kind="restoration",
            org="AKMALA",
            by="asel@minfin.kz",
            received_at=_ago(1),
            related=answered,
            summary="After my earlier complaint I was removed from all projects.",
        )
        return _Appeals(
            answered, forwarded, anonymous, board, board_received, extended, restoration
        )

    def move(self, cases: _Appeals) -> list[Path]:
        """The cases through their lifecycles; returns the Board's decision documents."""
        answered, forwarded, anonymous = cases.answered, cases.forwarded, cases.anonymous
        board, board_received = cases.board, cases.board_received
        extended, restoration = cases.extended, cases.restoration
        self.say("")
        self.say("moving them through their lifecycles")
        a1 = _assignee(answered)
        self.act(answered, "accept", a1)
        self.act(
            answered, "request_explanation", a1, questions="Explain the remarks of the meeting."
        )
        self.act(answered, "record_explanation", a1, text="Admits raising his voice; apologised.")
        self.act(
            answered,
            "find_no_violation",
            a1,
            reason="An isolated incident, apologised for; no breach of the Ethical Code found.",
        )
        self.act(
            forwarded,
            "forward",
            _assignee(forwarded),
            to_body="Akimat of Almaty",
            ground="not_competent",
            reason="The official serves in the akimat, not the ministry.",
        )
        self.act(
            anonymous,
            "dismiss",
            _assignee(anonymous),
            ground="anonymous",
            reason="Anonymous; reports neither a crime nor a threat to security (APPK Art. 88).",
        )
        self.say("\nthe Ethics Board of Astana hears the referred complaint")
        decisions = demo_board.hearing(
            self.op, self.say, board, _assignee(board), board_received, self.home
        )
        self.say("")
        a5 = _assignee(extended)
        self.act(extended, "accept", a5)
        self.act(
            extended,
            "extend",
            "yerlan.head@minfin.kz",
            reason="Needs the payroll records of three departments.",
        )
        self.act(
            restoration,
            "accept",
            _assignee(restoration),
            category="retaliation",
            risk="high",
            reason="Removal from projects followed the earlier complaint within a week.",
        )
        r1 = _assignee(restoration)
        self.act(
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
        self.act(
            restoration, "complete_measure", r1, measure=1, evidence="Order No. 45 of the akimat"
        )
        self.act(restoration, "confirm_restored", r1, reason="Back in all three project teams.")
        return decisions

    def summary(self, cases: _Appeals) -> list[dict[str, Any]]:
        self.say("\nsummary")
        numbers = [cases.answered, cases.forwarded, cases.anonymous, cases.board]
        numbers += [cases.extended, cases.restoration]
        views = []
        with session_scope() as session:
            for number in numbers:
                view = case_view(session, number)
                verified = history(session, number, verify=True)["verified"]
                views.append(view)
                self.say(
                    f"  {view['number']:<18} {view['kind']:<12} {view['status']:<15}"
                    f" {view['assignee'] or '-':<26} audit {'ok' if verified else 'BROKEN'}"
                )
                for d in view["deadlines"]:
                    self.say(f"      {d['name']:<17} {d['due']}  {d['status']}")
        return views

    def deliver(self) -> None:
        self.say("\nsweeping deadlines and delivering notifications (loopback SMTP sink)")
        swept = self.op("sweep")
        self.say(f"  sweep: {swept['queued']}")
        delivered = self.op("notify_dispatch")
        self.say(f"  dispatch: {delivered}")
        self.say(f"  {len(self.sink.messages)} e-mails arrived at the sink; by event and status:")
        with session_scope() as session:
            rows = session.exec(
                select(Notification.event, Notification.status, func.count())
                .group_by(col(Notification.event), col(Notification.status))
                .order_by(col(Notification.event))
            ).all()
        for event, status, count in rows:
            self.say(f"    {event:<20} {status:<8} {count}")
        if self.sink.messages:
            example = self.sink.messages[0]
            self.say("\none of them, as received:")
            self.say(f"  To: {example['To']}")
            self.say(f"  Subject: {example['Subject']}")
            body = example.get_body(("plain",))
            text = body.get_content() if body is not None else ""
            self.say("  " + "\n  ".join(text.strip().splitlines()))

    def accounts(self) -> None:
        """A password for one person per role, so that `serve` opens with people able to
        sign in; the password is made for this demo and printed once, here."""
        password = "demo-" + secrets.token_urlsafe(9)
        for _role, email in SIGN_IN_AS:
            set_password(email, password)
        settings = get_settings()
        self.say("\nthe web pages: start the platform on this home,")
        self.say(f"  ETHICSFLOW_HOME={self.home} ethicsflow serve")
        self.say(f"open {settings.public_url}/ and sign in as one of (password {password}):")
        for role, email in SIGN_IN_AS:
            self.say(f"  {role:<24} {email}")

    def closing(self, decisions: list[Path], cases: _Appeals) -> None:
        home, answered = self.home, cases.answered
        self.say("\nthe Board's decision, issued in three languages:")
        for path in decisions:
            self.say(f"  {path}")
        self.say(f"\ndata: {home / 'ethicsflow.db'}")
        self.say(f"look around:  ETHICSFLOW_HOME={home} ethicsflow case list")
        self.say(
            f"              ETHICSFLOW_HOME={home} ethicsflow case history {answered} --verify"
        )


SIGN_IN_AS = (
    ("civil servant (filer)", "asel@minfin.kz"),
    ("respondent", "bolat@minfin.kz"),
    ("commissioner", "aigerim.ethics@minfin.kz"),
    ("head of the body", "yerlan.head@minfin.kz"),
    ("Board secretary", demo_board.SECRETARY),
    ("Board member (chair)", demo_board.MEMBERS[0][0]),
)
"""One demo account per role, each given the demo's password to sign in to the web."""


def _assignee(number: str) -> str:

    with session_scope() as session:
        assignee = case_view(session, number)["assignee"]
    if assignee is None:
        raise InvalidInput("platform.demo_not_assigned", number=number)
    return str(assignee)
