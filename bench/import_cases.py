"""Filing throughput of `case import` for 10,000 rows (goal >= 500 cases/s).

Prints the rate of the `import-cases` flow (one flow run, warm process) and of
the plain operation without Prefect. Run: `python bench/import_cases.py [ROWS]`.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from _common import fresh_home, seed_body


def write_rows(path: Path, rows: int, tag: str, filer: str) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(rows):
            out.write(
                json.dumps(
                    {
                        "kind": "complaint",
                        "org": "BENCH",
                        "by": filer,
                        "key": f"{tag}-{i}",
                        "summary": f"Imported paper appeal number {i} about conduct",
                        "received_at": "2026-11-02T09:30:00+05:00",
                    }
                )
                + "\n"
            )


def main(rows: int = 10_000) -> None:
    home = fresh_home("ethicsflow-bench-import-")
    people = seed_body(commissioners=5)
    from ethicsflow.app.engine_client import run_inprocess
    from ethicsflow.app.importing import read_rows
    from ethicsflow.models.cases.operations import import_rows

    warm = home / "warm.jsonl"
    write_rows(warm, 5, "warm", people["filer"])
    run_inprocess("import_cases", {"rows": read_rows(warm)})

    path = home / "flow.jsonl"
    write_rows(path, rows, "flow", people["filer"])
    t0 = time.perf_counter()
    report = run_inprocess("import_cases", {"rows": read_rows(path)})
    flow_s = time.perf_counter() - t0
    assert report["filed"] == rows, report["errors"][:3]

    t0 = time.perf_counter()
    again = run_inprocess("import_cases", {"rows": read_rows(path)})
    again_s = time.perf_counter() - t0
    assert again["existing"] == rows and again["filed"] == 0

    plain = home / "plain.jsonl"
    write_rows(plain, rows, "plain", people["filer"])
    t0 = time.perf_counter()
    plain_report = import_rows(read_rows(plain))
    plain_s = time.perf_counter() - t0
    assert len(plain_report.filed) == rows

    print(f"home: {home}")
    print(
        f"import-cases flow, {rows} rows: {flow_s:.1f} s = {rows / flow_s:.0f} cases/s "
        f"(goal >= 500/s)"
    )
    print(
        f"re-import of the same file (keys, no-op): {again_s:.1f} s = {rows / again_s:.0f} rows/s"
    )
    print(f"plain operation without Prefect: {rows / plain_s:.0f} cases/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
