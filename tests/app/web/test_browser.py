"""The pages in a real browser: Debian's Chromium, driven by Playwright, against the app
served by uvicorn from a thread (``tests/support/browser.py``), on SQLite.

Each scenario is what one person does with the pages, by keyboard and mouse, with htmx
running; every page it sees must pass axe-core's serious and critical rules, and is
saved as ``tests/.screenshots/<test>-<step>.png``. What a page claims to have done is
checked through the API (``/api/v1``, with the same browser's session).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ethicsflow.app.web.labels import humanize
from ethicsflow.models.accounts.operations import set_password
from ethicsflow.models.cases import operations
from tests.support import factories as f
from tests.support.boards import make_board, scheduled
from tests.support.browser import (
    CHROMIUM,
    AppServer,
    blocking_violations,
    describe,
    screenshot,
    serve,
)

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery staple"
TIMEOUT = 30_000  # ms: a form that changes a case waits for its flow run
SUMMARY_KK = "Қызметтік кеңесте әріптесім мені көпшілік алдында балағаттап, қорлады."
"""A summary in Kazakh (what a civil servant types in the filing form)."""


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only (``tests/conftest.py``'s, without PostgreSQL): the browser checks the
    pages; the API and model tiers check both databases."""
    return f"sqlite:///{tmp_path / 'ethicsflow.db'}"


@pytest.fixture(scope="module")
def server(prefect_harness: None) -> Iterator[AppServer]:
    """The app on a free port of 127.0.0.1, for the module (each test's database is the
    one its ``home`` names)."""
    from ethicsflow.app.api.app import create_app

    with serve(create_app()) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"no browser: {CHROMIUM} is missing (Debian package chromium)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield chromium
        finally:
            chromium.close()


class Visitor:
    """One person's browser (its own cookies) on the served app; :meth:`look` checks
    and saves each page it comes to."""

    def __init__(self, browser: Any, server: AppServer, test: str, **options: Any) -> None:
        self.server = server
        self.test = test
        self.context = browser.new_context(
            base_url=server.url, locale="en-GB", timezone_id="Asia/Almaty", **options
        )
        self.context.set_default_timeout(TIMEOUT)
        self.page = self.context.new_page()
        self.defects: list[str] = []

    def look(self, step: str) -> None:
        """The page as it is now: axe-core's serious/critical violations (kept for
        :meth:`assert_no_defects`) and a screenshot."""
        self.page.wait_for_load_state()
        found = blocking_violations(self.page)
        if found:
            self.defects.append("axe-core: " + describe(found, f"{step} ({self.page.url})"))
        screenshot(self.page, self.test, step)

    def check(self, ok: bool, defect: str) -> None:
        """A defect of a page that does not stop the scenario: reported at its end."""
        if not ok:
            self.defects.append(f"{defect} ({self.page.url})")

    def assert_no_defects(self) -> None:
        """No page this visitor saw had a serious or critical axe violation (or another
        defect :meth:`check` noted); they are listed in one go, the scenario done."""
        assert not self.defects, "the pages' defects:\n" + "\n".join(self.defects)

    def sign_in(self, email: str, password: str = PASSWORD, *, step: str = "sign-in") -> None:
        """The sign-in form at ``/``: typed in, sent with the button; then the start page."""
        self.page.goto("/")
        self.look(step)
        self.page.locator("input[name=email]").fill(email)
        self.page.locator("input[name=password]").fill(password)
        self.page.locator("main form button[type=submit]").click()
        self.page.locator("form.sign-out").wait_for()

    def api(self, path: str) -> Any:
        """``GET /api/v1<path>`` with this browser's session."""
        answer = self.context.request.get(f"/api/v1{path}")
        assert answer.ok, f"{answer.status} {answer.text()}"
        return answer.json()

    def case(self, number: str) -> dict[str, Any]:
        return dict(self.api(f"/cases/{number}"))

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visitors(browser: Any, server: AppServer, request: pytest.FixtureRequest) -> Iterator[Any]:
    """``visitors(**context options)``: a new browser context per person; after the test,
    the server logged no error."""
    opened: list[Visitor] = []

    def open_one(**options: Any) -> Visitor:
        visitor = Visitor(browser, server, request.node.originalname, **options)
        opened.append(visitor)
        return visitor

    server.take_failures()
    try:
        yield open_one
    finally:
        for visitor in opened:
            visitor.close()
    failures = server.take_failures()
    assert not failures, "the server logged errors:\n" + "\n".join(failures)


