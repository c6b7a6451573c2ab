"""The secret that guards an installation's Prefect API (DESIGN §10: Prefect's server and
UI are the operator's).

``HOME/prefect-auth`` (mode 0600, made on first use) holds ``ethicsflow:<random>``, the
basic-auth string Prefect's server requires (``PREFECT_SERVER_API_AUTH_STRING``) and its
clients send (``PREFECT_API_AUTH_STRING``): the runner, the engine, the flows, `status`.
Anyone without it gets 401 from the API; the UI asks for it once. Only the home's owner
can read it.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path
from urllib.request import ProxyHandler, build_opener

FILE = "prefect-auth"
LOOPBACK = build_opener(ProxyHandler({}))
"""An opener for the local Prefect server's API: never through a proxy."""
USER = "ethicsflow"


def auth_path(home: Path) -> Path:
    return home / FILE


def auth_string(home: Path, *, create: bool = False) -> str | None:
    """The home's Prefect auth string; made (once, atomically, 0600) when ``create``."""
    path = auth_path(home)
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        text = ""
    if text or not create:
        return text or None
    home.mkdir(parents=True, exist_ok=True)
    value = f"{USER}:{secrets.token_urlsafe(32)}"
    temp = path.with_name(f".{FILE}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(value + "\n")
    try:
        os.link(temp, path)  # a second process racing us keeps the first secret
    except FileExistsError:
        pass
    finally:
        temp.unlink(missing_ok=True)
    return path.read_text(encoding="utf-8").strip()


def authorization(auth: str) -> str:
    """The ``Authorization`` header value Prefect's server accepts for ``auth``."""
    return "Basic " + base64.b64encode(auth.encode()).decode()
