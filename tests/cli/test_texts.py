"""The CLI's human output as people read it: a golden example of each command, in Vietnamese
by default and in English with --lang en, while --json stays exact and ISO."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scoring.cli import texts
from scoring.store.workflow import CAMPAIGN_STATES, STATE_NAMES, UNIT_STATES
from scoring.web import i18n
from tests.support.cli import run
from tests.support.paths import MINI

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "2018"
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?")
LONG = re.compile(r"\d[\d.,]{19,}")  # 20 or more digits: a raw Decimal


def people_read(text: str) -> None:
    """What no human output may hold: Decimal reprs, 20-digit figures, ISO dates or times,
    band notation."""
    assert "Decimal(" not in text
    assert not LONG.search(text), LONG.search(text)
    assert not ISO_TIME.search(text), ISO_TIME.search(text)
    assert "Khoảng [" not in text and "Band [" not in text and ">=" not in text


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store holding the mini campaign's whole published year."""
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'parindex.db'}"
    r = run("--db", url, "--actor", "snv", "campaign", "run", str(MINI))
    assert r.exit_code == 0, r.output
    return url


def test_score_table_golden() -> None:
    """score: Vietnamese headers, decimal commas, the group's satisfaction as a percentage."""
    r = run("score", str(SAMPLE))
    assert r.exit_code == 0, r.output
    out = r.stdout
    for word in ("Hạng", "Đơn vị", "Điểm", "Tối đa", "Chỉ số", "Xếp loại", "mã băm"):
        assert word in out
    assert "│ Sở Tài chính      │ 91,18 │ 100,00 │  91,18 │ Xuất sắc │        76,23 │" in out
    assert "Chỉ số hài lòng bình quân của nhóm: 74,21 %" in out
    people_read(out)
    en = run("--lang", "en", "score", str(SAMPLE)).stdout
    assert "Rank" in en and "91.18" in en and "Departments and agencies" in en
    exact = json.loads(run("score", str(SAMPLE), "--json").stdout)
    assert exact["groups"][0]["units"][0]["index"] == "91.18"


def test_explain_golden() -> None:
    """explain: points at the index's places, bands in words, input labels, dates dd/mm/yyyy."""
    r = run("explain", "so-tai-chinh", "7.3", "--campaign", str(SAMPLE))
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "  7.3.1          2,00 / 2,00   Từ 30 đến 100: 2/2 điểm" in out
    assert (  # the leaf's own words for its inputs
        "Số TTHC có dịch vụ công trực tuyến mức độ 3, 4: 62; "
        "Tổng số TTHC thuộc thẩm quyền: 146; Tỷ lệ (%): 42,47"
    ) in out
    assert "  7.3.2          1,70 / 2,00   Tính theo tỷ lệ: 1,70/2 điểm" in out
    people_read(out)
    dates = run("explain", "so-tai-chinh", "1.1.1", "--campaign", str(SAMPLE)).stdout
    assert "Ngày ban hành kế hoạch CCHC: 31/01/2018; Hạn: 31/01/2018; Số ngày trễ: 0" in dates
    en = run("--lang", "en", "explain", "so-tai-chinh", "7.3", "--campaign", str(SAMPLE)).stdout
    assert "From 30 to 100: 2 of 2" in en and "at level 3 or 4: 62" in en and "Từ 30" not in en
    exact = json.loads(
        run("explain", "so-tai-chinh", "7.3", "--campaign", str(SAMPLE), "--json").stdout
    )
    step = next(s for s in exact["steps"] if s["node"] == "7.3.2")
    assert len(step["inputs"]["rate"]) > 20 and step["reason_vi"].startswith("Tính theo")


