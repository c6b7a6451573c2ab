"""Reading `case import` files (JSONL or CSV) and showing progress on a terminal."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

from ethicsflow.app.errors import message
from ethicsflow.models.errors import InvalidInput, from_dict, key

KEYS = (
    "kind",
    "org",
    "by",
    "against",
    "summary",
    "received_at",
    "anonymous",
    "confidential",
    "key",
    "related",
    "committed_on",
)
TRUE = {"1", "true", "yes", "y", "on"}
FALSE = {"0", "false", "no", "n", "off", ""}


def _row(raw: dict[str, Any]) -> dict[str, Any] | str:
    unknown = sorted(set(raw) - set(KEYS))
    if unknown:
        return f"unknown column(s) {', '.join(unknown)} (allowed: {', '.join(KEYS)})"
    row = {k: v for k, v in raw.items() if v not in (None, "")}
    for name in ("anonymous", "confidential"):
        flag = row.get(name, False)
        if isinstance(flag, str):
            if flag.strip().lower() not in TRUE | FALSE:
                return f"{name}: {flag!r} is not true or false"
            row[name] = flag.strip().lower() in TRUE
    return row


def read_rows(path: Path) -> list[tuple[int, dict[str, Any] | str]]:
    """Rows with their line numbers; a row that cannot be read is an error string."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput(
            "case.import_unreadable", key("file"), path=str(path), reason=exc.strerror
        ) from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput("case.import_not_utf8", key("file"), path=str(path)) from exc
    rows: list[tuple[int, dict[str, Any] | str]] = []
    if path.suffix.lower() == ".csv" or (text.lstrip()[:1] not in ("{", "")):
        reader = csv.DictReader(text.splitlines())
        if not reader.fieldnames:
            raise InvalidInput("case.import_no_header", key("file"), path=str(path))
        for record in reader:
            if None in record:
                rows.append((reader.line_num, "more values than columns"))
                continue
            rows.append((reader.line_num, _row(dict(record))))
        return rows
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append((number, f"not valid JSON ({exc.msg})"))
            continue
        rows.append((number, _row(value) if isinstance(value, dict) else "not a JSON object"))
    return rows


def rendered(report: dict[str, Any]) -> dict[str, Any]:
    """The engine's import report with each failed row's error as the CLI words it.

    The API reports a row's error as a problem document carrying the domain error;
    ``--json`` and the text output show the line the CLI prints for it.
    """
    errors = [{**entry, "error": _said(entry["error"])} for entry in report["errors"]]
    return {**report, "errors": errors}


def _said(error: Any) -> str:
    """A row's error: a problem document from the API (the domain error in its
    ``error``), or the error itself."""
    if isinstance(error, str):
        return error
    if isinstance(error.get("error"), dict):
        return message(from_dict(error["error"]))
    return message(from_dict(error))


class ProgressBar:
    """A one-line progress bar on stderr (only used on a terminal)."""

    def __init__(self, total: int) -> None:
        self.total = max(total, 1)
        self.done = 0

    def __call__(self, n: int) -> None:
        self.done += n
        width = 30
        filled = int(width * self.done / self.total)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}")
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")
