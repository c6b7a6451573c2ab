"""The statutory policy file as typed data, and how it is loaded.

The packaged ``policy/policy.yaml`` holds every period and switch the workflow relies on,
each with its legal basis. ``ETHICSFLOW_POLICY_FILE`` (or an explicit path) replaces it.
Unknown keys and wrong types are refused with a :class:`PolicyError` naming the field.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ethicsflow.models.errors import PolicyError
from ethicsflow.models.settings import get_settings

Status = Literal["verified", "assumption", "text verified, reading assumed", "design choice"]
Unit = Literal["working_days", "calendar_days", "months"]
Clock = Literal["limitation", "answer", "explanation", "correction"]

REQUIRED_RULES = (
    "answer",
    "forward",
    "explanation",
    "correction",
    "extension_notice",
    "appeal_window",
    "follow_up_3m",
    "follow_up_6m",
    "follow_up_12m",
)
"""Rule names the workflow codes against; a policy file must define all of them."""

OFFENCE_CATEGORIES = ("general", "discrediting", "budget")
"""Offence categories a case may carry; each needs a limitation entry."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(_Model):
    """Legal source of a provision: what says so, which text was read, how sure we are."""

    basis: str = Field(min_length=1)
    act: str = Field(min_length=1)
    status: Status
    note: str | None = None


class Rule(Sourced):
    """A period: ``amount`` ``unit`` counted from the anchor described by ``from``."""

    unit: Unit
    amount: int = Field(ge=1)
    from_: str = Field(alias="from", min_length=1)
    shift_to_working_day: bool = False
    """For calendar-day and month rules: a non-working end day moves to the next working day."""


class Extension(Sourced):
    """How far the head may extend the answer period."""

    max_months: int = Field(ge=1)
    mode: Literal["total_from_receipt", "added_to_due"]


class Registration(Sourced):
    """When an arriving appeal is registered."""

    after_hours_next_day: bool
    office_hours_end: dt.time

    @field_validator("office_hours_end", mode="before")
    @classmethod
    def _time_as_text(cls, value: object) -> object:
        # Unquoted 18:00 is a base-60 integer in YAML; refuse it rather than misread it.
        if not isinstance(value, str | dt.time):
            raise ValueError("write the time as quoted text, e.g. '18:00'")
        return value


class LimitationBounds(_Model):
    """Limitation of one offence category: from detection, and at most from the conduct."""

    months_from_detection: int = Field(ge=1)
    months_from_conduct: int = Field(ge=1)


class DroppedProceedings(_Model):
    """Limitation after a criminal or administrative case was dropped."""

    months_from_decision: int = Field(ge=1)
    months_from_conduct: int = Field(ge=1)


class Limitation(Sourced):
    """Last day a disciplinary penalty may be imposed."""

    categories: dict[str, LimitationBounds]
    after_dropped_proceedings: DroppedProceedings
    shift_to_working_day: bool

    @field_validator("categories")
    @classmethod
    def _all_categories(cls, value: dict[str, LimitationBounds]) -> dict[str, LimitationBounds]:
        missing = [name for name in OFFENCE_CATEGORIES if name not in value]
        if missing:
            raise ValueError(f"missing offence categories: {', '.join(missing)}")
        return value


class SuspensionGround(_Model):
    """A reason that stops some clocks while it lasts."""

    label_en: str = Field(min_length=1)
    label_ru: str = Field(min_length=1)
    label_kk: str = Field(min_length=1)
    stops: tuple[Clock, ...] = Field(min_length=1)
    basis: str = Field(min_length=1)
    status: Status