def test_gaps_golden() -> None:
    """gaps: points lost with decimal commas, 34-digit figures rounded, bands in words."""
    r = run("gaps", "so-giao-duc-va-dao-tao", "--campaign", str(SAMPLE))
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert out.startswith(
        "Sở Giáo dục và Đào tạo (so-giao-duc-va-dao-tao): 27 mục chưa đạt tối đa, mất 16,91 điểm"
    )
    assert "  7.3.2     1,31/2,00  −0,69   Tính theo tỷ lệ: 1,31/2 điểm" in out
    assert "  3.4.1     2,00/3,00  −1,00   Từ 95 đến dưới 100: 2/3 điểm" in out
    assert "bậc kế tiếp: Công khai TTHC đầy đủ, đúng quy định → có (+1,00)" in out
    people_read(out)
    exact = json.loads(run("gaps", "so-giao-duc-va-dao-tao", "--json").stdout)
    row = next(g for g in exact["gaps"] if g["node"] == "7.3.2")
    assert row["points"].startswith("1.3107014388489208633")  # --json keeps the exact figure
    assert next(g for g in exact["gaps"] if g["node"] == "3.2.2")["next"]["changes"] == {
        "value": True
    }


def test_simulate_golden_with_decimal_comma_and_day_first_date() -> None:
    """simulate: --set takes 92,5 and 03/02/2018; the result reads in Vietnamese."""
    r = run(
        "simulate",
        "so-giao-duc-va-dao-tao",
        "--set",
        "1.1.3=92,5",
        "--set",
        "1.1.1.done_on=03/02/2018",
    )
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "1.1.3 Tỷ lệ nhiệm vụ kế hoạch CCHC đã hoàn thành (%) → 92,5; " in out
    assert "; 1.1.1 Ngày ban hành kế hoạch CCHC → 03/02/2018" in out
    assert "  Điểm      83,09 → 83,09" in out
    assert "Trên 90 đến 100: 1,5/1,5 điểm" in out and "Trễ hạn (trên 0 ngày)" in out
    people_read(out)
    same = run("simulate", "so-giao-duc-va-dao-tao", "--set", "1.1.3=92.5", "--json")
    assert json.loads(same.stdout)["changes"] == ["1.1.3.value=92.5"]


@pytest.mark.parametrize("value", ["abc", "1,000.5", "nan"])
def test_simulate_bad_value_is_located(value: str) -> None:
    """A value that is not a number is exit 1 with a message naming --set, no traceback."""
    r = run("simulate", "so-giao-duc-va-dao-tao", "--set", f"1.1.3={value}")
    assert r.exit_code == 1 and "--set" in r.output and "Traceback" not in r.output


def test_plan_golden() -> None:
    """plan: Vietnamese headers and input labels, figures with commas, a check line."""
    r = run("plan", "so-giao-duc-va-dao-tao", "--to", "xuat-sac")
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "│ 3.2.2 │ Công khai TTHC đầy đủ, đúng quy định → có" in out and "+7,00" in out
    assert "  Chỉ số    83,09 → 90,09" in out and "từ 90 trở lên" in out
    people_read(out)


def test_plan_goal_and_message_are_vietnamese_with_english_on_request() -> None:
    """plan: the goal and the outcome are Vietnamese sentences (figures with commas, the
    group's name), English only with --lang en; --json keeps both, exact."""
    r = run("plan", "so-giao-duc-va-dao-tao", "--rank", "1")
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert (
        "— hạng 1/20 trong nhóm Sở, ban, ngành: chỉ số xếp hạng từ 91,2 trở lên, làm tròn "
        "1 chữ số thập phân (đồng hạng thì bỏ trống hạng kế tiếp)" in out
    )
    assert "  đạt được với 11 thay đổi, chi phí 12: chỉ số 91,59, xếp loại Xuất sắc, hạng 1" in out
    said = out.split("kiểm tra:")[0]  # the check line is a command to type, not a sentence
    for word in ("rank", "index", "class", "decimal", "ties", "reached", "costing"):
        assert word not in said, word
    people_read(said)
    met = run("plan", "so-tai-chinh", "--index", "80,5").stdout
    assert "— chỉ số từ 80,5 trở lên, làm tròn 2 chữ số thập phân" in met
    assert "  đã đạt: chỉ số 91,18, xếp loại Xuất sắc, hạng 1" in met
    far = run("plan", "so-giao-duc-va-dao-tao", "--index", "99").stdout
    assert "  không thể đạt: đơn vị tăng được nhiều nhất 12,52 điểm, chỉ số 95,60" in far
    en = run("--lang", "en", "plan", "so-giao-duc-va-dao-tao", "--rank", "1").stdout
    assert "rank 1 of 20 in Departments and agencies: ranked index 91.2 or more" in en
    assert "reached with 11 changes costing 12: index 91.59, class Excellent, rank 1" in en
    assert "hạng" not in en and "chỉ số" not in en
    doc = json.loads(run("plan", "so-tai-chinh", "--index", "80.5", "--json").stdout)
    assert doc["goal"] == "index ≥ 80.5 at 2 decimals"
    assert doc["goal_vi"] == "chỉ số từ 80,5 trở lên, làm tròn 2 chữ số thập phân"
    assert doc["message_vi"].startswith("đã đạt: chỉ số 91,18")


