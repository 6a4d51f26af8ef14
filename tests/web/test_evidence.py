"""Evidence files on the web: upload by content, refusals beside the field, one copy per
content, who may open them, explanations' files in round 2, the audit entry with the hash."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from scoring.store import moves
from scoring.store.appraisal import AppraisalChange, appraise
from scoring.store.db import Store
from scoring.store.schema import AuditRow, EvidenceBlob, EvidenceFile
from tests.support import files
from tests.support.web import (
    CID,
    NOW,
    OTHER,
    OWN,
    client_as,
    csrf_of,
    open_copy,
    to_appraisal,
)

LEAF, OTHER_LEAF = "1.1.1", "1.2.1"
UNIT = f"/c/{CID}/u/{OWN}"
PDF_NAME = "Quyết định 12-QĐ.pdf"


@pytest.fixture
def st(tmp_path: Path) -> Iterator[Store]:
    """The 2018 samples imported: campaign open, every unit a draft."""
    store = open_copy(tmp_path)
    yield store
    store.close()


def _upload(
    c: TestClient,
    data: bytes,
    name: str = PDF_NAME,
    node: str = LEAF,
    stage: str = "answers",
    unit: str = OWN,
    kind: str = "application/pdf",
) -> Any:
    return c.post(
        f"/c/{CID}/u/{unit}/evidence",
        data={"csrf": csrf_of(c), "node": node, "stage": stage},
        files={"file": (name, data, kind)},
        follow_redirects=False,
    )


def _rows(st: Store, table: Any) -> list[Any]:
    with st.read() as s:
        return list(s.exec(select(table)))


def _links(page: str) -> list[str]:
    return re.findall(rf'href="({UNIT}/evidence/\d+)"', page)


def test_an_officer_uploads_and_everyone_who_reads_the_unit_opens_it(st: Store) -> None:
    """An uploaded PDF is listed on the unit page and the trace, and opens for the officer,
    the appraiser, the auditor and the administrator with its Vietnamese name, its type
    found in the content and nosniff."""
    c = client_as(st, "canbo")
    data = files.pdf()
    r = _upload(c, data, kind="text/html")  # the browser's type is not believed
    assert r.status_code == 303 and r.headers["location"] == f"{UNIT}?note=saved"
    page = c.get(UNIT).text
    (link,) = _links(page)
    assert PDF_NAME in page and "Người canbo" in page  # the uploader's name, not username
    assert _links(c.get(f"{UNIT}/trace").text) == [link]
    for user in ("canbo", "thamdinh", "kiemtoan", "quantri"):
        got = client_as(st, user).get(link) if user != "canbo" else c.get(link)
        assert got.status_code == 200 and got.content == data
        assert got.headers["content-type"] == "application/pdf"
        assert got.headers["x-content-type-options"] == "nosniff"
        disposition = got.headers["content-disposition"]
        assert disposition.startswith('inline; filename="Quyet dinh 12-QD.pdf"')
        assert "filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%2012-Q%C4%90.pdf" in disposition


def test_another_units_officer_cannot_open_or_change_the_files(st: Store) -> None:
    """The other unit's officer gets 403 on the unit's file and its upload, and the file is
    not found through the officer's own unit's address; the appraiser cannot upload."""
    _upload(client_as(st, "canbo"), files.pdf())
    (f,) = _rows(st, EvidenceFile)
    other = client_as(st, "canbo2")
    assert other.get(f"{UNIT}/evidence/{f.id}").status_code == 403
    assert other.get(f"/c/{CID}/u/{OTHER}/evidence/{f.id}").status_code == 404
    assert _upload(other, files.png(), name="x.png").status_code == 403
    token = csrf_of(other)
    r = other.post(f"{UNIT}/evidence/{f.id}/remove", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 403
    assert _upload(client_as(st, "thamdinh"), files.png(), name="x.png").status_code == 403
    assert len(_rows(st, EvidenceFile)) == 1


@pytest.mark.parametrize(
    ("data", "name", "why"),
    [
        (files.DOCX, "bao-cao.pdf", "tệp này là tệp nén ZIP hoặc Word/Excel"),
        (files.TEXT, "anh.jpg", "không nhận ra loại tệp"),
        (files.pdf()[:-20], "cut.pdf", "Tệp PDF không trọn vẹn"),
        (b"", "rong.pdf", "Tệp rỗng"),
    ],
)
def test_a_file_refused_by_its_content_says_why_beside_the_field(
    st: Store, data: bytes, name: str, why: str
) -> None:
    """A file whose content is not a whole PDF or image is refused (400) with the reason in
    Vietnamese beside the file field, the leaf still chosen; nothing is stored."""
    c = client_as(st, "canbo")
    audit_before = len(_rows(st, AuditRow))
    r = _upload(c, data, name=name, node=OTHER_LEAF)
    assert r.status_code == 400
    error = re.search(r'<p class="error" role="alert" id="ev-error-answers">([^<]*)</p>', r.text)
    assert error is not None and why in error[1] and "hãy chọn lại tệp" in error[1]
    assert f'<option value="{OTHER_LEAF}" selected>' in r.text
    assert 'aria-describedby="ev-help-answers ev-error-answers"' in r.text
    assert _rows(st, EvidenceFile) == _rows(st, EvidenceBlob) == []
    assert len(_rows(st, AuditRow)) == audit_before


def test_no_file_chosen_is_said_in_the_pages_language(st: Store) -> None:
    """A post without a file is refused beside the field, in English when English is chosen."""
    c = client_as(st, "canbo")
    c.get("/lang/en")
    r = c.post(f"{UNIT}/evidence", data={"csrf": csrf_of(c), "node": LEAF, "stage": "answers"})
    assert r.status_code == 400 and "No file was chosen to upload" in r.text


def test_the_same_content_is_stored_once_and_audited_with_its_hash(st: Store) -> None:
    """One scan on two leaves is one blob; the same scan again on a leaf adds nothing and
    says so; each attachment's audit entry holds the content's SHA-256, name, size, type."""
    c = client_as(st, "canbo")
    data = files.jpeg()
    assert _upload(c, data, name="ảnh.jpg", kind="image/jpeg").status_code == 303
    assert _upload(c, data, name="ảnh 2.jpg", node=OTHER_LEAF).status_code == 303
    again = _upload(c, data, name="lần nữa.jpg")
    assert again.headers["location"] == f"{UNIT}?note=evidence_same"
    assert "đã được đính kèm cho tiêu chí này" in c.get(again.headers["location"]).text
    assert len(_rows(st, EvidenceBlob)) == 1 and len(_rows(st, EvidenceFile)) == 2
    entries = [e for e in _rows(st, AuditRow) if e.action == "evidence.add"]
    details = [json.loads(e.detail_json) for e in entries]
    sha = hashlib.sha256(data).hexdigest()
    assert [(d["sha256"], d["name"], d["size"], d["type"]) for d in details] == [
        (sha, "ảnh.jpg", len(data), "image/jpeg"),
        (sha, "ảnh 2.jpg", len(data), "image/jpeg"),
    ]
    assert {(e.actor, e.unit_id) for e in entries} == {("canbo", OWN)}


def test_removal_while_editable_then_frozen_by_the_submission(st: Store) -> None:
    """The officer removes a file while the form is editable; once submitted the files
    cannot change, and the page offers neither upload nor removal."""
    c = client_as(st, "canbo")
    _upload(c, files.pdf())
    _upload(c, files.png(), name="b.png", node=OTHER_LEAF)
    first, second = _rows(st, EvidenceFile)
    r = c.post(f"{UNIT}/evidence/{first.id}/remove", data={"csrf": csrf_of(c)})
    assert r.status_code == 200 and [f.id for f in _rows(st, EvidenceFile)] == [second.id]
    moves.submit(st, CID, OWN, actor="canbo", now=NOW)
    r = _upload(c, files.webp(), name="c.webp")
    assert r.status_code == 409 and "bản tự đánh giá đã nộp" in r.text
    r = c.post(f"{UNIT}/evidence/{second.id}/remove", data={"csrf": csrf_of(c)})
    assert r.status_code == 409 and "bản tự đánh giá đã nộp" in r.text
    page = c.get(UNIT).text
    assert f"{UNIT}/evidence/{second.id}/remove" not in page and 'type="file"' not in page
    assert [f.id for f in _rows(st, EvidenceFile)] == [second.id]


def test_explanations_carry_their_files_to_the_appraiser_in_round_2(st: Store) -> None:
    """In the explanation window the officer attaches a file to an item round 1 changed; the
    appraiser, in round 2, sees it next to the item with the unit's explanation."""
    to_appraisal(st)
    change = AppraisalChange(LEAF, Decimal("0.5"), "Văn bản trễ hạn", "thamdinh")
    appraise(st, CID, OWN, "1", [change], actor="thamdinh", now=NOW)
    for target in ("appraised_1", "explanation"):
        moves.advance_unit(st, CID, OWN, target, actor="thamdinh", now=NOW)
    c = client_as(st, "canbo")
    assert 'name="stage" value="explanation"' in c.get(UNIT).text
    r = _upload(c, files.pdf("Sổ văn bản đến"), name="so-van-ban-den.pdf", stage="explanation")
    assert r.status_code == 303
    refused = _upload(c, files.pdf(), node=OTHER_LEAF, stage="explanation")
    assert refused.status_code == 400 and "không bị điều chỉnh ở vòng 1" in refused.text
    token = csrf_of(c)
    text = "Văn bản đã gửi qua iOffice đúng hạn"
    c.post(f"{UNIT}/explain", data={"csrf": token, "version": _version(st), f"e:{LEAF}": text})
    page = client_as(st, "thamdinh").get(UNIT).text
    row = re.search(rf'<tr id="evidence-explained-{re.escape(LEAF)}">(.*?)</tr>', page, re.S)
    assert row is not None
    assert text in row[1] and "so-van-ban-den.pdf" in row[1]
    assert re.search(rf'href="{UNIT}/evidence/\d+"', row[1])
    assert 'type="file"' not in page  # the appraiser uploads nothing
    # and in the item's own row of the appraisal table, beside its points and explanation
    item = re.search(rf'<tr id="leaf-{re.escape(LEAF)}"[^>]*>(.*?)</tr>', page, re.S)
    assert item is not None
    assert text in item[1] and "so-van-ban-den.pdf" in item[1]


