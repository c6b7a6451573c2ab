"""Speed of the web pages (issue goals: the queue and the case page p50 <= 50 ms over
100,000 cases, <= 100 KB of CSS + JS on any page, filing in the browser to the coupon on
screen p50 <= 1 s).

Seeds N open complaints under review of one body with their answer deadlines (``sweep.py``'s
seed, as ``api.py``; VACUUM ANALYZE on PostgreSQL), gives the body's head, commissioner
``c0`` and a filer a password, and measures:

1. the queue ``/cases`` (commissioner c0: the body's cases; a filter's page 2; the head) and
2. the case page ``/cases/{number}``: server time in this process, httpx against the ASGI
   app (``httpx.ASGITransport``: no socket, no HTTP parsing), one request at a time,
   signed in with the session cookie of the sign-in form; p50/p95 over ``--requests``,
   with a request's time in SQL (``execute``) and in the template beside it;
3. the CSS + JS each page loads: its ``<script src>`` and ``<link rel=stylesheet>``,
   fetched from the app, uncompressed bytes (gzip beside it);
4. filing in the browser: uvicorn serving the app on loopback (a thread), a temporary
   Prefect server (``prefect_test_harness``, heartbeats off), Debian's Chromium through
   Playwright: sign in, fill ``/cases/new``, click "File", wait for ``section.coupon``;
   the time from the click to the coupon visible (one cold filing first, not counted),
   split by the browser's request timing, with the flow run's time from the engine's log.
   Skipped, saying why, without /usr/bin/chromium or Playwright (or with --no-browser).

``--profile``: where the time of the slowest page goes: its costliest SQL statements with
the database's plan of the first, and cProfile of the request's worker thread (where the
page is read and rendered), top entries by cumulative and by own time.
``--analyze``: ANALYZE the SQLite database after seeding (the app never does; the
planner's statistics change the queue's plans: compare).

Run: `python bench/web.py [--cases N | --quick] [--db sqlite|postgresql] [--profile]`
(PostgreSQL: ETHICSFLOW_BENCH_DATABASE_URL, else a fresh schema in
ETHICSFLOW_TEST_PG / postgresql://postgres@127.0.0.1:5432/test, dropped afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import gzip
import importlib.util
import io
import logging
import os
import pstats
import re
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
from _common import fresh_home, percentiles
from api import free_port, vacuum
from sweep import NOW, seed

PASSWORD = "bench-web-password-2026"
HEAD, COMMISSIONER, FILER = "head@bench.kz", "c0@bench.kz", "filer@bench.kz"
CHROMIUM = Path("/usr/bin/chromium")
PG_BASE = os.environ.get("ETHICSFLOW_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
PAGE_GOAL_MS = 50.0
ASSETS_GOAL = 100 * 1024
FILING_GOAL_MS = 1000.0
CASE_LINK = re.compile(r'href="/cases/([A-Z]+-\d{4}-\d+)"')


@dataclass
class Timing:
    label: str
    url: str
    short: str  # its row in the table; "*" ahead: a page the goals do not name
    samples: list[float] = field(default_factory=list)
    rows: int = 0  # case links on the page (a check that it shows what it should)
    sql_ms: float = 0.0  # per request: time in SQL statements
    statements: float = 0.0  # per request
    template_ms: float = 0.0  # per request: rendering the template

    @property
    def p50(self) -> float:
        return percentiles(self.samples)[0]

    @property
    def p95(self) -> float:
        return percentiles(self.samples)[1]


class SqlClock:
    """The time of every SQL statement the app runs (SQLAlchemy's cursor events), by
    statement: which queries a page's time goes to. It is the time of ``execute``, up to
    the first row: a COUNT or an ORDER BY without an index is all there, but SQLite makes
    further rows of a streamed query in the fetch, which is not counted."""

    def __init__(self) -> None:
        self.by_statement: dict[str, list[float]] = {}
        self.params: dict[str, Any] = {}
        self.rendering: list[float] = []

    def attach(self) -> None:
        """Listen to the app's engine; time ``render.render`` (the Jinja2 template)."""
        from sqlalchemy import event

        from ethicsflow.app.web import render
        from ethicsflow.models.db import get_engine

        engine = get_engine()
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        original = render.render

        def timed_render(*args: Any, **kwargs: Any) -> str:
            started = time.perf_counter()
            try:
                return str(original(*args, **kwargs))
            finally:
                self.rendering.append(time.perf_counter() - started)

        render.render = timed_render  # page() looks it up in the module at each call

    def _before(self, conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, parameters: Any, *rest: Any) -> None:
        started = conn.info.pop("bench_started", None)
        if started is not None:
            key = " ".join(statement.split())
            self.by_statement.setdefault(key, []).append(time.perf_counter() - started)
            self.params[key] = parameters

    def reset(self) -> None:
        self.by_statement.clear()
        self.params.clear()
        self.rendering.clear()

    def total(self) -> tuple[float, int]:
        """(seconds, statements) since the last reset."""
        spent = [t for times in self.by_statement.values() for t in times]
        return sum(spent), len(spent)


CLOCK = SqlClock()


# -- the database ------------------------------------------------------------------------


@contextlib.contextmanager
def database(kind: str) -> Iterator[str]:
    """Point ``fresh_home`` at the database of ``kind``; say which."""
    if kind == "sqlite":
        os.environ.pop("ETHICSFLOW_BENCH_DATABASE_URL", None)
        yield "SQLite (the home's file)"
        return
    given = os.environ.get("ETHICSFLOW_BENCH_DATABASE_URL")
    if given:
        yield f"PostgreSQL ({given.split('@')[-1]})"
        return
    import psycopg

    schema = f"bench_web_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{PG_BASE}?options=-csearch_path%3D{schema}"
    os.environ["ETHICSFLOW_BENCH_DATABASE_URL"] = url
    try:
        yield f"PostgreSQL ({PG_BASE.split('@')[-1]}, schema {schema}, dropped afterwards)"
    finally:
        os.environ.pop("ETHICSFLOW_BENCH_DATABASE_URL", None)
        with contextlib.suppress(Exception):
            from ethicsflow.models.db import get_engine

            get_engine(url).dispose()
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def prepare(cases: int) -> float:
    """Seed ``cases`` (``sweep.py``), a filer and three passwords; seconds taken."""
    from ethicsflow.models.accounts.operations import set_password
    from ethicsflow.models.cases import operations

    started = time.perf_counter()
    seed(cases, 0, NOW)
    operations.add_person({"email": FILER, "name": "Filer", "org": "BENCH", "iin": "900101300123"})
    for email in (HEAD, COMMISSIONER, FILER):
        set_password(email, PASSWORD)
    vacuum()
    return time.perf_counter() - started


def analyze() -> None:
    from ethicsflow.models.db import get_engine

    with get_engine().begin() as connection:  # committed (a plain connect rolls it back)
        connection.exec_driver_sql("ANALYZE")


# -- in-process pages --------------------------------------------------------------------


async def sign_in(client: httpx.AsyncClient, email: str) -> None:
    answer = await client.post("/", data={"email": email, "password": PASSWORD, "next": "/"})
    if answer.status_code != 303 or "ethicsflow_session" not in client.cookies:
        raise RuntimeError(f"sign-in of {email}: {answer.status_code} {answer.text[:300]}")


async def timed(client: httpx.AsyncClient, timing: Timing, requests: int, warm: int = 3) -> str:
    body = ""
    for i in range(warm + requests):
        if i == warm:
            CLOCK.reset()
        started = time.perf_counter()
        answer = await client.get(timing.url)
        elapsed = (time.perf_counter() - started) * 1000
        if answer.status_code != 200:
            raise RuntimeError(f"{timing.url}: {answer.status_code} {answer.text[:300]}")
        if i >= warm:
            timing.samples.append(elapsed)
        body = answer.text
    timing.rows = len(CASE_LINK.findall(body))
    spent, statements = CLOCK.total()
    timing.sql_ms, timing.statements = spent * 1000 / requests, statements / requests
    timing.template_ms = sum(CLOCK.rendering) * 1000 / requests
    return body


class Assets(HTMLParser):
    """The ``<script src>`` and ``<link rel=stylesheet href>`` of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(str(a["src"]))
        rel = (a.get("rel") or "").lower().split()
        if tag == "link" and "stylesheet" in rel and a.get("href"):
            self.urls.append(str(a["href"]))


async def asset_bytes(client: httpx.AsyncClient, html: str) -> dict[str, tuple[int, int]]:
    """``{url: (bytes, gzip bytes)}`` of the CSS and JS ``html`` loads."""
    parser = Assets()
    parser.feed(html)
    sizes: dict[str, tuple[int, int]] = {}
    for url in parser.urls:
        answer = await client.get(url)
        answer.raise_for_status()
        if answer.headers.get("content-encoding"):
            raise RuntimeError(f"{url} came compressed; the figure is of plain bytes")
        sizes[url] = (len(answer.content), len(gzip.compress(answer.content, 6)))
    return sizes


@dataclass
class InProcess:
    pages: list[Timing]
    assets: dict[str, dict[str, tuple[int, int]]]  # page -> its CSS + JS
    number: str


async def measure_pages(app: Any, requests: int) -> InProcess:
    transport = httpx.ASGITransport(app=app)
    base = "http://web"
    async with (
        httpx.AsyncClient(transport=transport, base_url=base) as nobody,
        httpx.AsyncClient(transport=transport, base_url=base) as commissioner,
        httpx.AsyncClient(transport=transport, base_url=base) as head,
    ):
        await sign_in(commissioner, COMMISSIONER)
        await sign_in(head, HEAD)
        pages = [
            Timing(
                "queue /cases, commissioner c0 (the body's cases)", "/cases", "queue /cases (c0)"
            ),
            Timing(
                "queue, a filter's page 2 (status)",
                "/cases?status=under_review&page=2",
                "queue, filter page 2 (status)",
            ),
            Timing(
                "queue, a filter's page 2 (overdue)",
                "/cases?overdue=1&page=2",
                "queue, filter page 2 (overdue)",
            ),
            Timing(
                "queue, a filter's page 2 (assigned to me)",
                "/cases?mine=1&page=2",
                "queue, filter page 2 (mine)",
            ),
            Timing("queue /cases, the head", "/cases", "queue /cases (head)"),
        ]
        htmls: dict[str, str] = {}
        for timing in pages:
            client = head if "the head" in timing.label else commissioner
            htmls.setdefault(timing.url, await timed(client, timing, requests))
        first = CASE_LINK.search(htmls["/cases"])
        if first is None:
            raise RuntimeError("the queue shows no case")
        number = first.group(1)
        case = Timing(
            f"case page /cases/{number}, commissioner c0", f"/cases/{number}", "case page"
        )
        start = Timing("start page /, commissioner c0 (three counts)", "/", "* start page /")
        new = Timing("filing form /cases/new, commissioner c0", "/cases/new", "* filing form")
        for timing in (case, start, new):
            htmls[timing.url] = await timed(commissioner, timing, requests)
        pages += [case, start, new]
        sign_in_page = (await nobody.get("/")).text
        assets = {"/ (sign in)": await asset_bytes(nobody, sign_in_page)}
        for url in ("/cases", f"/cases/{number}", "/cases/new"):
            assets[url] = await asset_bytes(commissioner, htmls[url])
    return InProcess(pages, assets, number)


async def case_page_of(app: Any, number: str, requests: int) -> Timing:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://web") as client:
        await sign_in(client, COMMISSIONER)
        label = f"case page /cases/{number} (filed in the browser: its history)"
        timing = Timing(label, f"/cases/{number}", "case page, filed (history)")
        await timed(client, timing, requests)
    return timing


# -- profile -----------------------------------------------------------------------------


def profile(app: Any, timing: Timing, requests: int, who: str) -> None:
    """cProfile of ``timing``'s page: its worker threads (``anyio.to_thread.run_sync``,
    where FastAPI and ``@reads`` run the page), and the share of the request they take."""
    import anyio.to_thread

    profiler = cProfile.Profile()
    original = anyio.to_thread.run_sync
    in_threads: list[float] = []

    async def run_sync(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        def call(*inner: Any) -> Any:
            started = time.perf_counter()
            profiler.enable()
            try:
                return func(*inner)
            finally:
                profiler.disable()
                in_threads.append(time.perf_counter() - started)

        return await original(call, *args, **kwargs)

    async def go() -> float:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://web") as client:
            await sign_in(client, who)
            await client.get(timing.url)
            in_threads.clear()
            CLOCK.reset()
            started = time.perf_counter()
            anyio.to_thread.run_sync = run_sync  # type: ignore[assignment]
            try:
                for _ in range(requests):
                    (await client.get(timing.url)).raise_for_status()
            finally:
                anyio.to_thread.run_sync = original
            return time.perf_counter() - started

    total = asyncio.run(go())
    threads = sum(in_threads)
    print(
        f"\nprofile of {timing.label} ({timing.url}), {requests} requests: "
        f"{total / requests * 1000:.1f} ms a request (under the profiler), of it "
        f"{threads / requests * 1000:.1f} ms on the worker thread (the rest: the event loop, "
        "routing, middleware, the ASGI transport)"
    )
    statements = sorted(CLOCK.by_statement.items(), key=lambda kv: -sum(kv[1]))
    print("the statements taking most of its SQL time, ms a request (x per request):")
    for statement, times in statements[:5]:
        short = statement if len(statement) <= 300 else statement[:297] + "..."
        print(f"  {sum(times) * 1000 / requests:7.1f} ms  x{len(times) / requests:.0f}  {short}")
    if statements:
        print("plan of the first:")
        for line in query_plan(statements[0][0], CLOCK.params[statements[0][0]]):
            print(f"  {line}")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(15)
    print(_trim(out.getvalue()))
    out = io.StringIO()
    stats.stream = out  # type: ignore[attr-defined]
    stats.sort_stats("tottime").print_stats(10)
    print(_trim(out.getvalue()))


def query_plan(statement: str, parameters: Any) -> list[str]:
    """The database's plan of ``statement`` with these parameters (EXPLAIN QUERY PLAN on
    SQLite, EXPLAIN on PostgreSQL)."""
    from ethicsflow.models.db import get_engine

    engine = get_engine()
    sqlite = engine.dialect.name == "sqlite"
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + statement, parameters)
        rows = cursor.fetchall()
    finally:
        raw.close()
    if sqlite:  # (id, parent, _, detail): indented under its parent
        depth: dict[int, int] = {0: -1}
        lines = []
        for node, parent, _, detail in rows:
            depth[node] = depth.get(parent, -1) + 1
            lines.append("  " * depth[node] + str(detail))
        return lines
    return [str(row[0]) for row in rows]


def _trim(report: str) -> str:
    """pstats' report without its preamble of blank lines, the paths shortened."""
    lines = [line for line in report.splitlines() if line.strip()]
    site = str(Path(httpx.__file__).parents[1])
    here = str(Path(__file__).resolve().parents[1])
    return "\n".join(
        line.replace(site + "/", "").replace(here + "/", "")
        for line in lines
        if not line.lstrip().startswith(("Ordered by", "List reduced"))
    )