def test_level_choices_show_their_labels_not_their_codes() -> None:
    """explain, gaps, simulate and plan name a level by its label (Đầy đủ, đúng tiến độ),
    never by its code (dung-tien-do), in Vietnamese and in English."""
    unit = "so-giao-duc-va-dao-tao"
    explain = run("explain", "so-y-te", "2.4.1").stdout
    assert "số liệu Mức độ đạt được: Đầy đủ, đúng tiến độ" in explain
    assert ": dung-tien-do" not in explain
    gaps = run("gaps", unit).stdout
    assert "bậc kế tiếp: Mức độ đạt được → Đầy đủ, đúng tiến độ (+0,50)" in gaps
    assert "Mức độ đạt được → Hoàn thành đúng lộ trình" in run("gaps", "huyen-dinh-lap").stdout
    sim = run("simulate", unit, "--set", "2.4.1.level=dung-tien-do").stdout
    assert sim.splitlines()[0].endswith("2.4.1 Mức độ đạt được → Đầy đủ, đúng tiến độ")
    plan = run("plan", unit, "--rank", "1").stdout
    assert "Mức độ đạt được → Đầy đủ, đúng tiến độ" in plan
    for text in (gaps, sim, plan.split("kiểm tra:")[0]):
        assert "dung-tien-do" not in text and "hoan-thanh" not in text
    en = run("--lang", "en", "gaps", unit).stdout
    assert "next: Level reached → Fully and on schedule (+0.50)" in en
    assert (
        "Level reached: Fully and on schedule"
        in run("--lang", "en", "explain", "so-y-te", "2.4.1").stdout
    )


def test_status_and_year_golden(db: str) -> None:
    """campaign status by year: Vietnamese states, dates dd/mm/yyyy HH:MM local time."""
    r = run("--db", db, "campaign", "status", "2018")
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert out.startswith("mini-2018 (2018): Đã công bố — bộ chỉ số mini-2018; mở ngày ")
    assert "Hoàn tất" in out and "final" not in out
    people_read(out)
    en = run("--db", db, "--lang", "en", "campaign", "status", "mini-2018").stdout
    assert "published" in en and "self-assessment due" in en
    exact = json.loads(run("--db", db, "campaign", "status", "2018", "--json").stdout)
    assert exact["state"] == "published" and "T" in exact["created_at"]


@pytest.mark.parametrize(
    ("ref", "said"),
    [
        ("2019", "Không có kỳ đánh giá nào của năm '2019' (có phải là '2018'?)"),
        ("mini-2081", "Không có kỳ đánh giá 'mini-2081' (có phải là 'mini-2018'?)"),
    ],
)
def test_unknown_year_or_id_suggests(db: str, ref: str, said: str) -> None:
    """A year or id naming no campaign is exit 1 with the nearest one."""
    for args in (
        ("campaign", "status", ref),
        ("verify", ref),
        ("explain", "a", "--campaign", ref),
        ("audit", "list", "--campaign", ref),
    ):
        r = run("--db", db, *args)
        assert r.exit_code == 1 and said in r.output, (args, r.output)


