"""Organizations (state bodies) and the people who work with cases."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from pydantic import field_validator
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from ethicsflow.models.cases.filing import EMAIL
from ethicsflow.models.errors import rule

LANGUAGES = ("kk", "ru", "en")
ORG_CODE = re.compile(r"^[A-Z0-9]{2,16}$")


class Role(StrEnum):
    servant = "servant"
    commissioner = "commissioner"
    head = "head"
    board_secretary = "board_secretary"
    board_member = "board_member"
    agency = "agency"
    admin = "admin"  # administers the people, accounts and boards of their own body
    platform_admin = "platform_admin"  # administers the whole installation


class OrganizationBase(SQLModel):
    code: str = Field(index=True, unique=True, max_length=16, description="short code, A-Z 0-9")
    name: str = Field(description="name of the state body")
    region: str | None = Field(default=None, description="region (oblast or city)")

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        value = value.strip().upper()
        if not ORG_CODE.match(value):
            raise rule("org.code_format")
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not value.strip():
            raise rule("org.name_empty")
        return value.strip()


class OrganizationCreate(OrganizationBase):
    parent: str | None = Field(default=None, description="code of the parent organization")


class Organization(OrganizationBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    parent_id: int | None = Field(default=None, foreign_key="organization.id")


class OrganizationPublic(OrganizationBase):
    parent: str | None = None


class PersonBase(SQLModel):
    email: str = Field(index=True, unique=True, max_length=254)
    name: str
    iin: str | None = Field(default=None, max_length=12, description="12-digit IIN")
    language: str = Field(default="ru", max_length=2)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip().lower()
        if not EMAIL.match(value):
            raise rule("person.email_invalid")
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not value.strip():
            raise rule("person.name_empty")
        return value.strip()

    @field_validator("iin")
    @classmethod
    def _iin(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d{12}", value):
            raise rule("person.iin_format")
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise rule("person.language_unknown", languages=list(LANGUAGES))
        return value


class PersonCreate(PersonBase):
    org: str
    roles: list[Role] = Field(default_factory=lambda: [Role.servant])
    notify: list[str] = Field(default_factory=list)
    manager: str | None = None


class Person(PersonBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    manager_id: int | None = Field(default=None, foreign_key="person.id")
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    notify_urls: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))

    def has_role(self, role: str) -> bool:
        return role in self.roles


class PersonPublic(PersonBase):
    org: str
    roles: list[str]
    notify: list[str]
    manager: str | None = None

    @classmethod
    def of(cls, person: Person, org: Organization, manager: Person | None) -> PersonPublic:
        data: dict[str, Any] = person.model_dump(include={"email", "name", "iin", "language"})
        return cls(
            **data,
            org=org.code,
            roles=list(person.roles),
            notify=list(person.notify_urls),
            manager=manager.email if manager else None,
        )
