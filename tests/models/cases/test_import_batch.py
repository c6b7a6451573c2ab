"""A batch import reads lookups once but numbers stay gap-free and keys stay exact."""

from pathlib import Path

from ethicsflow.models.cases import operations
from tests.support import factories as f


def _row(b: f.Body, key: str, **extra: object) -> dict[str, object]:
    return {
        "kind": "complaint",
        "org": b.code,
        "by": b.filer,
        "summary": "Imported paper appeal about conduct",
        "received_at": "2026-11-02T09:30:00+05:00",
        "key": key,
        **extra,
    }


def test_import_batch_numbers_gap_free_around_bad_rows(home: Path) -> None:
    b = f.body()
    other = f.body()
    rows: list[tuple[int, dict[str, object] | str]] = [
        (1, _row(b, "k1")),
        (2, _row(b, "k2", by="nobody@example.kz")),  # unknown filer: refused
        (3, _row(other, "k3")),
        (4, _row(b, "k1")),  # the same key again in the same batch: the same case
        (5, _row(b, "k5")),
        (6, "not valid JSON"),
        (7, _row(other, "k7")),
    ]
    report = operations.import_rows(rows, batch=100).as_dict()
    numbers = {c["line"]: c["number"] for c in report["cases"]}
    assert numbers == {
        1: f"{b.code}-2026-00001",
        3: f"{other.code}-2026-00001",
        4: f"{b.code}-2026-00001",
        5: f"{b.code}-2026-00002",
        7: f"{other.code}-2026-00002",
    }
    assert (report["filed"], report["existing"], report["failed"]) == (4, 1, 2)
    # A second batch continues the same counters.
    again = operations.import_rows([(1, _row(b, "k8")), (2, _row(b, "k1"))]).as_dict()
    assert [c["number"] for c in again["cases"]] == [f"{b.code}-2026-00003", f"{b.code}-2026-00001"]
