"""The background engine: one long-lived process per ETHICSFLOW_HOME that runs flows warm.

``python -m ethicsflow.app.engine_server`` (started by the CLI on first use,
``app/engine_client.py``) holds the home's engine lock, warms Prefect up, and serves
the operations of ``ethicsflow`` commands over a loopback JSON API until ``ethicsflow
stop``, a signal or the idle timeout. Importing it does not import Prefect. Its life
cycle, files and protocol: see docs/engine.md.
"""

from __future__ import annotations

import contextlib
import json
import logging
import logging.handlers
import os
import secrets
import signal
import socketserver
import sys
import threading
import time
import traceback
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ethicsflow.app.engine_client import (
    ALREADY_RUNNING,
    call_engine,
    config_fingerprint,
    engine_status,
    info_path,
    lock_holder,
    log_path,
    package_version,
    prefect_environment,
    stop_engine,
)
from ethicsflow.app.engine_host import (
    acquire_lock,
    give_back_memory,
    release_lock,
    stop_leftovers,
    warm_up,
    write_info,
)
from ethicsflow.app.errors import exit_code
from ethicsflow.app.errors import message as cli_message
from ethicsflow.models.errors import ActionNotAllowed, EthicsflowError, to_dict
from ethicsflow.models.settings import Settings, get_settings

__all__ = ["call_engine", "engine_status", "main", "stop_engine"]

IDLE_ENV = "ETHICSFLOW_ENGINE_IDLE_SECONDS"
STREAMED = {"import_cases"}
HTTP_STATUS = {1: 400, 2: 422, 3: 409, 4: 403}

log = logging.getLogger("ethicsflow.engine")


