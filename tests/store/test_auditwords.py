"""An audit entry's detail and its actor in people's words, from plain data."""

from __future__ import annotations

from typing import Any

import pytest

from scoring.store.auditlog import ACTIONS
from scoring.store.auditwords import WORDS, Names, listed, person, said

NAMES = Names(
    people={"canbo": "Nguyễn Văn A", "thamdinh": "Trần Thị B"},
    units={"so-tai-chinh": "Sở Tài chính", "ban-dan-toc": "Ban Dân tộc"},
    groups={"department": ("Sở, ban, ngành", "Departments")},
)


@pytest.mark.parametrize(
    ("action", "detail", "vi", "en"),
    [
        ("unit.submit", {"late": True, "deadline": "2019-01-15"},
         "Nộp muộn (hạn 15/01/2019)", "Late (due 15/01/2019)"),
        ("unit.submit", {"late": False, "deadline": "2018-11-30", "bulk": True},
         "Nộp đúng hạn (hạn 30/11/2018) (thao tác hàng loạt)",
         "On time (due 30/11/2018) (bulk step)"),
        ("unit.advance", {"from": "appraised_1", "to": "explanation"},
         "Đã thẩm định vòng 1 → Giải trình", "appraised (round 1) → explanation"),
        ("campaign.advance", {"from": "open", "to": "appraisal"},
         "Đang mở → Thẩm định", "open → appraisal"),
        ("account.create", {"username": "canbo", "role": "officer"},
         "Tài khoản canbo — Nguyễn Văn A (Cán bộ đơn vị)",
         "Account canbo — Nguyễn Văn A (unit officer)"),
        ("account.disable", {"username": "nguoi.moi"},
         "Tài khoản nguoi.moi", "Account nguoi.moi"),
        ("evidence.add", {"name": "kh.pdf", "size": 1258291, "type": "application/pdf",
                          "sha256": "ab12cd34ef56" + "0" * 52, "stage": "answers", "stored": True},
         "kh.pdf, 1,2 MB, PDF, mã SHA-256 ab12cd34ef56… · kèm bản tự đánh giá",
         "kh.pdf, 1.2 MB, PDF, SHA-256 ab12cd34ef56… · with the self-assessment"),
        ("evidence.remove", {"name": "a.png", "sha256": "ff" * 32, "stage": "explanation",
                             "deleted": False},
         "a.png, mã SHA-256 ffffffffffff… · kèm giải trình · nội dung vẫn được tệp khác dùng",
         "a.png, SHA-256 ffffffffffff… · with an explanation · content kept: another file uses it"),
        ("appraisal.round_1", {"from": "1", "to": "0.5", "reason": "Thiếu phụ lục",
                               "appraiser": "thamdinh"},
         "1 → 0,5 điểm · lý do: Thiếu phụ lục · người thẩm định: Trần Thị B",
         "1 → 0.5 points · reason: Thiếu phụ lục · appraiser: Trần Thị B"),
        ("appraisal.round_2", {"from": "0.5", "to": "0.5", "reason": "Giữ nguyên"},
         "Giữ nguyên 0,5 điểm · lý do: Giữ nguyên", "Kept 0.5 points · reason: Giữ nguyên"),
        ("campaign.correction", {"run": 2, "parent": 1, "reason": "Sai điểm 1.1.3",
                                 "result_hash": "7b35d65063ac" + "0" * 52},
         "Lần công bố số 2 (đính chính lần số 1) · lý do: Sai điểm 1.1.3 · mã kết quả "
         "7b35d65063ac…",
         "Run 2 (correcting run 1) · reason: Sai điểm 1.1.3 · result hash 7b35d65063ac…"),
        ("unit.add", {"name": "Sở Tài chính", "group": "department", "tags": [],
                      "valid": ["2018-01-01", ""], "predecessors": ["ban-dan-toc"]},
         "Sở Tài chính · nhóm Sở, ban, ngành · hiệu lực 01/01/2018 – … · kế thừa Ban Dân tộc",
         "Sở Tài chính · group Departments · valid 01/01/2018 – … · succeeds Ban Dân tộc"),
        ("survey.import", {"mode": "replace", "updated": ["so-tai-chinh"],
                           "dropped": ["ban-dan-toc"], "sha256": "12" * 32},
         "Thay toàn bộ · cập nhật Sở Tài chính · bỏ Ban Dân tộc · mã SHA-256 121212121212…",
         "Replacing all · updated Sở Tài chính · dropped Ban Dân tộc · SHA-256 121212121212…"),
        ("unit.import", {"sha256": "ab" * 32, "replaces": None},
         "Lưu lần đầu · mã SHA-256 abababababab…", "First stored · SHA-256 abababababab…"),
        ("unit.import", {"sha256": "ab" * 32, "replaces": "cd" * 32},
         "Thay bản đã lưu, nhật ký không ghi từng câu trả lời · mã SHA-256 abababababab… "
         "(trước: cdcdcdcdcdcd…)",
         "Replaced the stored file; the log did not list the answers · SHA-256 abababababab… "
         "(before: cdcdcdcdcdcd…)"),
        ("unit.import", {"sha256": "ab" * 32, "replaces": None, "changes": []},
         "Không thay đổi câu trả lời", "No answer changed"),
        ("account.lock", {"until": "2018-11-20T09:15:00+00:00"},
         "Khóa đến 20/11/2018 16:15", "Locked until 20/11/2018 16:15"),
    ],
)  # fmt: skip
def test_each_action_reads_in_words(action: str, detail: dict[str, Any], vi: str, en: str) -> None:
    """An action's detail reads as a sentence in each language: names, states, dd/mm/yyyy,
    a decimal comma in Vietnamese, shortened hashes."""
    assert said(action, detail, NAMES, "vi") == vi
    assert said(action, detail, NAMES, "en") == en


