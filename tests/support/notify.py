"""Real receivers for the notification tests, on loopback ports chosen by the OS.

- SMTP: the demo's :class:`ethicsflow.app.smtp_sink.SmtpSink` (one sink for the demo,
  the tests and bench/); :func:`self_signed` gives it a certificate for STARTTLS.
- :class:`HttpSink`: an HTTP server for ``json://``; keeps every request's payload and
  headers, can hold the response to one message until the test releases it (to SIGKILL
  a dispatcher while it is inside a send), and can hold the first two requests until
  both have arrived (proof that two dispatchers were sending at the same time).

Every wait is on a condition with a timeout that only guards against a hang; no sleeps.
"""

from __future__ import annotations

import datetime as dt
import json
import ssl
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from ethicsflow.models.db import session_scope
from ethicsflow.models.notifications.tables import Notification

WAIT = 60.0
"""Seconds before a wait on a condition counts as a hang."""


# --- SMTP (the sink itself is ethicsflow.app.smtp_sink.SmtpSink) ----------------------


def self_signed(tmp_path: Path) -> ssl.SSLContext:
    """A server context with a fresh self-signed certificate for 127.0.0.1."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ethicsflow test sink")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "sink.crt", tmp_path / "sink.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context


# --- HTTP (json://) -------------------------------------------------------------------------


@dataclass
class Arrival:
    payload: dict[str, Any]
    headers: dict[str, str]


@dataclass
class HttpSink:
    arrivals: list[Arrival] = field(default_factory=list)
    hold_key: str | None = None
    """The response to the message with this dedup key waits for :attr:`release`."""
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    pair: threading.Barrier | None = None
    """When set: the first two requests each wait until the other has arrived."""
    paired: list[bool] = field(default_factory=list)
    latency: float = 0.0
    """Seconds each answer takes (a slow receiver, so a dispatch run lasts a while)."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.sink = self
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,))
        self.thread.start()

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.server.server_address[1]}/hook"

    def keys(self) -> Counter[str]:
        """How often each dedup key arrived."""
        with self.lock:
            return Counter(str(a.payload.get("dedup_key")) for a in self.arrivals)

    def pair_first_two(self) -> None:
        self.pair = threading.Barrier(2, timeout=WAIT)

    def arrive(self, payload: dict[str, Any], headers: dict[str, str]) -> None:
        with self.lock:
            self.arrivals.append(Arrival(payload, headers))
            wait_for_pair = self.pair is not None and len(self.arrivals) <= 2
        if self.latency:
            time.sleep(self.latency)  # the receiver's own latency, not a synchronisation
        if payload.get("dedup_key") == self.hold_key:
            self.held.set()
            self.release.wait(WAIT)
        if wait_for_pair and self.pair is not None:
            try:
                self.pair.wait()
                self.paired.append(True)
            except threading.BrokenBarrierError:
                self.paired.append(False)

    def close(self) -> None:
        self.release.set()
        if self.pair is not None:
            self.pair.abort()
        self.server.shutdown()
        self.server.server_close()  # joins the request threads (block_on_close)
        self.thread.join()


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    sink: HttpSink
    errors: list[str]

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        self.errors = [*getattr(self, "errors", []), repr(sys.exc_info()[1])]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.sink.arrive(json.loads(body), dict(self.headers.items()))
        try:
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
        except OSError:  # the dispatcher was killed while we held its request
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


# --- outbox rows ------------------------------------------------------------------------------


def add_rows(url: str, count: int = 1, **fields: Any) -> list[int]:
    """Queue ``count`` messages to ``url`` directly in the outbox (no case needed)."""
    run = uuid.uuid4().hex[:8]
    texts = {"recipient": "filer@example.kz", "event": "acknowledgment", "language": "ru"}
    texts |= {k: fields.pop(k) for k in ("recipient", "event", "language") if k in fields}
    rows = [
        Notification(
            url=url,
            subject=fields.get("subject", f"Обращение № {run}-{i}"),
            body=fields.get("body", f"Текст сообщения {i}.\n"),
            dedup_key=f"test:{run}:{i}",
            **texts,
            **{k: v for k, v in fields.items() if k not in ("subject", "body")},
        )
        for i in range(count)
    ]
    with session_scope(write=True) as session:
        session.add_all(rows)
        session.flush()
        return [row.id or 0 for row in rows]


def rows(ids: list[int] | None = None) -> dict[int, Notification]:
    with session_scope() as session:
        query = select(Notification).order_by(col(Notification.id))
        if ids is not None:
            query = query.where(col(Notification.id).in_(ids))
        return {row.id or 0: row for row in session.exec(query).all()}