def person_with_password(email: str) -> str:
    set_password(email, PASSWORD)
    return email


def filed_complaint(b: f.Body, **values: Any) -> str:
    """A complaint filed now (the body's commissioner is its assignee); its number."""
    return str(f.complaint(b, **values)["number"])


def open_deadline(case: dict[str, Any], name: str) -> dict[str, Any]:
    [deadline] = [d for d in case["deadlines"] if d["name"] == name and d["status"] == "open"]
    return dict(deadline)


def action_form(page: Any, action: str) -> Any:
    """The form of ``action``, its ``<details>`` opened by its summary."""
    form = page.locator(f"form[data-action={action}]")
    page.locator(f"details.action:has(form[data-action={action}]) > summary").click()
    form.wait_for(state="visible")
    return form


def overflow(page: Any) -> dict[str, int]:
    """How far ``<body>`` and the document are wider than the screen (0: no sideways
    scrollbar)."""
    return dict(
        page.evaluate(
            "() => ({body: document.body.scrollWidth - document.body.clientWidth,"
            " document: document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth})"
        )
    )


# -- 1. a civil servant files a complaint, in Kazakh -------------------------------------


def test_a_civil_servant_signs_in_switches_to_kazakh_and_files_a_complaint(
    home: Path, visitors: Any
) -> None:
    b = f.body()
    person_with_password(b.filer)
    me = visitors()
    page = me.page

    page.goto("/")
    me.look("sign-in")
    page.locator("input[name=email]").press_sequentially(b.filer)
    page.locator("input[name=password]").press_sequentially(PASSWORD)
    page.keyboard.press("Enter")  # sent from the keyboard
    page.locator("form.sign-out").wait_for()
    me.look("start")

    page.locator("nav.languages a[hreflang=kk]").click()
    page.wait_for_url(re.compile(r"[?&]lang=kk\b"))
    page.locator("nav.languages a[hreflang=kk][aria-current]").wait_for()
    lang = page.locator("html").get_attribute("lang")
    me.check(lang == "kk", f"after the language switch <html lang={lang!r}>, not 'kk'")
    me.look("start-kk")

    page.locator("header nav a[href='/cases/new']").click()
    form = page.locator("form[action='/cases/new']")
    form.wait_for()
    me.look("new")
    form.locator("input[name=kind][value=complaint]").check()
    form.locator("select[name=against]").select_option(b.respondent)
    form.locator("textarea[name=summary]").fill(SUMMARY_KK)
    form.locator("button[type=submit]").click()

    coupon = page.locator("section.coupon")
    coupon.wait_for()
    number = re.fullmatch(r".*/cases/([^/?]+)\?filed=1", page.url)
    assert number, page.url
    assert number[1] in coupon.inner_text()
    assert page.locator("html").get_attribute("lang") == "kk"
    me.look("coupon")

    case = me.case(number[1])  # what the server recorded, as the filer reads it
    assert (case["kind"], case["org"], case["summary"]) == ("complaint", b.code, SUMMARY_KK)
    parties = {(p["role"], p["email"]) for p in case["parties"]}
    assert {("complainant", b.filer), ("respondent", b.respondent)} <= parties
    me.assert_no_defects()


# -- 2. the commissioner accepts, then sends an action with a required field empty ----


