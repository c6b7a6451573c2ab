"""How raw values become a payload: the CLI's ``@PATH`` and JSON, and the literal values
a person sends over HTTP (text as typed, no file of the server)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ethicsflow.models.errors import InvalidInput, render
from ethicsflow.models.lifecycle import payloads as p
from ethicsflow.models.lifecycle.fields import parse_payload


def test_the_cli_reads_a_file_and_json_a_person_over_http_is_taken_literally(
    tmp_path: Path,
) -> None:
    note = tmp_path / "note.txt"
    note.write_text("written in a file")
    assert parse_payload(p.Reason, {"reason": f"@{note}"}).reason == "written in a file"
    literal = parse_payload(p.Reason, {"reason": f"@{note}"}, literal=True)
    assert literal.reason == f"@{note}"
    assert parse_payload(p.Reason, {"reason": "[1,2]"}, literal=True).reason == "[1,2]"


def test_a_file_of_the_server_is_never_attached_over_http(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence.pdf"
    evidence.write_bytes(b"%PDF-1.4")
    values = {"measure": "1", "evidence": "signed order", "evidence_file": str(evidence)}
    assert parse_payload(p.CompleteMeasure, values).evidence_file == str(evidence)
    with pytest.raises(InvalidInput) as refused:
        parse_payload(p.CompleteMeasure, values, literal=True)
    assert refused.value.code == "payload.file_on_server_only"
    assert refused.value.field is not None and refused.value.field.name == "evidence_file"
    assert "evidence_file" in render(refused.value, "ru")