def test_an_explanation_is_shortened_and_its_documents_listed() -> None:
    """A long explanation is cut with an ellipsis; its documents read as number, date, title."""
    detail = {
        "text": "Bổ sung " * 60,
        "evidence": [{"doc": "244/QĐ-STC", "date": "2018-12-12", "title": "Quyết định"}],
    }
    text = said("explanation.add", detail, NAMES)
    quoted, docs = text.split(" · ")
    assert quoted.startswith("“Bổ sung") and quoted.endswith("…”") and len(quoted) <= 162
    assert docs == "kèm 1 tài liệu: 244/QĐ-STC, 12/12/2018, Quyết định"


def test_every_action_has_words_of_its_own() -> None:
    """Every action people have a name for has its own words (none falls to the plain list)."""
    assert sorted(set(ACTIONS) - set(WORDS)) == []


def test_an_unknown_action_reads_as_a_list_never_json() -> None:
    """A future action's detail is a "key: value" list: dates, yes/no, nested lists, no braces
    or quotes."""
    detail = {"due_on": "2019-01-15", "late": True, "files": [{"name": "a.pdf", "rows": 3}]}
    text = said("something.new", detail, NAMES)
    assert text == "due on: 15/01/2019; late: có; files: (name: a.pdf; rows: 3)"
    assert "{" not in text and '"' not in text
    assert said("something.new", {}, NAMES) == "—"
    assert listed({"x": None}, NAMES, "en") == "x: —"


@pytest.mark.parametrize(
    ("actor", "vi", "en"),
    [
        ("canbo", "Nguyễn Văn A", "Nguyễn Văn A"),
        ("so-tai-chinh", "Sở Tài chính", "Sở Tài chính"),
        ("units", "các đơn vị", "the units"),
        ("seed", "hệ thống (seed)", "system (seed)"),
        ("parindex", "hệ thống (parindex)", "system (parindex)"),
        ("Tổ thẩm định Sở Nội vụ", "Tổ thẩm định Sở Nội vụ", "Tổ thẩm định Sở Nội vụ"),
    ],
)
def test_whoever_acted_is_named(actor: str, vi: str, en: str) -> None:
    """An account by its display name, a unit by its name, a login with no account as the
    system, a name typed in a file as it is."""
    assert person(actor, NAMES, "vi") == vi
    assert person(actor, NAMES, "en") == en
