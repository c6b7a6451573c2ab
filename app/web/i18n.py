"""The pages' words in kk, ru and en: Babel message catalogues, dates in Asia/Almaty.

English is the source language (the ``msgid``); ``templates/web/i18n/<lang>.po`` holds
each Kazakh and Russian text. The catalogues are read once per process from the ``.po``
files themselves (no compiled ``.mo`` to keep in step); a text missing from one falls
back to English here, and ``tests/app/web/test_i18n.py`` fails on it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from babel.messages.pofile import read_po

from ethicsflow.models.errors import LANGUAGES

CATALOGUES = Path(__file__).resolve().parents[1].parent / "templates" / "web" / "i18n"
LOCALES = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_GB"}
ZONE = ZoneInfo("Asia/Almaty")
NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
"""Each language by its own name (the switch on every page)."""


def catalogue_path(language: str) -> Path:
    return CATALOGUES / f"{language}.po"


@functools.cache
def catalogue(language: str) -> Mapping[str, str]:
    """``msgid -> text`` of ``language`` (English: empty; fuzzy or empty entries left out)."""
    if language == "en":
        return {}
    with catalogue_path(language).open("rb") as handle:
        po = read_po(handle, locale=LOCALES[language].split("_")[0])
    return {
        str(m.id): str(m.string)
        for m in po
        if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
    }


def N_(msgid: str) -> str:
    """Mark ``msgid`` for the catalogue without translating it here."""
    return msgid


class Words:
    """The texts and formats of one language (``_`` in every template)."""

    def __init__(self, language: str) -> None:
        assert language in LANGUAGES, language
        self.language = language
        self.locale = Locale.parse(LOCALES[language])  # parsed once, not per date
        self._texts = catalogue(language)

    def __call__(self, msgid: str, /, **params: Any) -> str:
        text = self._texts.get(msgid, msgid)
        return text % params if params else text

    def known(self, msgid: str) -> bool:
        """The catalogue has ``msgid`` (English knows every text)."""
        return self.language == "en" or msgid in self._texts

    def maybe(self, text: str | None) -> str:
        """``text`` translated when the catalogue has it, else as it is (data)."""
        if not text:
            return ""
        return self._texts.get(text, text)

    def date(self, value: dt.date | str | None, form: str = "long") -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            value = dt.date.fromisoformat(value[:10])
        if isinstance(value, dt.datetime):
            value = local(value).date()
        return str(format_date(value, format=form, locale=self.locale))

    def datetime(self, value: dt.datetime | str | None, form: str = "long") -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        at = local(value)
        day = format_date(at.date(), format=form, locale=self.locale)
        return f"{day}, {format_time(at, format='short', tzinfo=ZONE, locale=self.locale)}"


def local(value: dt.datetime) -> dt.datetime:
    """``value`` in Asia/Almaty (a naive value is UTC, as the database stores it)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(ZONE)
