"""The CLI's HTTP/1.1 client, on the standard library's ``http.client``.

The CLI talks to the API with it, over the home's Unix socket or to a remote URL (HTTPS
verified against the system's certificate store, ``SSL_CERT_FILE``/``SSL_CERT_DIR``
honoured). It is not httpx on purpose: importing httpx (with httpcore, anyio, h2) cost
every CLI command ~0.2 s, two thirds of the 0.3 s a command may take (docs/engine.md).
Each request opens its own connection and closes it once its answer is read.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

LOCAL_HOST = "ethicsflow.local"
"""The host name of requests over a Unix socket (never looked up)."""


SOCKET_NAME = "api.sock"
MAX_SOCKET_PATH = 100
"""sockaddr_un holds 108 bytes; a longer path is reached through the directory's fd."""


def socket_path(home: Path) -> Path:
    """The home's API socket (served by its engine or ``ethicsflow serve``)."""
    return home / SOCKET_NAME


@contextlib.contextmanager
def reachable(path: Path) -> Iterator[str]:
    """A path to bind or connect to ``path``: itself, or, when it is too long for a Unix
    socket address, the same file through ``/proc/self/fd/N/`` of its open directory
    (Linux) for as long as the context lasts."""
    if len(os.fsencode(path)) < MAX_SOCKET_PATH:
        yield str(path)
        return
    fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        yield f"/proc/self/fd/{fd}/{path.name}"
    finally:
        os.close(fd)


def segment(value: str) -> str:
    """A value (a case number, a code, a receipt) as one path segment."""
    return quote(value.strip(), safe="")


class TransportError(Exception):
    """The request or its answer was cut off (connection lost, timed out, garbled)."""


class ConnectError(TransportError):
    """No connection: nothing listens there (the request never reached a server)."""


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__(LOCAL_HOST, timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self._path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


class Response:
    """One answer: its status and headers at once, its body when read."""

    def __init__(self, raw: http.client.HTTPResponse) -> None:
        self._raw = raw
        self.status_code = raw.status
        self.headers = raw.headers
        self._content: bytes | None = None

    def read(self) -> bytes:
        if self._content is None:
            try:
                self._content = self._raw.read()
            except (OSError, http.client.HTTPException) as exc:
                raise TransportError(f"the answer was cut off: {exc}") from None
        return self._content

    @property
    def content(self) -> bytes:
        return self.read()

    def json(self) -> Any:
        """The body as JSON (ValueError when it is not)."""
        return json.loads(self.read())

    def iter_lines(self) -> Iterator[str]:
        """The body line by line as it arrives (a streamed NDJSON answer)."""
        while True:
            try:
                line = self._raw.readline()
            except (OSError, http.client.HTTPException) as exc:
                raise TransportError(f"the answer was cut off: {exc}") from None
            if not line:
                return
            yield line.decode("utf-8")


def _query_value(value: Any) -> str:
    # as httpx wrote them (the API's boolean query parameters read true/false)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Client:
    """Requests to one server: a Unix socket (``uds``) or a base URL (http or https)."""

    def __init__(
        self,
        *,
        timeout: float,
        uds: str | None = None,
        base_url: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if (uds is None) == (base_url is None):
            raise ValueError("give exactly one of uds and base_url")
        self.timeout = timeout
        self.headers = dict(headers or {})
        self._uds = uds
        self._prefix = ""
        if base_url is not None:
            parts = urlsplit(base_url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"not an http(s) URL: {base_url!r}")
            self._scheme, self._netloc = parts.scheme, parts.netloc
            self._prefix = parts.path.rstrip("/")

    def _connection(self) -> http.client.HTTPConnection:
        if self._uds is not None:
            return _UnixConnection(self._uds, self.timeout)
        if self._scheme == "https":
            import ssl  # lazy (import time): the socket and plain HTTP need no TLS

            context = ssl.create_default_context()
            return http.client.HTTPSConnection(self._netloc, timeout=self.timeout, context=context)
        return http.client.HTTPConnection(self._netloc, timeout=self.timeout)

    @contextlib.contextmanager
    def stream(
        self,
        method: str,
        path: str,
        *,
        content: str | bytes | None = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Iterator[Response]:
        """Send one request; the answer's body is read by the caller within the context."""
        target = self._prefix + path
        if params:
            target += "?" + urlencode([(k, _query_value(v)) for k, v in params.items()])
        body = content.encode("utf-8") if isinstance(content, str) else content
        connection = self._connection()
        try:
            try:
                connection.request(
                    method, target, body=body, headers={**self.headers, **(headers or {})}
                )
            except (ConnectionRefusedError, FileNotFoundError, socket.gaierror) as exc:
                raise ConnectError(str(exc)) from None
            except OSError as exc:
                if connection.sock is None:  # connect() itself failed
                    raise ConnectError(str(exc)) from None
                raise TransportError(str(exc)) from None
            try:
                raw = connection.getresponse()
            except (OSError, http.client.HTTPException) as exc:
                raise TransportError(f"no answer: {exc}") from None
            yield Response(raw)
        finally:
            connection.close()

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Response:
        """``GET path``, its body read."""
        with self.stream("GET", path, params=params) as response:
            response.read()
            return response

    def close(self) -> None:
        """Nothing is kept open between requests; here for ``with`` blocks."""

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
