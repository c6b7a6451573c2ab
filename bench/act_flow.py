"""p50/p95 of one case action through its `act-on-case` flow in a warm process.

Goal (issue 2): p50 <= 100 ms. Run: `python bench/act_flow.py [N]`.
Uses Prefect's temporary server unless PREFECT_API_URL is set.
"""

from __future__ import annotations

import sys
import time

from _common import fresh_home, percentiles, seed_body


def main(n: int = 60) -> None:
    home = fresh_home("ethicsflow-bench-act-")
    people = seed_body(commissioners=1)
    from ethicsflow.app.engine_client import run_inprocess

    started = time.perf_counter()
    filed = run_inprocess(
        "file_case",
        {
            "values": {
                "kind": "complaint",
                "org": "BENCH",
                "by": people["filer"],
                "summary": "Benchmark complaint about conduct",
            }
        },
    )
    first = time.perf_counter() - started
    number = filed["number"]
    run_inprocess("act", {"number": number, "action": "accept", "by": "c0@bench.kz", "values": {}})
    samples = []
    for i in range(n):
        if i % 2 == 0:
            params = {
                "action": "request_explanation",
                "values": {"respondent": "r@bench.kz", "questions": f"Question {i}"},
            }
        else:
            params = {"action": "record_explanation", "values": {"text": f"Answer {i}"}}
        t0 = time.perf_counter()
        run_inprocess("act", {"number": number, "by": "c0@bench.kz", **params})
        samples.append((time.perf_counter() - t0) * 1000)
    p50, p95 = percentiles(samples)
    print(f"home: {home}")
    print(f"first flow in the process (incl. Prefect start): {first:.1f} s")
    print(
        f"act-on-case, {n} runs, warm process: p50 {p50:.0f} ms, p95 {p95:.0f} ms "
        f"(goal p50 <= 100 ms)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
