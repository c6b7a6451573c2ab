"""The CLI against a remote installation: ``ETHICSFLOW_URL`` and ``ETHICSFLOW_TOKEN``.

The app runs in this test's process on a loopback TCP port (as ``serve --web-port``
does); the CLI is the real executable with another, empty home, so everything it shows
comes over HTTP as the token's person. Over HTTP the actor is that person: a ``--by``
naming someone else is refused before anything runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ethicsflow.app.api.app import create_app
from ethicsflow.app.api.server import ServerThread
from ethicsflow.models.accounts.tokens import create_token
from tests.support import factories as f
from tests.support.cases import file_complaint
from tests.support.cli import Cli, clean_environment, free_port


@pytest.fixture
def app_url(home: Path) -> Iterator[str]:
    server = ServerThread(create_app(), "127.0.0.1", free_port(), name="api-remote-test")
    server.start()
    server.wait_started()
    try:
        yield server.address
    finally:
        server.stop()


def remote_cli(url: str, token: str, tmp_path: Path) -> Cli:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    return Cli(
        env=clean_environment()
        | {
            "ETHICSFLOW_URL": url,
            "ETHICSFLOW_TOKEN": token,
            "ETHICSFLOW_HOME": str(elsewhere / "home"),  # never created: nothing local
            "PREFECT_API_URL": f"http://127.0.0.1:{free_port()}/api",
            "PYTHONIOENCODING": "utf-8",
        },
        cwd=elsewhere,
    )


def test_a_remote_cli_reads_as_the_tokens_person_and_cannot_act_as_another(
    home: Path, app_url: str, tmp_path: Path
) -> None:
    b, other = f.body(), f.body()
    number = file_complaint(b, "2026-11-16")["number"]
    file_complaint(other, "2026-11-16")
    token, _ = create_token(b.commissioner, "laptop", expires=None)
    cli = remote_cli(app_url, token, tmp_path)

    listed = cli.json("case", "list")
    assert listed["total"] == 1 and [i["number"] for i in listed["items"]] == [number]
    assert cli.json("case", "show", number)["number"] == number
    assert not (tmp_path / "elsewhere" / "home").exists()

    message = cli.fails(2, "case", "act", number, "accept", "--by", b.head)
    assert "the actor is the signed-in person" in message
    assert cli.json("case", "show", number)["version"] == 1  # nothing ran

    revoked = remote_cli(app_url, "not-a-token", tmp_path)
    assert "token is unknown" in revoked.fails(4, "case", "list")


def test_a_remote_url_that_is_not_http_is_refused_naming_the_variable(
    home: Path, tmp_path: Path
) -> None:
    for url in ("ftp://example.kz", "example.kz"):
        said = remote_cli(url, "ef_whatever", tmp_path).fails(2, "case", "list")
        assert said.startswith("ETHICSFLOW_URL: not an http(s) URL"), said
