"""Where this installation lives (its home, database and policy), as a client of its API
needs to know, read from the environment without pydantic.

:class:`~ethicsflow.models.settings.Settings` reads the same variables with
pydantic-settings, whose import (with pydantic's) cost every CLI command ~0.14 s. A
command that only talks to the home's engine needs four of them; :func:`locate` reads those
as Settings would (or says that only Settings can). The others are the engine's: it
validates them when it starts (a command that starts it says why it could not), and a
running engine keeps the values it started with whatever a command's environment says.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

ENV_PREFIX = "ETHICSFLOW_"
DEFAULT_HOME = ".ethicsflow"

_READ_HERE = ("HOME", "DATABASE_URL", "POLICY_FILE", "ENGINE")


class Installation(Protocol):
    """What the engine's client reads of the settings."""

    @property
    def home(self) -> Path: ...

    @property
    def policy_file(self) -> Path | None: ...

    @property
    def engine(self) -> str: ...

    @property
    def url(self) -> str: ...


def sqlite_url(home: Path) -> str:
    """The default database: a SQLite file in the home."""
    return f"sqlite:///{home / 'ethicsflow.db'}"


def home_path(value: str | Path) -> Path:
    """``ETHICSFLOW_HOME`` as an absolute path (Settings validates it with this too)."""
    return Path(value).expanduser().resolve()


@dataclass(frozen=True)
class Located:
    """An installation as :func:`locate` read it."""

    home: Path
    policy_file: Path | None = None
    database_url: str | None = None
    engine: str = "auto"

    @property
    def url(self) -> str:
        return self.database_url or sqlite_url(self.home)


def locate() -> Located | None:
    """This installation as the environment describes it for a client of the home's
    engine; None where :func:`~ethicsflow.models.settings.get_settings` (which validates
    every setting) must read it: ``ETHICSFLOW_ENGINE=inprocess`` (this process is the
    engine), and where pydantic-settings would read the environment otherwise than this
    function (a variable spelled in lower case, an empty value)."""
    names = [name for name in os.environ if name.upper().startswith(ENV_PREFIX)]
    values = {key: os.environ.get(ENV_PREFIX + key) for key in _READ_HERE}
    plain = all(name.isupper() for name in names) and "" not in values.values()
    if not plain or values["ENGINE"] not in (None, "auto"):
        return None
    policy = values["POLICY_FILE"]
    return Located(
        home=home_path(values["HOME"] or DEFAULT_HOME),
        policy_file=Path(policy) if policy else None,
        database_url=values["DATABASE_URL"],
    )


def package_version() -> str:
    # imported here: importlib.metadata costs ~35 ms of every CLI command's start
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ethicsflow")
    except PackageNotFoundError:
        return "unknown"
