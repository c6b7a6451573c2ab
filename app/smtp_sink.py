"""A loopback SMTP server that keeps what it receives (for `ethicsflow demo`).

Started on 127.0.0.1 and a free port; it delivers nowhere. ``messages`` holds
each received message as parsed e-mail, in arrival order.
"""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


class _Keeper:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SmtpSink:
    """``with SmtpSink() as sink: ... sink.url_for(email) ... sink.messages``."""

    def __init__(self) -> None:
        self.keeper = _Keeper()
        self.port = free_port()
        self.controller = Controller(self.keeper, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    def url_for(self, email: str, sender: str = "ethicsflow@localhost") -> str:
        """An apprise URL that delivers mail for ``email`` to this sink."""
        return f"mailto://127.0.0.1:{self.port}?from={sender}&to={email}"

    @property
    def messages(self) -> list[EmailMessage]:
        with self.keeper.lock:
            return list(self.keeper.messages)
