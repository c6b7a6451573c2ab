"""`notify dispatch`, `notify list` and `notify retry`: the notification outbox."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ethicsflow.app.cli_commands.common import Json, api_get, call_engine
from ethicsflow.app.output import emit

notify_app = typer.Typer(
    help="Notifications: deliver the outbox, see each delivery, re-queue a dead one.",
    no_args_is_help=True,
)


@notify_app.command("dispatch")
def notify_dispatch(
    limit: Annotated[
        int | None, typer.Option(min=1, help="send at most this many notifications")
    ] = None,
    recover_now: Annotated[
        bool,
        typer.Option(
            help="take notifications still `sending` for abandoned now (their dispatcher"
            " stopped) instead of after ETHICSFLOW_NOTIFY_LEASE_SECONDS: they are marked"
            " dead with an unknown outcome, never re-sent; only when no other dispatcher runs"
        ),
    ] = False,
    as_json: Json = False,
) -> None:
    """Deliver due notifications now (retries with backoff; dead after N attempts)."""
    data = call_engine("notify_dispatch", {"limit": limit, "recover_now": recover_now})
    emit(data, as_json, _dispatch_text)


def _dispatch_text(d: dict[str, Any]) -> str:
    text = (
        f"claimed {d['claimed']}: sent {d['sent']}, failed {d['failed']} (will retry),"
        f" dead {d['dead']}"
    )
    if d["lost"]:
        text += f", {d['lost']} re-queued by an operator while sending"
    if d["recovered"]:
        ids = ", ".join(map(str, d["recovered_ids"]))
        text += (
            f"\n  {d['recovered']} left `sending` by a stopped dispatcher, now dead with an"
            f" unknown outcome: {ids} (check with the recipient, then `notify retry ID`)"
        )
    return text


@notify_app.command("list")
def notify_list(
    status: Annotated[
        str | None, typer.Option(help="only this status: queued sending sent failed dead")
    ] = None,
    case: Annotated[str | None, typer.Option(help="only notifications of this case")] = None,
    limit: Annotated[int, typer.Option(min=1, help="at most this many, newest first")] = 100,
    as_json: Json = False,
) -> None:
    """List notifications with their delivery state (URLs with secrets masked)."""
    rows = api_get("/notifications", status=status, case=case, limit=limit)
    emit(rows, as_json, _notifications_text)


def _notifications_text(rows: list[dict[str, Any]]) -> str:
    lines = []
    for r in rows:
        when = f"sent {r['sent_at'][:19]}" if r["sent_at"] else f"next {r['next_attempt_at'][:19]}"
        lines.append(
            f"{r['id']:>6} {r['case'] or '-':<20} {r['event']:<20} {r['status']:<8}"
            f" {r['attempts']}x {when}  {r['recipient']}  {r['url'].split('?')[0]}"
        )
        if r["last_error"] and r["status"] != "sent":
            lines.append(f"         {r['last_error']}")
    return "\n".join(lines) or "no notifications"


@notify_app.command("retry")
def notify_retry(
    notification_id: Annotated[
        int, typer.Argument(metavar="ID", help="notification id (`notify list` shows it)")
    ],
    as_json: Json = False,
) -> None:
    """Re-queue a dead or failed notification; it is sent again (attempts start at 0)."""
    data = call_engine("notify_retry", {"id": notification_id})
    emit(data, as_json, lambda d: f"notification {d['id']} queued again ({d['last_error']})")
