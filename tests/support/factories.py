"""Small factories with unique random data (no shared mutable fixtures)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from ethicsflow.models.cases import operations


def uid() -> str:
    return uuid.uuid4().hex[:8]


def org(**values: Any) -> str:
    code = values.pop("code", f"ORG{uid().upper()[:6]}")
    operations.add_org({"code": code, "name": f"Body {code}", "region": "Astana", **values})
    return code


def person(org_code: str, *roles: str, **values: Any) -> str:
    email = values.pop("email", f"p{uid()}@example.kz")
    operations.add_person(
        {
            "email": email,
            "name": values.pop("name", f"Person {email.split('@')[0]}"),
            "org": org_code,
            "roles": list(roles) or ["servant"],
            "iin": values.pop("iin", "900101300123"),
            **values,
        }
    )
    return email


@dataclass
class Body:
    """An organization with a commissioner, a head and two servants."""

    code: str
    commissioner: str
    head: str
    filer: str
    respondent: str


def body(**org_values: Any) -> Body:
    code = org(**org_values)
    return Body(
        code=code,
        commissioner=person(code, "commissioner"),
        head=person(code, "head"),
        filer=person(code),
        respondent=person(code),
    )


def complaint(b: Body, **values: Any) -> dict[str, Any]:
    data = {
        "kind": "complaint",
        "org": b.code,
        "by": b.filer,
        "against": b.respondent,
        "summary": "Rude and humiliating remarks at a staff meeting",
        **values,
    }
    return operations.file_one({k: v for k, v in data.items() if v is not None})
