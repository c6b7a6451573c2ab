"""API clients signed in with a token (fast: no password to hash), for the API tests."""

from __future__ import annotations

from ethicsflow.models.accounts.tokens import create_token
from tests.support.api import Client


def signed_in(api: Client, email: str) -> Client:
    """Another client of ``api``'s app, signed in as ``email`` with a new API token."""
    raw, _ = create_token(email, "tests", expires=None)
    client = Client(api.transport.app)
    client.headers["Authorization"] = f"Bearer {raw}"
    return client