def test_year_names_the_campaign_everywhere(db: str) -> None:
    """verify, explain, publish's ranking and the audit log take the year for the id."""
    assert run("--db", db, "verify", "2018").exit_code == 0
    r = run("--db", db, "explain", "a", "1.4", "--campaign", "2018")
    assert r.exit_code == 0 and "thẩm định vòng 2" in r.stdout
    r = run("--db", db, "audit", "list", "--campaign", "2018", "--json")
    assert r.exit_code == 0 and {e["campaign"] for e in json.loads(r.stdout)} == {"mini-2018"}


def test_a_year_with_two_campaigns_is_ambiguous(db: str, tmp_path: Path) -> None:
    """Two campaigns of one year: the year is refused, listing both ids."""
    r = run(
        "--db",
        db,
        "campaign",
        "create",
        "mini-2018-b",
        "--year",
        "2018",
        "--index",
        str(MINI / "criteria.yaml"),
    )
    assert r.exit_code == 0, r.output
    r = run("--db", db, "campaign", "status", "2018")
    assert r.exit_code == 1 and "Năm 2018 có nhiều kỳ đánh giá: mini-2018, mini-2018-b" in r.output


def test_lang_option_is_checked() -> None:
    """--lang takes vi or en; anything else is a usage error (exit 2)."""
    assert run("--lang", "fr", "score", str(MINI)).exit_code == 2


def test_states_have_one_table_read_by_the_cli_and_the_web() -> None:
    """Every unit and campaign state is named once (store.workflow), and the CLI and the web
    app give the same words for it in both languages."""
    assert STATE_NAMES.keys() == set(UNIT_STATES) | set(CAMPAIGN_STATES)
    assert not hasattr(texts, "STATES") and not hasattr(i18n, "STATES")
    for key, (vi, en) in STATE_NAMES.items():
        assert texts.state(key) == i18n.state(key, "vi") == vi
        texts.use("en")
        try:
            assert texts.state(key) == i18n.state(key, "en") == en
        finally:
            texts.use("vi")
    assert texts.state("appraised_1") == "Đã thẩm định vòng 1" and texts.state(None) == "—"


# what a Vietnamese confirmation must not hold: the English words of the old texts
ENGLISH = re.compile(
    r"\b(recorded|stored|submitted|version|wrote|created|opened|added|entries|identical|"
    r"intact|unlocked|disabled|late|draws|round)\b"
)


def write_steps(db: str, lang: str) -> list[str]:
    """The write commands' confirmations, one a step, on a fresh copy of the mini campaign."""
    base = ["--db", db, "--actor", "snv", "--lang", lang]
    steps = [
        ("--at", "2018-11-20T07:00", "import", str(MINI)),
        ("import", str(MINI / "units" / "a.yaml"), "--campaign", "2018"),
        *[("--at", "2018-11-29T09:00", "submit", "2018", u) for u in "ab"],
        ("--at", "2018-12-03T09:00", "submit", "2018", "c"),
        ("campaign", "advance", "2018", "--to", "appraisal"),
        ("appraise", "2018", "a", "--set", "2.1=7,5", "--reason", "Thiếu quyết định"),
        ("advance", "2018", "a", "--to", "appraised_1"),
        ("survey", "import", "2018", str(MINI / "survey.yaml")),
        ("campaign", "create", "x-2018", "--year", "2018", "--index", str(MINI / "criteria.yaml")),
        ("unit", "add", "x-2018", "d", "--name", "Sở D", "--group", "department"),
    ]
    said = []
    for step in steps:
        r = run(*base, *step)
        assert r.exit_code == 0, (step, r.output)
        said.append(r.stdout.strip())
    return said


