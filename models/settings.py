"""Settings read from the environment (prefix ``ETHICSFLOW_``)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ethicsflow.models import errors
from ethicsflow.models.installation import DEFAULT_HOME, ENV_PREFIX, home_path, sqlite_url
from ethicsflow.models.installation import package_version as package_version


class Settings(BaseSettings):
    """Everything configurable about one installation."""

    model_config = SettingsConfigDict(env_prefix="ETHICSFLOW_", extra="ignore")

    home: Path = Path(DEFAULT_HOME)
    """Holds the embedded database, documents, logs and the engine's state."""

    database_url: str | None = None
    """SQLAlchemy URL; default: a SQLite file under ``home``."""

    policy_file: Path | None = None
    """Statutory policy override; default: the packaged ``policy/policy.yaml``."""

    engine: Literal["auto", "inprocess"] = "auto"
    """``auto``: write commands go through the engine process of this home
    (started on first use); ``inprocess``: the CLI runs flows itself."""

    language_fallback: str = "kk,ru,en"
    """Order of languages tried when a recipient's language has no template."""

    @property
    def fallback_languages(self) -> tuple[str, ...]:
        return tuple(x.strip() for x in self.language_fallback.split(",") if x.strip())

    # --- notification delivery (flows/dispatch.py, models/notifications/delivery.py) ---

    notify_max_attempts: int = Field(default=5, ge=1)
    """Attempts per notification before it is marked ``dead``."""

    notify_backoff_seconds: float = Field(default=60.0, ge=0)
    """Wait after the first failed attempt; doubled after each further failure."""

    notify_backoff_max_seconds: float = Field(default=21600.0, ge=0)
    """Cap of the wait between two attempts (6 hours)."""

    notify_lease_seconds: float = Field(default=300.0, gt=0)
    """How long a notification may stay ``sending`` before the next dispatch takes its
    dispatcher for dead and marks it ``dead`` with an unknown outcome (never re-sent
    automatically). Keep it well above the longest send (apprise's own timeouts)."""

    notify_workers: int = Field(default=8, ge=1, le=64)
    """Notifications one dispatcher sends at once; also the most notifications a crashed
    dispatcher can leave with an unknown outcome."""

    case_events: bool = True
    """Send a Prefect event for each committed case change (flows/events.py)."""

    # --- `ethicsflow serve` (app/serve.py) --------------------------------------------

    prefect_port: int = Field(default=4200, ge=1, le=65535)
    """Port of the Prefect server (API and UI) that ``ethicsflow serve`` starts on 127.0.0.1."""

    serve_grace_seconds: float = Field(default=30.0, ge=0)
    """On SIGTERM, how long scheduled flow runs in flight may take to finish before they are
    cancelled; also how long a restarted serve lets a killed serve's runs finish."""

    web_port: int = Field(default=8000, ge=1, le=65535)
    """Port of the REST API (``/api/v1``) that ``ethicsflow serve`` serves."""

    web_host: str = "127.0.0.1"
    """Address the REST API listens on (another than loopback only behind TLS)."""

    read_threads: int = Field(default=8, ge=1, le=64)
    """Requests that only read (and every request's signing-in) run on at most this many
    threads at once per app process; writes have their own (app/api/threads.py)."""

    serve_poll_seconds: float = Field(default=10.0, gt=0)
    """How often serve's runner asks the Prefect server for due scheduled runs."""

    # --- accounts (models/accounts/, app/cli_commands/accounts.py) ----------------------

    public_url: str = "http://127.0.0.1:8000"
    """Where people reach the web app; invitation links start with it."""

    @field_validator("public_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.strip().rstrip("/")

    @field_validator("home")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return home_path(value)

    @property
    def url(self) -> str:
        if self.database_url:
            return self.database_url
        return sqlite_url(self.home)


@lru_cache(maxsize=8)
def _cached(key: tuple[tuple[str, str], ...]) -> Settings:
    return Settings()


def get_settings() -> Settings:
    """Settings for the current environment (re-read when the environment changes); a
    value that is not valid is an InvalidInput naming its variable and the rule."""
    key = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(ENV_PREFIX)))
    try:
        return _cached(key)
    except ValidationError as exc:
        raise errors.invalid_from(
            exc, lambda where: errors.key(ENV_PREFIX + where.upper())
        ) from None
