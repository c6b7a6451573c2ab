"""A loopback SMTP server that keeps what it receives (the demo, the tests and bench/).

Started on 127.0.0.1 and a port the OS chooses; it delivers nowhere. ``messages`` holds
each received message as parsed e-mail, in arrival order, and ``received`` counts them
(``keep=False`` only counts: a benchmark's sink need not parse). Given a server TLS
context it requires STARTTLS (``mailtos://...?mode=starttls``).
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, cast

from aiosmtpd.controller import Controller


class _Controller(Controller):
    """aiosmtpd's controller on the port the OS gave (it binds port 0 as asked, but
    then connects to ``self.port`` to check that the server answers)."""

    def _trigger_server(self) -> None:
        assert isinstance(self.server, asyncio.Server)
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpSink:
    """Started when made: ``with SmtpSink() as sink: ... sink.url_for(email) ...
    sink.messages`` (or ``sink = SmtpSink()`` ... ``sink.stop()``)."""

    def __init__(self, tls: ssl.SSLContext | None = None, keep: bool = True) -> None:
        self.keep = keep
        self.received = 0
        self._messages: list[EmailMessage] = []
        self._lock = threading.Lock()
        extra: dict[str, Any] = {"tls_context": tls, "require_starttls": True} if tls else {}
        self.controller = _Controller(self, hostname="127.0.0.1", port=0, **extra)
        self.controller.start()

    def __enter__(self) -> SmtpSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self.controller.stop()

    @property
    def port(self) -> int:
        return int(self.controller.port)

    def url(self, to: str = "filer@example.kz", scheme: str = "mailto", **args: str) -> str:
        """An apprise URL that delivers mail for ``to`` to this sink (``args``: its query)."""
        args = {"from": "noreply@ethicsflow.test", "to": to, **args}
        query = "&".join(f"{k}={v}" for k, v in args.items())
        return f"{scheme}://127.0.0.1:{self.port}?{query}"

    def url_for(self, email: str, sender: str = "ethicsflow@localhost") -> str:
        """An apprise URL that delivers mail for ``email`` to this sink (the demo's)."""
        return self.url(email, **{"from": sender})

    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return list(self._messages)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = None
        if self.keep:
            message = cast(
                EmailMessage, message_from_bytes(envelope.content, policy=policy.default)
            )
        with self._lock:
            self.received += 1
            if message is not None:
                self._messages.append(message)
        return "250 OK"