class EngineServer(ThreadingHTTPServer):
    """The HTTP server; request threads are joined on close (in-flight work finishes)."""

    daemon_threads = False
    block_on_close = True

    def __init__(self, token: str, home: Path) -> None:
        super().__init__(("127.0.0.1", 0), EngineHandler)
        self.token = token
        self.home = home
        self.started = time.monotonic()
        self._lock = threading.Lock()
        self._inflight = 0
        self._last = time.monotonic()

    def server_bind(self) -> None:  # skip HTTPServer's reverse DNS lookup
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "127.0.0.1", self.server_address[1]

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A failed request (not an operation: those answer errors) goes to the log only."""
        if isinstance(sys.exc_info()[1], OSError):
            log.info("a client went away before its answer was sent")
        else:
            log.error("request failed\n%s", traceback.format_exc())

    def busy(self, delta: int) -> None:
        with self._lock:
            self._inflight += delta
            self._last = time.monotonic()

    def inflight(self) -> int:
        with self._lock:
            return self._inflight

    def idle_for(self) -> float:
        with self._lock:
            return 0.0 if self._inflight else time.monotonic() - self._last


class EngineHandler(BaseHTTPRequestHandler):
    """``GET /v1/health`` and ``POST /v1/op`` (see engine_client.py for the protocol)."""

    server: EngineServer
    protocol_version = "HTTP/1.0"  # one request per connection; a stream ends at close
    timeout = 300

    def log_message(self, format: str, *args: Any) -> None:
        """No access log: request lines say nothing useful and the log stays small."""

    def _send(self, status: int, data: dict[str, Any]) -> None:
        body = json.dumps(data, default=str).encode() + b"\n"
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _authorized(self) -> bool:
        given = self.headers.get("Authorization", "")
        if secrets.compare_digest(given.encode(), f"Bearer {self.server.token}".encode()):
            return True
        self._send(401, {"error": {"message": "wrong or missing token", "exit_code": 1}})
        return False

    def do_GET(self) -> None:
        if self.path != "/v1/health":
            self._send(404, {"error": {"message": f"no such path {self.path}", "exit_code": 1}})
        elif self._authorized():
            server = self.server
            uptime = round(time.monotonic() - server.started, 3)
            health = {"status": "ok", "pid": os.getpid(), "home": str(server.home)}
            self._send(200, {**health, "uptime_s": uptime, "inflight": server.inflight()})

    def do_POST(self) -> None:
        if self.path != "/v1/op":
            self._send(404, {"error": {"message": f"no such path {self.path}", "exit_code": 1}})
            return
        if not self._authorized():
            return
        try:
            request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            op, params = str(request["op"]), request.get("params") or {}
            if not isinstance(params, dict):
                raise TypeError("params is not an object")
        except (ValueError, KeyError, TypeError) as exc:
            message = f"bad request: {type(exc).__name__}: {exc}"
            self._send(400, {"error": {"message": message, "exit_code": 1}})
            return
        self.server.busy(+1)
        try:
            if op in STREAMED:
                self._streamed(op, params)
            else:
                status, answer = _run(op, params, None)
                self._send(status, answer)
        finally:
            self.server.busy(-1)

    def _streamed(self, op: str, params: dict[str, Any]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.end_headers()
        gone = False

        def line(data: dict[str, Any]) -> None:
            nonlocal gone
            if gone:
                return
            try:
                self.wfile.write(json.dumps(data, default=str).encode() + b"\n")
                self.wfile.flush()
            except OSError:  # the client went away; the work goes on to its end
                gone = True

        _, answer = _run(op, params, lambda n: line({"progress": n}))
        line(answer)
        give_back_memory()


def _run(op: str, params: dict[str, Any], progress: Any) -> tuple[int, dict[str, Any]]:
    """Run one operation in this thread: (HTTP status, answer) and one line in the log."""
    # imported here: the flows import Prefect, whose settings main() sets first
    from sqlalchemy.exc import OperationalError

    from ethicsflow.flows.commands import OPERATIONS, execute
    from ethicsflow.models.cases.operations import PROGRESS

    started = time.perf_counter()
    what = f"{op} {params['number']}" if params.get("number") else op
    if op not in OPERATIONS:
        log.warning("%s: unknown operation", op)
        return 404, {"error": {"message": f"unknown operation {op!r}", "exit_code": 2}}
    token = PROGRESS.set(progress)
    try:
        result = execute(op, params)
    except EthicsflowError as exc:
        name, code = type(exc).__name__, exit_code(exc)
        log.info("%s: %s %s exit=%d %.0f ms", what, name, exc.code, code, _ms(started))
        # the structured error (the client renders it), and its CLI line for older clients
        error: dict[str, Any] = {**to_dict(exc), "message": cli_message(exc), "exit_code": code}
        if isinstance(exc, ActionNotAllowed):
            error["allowed"] = exc.allowed
        return HTTP_STATUS.get(code, 400), {"error": error}
    except OperationalError as exc:
        log.error("%s: database unavailable %.0f ms", what, _ms(started))
        message = f"database unavailable: {str(exc.orig).strip()}"
        return 503, {"error": {"message": message, "exit_code": 1}}
    except Exception as exc:
        trace = traceback.format_exc()
        log.error("%s: internal error %.0f ms\n%s", what, _ms(started), trace)
        message = f"internal error: {type(exc).__name__}: {exc}"
        return 500, {"error": {"message": message, "exit_code": 1}}
    finally:
        PROGRESS.reset(token)
    if isinstance(result, dict) and result.get("number") and not params.get("number"):
        what = f"{op} {result['number']}"
    counts = ""
    if isinstance(result, dict) and "filed" in result:
        counts = f" filed={result['filed']} existing={result['existing']} failed={result['failed']}"
    log.info("%s: ok%s %.0f ms", what, counts, _ms(started))
    return 200, {"ok": result}


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _setup_logging(home: Path) -> None:
    path = log_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=10_000_000, backupCount=3)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s engine: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def _idle_seconds() -> float:
    raw = os.environ.get(IDLE_ENV, "3600")
    try:
        value = float(raw)
    except ValueError:
        raise SystemExit(f"ethicsflow engine: {IDLE_ENV}={raw!r} is not a number") from None
    return max(value, 0.0)


def _stop_prefect_server() -> None:
    """Stop Prefect's temporary server (if we started one) while we still hold the lock;
    the case events queued by the last commits are sent to it first."""
    if "prefect.server.api.server" not in sys.modules:
        return
    with contextlib.suppress(Exception):
        # imported here: loaded only when a flow ran (Prefect's server is up, checked above)
        from ethicsflow.flows.events import flush

        flush(5)
    with contextlib.suppress(Exception):
        # imported here: loaded only when a flow ran (Prefect's server is up, checked above)
        from prefect.server.api.server import SubprocessASGIServer

        SubprocessASGIServer().stop()


def serve(settings: Settings, idle_seconds: float) -> int:
    """Run the engine of ``settings.home`` until a signal or the idle timeout; exit status."""
    home = settings.home
    home.mkdir(parents=True, exist_ok=True)
    locked = acquire_lock(home)
    if locked is None:
        holder = lock_holder(home) or "unknown"
        sys.stderr.write(
            f"ethicsflow engine: another engine already runs for {home} (pid {holder}); "
            "stop it with `ethicsflow stop`\n"
        )
        return ALREADY_RUNNING
    fd, previous = locked
    stopping: list[str] = []

    def on_signal(signum: int, _frame: Any) -> None:
        stopping.append(signal.Signals(signum).name)  # only a flag: safe in a handler

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        _setup_logging(home)
        log.info("starting pid=%d version=%s", os.getpid(), package_version())
        info_path(home).unlink(missing_ok=True)  # left by an engine that died
        stop_leftovers(home, previous)
        began = time.perf_counter()
        prefect_environment(settings)
        warm_up()
        if stopping:
            log.info("stopped before serving (%s)", stopping[0])
            return 0
        return _serve(settings, began, idle_seconds, stopping)
    except Exception as error:
        cause = f"{type(error).__name__}: {error}".splitlines()[0][:500]
        log.error("engine failed: %s\n%s", cause, traceback.format_exc())
        return 1
    finally:
        info_path(home).unlink(missing_ok=True)
        _stop_prefect_server()
        release_lock(fd)
        log.info("stopped")


def _serve(settings: Settings, began: float, idle_seconds: float, stopping: list[str]) -> int:
    home = settings.home
    server = EngineServer(secrets.token_urlsafe(32), home)
    thread = threading.Thread(target=server.serve_forever, name="engine-http", daemon=True)
    thread.start()
    try:
        write_info(
            home,
            {
                "pid": os.getpid(),
                "port": server.server_port,
                "token": server.token,
                "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "version": package_version(),
                "config": config_fingerprint(settings),
            },
        )
        log.info("ready on 127.0.0.1:%d after %.1f s", server.server_port, _ms(began) / 1000)
        while not stopping:
            if idle_seconds and server.idle_for() > idle_seconds:
                stopping.append(f"idle for {idle_seconds:.0f} s")
                break
            time.sleep(0.2)
        log.info("stopping (%s)", stopping[0])
        info_path(home).unlink(missing_ok=True)  # new commands start waiting for a new engine
    finally:
        server.shutdown()
        server.server_close()  # joins the request threads: in-flight work finishes
        thread.join()
    return 0


def main() -> int:
    return serve(get_settings(), _idle_seconds())


if __name__ == "__main__":
    sys.exit(main())
