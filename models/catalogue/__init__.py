"""The catalogue of error texts: one entry per error code, in Kazakh, Russian and English.

Each section module holds ``MESSAGES``, a mapping ``code -> {"kk", "ru", "en"}`` of
``str.format`` templates; all three take the same placeholders (a test checks). The
English text is what the CLI prints; a field reference in a placeholder (``{to}``) is
spelled by the edge that renders it (``--set to`` in the CLI). Codes are
``<area>.<what>`` and stable: an API client may match on them.
"""

from __future__ import annotations

from collections.abc import Mapping

from ethicsflow.models.catalogue import (
    accounts,
    boards,
    cases,
    core,
    documents,
    lifecycle,
    notifications,
    permissions,
    platform,
    policy,
    ratings,
    restoration,
)

SECTIONS = (
    core,
    lifecycle,
    cases,
    boards,
    restoration,
    ratings,
    documents,
    notifications,
    permissions,
    policy,
    platform,
    accounts,
)


def _merged() -> dict[str, Mapping[str, str]]:
    out: dict[str, Mapping[str, str]] = {}
    for section in SECTIONS:
        for code, texts in section.MESSAGES.items():
            if code in out:
                raise ValueError(f"error code {code} is in two catalogue sections")
            out[code] = texts
    return out


CATALOGUE: Mapping[str, Mapping[str, str]] = _merged()


def text(code: str, language: str = "en") -> str:
    """The template of ``code`` in ``language`` (English where the language is unknown)."""
    texts = CATALOGUE[code]
    return texts.get(language) or texts["en"]
