"""The restoration report over the API: JSON or CSV, of the organizations one may read."""

from __future__ import annotations

from pathlib import Path

from ethicsflow.models.restoration.reports import report_csv, restoration_report
from tests.support import factories as f
from tests.support.api import Client
from tests.support.cases import file_complaint
from tests.support.tokens import signed_in

URL = "/api/v1/reports/restoration"


def test_the_restoration_report_by_who_reads_it(home: Path, api: Client) -> None:
    b, other = f.body(), f.body()
    for body in (b, b, other):
        file_complaint(body, "2026-11-02", kind="restoration", against=None)

    head = signed_in(api, b.head)  # a head: their body's report, by default
    own = head.get(URL)
    assert own.status_code == 200
    assert own.json() == restoration_report(b.code)
    assert (own.json()["org"], own.json()["cases"]) == (b.code, 2)
    later = head.get(URL, params={"from": "2026-11-03", "to": "2026-12-31"}).json()
    assert (later["from"], later["to"], later["cases"]) == ("2026-11-03", "2026-12-31", 0)
    table = head.get(URL, params={"format": "csv"})
    assert table.headers["content-type"] == "text/csv; charset=utf-8"
    assert table.text == report_csv(restoration_report(b.code))
    assert table.text.startswith("section,key,value\r\nfilter,org," + b.code)
    elsewhere = head.get(URL, params={"org": other.code})
    assert elsewhere.status_code == 403
    assert elsewhere.json()["code"] == "permission.denied_organization"

    agency = signed_in(api, f.person(f.org(), "agency"))  # every body: all by default
    everything = agency.get(URL).json()
    assert (everything["org"], everything["cases"]) == (None, 3)
    assert agency.get(URL, params={"org": other.code.lower()}).json()["cases"] == 1
    missing = agency.get(URL, params={"org": "NOPE"})
    assert missing.status_code == 404 and missing.json()["errors"][0]["field"] == "org"

    commissioner = signed_in(api, b.commissioner)
    assert commissioner.get(URL).json()["code"] == "permission.denied_organization"
    assert api.get(URL).status_code == 401
    undated = head.get(URL, params={"from": "yesterday"})
    assert undated.status_code == 422 and undated.json()["errors"][0]["field"] == "from"
    backwards = head.get(URL, params={"from": "2026-12-01", "to": "2026-11-01"})
    assert backwards.json()["code"] == "report.from_after_to"
    unknown = head.get(URL, params={"format": "xml"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "format"
