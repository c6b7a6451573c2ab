"""The pages' texts to translate, and keeping ``templates/web/i18n/{kk,ru}.po`` in step.

Three sources: ``_("...")`` in ``templates/web/*.html`` (Jinja2's Babel extractor),
``N_("...")`` in ``app/web/*.py``, and the words of data (:mod:`labels`: statuses,
actions, fields, deadlines and their legal bases). ``python -m ethicsflow.app.web.catalogues``
adds each new text to both catalogues with an empty translation and drops the ones no
page uses any more; ``tests/app/web/test_i18n.py`` fails while any is untranslated.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python
from babel.messages.pofile import read_po, write_po
from jinja2.ext import babel_extract

from ethicsflow.app.web.i18n import catalogue_path
from ethicsflow.app.web.labels import data_msgids
from ethicsflow.app.web.render import TEMPLATES

CODE = Path(__file__).parent
TRANSLATED = ("kk", "ru")
HEADER = """\
# The web pages' texts (app/web/, templates/web/). English is the msgid.
# Update with: python -m ethicsflow.app.web.catalogues (then translate the empty ones)."""


def _strings(found: Iterator[tuple[Any, ...]]) -> Iterator[str]:
    for entry in found:
        message = entry[2]
        if isinstance(message, str):
            yield message
        elif isinstance(message, tuple) and message and isinstance(message[0], str):
            yield message[0]


def msgids() -> list[str]:
    """Every text the pages may show, English, sorted."""
    found: set[str] = set(data_msgids())
    options = {"extensions": "", "trim_blocks": "True", "lstrip_blocks": "True"}
    for template in sorted(TEMPLATES.glob("*.html")):
        with template.open("rb") as handle:
            found.update(_strings(babel_extract(handle, ("_",), [], options)))
    for module in sorted(CODE.glob("*.py")):
        with module.open("rb") as handle:
            found.update(_strings(extract_python(handle, {"N_": None}, [], {})))
    return sorted(text for text in found if text)


def update() -> dict[str, int]:
    """Bring both catalogues in step with :func:`msgids`; ``{lang: untranslated}``."""
    wanted = msgids()
    untranslated: dict[str, int] = {}
    for language in TRANSLATED:
        path = catalogue_path(language)
        old: Catalog
        if path.exists() and path.stat().st_size:
            with path.open("rb") as handle:
                old = read_po(handle, locale=language)
        else:
            old = Catalog(locale=language)
        new = Catalog(
            locale=language,
            project="ethicsflow",
            version="web",
            copyright_holder="ethicsflow contributors",
            msgid_bugs_address="",
            header_comment=HEADER,
            creation_date=old.creation_date,
            revision_date=old.revision_date,
            fuzzy=False,
        )
        for text in wanted:
            kept = old.get(text)
            new.add(text, kept.string if kept is not None else "")
        with path.open("wb") as handle:
            write_po(handle, new, width=0, omit_header=False, sort_output=True)
        untranslated[language] = sum(1 for m in new if m.id and not m.string)
    return untranslated


def main() -> None:
    for language, missing in update().items():
        print(f"{catalogue_path(language)}: {missing} untranslated")
    sys.exit(0)


if __name__ == "__main__":
    main()