def test_the_commissioner_accepts_a_case_from_the_queue_and_an_empty_field_is_refused(
    home: Path, visitors: Any
) -> None:
    b = f.body()
    person_with_password(b.commissioner)
    number = filed_complaint(b)
    me = visitors()
    page = me.page
    me.sign_in(b.commissioner)
    me.look("start")

    page.locator("header nav a[href='/cases']").click()
    page.locator("#queue").wait_for()
    me.look("queue")
    page.locator(f"#queue a[href='/cases/{number}']").click()
    page.locator("h1", has_text=number).wait_for()
    me.look("case")
    assert me.case(number)["status"] == "triage"
    badge = page.locator("h1 .status").inner_text()

    accept = action_form(page, "accept")
    me.look("accept-open")
    accept.locator("button[type=submit]").click()
    page.wait_for_url(f"**/cases/{number}?done=accept")
    accepted = me.case(number)
    assert accepted["status"] == "under_review"
    assert page.locator("h1 .status").inner_text() != badge  # the page shows the new one
    me.look("accepted")

    # forward: `to_body` typed, the required `reason` left empty
    forward = action_form(page, "forward")
    forward.locator("[name='fields.to_body']").fill("Ministry of Justice")
    forward.locator("[name=reason]").fill("")
    forward.locator("button[type=submit]").click()
    invalid = page.locator("form[data-action=forward] .field.invalid")
    invalid.locator(".error").wait_for()
    assert invalid.count() == 1
    assert invalid.locator("[name=reason]").count() == 1, invalid.inner_html()
    assert invalid.locator("[name=reason]").get_attribute("aria-invalid") == "true"
    error_id = invalid.locator(".error").get_attribute("id") or "(none)"
    described = (invalid.locator("[name=reason]").get_attribute("aria-describedby") or "").split()
    me.check(error_id in described, f"the reason's error #{error_id} is not in its {described}")
    kept = page.locator("form[data-action=forward] [name='fields.to_body']")
    assert kept.input_value() == "Ministry of Justice"
    me.look("forward-refused")
    after = me.case(number)
    assert (after["status"], after["version"]) == ("under_review", accepted["version"])
    me.assert_no_defects()


# -- 3. the head extends the answer deadline ---------------------------------------------


def test_the_head_extends_the_answer_deadline(home: Path, visitors: Any) -> None:
    b = f.body()
    person_with_password(b.head)
    number = filed_complaint(b)
    operations.act(number, "accept", b.commissioner, {})  # under review
    me = visitors()
    page = me.page
    me.sign_in(b.head)
    before = open_deadline(me.case(number), "answer")

    page.goto(f"/cases/{number}")
    me.look("case")
    extend = action_form(page, "extend")
    extend.locator("[name=reason]").fill("Inquiries to two other bodies are still pending.")
    extend.locator("button[type=submit]").click()
    page.wait_for_url(f"**/cases/{number}?done=extend")
    me.look("extended")

    after = open_deadline(me.case(number), "answer")
    assert after["due"] > before["due"], (before, after)
    me.assert_no_defects()


# -- 4. a confidential filer is not named to the respondent ------------------------------


def test_the_respondent_of_a_confidential_complaint_does_not_see_who_filed_it(
    home: Path, visitors: Any
) -> None:
    b = f.body()
    person_with_password(b.respondent)
    number = filed_complaint(b, confidential=True)
    me = visitors()
    page = me.page
    me.sign_in(b.respondent)
    page.goto(f"/cases/{number}")
    page.locator("h1", has_text=number).wait_for()
    me.look("case")

    filer_name = f"Person {b.filer.split('@')[0]}"  # factories.person's name
    for shown in (page.inner_text("body"), page.content()):
        assert b.filer not in shown
        assert filer_name not in shown
    assert b.respondent in page.inner_text("body")  # the parties are listed, the filer hidden
    me.assert_no_defects()


# -- 5. an anonymous filer follows the case by its receipt code --------------------------