# -- filing in the browser ---------------------------------------------------------------


@dataclass
class Filings:
    cold_ms: float
    samples: list[float]
    flow_ms: list[float]
    numbers: list[str]
    harness_s: float
    phases: list[dict[str, float]]


class Counted:
    """The app, counting the requests for ``/static/`` that reach it (not the cache's)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.static = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/static/"):
            self.static += 1
        await self.app(scope, receive, send)


class EngineLog(logging.Handler):
    """The ms of each ``file_case`` flow run, from the engine's log line."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.ms: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        found = re.match(r"file_case \S+: ok (\d+) ms", record.getMessage())
        if found:
            self.ms.append(float(found.group(1)))


def browser_missing() -> str | None:
    if not CHROMIUM.exists():
        return f"no {CHROMIUM}"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed"
    return None


def file_in_browser(filings: int) -> Filings:
    from playwright.sync_api import sync_playwright
    from prefect.settings import temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    from ethicsflow.app.api.app import create_app
    from ethicsflow.app.api.server import ServerThread

    engine_log = EngineLog()
    logger = logging.getLogger("ethicsflow.engine")
    logger.addHandler(engine_log)
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.propagate = False
    started = time.perf_counter()
    quiet: dict[Any, Any] = {"flows.heartbeat_frequency": None, "server.analytics_enabled": False}
    with (
        temporary_settings(updates=quiet),
        prefect_test_harness(server_startup_timeout=180),
    ):
        harness_s = time.perf_counter() - started
        counted = Counted(create_app())
        server = ServerThread(counted, "127.0.0.1", free_port(), name="web-bench")
        server.start()
        server.wait_started()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
                try:
                    page = browser.new_context(base_url=server.address).new_page()
                    page.set_default_timeout(120_000)
                    page.goto("/")
                    page.fill("input[name=email]", FILER)
                    page.fill("input[name=password]", PASSWORD)
                    page.click("form[action='/'] button[type=submit]")
                    page.wait_for_selector("form.sign-out")
                    samples: list[float] = []
                    numbers: list[str] = []
                    phases: list[dict[str, float]] = []
                    seen: list[tuple[str, str, float, float]] = []
                    page.on("requestfinished", lambda r: seen.append(_finished(r)))
                    for i in range(filings + 1):
                        page.goto("/cases/new")
                        page.select_option("select[name=org]", "BENCH")
                        page.fill("textarea[name=summary]", f"Browser filing {i}: rude letter")
                        seen.clear()
                        counted.static = 0
                        clicked = time.time() * 1000
                        t0 = time.perf_counter()
                        page.click("form[action='/cases/new'] button[type=submit]")
                        page.wait_for_selector("section.coupon", state="visible")
                        samples.append((time.perf_counter() - t0) * 1000)
                        shown = clicked + samples[-1]
                        found = re.search(r"/cases/([^?]+)\?filed=1", page.url)
                        if found is None:
                            raise RuntimeError(f"the coupon's page is {page.url}")
                        numbers.append(found.group(1))
                        phases.append(_phases(seen, clicked, shown))
                        phases[-1]["static reaching the server"] = float(counted.static)
                finally:
                    browser.close()
        finally:
            server.stop()
            logger.removeHandler(engine_log)
            logger.setLevel(level)
            logger.propagate = True
    return Filings(samples[0], samples[1:], engine_log.ms[1:], numbers, harness_s, phases[1:])


