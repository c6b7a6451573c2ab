"""Filing flows: `file-case` (one appeal) and `import-cases` (a file of them)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from prefect import flow, task

from ethicsflow.flows.runtime import private_parameters, tag_current_run
from ethicsflow.models.cases import operations


@private_parameters("values")
@flow(name="file-case")
def file_case_flow(values: dict[str, Any], operator: str | None = None) -> dict[str, Any]:
    """Register one case (number, deadlines, assignment, audit) in one transaction.

    A single step: the operation is called directly (no task run). ``operator``: the
    server's operator who filed for the person (the audit event records both).
    """
    result = operations.file_one(values, operator=operator)
    tag_current_run(f"case:{result['number']}")
    return result


@task(name="register-batch")
def register_batch(rows: list[tuple[int, dict[str, Any] | str]]) -> dict[str, Any]:
    return operations.import_rows(rows).as_dict()


@flow(name="import-cases")
def import_cases_flow(source: str, batch: int = 1000) -> dict[str, Any]:
    """File many cases in one run: each bad row reported, keys make re-import a no-op.

    ``source`` is a staged JSON file of ``[line, row]`` pairs (see flows/commands.py):
    Prefect refuses flow parameters over a size limit that a large import exceeds.
    """
    rows = [(int(line), row) for line, row in json.loads(Path(source).read_text("utf-8"))]
    total: dict[str, Any] = {"filed": 0, "existing": 0, "failed": 0, "cases": [], "errors": []}
    for start in range(0, len(rows), batch):
        part = register_batch(rows[start : start + batch])
        for key in ("filed", "existing", "failed"):
            total[key] += part[key]
        total["cases"].extend(part["cases"])
        total["errors"].extend(part["errors"])
    return total
