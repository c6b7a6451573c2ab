"""Documents over the API: issuing one (a flow run), listing, downloading with an ETag."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.support import factories as f
from tests.support.api import Client
from tests.support.cases import file_complaint
from tests.support.tokens import signed_in

V1 = "/api/v1"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_issue_list_and_download_a_document(home: Path, api: Client, prefect_harness: None) -> None:
    b, other = f.body(), f.body()
    number = file_complaint(b, "2026-11-16")["number"]
    commissioner = signed_in(api, b.commissioner)  # the body's one commissioner: assignee
    url = f"{V1}/cases/{number}/documents"
    issued = commissioner.post(url, json={"kind": "coupon", "language": "ru"})
    assert issued.status_code == 201, issued.text
    data = issued.json()
    assert (data["number"], data["kind"], data["language"], data["format"]) == (
        number,
        "coupon",
        "ru",
        "docx",
    )
    assert (data["version"], data["created"], data["created_by"]) == (1, True, b.commissioner)
    assert data["href"] == f"{V1}/documents/{data['id']}" == issued.headers["location"]
    assert "path" not in data and "out" not in data  # no file names of the server
    again = commissioner.post(url, json={"kind": "coupon", "language": "ru"})
    assert again.status_code == 200
    assert (again.json()["id"], again.json()["created"]) == (data["id"], False)

    head = signed_in(api, b.head)
    listed = head.get(url)
    assert listed.status_code == 200
    assert [(d["id"], d["kind"], d["sha256"]) for d in listed.json()["documents"]] == [
        (data["id"], "coupon", data["sha256"])
    ]
    download = head.get(data["href"])
    assert download.status_code == 200 and download.headers["content-type"] == DOCX
    etag = download.headers["etag"]
    assert etag == f'"{data["sha256"]}"' == f'"{hashlib.sha256(download.content).hexdigest()}"'
    disposition = download.headers["content-disposition"]
    assert disposition == f'attachment; filename="{number}-coupon-ru-v1.docx"'
    cached = head.get(data["href"], headers={"If-None-Match": f'"0000", W/{etag}'})
    assert cached.status_code == 304 and cached.content == b""
    assert cached.headers["etag"] == etag
    stale = head.get(data["href"], headers={"If-None-Match": '"0000"'})
    assert stale.status_code == 200 and stale.content == download.content

    refused = head.post(url, json={"kind": "coupon"})  # the head reads, the assignee issues
    assert refused.status_code == 403 and refused.json()["code"] == "permission.denied"
    respondent = signed_in(api, b.respondent)  # a party sees the case, not its documents
    assert respondent.get(url).status_code == 403
    assert respondent.get(data["href"]).json()["code"] == "permission.denied"
    outsider = signed_in(api, other.commissioner)
    assert outsider.get(url).json()["code"] == "case.not_found"
    hidden = outsider.get(data["href"])
    assert hidden.status_code == 404 and hidden.json()["code"] == "document.not_found"
    assert number not in hidden.text
    assert head.get(f"{V1}/documents/{data['id'] + 1000}").status_code == 404
    assert api.get(url).status_code == api.get(data["href"]).status_code == 401

    unknown = commissioner.post(url, json={"kind": "memo"})  # the model refuses, in the flow
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "kind"
    copied = commissioner.post(url, json={"kind": "coupon", "out": "/tmp/coupon.docx"})
    assert copied.status_code == 422 and copied.json()["errors"][0]["field"] == "out"