def test_an_anonymous_filer_sees_the_status_by_the_receipt_code(home: Path, visitors: Any) -> None:
    b = f.body()
    filed = f.complaint(b, by=None, anonymous=True)  # as the operator files it
    me = visitors()
    page = me.page

    page.goto("/receipt")
    me.look("receipt")
    code = page.locator("form[action='/receipt'] input:not([type=hidden])")
    code.fill(filed["receipt_code"])
    code.press("Enter")
    found = page.locator("main section.card")
    found.wait_for()
    text = found.inner_text()
    status = me.api(f"/receipts/{filed['receipt_code']}")["status"]  # the same lookup
    assert filed["number"] in text
    assert humanize(status) in text  # in English: the browser asks for en-GB
    assert code.input_value() == ""  # the code is not kept on the page
    me.look("status")
    me.assert_no_defects()


# -- 6. a phone's width ------------------------------------------------------------------


def test_the_queue_and_the_case_page_fit_a_375_px_wide_screen(home: Path, visitors: Any) -> None:
    b = f.body()
    person_with_password(b.commissioner)
    number = filed_complaint(b, summary="Rude remarks " * 40)
    me = visitors(viewport={"width": 375, "height": 800}, is_mobile=True, has_touch=True)
    page = me.page
    me.sign_in(b.commissioner)

    page.goto("/cases")
    page.locator(f"#queue a[href='/cases/{number}']").wait_for()
    assert overflow(page) == {"body": 0, "document": 0}
    me.look("queue")

    page.goto(f"/cases/{number}")
    page.locator("h1", has_text=number).wait_for()
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true })")
    assert overflow(page) == {"body": 0, "document": 0}
    me.look("case")
    me.assert_no_defects()


# -- 7. the Board's secretary runs a hearing to a decision --------------------------------


def count_shows(page: Any, text: str) -> None:
    """Wait until the hearing's count (``ul.count``, a live region) says ``text``."""
    page.locator("section:has(h2#hearing) ul.count li", has_text=text).wait_for()
    page.wait_for_load_state()


LANGUAGES = ("kk", "ru", "en")


def decisions(me: Visitor, number: str) -> dict[str, str]:
    """The case's latest Board decision (.docx) per language: its download link."""
    found: dict[str, str] = {}
    for document in me.api(f"/cases/{number}/documents")["documents"]:
        if (document["kind"], document["format"]) == ("board_decision", "docx"):
            found[document["language"]] = document["href"]  # listed oldest first
    return found


SAVE_LINK = """href => {
    const a = Object.assign(document.createElement("a"), {href, download: ""});
    document.documentElement.append(a);  /* outside <body hx-boost> */
    a.click();
    a.remove();
}"""
"""Save ``href`` as a plain ``<a download>`` does (when the page's own link does not)."""


def click_to_download(page: Any, link: str) -> Any:
    """Click ``link``: the browser's download, or None when none starts within seconds."""
    from playwright.sync_api import TimeoutError as NoDownload

    try:
        with page.expect_download(timeout=5_000) as started:
            page.locator(link).click()
    except NoDownload:
        return None
    return started.value


