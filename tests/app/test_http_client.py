"""The CLI's HTTP client (``app/http_client.py``) against real servers: a Unix socket and
a loopback TCP port, each a standard-library HTTP server that answers what it was asked."""

from __future__ import annotations

import json
import socket
import socketserver
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from ethicsflow.app.http_client import (
    Client,
    ConnectError,
    TransportError,
    reachable,
    segment,
)


class Echo(BaseHTTPRequestHandler):
    """``/echo``: the request as JSON; ``/lines``: three NDJSON lines, chunked;
    ``/cut``: headers promising 100 bytes, then 5 and a closed connection."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def address_string(self) -> str:
        return "local"

    def _echo(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else None
        answer = {
            "method": self.command,
            "path": self.path,
            "host": self.headers.get("Host"),
            "token": self.headers.get("Authorization"),
            "body": body,
        }
        data = json.dumps(answer).encode()
        self.send_response(418 if self.path.startswith("/teapot") else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path == "/lines":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for n in range(3):
                line = json.dumps({"progress": n}).encode() + b"\n"
                self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/cut":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"hello")
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        else:
            self._echo()

    do_POST = _echo


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[str]:
    path = str(tmp_path / "api.sock")
    server = UnixServer(path, Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield path
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def tcp_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_requests_over_a_unix_socket_carry_query_body_and_headers(unix_socket: str) -> None:
    client = Client(uds=unix_socket, timeout=5)
    answer = client.get("/echo", params={"overdue": True, "page": 2, "q": "a b&c"})
    assert answer.status_code == 200
    sent = answer.json()
    assert sent["method"] == "GET" and sent["host"] == "ethicsflow.local"
    # booleans as the API reads them; everything else as text, quoted
    assert sent["path"] == "/echo?overdue=true&page=2&q=a+b%26c"
    with client.stream("POST", "/teapot", content='{"a": "ә"}', headers={"X-A": "1"}) as posted:
        assert posted.status_code == 418
        assert json.loads(posted.json()["body"]) == {"a": "ә"}


def test_a_base_url_keeps_its_path_and_headers(tcp_url: str) -> None:
    client = Client(
        base_url=tcp_url + "/ethicsflow/", headers={"Authorization": "Bearer t"}, timeout=5
    )
    sent = client.get("/api/v1/cases/" + segment(" MF-2026-00001/x ")).json()
    assert sent["path"] == "/ethicsflow/api/v1/cases/MF-2026-00001%2Fx"
    assert sent["token"] == "Bearer t"


def test_a_streamed_answer_is_read_line_by_line(unix_socket: str) -> None:
    with Client(uds=unix_socket, timeout=5).stream("GET", "/lines") as answer:
        assert [json.loads(line) for line in answer.iter_lines()] == [
            {"progress": 0},
            {"progress": 1},
            {"progress": 2},
        ]


def test_nobody_listening_is_a_connect_error(tmp_path: Path, tcp_url: str) -> None:
    with pytest.raises(ConnectError):
        Client(uds=str(tmp_path / "nobody.sock"), timeout=5).get("/echo")
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ConnectError):
        Client(base_url=f"http://127.0.0.1:{port}", timeout=5).get("/echo")


def test_an_answer_cut_off_is_a_transport_error_not_a_connect_error(unix_socket: str) -> None:
    with pytest.raises(TransportError) as raised:
        Client(uds=unix_socket, timeout=5).get("/cut")
    assert not isinstance(raised.value, ConnectError)


def test_only_http_urls(tmp_path: Path) -> None:
    for url in ("ftp://example.kz", "example.kz", "http://"):
        with pytest.raises(ValueError, match="not an http"):
            Client(base_url=url, timeout=5)


def test_a_socket_path_too_long_for_an_address_is_reached_through_its_folder(
    tmp_path: Path,
) -> None:
    deep = tmp_path.joinpath(*["folder-of-some-length"] * 6)
    deep.mkdir(parents=True)
    path = deep / "api.sock"
    assert len(str(path)) > 108
    server = UnixServer.__new__(UnixServer)
    with reachable(path) as where:
        assert where.startswith("/proc/self/fd/")
        UnixServer.__init__(server, where, Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with reachable(path) as where:
            assert Client(uds=where, timeout=5).get("/echo").json()["path"] == "/echo"
    finally:
        server.shutdown()
        server.server_close()
