"""The pages' catalogues: every text in Kazakh and Russian, the same placeholders, in step
with the templates, the code and the data (a missing translation fails here)."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from ethicsflow.app.web.catalogues import TRANSLATED, msgids
from ethicsflow.app.web.i18n import Words, catalogue_path
from ethicsflow.app.web.labels import humanize

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def entries(language: str) -> dict[str, tuple[str, bool]]:
    with catalogue_path(language).open("rb") as handle:
        po = read_po(handle, locale=language)
    return {str(m.id): (str(m.string or ""), m.fuzzy) for m in po if m.id}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_text_is_translated_with_its_placeholders(language: str) -> None:
    found = entries(language)
    wanted = msgids()
    missing = [text for text in wanted if text not in found]
    assert not missing, f"{language}.po lacks {len(missing)} texts; run catalogues: {missing[:5]}"
    untranslated = [text for text in wanted if not found[text][0] or found[text][1]]
    assert not untranslated, f"{language}: {len(untranslated)} untranslated: {untranslated[:5]}"
    for text in wanted:
        translation = found[text][0]
        assert sorted(PLACEHOLDER.findall(translation)) == sorted(PLACEHOLDER.findall(text)), (
            language,
            text,
            translation,
        )
        assert translation.count("%") == text.count("%"), (language, text, translation)
    stale = sorted(set(found) - set(wanted))
    assert not stale, f"{language}.po keeps texts no page uses; run catalogues: {stale[:5]}"


def test_the_pages_words_come_from_the_catalogue() -> None:
    kk, ru, en = Words("kk"), Words("ru"), Words("en")
    assert en("Sign in") == "Sign in"
    assert kk("Sign in") != "Sign in" and ru("Sign in") != "Sign in"
    assert kk.maybe(humanize("under_review")) != "Under review"
    assert ru.maybe("a text of data nobody translated") == "a text of data nobody translated"
    total = ru("Cases found: %(total)s · page %(page)s of %(pages)s", total=3, page=1, pages=1)
    assert "3" in total and "%(" not in total


def test_dates_are_in_almaty_and_in_the_language() -> None:
    en, ru = Words("en"), Words("ru")
    # 20:30 UTC on 7 December is 01:30 on 8 December in Almaty (UTC+5)
    assert en.datetime("2026-12-07T20:30:00+00:00") == "8 December 2026, 01:30"
    assert ru.date("2026-12-17") == "17 декабря 2026\u202fг."  # CLDR: a narrow no-break space