def test_the_secretary_runs_the_hearing_and_downloads_the_decision_in_three_languages(
    home: Path, visitors: Any
) -> None:
    board = make_board(5)
    person_with_password(board.secretary)
    number = scheduled(board)  # referred to the Board, the hearing on 2026-11-16
    me = visitors()
    page = me.page
    me.sign_in(board.secretary)

    page.locator("header nav a[href='/board']").click()
    page.wait_for_url("**/board")
    page.locator("nav.languages a[hreflang=en]").click()  # kept in a cookie from here
    page.wait_for_url(re.compile(r"/board\?lang=en$"))
    me.look("calendar")
    page.locator(f"main a[href='/cases/{number}#hearing']").click()
    page.locator("h2#hearing").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    count_shows(page, "Attendance is not recorded yet.")
    me.look("hearing")

    present = board.members[:4]
    attendance = action_form(page, "record_attendance")
    for member in board.members:
        box = attendance.locator(f"input[name='fields.present'][value='{member}']")
        box.set_checked(member in present)
    me.look("attendance-open")
    attendance.locator("button[type=submit]").click()
    page.wait_for_url(f"**/cases/{number}?done=record_attendance")
    count_shows(page, "Quorum: 4 of 5 members present and not recused, 4 needed. Met.")
    count_shows(page, "Votes: 0 for, 0 against, 0 abstaining.")
    me.look("attended")

    tally = {"for": 0, "against": 0}
    for member, choice in zip(present, ("for", "for", "for", "against"), strict=True):
        vote = action_form(page, "record_vote")
        vote.locator("select[name='fields.member']").select_option(member)
        vote.locator("select[name='fields.vote']").select_option(choice)
        vote.locator("button[type=submit]").click()
        tally[choice] += 1
        count_shows(page, f"Votes: {tally['for']} for, {tally['against']} against, 0 abstaining.")
        me.look(f"voted-{sum(tally.values())}")
    count_shows(page, "A decision would be adopted by the Board's rule.")

    decide = action_form(page, "decide")
    decide.locator("select[name='fields.outcome']").select_option("violation")
    for ref in ("2.1", "3.4"):
        decide.locator(f"input[name='fields.standards'][value='{ref}']").check()
    decide.locator("textarea[name=reason]").fill("Shouting at a colleague at a staff meeting.")
    me.look("decide-open")
    decide.locator("button[type=submit]").click()
    page.wait_for_url(f"**/cases/{number}?done=decide")
    page.locator("p.notice.done", has_text="Decide").wait_for()  # the new page, swapped in
    me.look("decided")
    decision = me.case(number)["board"]["decision"]
    assert (decision["outcome"], decision["standards"]) == ("violation", ["2.1", "3.4"])

    issued = decisions(me, number)  # `decide` issues it in the parties' languages
    for language in LANGUAGES:
        if language in issued:
            continue
        form = page.locator("form[data-action=issue_document]")
        form.locator("select[name=kind]").select_option("board_decision")
        form.locator("select[name=language]").select_option(language)
        form.locator("select[name=format]").select_option("docx")
        form.locator("button[type=submit]").click()
        page.wait_for_url(f"**/cases/{number}?done=document#documents")
        issued = decisions(me, number)
        page.locator(f"ul.documents a[href='{issued[language]}']").wait_for()
        me.look(f"issued-{language}")

    files: dict[str, bytes] = {}
    clicks = True  # until a click on a download link saves nothing
    for language in LANGUAGES:
        href = issued[language]
        saved = None
        if clicks:
            saved = click_to_download(page, f"ul.documents a[href='{href}']")
            if saved is None:
                clicks = False
                me.check(False, f"clicking the link {href} saved no file, the page went to")
                page.goto(f"/cases/{number}")  # back from what it showed instead
        if saved is None:
            with page.expect_download() as started:  # as a plain link saves it, without htmx
                page.evaluate(SAVE_LINK, href)
            saved = started.value
        assert saved.suggested_filename.endswith(".docx"), saved.suggested_filename
        files[language] = Path(saved.path()).read_bytes()
    assert all(data[:2] == b"PK" for data in files.values()), {k: v[:4] for k, v in files.items()}
    assert len(set(files.values())) == len(LANGUAGES)  # three files, not one thrice
    me.assert_no_defects()


# -- the check itself --------------------------------------------------------------------


def test_the_accessibility_check_reports_a_serious_violation(browser: Any) -> None:
    """axe-core runs and its serious findings are reported: the pages above pass for a
    reason, not because the check found nothing to look at."""
    page = browser.new_page()
    try:
        page.set_content(
            '<!doctype html><html lang="en"><title>t</title><main><h1>t</h1>'
            '<img src="data:,"><input type="text"></main></html>'
        )
        found = blocking_violations(page)
    finally:
        page.close()
    assert {v["id"] for v in found} >= {"image-alt", "label"}, found
    assert "image-alt (critical)" in describe(found, "test")
