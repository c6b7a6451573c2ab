"""The Ethics Board part of `ethicsflow demo`: one complaint from referral to decision.

The steps are replayed at past moments (a hearing needs 3 working days' notice, and
attendance is recorded on the hearing day), each a real `act-on-case` flow run; then
the decision is issued in Kazakh, Russian and English and copied to the demo folder.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ethicsflow.models.deadlines.calendar import calendar_for
from ethicsflow.models.policy import load_policy

ACSA = "ACSAAST"  # the Agency's regional department, which hosts the board
SECRETARY = "dana.secretary@acsa.kz"
MEMBERS = [
    # e-mail, name, organization, chair
    ("saule.mukanova@acsa.kz", "Сәуле Мұқанова", ACSA, True),
    ("galym.abdikadyrov@acsa.kz", "Ғалым Әбдіқадыров", ACSA, False),
    ("ainur.kemelbekova@acsa.kz", "Айнұр Кемелбекова", ACSA, False),
    ("nurlan.ibrayev@acsa.kz", "Nurlan Ibrayev", ACSA, False),
    # the respondent's line manager: recused automatically at scheduling
    ("yerlan.head@minfin.kz", None, "MINFIN", False),
]


def setup_board(op: Callable[..., dict[str, Any]], url_for: Callable[[str], str]) -> None:
    op("add_org", values={"code": ACSA, "name": "Agency for Civil Service Affairs, Astana"
                          " department", "region": "Astana"})  # fmt: skip
    op(
        "add_person",
        values={
            "email": SECRETARY,
            "name": "Дана Өмірзақова",
            "org": ACSA,
            "roles": ["board_secretary"],
            "language": "kk",
            "notify": [url_for(SECRETARY)],
        },
    )
    for email, name, org, _chair in MEMBERS:
        if name is not None:
            op(
                "add_person",
                values={
                    "email": email,
                    "name": name,
                    "org": org,
                    "roles": ["board_member"],
                    "language": "kk" if org == ACSA else "ru",
                    "notify": [url_for(email)],
                },
            )
    op(
        "add_board",
        values={
            "code": "EBAST",
            "name": "Ethics Board of Astana",
            "region": "Astana",
            "secretary": SECRETARY,
        },
    )
    for email, _name, _org, chair in MEMBERS:
        op("add_board_member", values={"code": "EBAST", "email": email, "chair": chair})


def hearing(
    op: Callable[..., dict[str, Any]],
    say: Callable[[str], None],
    number: str,
    commissioner: str,
    received: date,
    out: Path,
) -> list[Path]:
    """Take ``number`` (received on ``received``) through the board; return the decisions."""

    policy = load_policy()
    cal = calendar_for(policy)

    def at(day: date, hour: int) -> str:
        return datetime.fromisoformat(f"{day.isoformat()}T{hour:02d}:00:00+05:00").isoformat()

    def act(day: date, hour: int, action: str, by: str, **values: Any) -> dict[str, Any]:
        result = op("act", number=number, action=action, by=by, values=values, at=at(day, hour))
        say(f"  {number}: {action:<20} {result['from']} -> {result['status']}  ({day})")
        return result

    accepted = cal.add_working_days(received, 1)
    referred = cal.add_working_days(received, 2)
    scheduled_on = cal.add_working_days(received, 3)
    hearing_day = cal.add_working_days(scheduled_on, policy.hearing_notice.amount + 1)
    act(accepted, 10, "accept", commissioner, offence_category="discrediting")
    act(referred, 10, "refer_to_board", commissioner,
        reason="Repeated public conduct discrediting the service & its staff.")  # fmt: skip
    scheduled = act(scheduled_on, 10, "schedule_hearing", SECRETARY,
                    date=hearing_day.isoformat(), time="10:00",
                    place="Astana, Mangilik El 8, hall <3>")  # fmt: skip
    recused = scheduled.get("notes", {}).get("recused") or []
    if recused:
        say(f"      recused automatically (conflict of interest): {', '.join(recused)}")
    present = [email for email, _n, org, _c in MEMBERS if org == ACSA]
    act(hearing_day, 10, "record_attendance", SECRETARY, present=present)
    votes = {present[0]: "for", present[1]: "for", present[2]: "for", present[3]: "against"}
    for member, vote in votes.items():
        extra = {"dissent": "A remark would suffice."} if vote == "against" else {}
        act(hearing_day, 11, "record_vote", SECRETARY, member=member, vote=vote, **extra)
    act(hearing_day, 12, "decide", SECRETARY, outcome="violation", standards=["3.4", "5.1"],
        measure="reprimand",
        reason="The posts insulted subordinates by name and were seen by the public.")  # fmt: skip
    act(hearing_day, 15, "answer", commissioner,
        reason="The Ethics Board found a breach and recommended a reprimand.")  # fmt: skip
    written = []
    for language in ("kk", "ru", "en"):
        target = out / f"{number}-board_decision-{language}.docx"
        op(
            "render_document",
            values={
                "number": number,
                "kind": "board_decision",
                "language": language,
                "format": "docx",
                "by": SECRETARY,
                "out": str(target),
            },
        )
        written.append(target)
    return written
