"""httpx against an ASGI app in this process (no server, no thread), keeping cookies."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx


class Client:
    def __init__(self, app: Any) -> None:
        self.transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        self.cookies = httpx.Cookies()
        self.headers: dict[str, str] = {}

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}

        async def go() -> httpx.Response:
            async with httpx.AsyncClient(
                transport=self.transport, base_url="http://api", cookies=self.cookies
            ) as client:
                response = await client.request(method, url, headers=headers, **kwargs)
                self.cookies = client.cookies
                return response

        return asyncio.run(go())

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", url, **kwargs)


def refused(answer: httpx.Response, status: int, code: str, field: str | None = None) -> None:
    """``answer`` is a problem document with this status and domain code (and, for
    invalid input, an entry for ``field``)."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body = answer.json()
    assert body["code"] == code, body
    if field is not None:
        assert field in [e["field"] for e in body["errors"]], body