def _finished(request: Any) -> tuple[str, str, float, float]:
    """(method, path, start, end) of a finished request; epoch ms (Playwright's timing)."""
    timing = request.timing
    start = float(timing["startTime"])
    end = start + max(0.0, float(timing["responseEnd"]))
    path = re.sub(r"^https?://[^/]+", "", request.url)
    return request.method, path, start, end


def _phases(
    seen: list[tuple[str, str, float, float]], clicked: float, shown: float
) -> dict[str, float]:
    """A filing's time, click to coupon, in the browser's requests: to the POST, the POST
    (its flow run inside), on to the case page's GET, the GET, its CSS/JS, to the coupon."""
    post = next((r for r in seen if r[0] == "POST" and r[1].startswith("/cases/new")), None)
    get = next((r for r in seen if r[0] == "GET" and "filed=1" in r[1]), None)
    if post is None or get is None:
        return {}
    assets = [r for r in seen if r[1].startswith("/static/") and r[2] >= get[2]]
    return {
        "click to POST": post[2] - clicked,
        "POST": post[3] - post[2],
        "POST to GET": get[2] - post[3],
        "GET": get[3] - get[2],
        "GET to last subresource": (max(r[3] for r in assets) - get[3]) if assets else 0.0,
        "static requests": float(len(assets)),
        "GET to coupon": shown - get[3],
    }


