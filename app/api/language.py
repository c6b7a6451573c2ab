"""The language of a response: ``?lang=`` first, then ``Accept-Language``, then English."""

from __future__ import annotations

from ethicsflow.models.errors import LANGUAGES

DEFAULT = "en"


def negotiate(accept_language: str | None, explicit: str | None = None) -> str:
    """kk, ru or en: ``explicit`` if it is one of them, else the best of the header.

    ``Accept-Language: kk-KZ, ru;q=0.8`` -> ``kk``; a tag matches by its primary subtag;
    ``*`` or nothing known falls back to English.
    """
    if explicit in LANGUAGES:
        return str(explicit)
    best, best_q = DEFAULT, 0.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > best_q:  # on equal weights the earlier tag wins
            best, best_q = primary, q
    return best
