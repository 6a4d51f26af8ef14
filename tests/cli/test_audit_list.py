"""``parindex audit list`` for people: names, Vietnamese actions, local times, and a save's
changed fields in the leaf's own words; ``--json`` stays exact."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import run
from tests.support.paths import SAMPLES

UNIT = "huyen-bac-son"  # a district: some of its inputs are named unlike a department's
# (old text, new text) in the unit's sample file: a date, a yes/no, a count, a level, a score
EDITS = [
    ("done_on: 2018-02-08", "done_on: 2018-01-25"),
    ('"1.1.2":\n    value: false', '"1.1.2":\n    value: true'),
    ("numerator: 14\n    denominator: 28", "numerator: 20\n    denominator: 28"),
    ("level: hoan-thanh\n    self_score: 1.5", "level: co-ban\n    self_score: 1"),
]
# what the save's entry reads, one line per changed field
SAID_VI = [
    "1.1.1 — Ngày ban hành kế hoạch CCHC: 08/02/2018 → 25/01/2018",
    "1.1.2 — Kế hoạch đủ nhiệm vụ các lĩnh vực và có bố trí kinh phí: Không → Có",
    "1.3.1 — Số phòng chuyên môn, UBND cấp xã được kiểm tra CCHC: 14 → 20",  # the district's
    "1.4.1 — Mức độ đạt được: Hoàn thành 100% kế hoạch → Hoàn thành từ 80% đến dưới 100%",
    "1.4.1 — Điểm tự chấm: 1,5 → 1",
]
SAID_EN = [
    "1.1.1 — Date the PAR plan was issued: 08/02/2018 → 25/01/2018",
    "1.1.2 — The plan covers every area and is funded: No → Yes",
    "1.3.1 — Divisions and communes inspected: 14 → 20",
    "1.4.1 — Level reached: Fully delivered → 80% to under 100%",
    "1.4.1 — Self-score: 1.5 → 1",
]
# what the stored detail holds and people never read
RAW = ["numerator", "done_on", "hoan-thanh", "co-ban", "2018-02-08", "self_score", '{"', UNIT]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store with the 2018 samples imported, then the district's file saved again with a
    date, a yes/no, a count, a level and its self-score changed."""
    folder = tmp_path_factory.mktemp("audit-list")
    url = f"sqlite:///{folder / 'parindex.db'}"
    base = ("--db", url, "--actor", "snv")
    assert run(*base, "--at", "2018-11-20T08:00", "import", str(SAMPLES)).exit_code == 0
    text = (SAMPLES / "units" / f"{UNIT}.yaml").read_text(encoding="utf-8")
    for old, new in EDITS:
        assert old in text, old
        text = text.replace(old, new, 1)
    edited = folder / f"{UNIT}.yaml"
    edited.write_text(text, encoding="utf-8")
    r = run(*base, "--at", "2018-11-21T09:30", "import", str(edited), "--campaign", "2018")
    assert r.exit_code == 0, r.output
    return url


def _entry(stdout: str, action: str, effective: str) -> list[str]:
    """The lines of the entry whose first line names ``action`` and the time ``effective``."""
    lines = stdout.splitlines()
    start = next(i for i, x in enumerate(lines) if action in x and effective in x)
    end = start + 1
    while end < len(lines) and not lines[end][:6].strip():  # its detail lines: no number
        end += 1
    return lines[start:end]


def test_a_save_lists_its_changes_in_the_leafs_words(db: str) -> None:
    """The save's entry names who, what, the campaign and the unit, its local time, then each
    changed field by the leaf's label (the district's own words) with its values as people
    write them: dd/mm/yyyy, Có/Không, a level's label, a decimal comma."""
    r = run("--db", db, "audit", "list", "--unit", UNIT)
    assert r.exit_code == 0, r.output
    head, *changes = _entry(r.stdout, "Lưu bản tự đánh giá", "21/11/2018 09:30")
    assert "hệ thống (snv)" in head and "Lạng Sơn 2018 · Huyện Bắc Sơn" in head
    assert [c.strip() for c in changes] == SAID_VI
    assert "Số phòng, đơn vị trực thuộc" not in r.stdout  # a department's label for 1.3.1
    first = _entry(r.stdout, "Lưu bản tự đánh giá", "20/11/2018 08:00")  # the folder's import
    assert first[1].strip().startswith("Lưu lần đầu · mã SHA-256 ")
    for raw in RAW:
        assert raw not in r.stdout, raw


def test_every_entry_reads_in_words(db: str) -> None:
    """Each entry of the log reads in Vietnamese words: no JSON, no ISO times, the unit added
    by its name and group, a campaign by its name."""
    r = run("--db", db, "audit", "list", "--limit", "1000")
    assert r.exit_code == 0, r.output
    assert '{"' not in r.stdout and "+00:00" not in r.stdout and "T08:00" not in r.stdout
    added = _entry(r.stdout, "Thêm đơn vị", "Huyện Bắc Sơn")
    assert added[1].strip().startswith("Huyện Bắc Sơn · nhóm ")
    created = _entry(r.stdout, "Tạo kỳ đánh giá", "20/11/2018 08:00")
    assert "Năm 2018 · hạn tự đánh giá 30/11/2018" in created[1]


def test_english_on_lang_en(db: str) -> None:
    """--lang en: English action names, labels and values, none of the Vietnamese."""
    r = run("--db", db, "--lang", "en", "audit", "list", "--unit", UNIT)
    assert r.exit_code == 0, r.output
    head, *changes = _entry(r.stdout, "Self-assessment saved", "21/11/2018 09:30")
    assert "system (snv)" in head and [c.strip() for c in changes] == SAID_EN
    for vi in ("Lưu bản tự đánh giá", "hệ thống", "Không", "Điểm tự chấm", "Thêm đơn vị"):
        assert vi not in r.stdout, vi


def test_json_stays_exact(db: str) -> None:
    """--json keeps the stored entry: ids, ISO UTC times, the changes' field names and codes."""
    r = run("--db", db, "audit", "list", "--unit", UNIT, "--json")
    assert r.exit_code == 0, r.output
    save = [e for e in json.loads(r.stdout) if e["action"] == "unit.import"][-1]
    assert save["actor"] == "snv" and save["unit"] == UNIT and save["campaign"] == "langson-2018"
    assert save["at"] == "2018-11-21T02:30:00+00:00"
    assert {"node": "1.4.1", "field": "level", "old": "hoan-thanh", "new": "co-ban"} in save[
        "detail"
    ]["changes"]
    assert {"node": "1.1.1", "field": "done_on", "old": "2018-02-08", "new": "2018-01-25"} in save[
        "detail"
    ]["changes"]