def test_write_confirmations_golden(tmp_path: Path) -> None:
    """What the write commands say: Vietnamese sentences with unit names, state and round
    names, and no English word; the same steps in English with --lang en."""
    said = write_steps(f"sqlite:///{tmp_path / 'vi.db'}", "vi")
    assert said[0] == "Đã tạo kỳ đánh giá mini-2018: lưu 3 bản tự đánh giá."
    assert said[1] == "Đã lưu bản tự đánh giá của Sở A (a) vào kỳ đánh giá mini-2018."
    assert said[2].startswith("Sở A (a) đã nộp bản tự đánh giá; phiên bản ")
    assert said[4].startswith("Văn phòng C (c) đã nộp bản tự đánh giá (nộp muộn); phiên bản")
    assert said[5] == "Kỳ đánh giá mini-2018 chuyển sang trạng thái «Thẩm định»."
    assert said[6].startswith("Vòng 1: đã ghi 1 thay đổi thẩm định cho Sở A (a); phiên bản")
    assert said[7].startswith("Sở A (a) chuyển sang trạng thái «Đã thẩm định vòng 1»")
    assert said[8].startswith("Đã lưu kết quả khảo sát của kỳ đánh giá mini-2018")
    assert said[9].startswith("Đã mở kỳ đánh giá x-2018 (năm 2018) trên bộ chỉ số ")
    assert said[10] == "Đã thêm đơn vị Sở D (d), nhóm «Sở», vào kỳ đánh giá x-2018."
    for line in said:
        assert not ENGLISH.search(line), line
    en = write_steps(f"sqlite:///{tmp_path / 'en.db'}", "en")
    assert en[4].startswith("Văn phòng C (c) submitted (late); version ")
    assert en[6].startswith("Round 1: 1 appraisal changes recorded for Sở A (a)")
    assert "Đã" not in "".join(en)


def test_checks_and_files_golden(db: str, tmp_path: Path) -> None:
    """verify, audit verify, export, check and campaign run's steps: Vietnamese by default,
    English on request; check's figures and robustness's probabilities with a comma."""
    base = ("--db", db)
    assert run(*base, "verify", "mini-2018").stdout.strip() == (
        "mini-2018: 1 lần công bố được tính lại từ dữ liệu lưu trữ: trùng khớp."
    )
    assert "chuỗi liên kết nguyên vẹn" in run(*base, "audit", "verify").stdout
    out = tmp_path / "kq.csv"
    assert run(*base, "export", "mini-2018", "-o", str(out)).stdout.strip() == f"Đã ghi {out}."
    en = run(*base, "--lang", "en", "verify", "mini-2018").stdout
    assert "recomputed from storage: identical" in en
    check = run("check", str(MINI / "criteria.yaml")).stdout
    assert "— hợp lệ" in check and "10 tiêu chí chấm điểm" in check and "(boolean)" in check
    people_read(check)
    again = run(*base, "campaign", "run", str(MINI))
    assert "Kỳ đánh giá mini-2018 đã được công bố trong kho dữ liệu." in again.stderr
    rb = run("robustness", str(SAMPLE), "--draws", "200").stdout
    assert "200 lần mô phỏng" in rb and "phân phối đều" in rb and "P(giữ hạng)" in rb
    assert re.search(r"xếp trên \d,\d\d, xếp dưới \d,\d\d, đồng hạng \d,\d\d", rb)
    assert not ENGLISH.search(rb) and "│  90,43 │" in rb


def test_a_refused_set_value_names_the_set_not_the_units_file() -> None:
    """A --set value its input refuses (0,5 for a count) is exit 1 naming --set and the value as
    typed, not the unit's stored file nor a Decimal's repr."""
    r = run("simulate", "so-tai-chinh", "--set", "1.5.1=0,5")
    assert r.exit_code == 1, r.output
    assert "--set" in r.output and "1.5.1.count=0.5" in r.output
    assert "so-tai-chinh.yaml" not in r.output and "Decimal(" not in r.output
