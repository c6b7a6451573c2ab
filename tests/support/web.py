"""Reading the web pages in tests: a page's forms, inputs, errors and text; signing in
through the sign-in form."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from tests.support.api import Client

PASSWORD = "correct horse battery staple"


class Page(HTMLParser):
    """What a test reads of a page: its forms (action, data-action, inputs), its texts,
    its scripts, and the ``lang`` of ``<html>``."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.lang = ""
        self.forms: list[dict[str, Any]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.errors: dict[str, str] = {}
        self._text: list[str] = []
        self._error_for: str | None = None
        self._textarea: str | None = None
        self._skip = 0
        self.feed(html)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self._text).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang") or ""
        elif tag == "form":
            self.forms.append({**a, "inputs": {}})
        elif tag in ("input", "select", "textarea") and self.forms and a.get("name"):
            inputs = self.forms[-1]["inputs"]
            if a.get("type") in ("radio", "checkbox") and "checked" not in a:
                inputs.setdefault(a["name"], "")  # sent only when checked
            else:
                inputs[a["name"]] = a.get("value") or ""
            self._textarea = a["name"] if tag == "textarea" else None
        elif tag == "script":
            self.scripts.append(a)
            self._skip += 1
        elif tag == "style":
            self._skip += 1
        elif tag == "p" and "error" in (a.get("class") or "").split() and a.get("id"):
            self._error_for = str(a["id"]).removesuffix("-error")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "p":
            self._error_for = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self._text.append(data)
        if self._textarea is not None and self.forms:
            self.forms[-1]["inputs"][self._textarea] += data
        if self._error_for is not None:
            self.errors[self._error_for] = self.errors.get(self._error_for, "") + data.strip()

    def form(self, **match: str) -> dict[str, Any]:
        for form in self.forms:
            if all(form.get(k) == v for k, v in match.items()):
                return form
        raise AssertionError(f"no form {match} among {[f.get('action') for f in self.forms]}")


def csrf(web: Client) -> str:
    return str(web.cookies.get("ethicsflow_csrf"))


def sign_in(web: Client, email: str, password: str = PASSWORD) -> None:
    answer = web.post("/", data={"email": email, "password": password})
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/"