class Reminders(_Model):
    """When reminders go out before a due date."""

    days_before: tuple[int, ...] = ()

    @field_validator("days_before")
    @classmethod
    def _positive(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(day < 1 for day in value):
            raise ValueError("days must be 1 or more")
        return value


CRON_FIELD = re.compile(r"^[0-9A-Za-z*/,\-?#LW]+$")


class Schedules(_Model):
    """Cron expressions (in the policy zone) of the flows `ethicsflow serve` schedules."""

    sweep: tuple[str, ...] = ("*/15 9-18 * * 1-5", "0 2 * * *")
    dispatch: tuple[str, ...] = ("* * * * *",)
    digest: tuple[str, ...] = ("0 9 * * *",)

    @field_validator("sweep", "dispatch", "digest")
    @classmethod
    def _cron(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for expression in value:
            fields = expression.split()
            if len(fields) != 5 or not all(CRON_FIELD.match(f) for f in fields):
                raise ValueError(
                    f"{expression!r} is not a cron expression of 5 fields "
                    "(minute hour day-of-month month day-of-week)"
                )
        return value


class Override(_Model):
    """One day set by a government decree."""

    date: dt.date
    decree: str = Field(min_length=1)


class CalendarOverrides(_Model):
    """Days off and working days that win over the ``holidays`` package."""

    days_off: tuple[Override, ...] = ()
    working_days: tuple[Override, ...] = ()

    @model_validator(mode="after")
    def _disjoint(self) -> CalendarOverrides:
        both = {o.date for o in self.days_off} & {o.date for o in self.working_days}
        if both:
            days = ", ".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"a day cannot be both a day off and a working day: {days}")
        return self


class Penalty(_Model):
    """A disciplinary penalty with its names."""

    code: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    label_ru: str = Field(min_length=1)
    label_kk: str = Field(min_length=1)


class Penalties(Sourced):
    """The penalties the law allows, mildest first."""

    items: tuple[Penalty, ...] = Field(min_length=1)


class Board(Sourced):
    """How the Ethics Board decides."""

    quorum: str = Field(pattern=r"^[1-9][0-9]*/[1-9][0-9]*$")
    majority: Literal["simple", "two_thirds"]
    tie: Literal["chair", "fails"]
    secretary_votes: bool


class HearingNotice(Sourced):
    """How long before a Board hearing the respondent must be told."""

    unit: Literal["working_days"]
    amount: int = Field(ge=1)


class Standard(_Model):
    """One standard of the Ethical Code: how it is typed, where it sits, what it says."""

    ref: str = Field(pattern=r"^[0-9]+(\.[0-9]+)+$")
    chapter: int = Field(ge=1)
    paragraph: int = Field(ge=1)
    subparagraph: int | None = Field(default=None, ge=1)
    text_en: str = Field(min_length=1)
    text_ru: str = Field(min_length=1)
    text_kk: str = Field(min_length=1)


class CodeVersion(_Model):
    """The Ethical Code as in force from a date."""

    version: str = Field(min_length=1)
    in_force_from: dt.date
    title_en: str = Field(min_length=1)
    title_ru: str = Field(min_length=1)
    title_kk: str = Field(min_length=1)
    standards: tuple[Standard, ...] = Field(min_length=1)

    @field_validator("standards")
    @classmethod
    def _unique_refs(cls, value: tuple[Standard, ...]) -> tuple[Standard, ...]:
        refs = [s.ref for s in value]
        doubled = sorted({r for r in refs if refs.count(r) > 1})
        if doubled:
            raise ValueError(f"standard refs repeated: {', '.join(doubled)}")
        return value

    def standard(self, ref: str) -> Standard | None:
        return next((s for s in self.standards if s.ref == ref), None)


class EthicalCode(Sourced):
    """Versions of the Ethical Code, oldest first."""

    versions: tuple[CodeVersion, ...] = Field(min_length=1)

    @field_validator("versions")
    @classmethod
    def _ordered(cls, value: tuple[CodeVersion, ...]) -> tuple[CodeVersion, ...]:
        dates = [v.in_force_from for v in value]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            raise ValueError("versions must be listed oldest first, with distinct dates")
        return value

    def in_force(self, on: dt.date) -> CodeVersion:
        """The version in force on ``on`` (the oldest one for an earlier date)."""
        chosen = self.versions[0]
        for version in self.versions:
            if version.in_force_from <= on:
                chosen = version
        return chosen


class RestorationCategory(_Model):
    """A category of violated rights a restoration request may be accepted under."""

    label_en: str = Field(min_length=1)
    label_ru: str = Field(min_length=1)
    label_kk: str = Field(min_length=1)
    requires_link: bool = False
    """The request must be linked to an earlier case (retaliation for it) to be accepted."""
    note: str | None = None

    def label(self, language: str) -> str:
        return str(getattr(self, f"label_{language}", self.label_en))


class MeasureRule(Sourced):
    """Where a measure's due date comes from (an agreed date, not a statutory period)."""


class Restoration(Sourced):
    """Restoration requests: the categories of violation, the measures' deadlines."""

    categories: dict[str, RestorationCategory] = Field(min_length=1)
    measures: MeasureRule

    @field_validator("categories")
    @classmethod
    def _codes(cls, value: dict[str, RestorationCategory]) -> dict[str, RestorationCategory]:
        bad = [code for code in value if not code.replace("_", "").isalnum() or len(code) > 64]
        if bad:
            raise ValueError(f"category codes must be letters, digits and _: {', '.join(bad)}")
        return value


class Policy(_Model):
    """The whole statutory policy of one installation."""

    version: str = Field(min_length=1)
    zone: str
    rules: dict[str, Rule]
    extension: Extension
    registration: Registration
    limitation: Limitation
    suspension_grounds: dict[str, SuspensionGround]
    reminders: Reminders
    schedules: Schedules = Schedules()
    calendar_overrides: CalendarOverrides = CalendarOverrides()
    penalties: Penalties
    board: Board
    hearing_notice: HearingNotice
    ethical_code: EthicalCode
    restoration: Restoration

    @field_validator("zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("rules")
    @classmethod
    def _required_rules(cls, value: dict[str, Rule]) -> dict[str, Rule]:
        missing = [name for name in REQUIRED_RULES if name not in value]
        if missing:
            raise ValueError(f"missing rules: {', '.join(missing)}")
        return value

    def rule(self, name: str) -> Rule:
        """The rule called ``name``; ``ValueError`` naming the known rules otherwise."""
        try:
            return self.rules[name]
        except KeyError:
            known = ", ".join(sorted(self.rules))
            raise ValueError(f"unknown rule {name!r}; known rules: {known}") from None


def packaged_policy_path() -> Path:
    """Path of the ``policy.yaml`` shipped with the package."""
    with as_file(files("ethicsflow.policy") / "policy.yaml") as path:
        return Path(path)


def policy_path() -> Path:
    """The policy file in force: ``ETHICSFLOW_POLICY_FILE`` or the packaged one."""
    return get_settings().policy_file or packaged_policy_path()


def load_policy(path: Path | None = None) -> Policy:
    """Load and validate a policy file (default: :func:`policy_path`).

    Cached per file and modification time, so an edited file is read again.
    """
    if path is None:
        path = policy_path()
    path = Path(path).expanduser().resolve()
    try:
        stat = path.stat()
    except OSError as exc:
        raise PolicyError("policy.unreadable", path=str(path), reason=exc.strerror) from None
    return _load(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _load(path: Path, mtime_ns: int, size: int) -> Policy:
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PolicyError("policy.unreadable", path=str(path), reason=str(exc)) from None
    if not isinstance(data, dict):
        raise PolicyError("policy.not_a_mapping", path=str(path))
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        raise PolicyError("policy.invalid", path=str(path), problems=_problems(exc)) from None


def _problems(exc: ValidationError) -> str:
    """Each problem as ``<key path>: <rule>`` (pydantic's and the validators' English)."""
    problems = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"]) or "(top level)"
        message = error["msg"].removeprefix("Value error, ")
        problems.append(f"{where}: {message}")
    return "; ".join(problems)


def policy_summary() -> dict[str, Any]:
    """The policy in force as `policy show` prints it: its file, version, zone, each
    rule with its legal basis, and the calendar overrides (a broken file is refused)."""
    policy = load_policy()
    return {
        "file": str(policy_path()),
        "version": policy.version,
        "zone": policy.zone,
        "rules": {
            name: {
                "amount": r.amount,
                "unit": r.unit,
                "from": r.from_,
                "basis": r.basis,
                "status": r.status,
            }
            for name, r in policy.rules.items()
        },
        "calendar_overrides": policy.calendar_overrides.model_dump(mode="json"),
    }