# -- report ------------------------------------------------------------------------------


def verdict(value: float, goal: float) -> str:
    return "met" if value <= goal else "NOT MET"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="2,000 cases")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--requests", type=int, default=50, help="per page (>= 50)")
    parser.add_argument("--filings", type=int, default=5, help="timed, after a cold one")
    parser.add_argument("--profile", action="store_true", help="profile the slowest page")
    parser.add_argument("--no-browser", action="store_true", help="skip the filing part")
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="SQLite: ANALYZE after seeding (planner statistics; the app never runs it)",
    )
    args = parser.parse_args()
    cases = 2_000 if args.quick else args.cases
    for handler in ("CONSOLE", "CONSOLE_FLOW_RUNS"):  # Prefect's flow-run lines: not here
        os.environ.setdefault(f"PREFECT_LOGGING_HANDLERS_{handler}_LEVEL", "WARNING")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with database(args.db) as where:
        home = fresh_home("ethicsflow-bench-web-")
        print(f"home {home}; database: {where}")
        print(f"seeded {cases:,} cases in {prepare(cases):.1f} s")
        if args.analyze and args.db == "sqlite":
            analyze()
            print("ANALYZE run (planner statistics in sqlite_stat1)")

        from ethicsflow.app.api.app import create_app

        app = create_app()
        CLOCK.attach()
        measured = asyncio.run(measure_pages(app, args.requests))
        print(
            f"\nserver time in this process (httpx.ASGITransport, one request at a time), "
            f"{args.requests} requests each after 3 warm-ups:"
        )
        for t in measured.pages:
            if t.url.startswith("/cases") and "/" not in t.url[1:] and t.rows == 0:
                print(f"  (!) {t.url} showed no case: its time is not a queue's")
            print(
                f"  {t.label}: p50 {t.p50:.1f} ms, p95 {t.p95:.1f} ms; a request's mean: "
                f"SQL execute {t.sql_ms:.1f} ms in {t.statements:.0f} statements, template "
                f"{t.template_ms:.1f} ms ({t.rows} case links)"
            )

        print("\nCSS + JS each page loads (uncompressed; gzip -6):")
        for name, sizes in measured.assets.items():
            files = ", ".join(f"{u.split('?')[0]} {b:,}" for u, (b, _) in sizes.items())
            plain = sum(b for b, _ in sizes.values())
            packed = sum(g for _, g in sizes.values())
            print(f"  {name}: {plain:,} bytes ({packed:,} gzip): {files}")
        heaviest = max(sum(b for b, _ in s.values()) for s in measured.assets.values())

        filed: Filings | None = None
        skipped = "--no-browser" if args.no_browser else browser_missing()
        if skipped is None:
            print(f"\nfiling in the browser ({CHROMIUM}, Playwright, uvicorn on loopback)...")
            filed = file_in_browser(args.filings)
            print(
                f"  temporary Prefect server up in {filed.harness_s:.1f} s; cold filing "
                f"(the process's first flow run) {filed.cold_ms:.0f} ms; then "
                + ", ".join(f"{ms:.0f}" for ms in filed.samples)
                + " ms"
            )
            keys = list(filed.phases[0]) if filed.phases else []
            if keys:
                medians = {k: statistics.median(p[k] for p in filed.phases if k in p) for k in keys}
                print(
                    "  medians in the browser (Playwright's request timing): "
                    + ", ".join(
                        f"{k} {v:.0f}" + ("" if k.startswith("static ") else " ms")
                        for k, v in medians.items()
                    )
                )
            if filed.flow_ms:
                print(
                    "  of which the file_case flow run (engine log): "
                    + ", ".join(f"{ms:.0f}" for ms in filed.flow_ms)
                    + " ms"
                )
            after = asyncio.run(case_page_of(app, filed.numbers[-1], args.requests))
            measured.pages.append(after)
            print(
                f"  {after.label}: p50 {after.p50:.1f} ms, p95 {after.p95:.1f} ms; a request's "
                f"mean: SQL execute {after.sql_ms:.1f} ms in {after.statements:.0f} statements, "
                f"template {after.template_ms:.1f} ms"
            )
        else:
            print(f"\nfiling in the browser: skipped ({skipped})")

        heading = f"figure ({cases:,} cases)"
        print(f"\n{heading:<36} {'measured':>24} {'goal':>12}  verdict")
        for t in measured.pages:
            figure = f"p50 {t.p50:.1f} / p95 {t.p95:.1f} ms"
            print(
                f"{t.short:<36} {figure:>24} {'p50 <= 50 ms':>12}  {verdict(t.p50, PAGE_GOAL_MS)}"
            )
        figure = f"{heaviest / 1024:.1f} KB"
        print(
            f"{'CSS + JS of the heaviest page':<36} {figure:>24} {'<= 100 KB':>12}  "
            f"{verdict(heaviest, ASSETS_GOAL)}"
        )
        if filed is not None and filed.samples:
            p50, p95 = percentiles(filed.samples)
            figure = f"p50 {p50:.0f} / p95 {p95:.0f} ms"
            print(
                f"{'filing: click to coupon on screen':<36} {figure:>24} {'p50 <= 1 s':>12}  "
                f"{verdict(p50, FILING_GOAL_MS)}"
            )
        else:
            print(f"{'filing: click to coupon on screen':<36} {'skipped':>24} {'p50 <= 1 s':>12}")
        print("(* a page the goals do not name, held to the pages' 50 ms)")
        slowest = max(measured.pages, key=lambda t: t.p50)
        print(f"slowest page: {slowest.label} ({slowest.url}) p50 {slowest.p50:.1f} ms")

        if args.profile:
            who = HEAD if "the head" in slowest.label else COMMISSIONER
            profile(app, slowest, max(20, args.requests // 2), who)
        print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