def _version(st: Store) -> str:
    from scoring.store import views

    unit = views.unit(st, CID, OWN)
    assert unit is not None
    return str(unit.version)


def test_a_file_posted_to_a_form_that_takes_none_is_refused(st: Store) -> None:
    """Only the upload route takes a file: the same file posted with the answers form is
    refused (400) and nothing is stored."""
    c = client_as(st, "canbo")
    before = len(_rows(st, AuditRow))
    r = c.post(
        f"{UNIT}/answers",
        data={"csrf": csrf_of(c), "version": _version(st)},
        files={"file": ("a.pdf", files.pdf(), "application/pdf")},
        follow_redirects=False,
    )
    assert r.status_code == 400
    assert len(_rows(st, AuditRow)) == before and _rows(st, EvidenceBlob) == []


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [(files.pdf(), PDF_NAME, "application/pdf"), (files.png(), "ảnh.png", "image/png")],
)
def test_a_file_is_served_in_a_sandbox_of_its_own(
    st: Store, data: bytes, name: str, kind: str
) -> None:
    """An evidence file comes with its own Content-Security-Policy: sandboxed, nothing loaded
    from anywhere, never framed; the app's pages keep the app's policy."""
    c = client_as(st, "canbo")
    assert _upload(c, data, name, kind=kind).status_code == 303
    page = c.get(UNIT)
    (link,) = _links(page.text)
    got = c.get(link)
    assert got.status_code == 200 and got.headers["content-type"] == kind
    policy = [p.strip() for p in got.headers["content-security-policy"].split(";")]
    assert policy[0] == "sandbox" and "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" not in policy
    assert not any(p.startswith("sandbox ") for p in policy)  # no allow-* eases it
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
