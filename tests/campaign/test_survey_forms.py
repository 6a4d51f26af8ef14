"""Raw survey forms: read from CSV and XLSX, every bad row named file:row:column, counted into
the responses a survey leaf reads, each unit's sample against its quota, the rule below the
minimum sample, and the satisfaction index beside the PAR index."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from scoring import Index, load_campaign, load_index, score_campaign, score_document
from scoring.campaign.folder import check_forms_design, read_campaign_file, survey_source
from scoring.campaign.survey_design import check_design, read_design
from scoring.campaign.survey_forms import read_forms
from scoring.campaign.survey_tally import tally
from scoring.errors import ErrorList, ParindexError
from tests.support.forms import edit, forms_campaign, write_xlsx
from tests.support.paths import MINI_FORMS

DESIGN_TEXT = (MINI_FORMS / "survey-design.yaml").read_text(encoding="utf-8")
DESIGN = read_design(DESIGN_TEXT, "survey-design.yaml")[0]
UNITS = {"a": "department", "b": "department", "c": "department"}
HEADER = "form_id,unit,respondent,mode,date,Q1,Q2\n"


def _read(text: str, name: str = "forms.csv") -> list[str]:
    """The errors reading ``text`` raises, as printed (empty when it reads)."""
    try:
        read_forms([(name, text.encode())], DESIGN, UNITS)
    except ParindexError as exc:
        return [str(e) for e in (exc.errors if isinstance(exc, ErrorList) else [exc])]
    return []


def test_counts_equal_counting_the_fixture_by_hand() -> None:
    """The 11 forms of the fixture give the counts tallied by hand, per unit and option."""
    data = (MINI_FORMS / "forms.csv").read_bytes()
    forms, files = read_forms([("forms.csv", data)], DESIGN, UNITS)
    counted = tally(DESIGN, forms, UNITS, files)
    # by hand: a = F01 (A,A) F02 (A,B) F03 (B,-) F04 (C,D) F05 (A,B); b = F06 (D,D) F07 (B,C);
    # c = F08 (A,A) F09 (B,A) F10 (-,C) F11 (D,B)
    assert counted.answers() == {
        "a": {"S.1": {"responses": {"A": 4, "B": 3, "C": 1, "D": 1}}},
        "b": {"S.1": {"responses": {"A": 0, "B": 1, "C": 1, "D": 2}}},
        "c": {"S.1": {"responses": {"A": 3, "B": 2, "C": 1, "D": 1}}},
    }
    assert [(u.sample, u.quota, u.shortfall) for u in counted.units.values()] == [
        (5, 6, 1),
        (2, 6, 4),
        (4, 4, 0),
    ]
    assert counted.below_minimum() == ["b"]
    assert files[0].rows == 11 and len(files[0].sha256) == 64
    assert counted.units["a"].respondents == {"lanh-dao": 2, "nguoi-dan": 3}


def test_quota_document_lists_shortfall_and_rule() -> None:
    """The quota report gives each unit's sample, quota and shortfall and the rule below the
    minimum."""
    data = (MINI_FORMS / "forms.csv").read_bytes()
    forms, files = read_forms([("forms.csv", data)], DESIGN, UNITS)
    doc = tally(DESIGN, forms, UNITS, files).document()
    b = next(u for u in doc["units"] if u["unit_id"] == "b")
    assert (b["sample"], b["quota"], b["shortfall"], b["below_minimum"], b["rule"]) == (
        2,
        6,
        4,
        True,
        "score_as_is",
    )
    assert doc["forms"] == 11 and doc["minimum"] == 3


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("F1,zz,lanh-dao,giay,05/11/2018,A,A", "forms.csv:2:2: unknown unit 'zz'"),
        ("F1,a,lanh-dao,giay,05/11/2018,E,A", "forms.csv:2:6: question Q1: 'E' is not one"),
        ("F1,a,lanh-dao,fax,05/11/2018,A,A", "forms.csv:2:4: unknown mode 'fax'"),
        ("F1,a,lanh-dao,giay,31/02/2018,A,A", "forms.csv:2:5: date '31/02/2018' is not"),
        ("F1,a,lanhdao,giay,05/11/2018,A,A", "forms.csv:2:3: unknown respondent group 'lanhdao'"),
        ("F1,a,lanh-dao,giay,05/11/2018,,", "forms.csv:2: form F1: no question answered"),
        (",a,lanh-dao,giay,05/11/2018,A,", "forms.csv:2:1: no form id"),
    ],
)
def test_a_bad_csv_row_is_named_by_file_row_and_column(row: str, expected: str) -> None:
    """Each kind of bad cell is refused, named file:row:column."""
    errors = _read(HEADER + row + "\n")
    assert len(errors) == 1 and errors[0].startswith(expected), errors


def test_unknown_question_column_is_refused_with_the_closest() -> None:
    """A header naming no question of the design is refused at row 1, with a suggestion."""
    errors = _read("form_id,unit,respondent,mode,date,Q1,Q11\n")
    assert errors == ["forms.csv:1:7: unknown question 'Q11' (did you mean 'Q1'?)"]


def test_every_error_is_reported_and_duplicates_named() -> None:
    """All errors come at once; a repeated row and a reused form id name the first row."""
    text = HEADER + (
        "F1,a,lanh-dao,giay,05/11/2018,A,A\n"
        "F1,a,lanh-dao,giay,05/11/2018,A,A\n"
        "F1,b,lanh-dao,giay,05/11/2018,A,A\n"
        "F2,q,lanh-dao,giay,05/11/2018,A,A\n"
    )
    errors = _read(text)
    assert errors == [
        "forms.csv:3:1: form F1: this row repeats row forms.csv:2 (a form is counted once)",
        "forms.csv:4:1: form F1: this row uses the form id 'F1' of row forms.csv:2 "
        "(a form is counted once)",
        "forms.csv:5:2: unknown unit 'q'",
    ]


def test_excel_csv_with_bom_semicolons_and_crlf_reads_the_same() -> None:
    """Excel on Windows (BOM, semicolons, CRLF) gives the same forms as plain CSV."""
    plain = HEADER + "F1,a,lanh-dao,giay,05/11/2018,A,B\n"
    excel = "\ufeff" + plain.replace(",", ";").replace("\n", "\r\n")
    one = read_forms([("a.csv", plain.encode())], DESIGN, UNITS)[0]
    two = read_forms([("b.csv", excel.encode())], DESIGN, UNITS)[0]
    assert [f.answers for f in one] == [f.answers for f in two] == [(("Q1", "A"), ("Q2", "B"))]


def test_not_utf8_csv_says_how_to_save_it() -> None:
    """A CSV in a Windows code page is refused with the way to save it as UTF-8."""
    data = (HEADER + "F1,a,lanh-dao,giay,05/11/2018,A,B\n").encode() + b"\xe0\n"
    with pytest.raises(ParindexError, match="CSV UTF-8"):
        read_forms([("f.csv", data)], DESIGN, UNITS)


def test_xlsx_forms_read_with_date_cells_and_bad_rows_located(tmp_path: Path) -> None:
    """An XLSX file's forms read like CSV (a date cell accepted); a bad row is named
    file:row:column."""
    import datetime as dt

    good = write_xlsx(
        tmp_path / "f.xlsx",
        [
            HEADER.strip().split(","),
            ["F1", "a", "lanh-dao", "giay", dt.datetime(2018, 11, 5), "A", "C"],
        ],
    )
    forms, _ = read_forms([(str(good), good.read_bytes())], DESIGN, UNITS)
    assert forms[0].date == dt.date(2018, 11, 5) and forms[0].answers == (("Q1", "A"), ("Q2", "C"))
    bad = write_xlsx(
        tmp_path / "g.xlsx",
        [HEADER.strip().split(","), ["F1", "a", "lanh-dao", "giay", "2018-11-05", "A", "X"]],
    )
    with pytest.raises(ParindexError) as exc:
        read_forms([("g.xlsx", bad.read_bytes())], DESIGN, UNITS)
    assert str(exc.value).startswith("g.xlsx:2:7: question Q2: 'X' is not one of its options")


def test_design_errors_are_located() -> None:
    """A design with a missing field or an option listed twice is refused, located."""
    with pytest.raises(ParindexError) as exc:
        read_design(DESIGN_TEXT.replace("minimum: 3\n", ""), "d.yaml")
    assert str(exc.value) == "d.yaml:2:1: At key: minimum ==> required key 'minimum' is missing"
    with pytest.raises(ParindexError, match=r"d.yaml:3:\d+: .*option 'A' is listed twice"):
        read_design(
            DESIGN_TEXT.replace("[A, B, C, D], text_vi: Đơn", "[A, A], text_vi: Đơn"), "d.yaml"
        )


def test_design_checked_against_the_index(mini_index: Index) -> None:
    """A question feeding a leaf that does not count answers, an option the leaf does not
    weigh, or the N/A rule on a leaf without na_allowed is refused at the design's line."""
    text = DESIGN_TEXT.replace(
        "{leaf: S.1, options: [A, B, C, D], text_vi: Thái",
        "{leaf: S.2, options: [A], text_vi: Thái",
    )
    text = text.replace("[A, B, C, D], text_vi: Đơn", "[A, B, E], text_vi: Đơn")
    text = text.replace("below_minimum: score_as_is", "below_minimum: not_applicable")
    design, source, data = read_design(text, "d.yaml")
    with pytest.raises(ErrorList) as exc:
        check_design(mini_index, design, source, data)
    got = [str(e) for e in exc.value.errors]
    assert any("d.yaml:3:" in e and "option 'E' is not weighed by item S.1" in e for e in got)
    assert any("d.yaml:4:" in e and "item S.2 is not a survey item that counts" in e for e in got)
    assert any("d.yaml:15:" in e and "na_allowed: true" in e for e in got)


def test_score_publishes_satisfaction_per_unit_and_group(tmp_path: Path) -> None:
    """score's document gives each unit's satisfaction (weighted mean of its answers × 100)
    and the group's mean, equal to the figures worked by hand."""
    folder = forms_campaign(tmp_path / "camp")
    index = load_index(folder / "criteria.yaml", folder / "rules")
    doc = score_document(score_campaign(index, load_campaign(folder)))
    units = {u["unit_id"]: u["satisfaction"] for g in doc["groups"] for u in g["units"]}
    # a: (4×1 + 3×0.6 + 1×0.2 + 1×0)/9 = 6/9; b: (0.6 + 0.2)/4; c: (3 + 1.2 + 0.2)/7
    hand = {"a": Fraction(6, 9), "b": Fraction(1, 5), "c": Fraction(22, 35)}
    assert units == {
        k: str(round(Decimal(v.numerator * 100) / v.denominator, 2)) for k, v in hand.items()
    }
    mean = sum(hand.values(), Fraction(0)) * 100 / 3
    assert doc["groups"][0]["satisfaction"] == str(
        round(Decimal(mean.numerator) / mean.denominator, 2)
    )


def test_below_minimum_not_applicable_rescales_like_na_by_hand(tmp_path: Path) -> None:
    """A unit below the minimum under ``not_applicable`` scores exactly as the same unit with
    its survey leaf answered N/A by hand: the index rescaled over the rest."""
    folder = forms_campaign(tmp_path / "forms", na_rule=True)
    index = load_index(folder / "criteria.yaml", folder / "rules")
    check_forms_design(index, folder)
    by_forms = score_campaign(index, load_campaign(folder)).unit("b")
    hand = forms_campaign(tmp_path / "hand", na_rule=True)
    edit(
        hand / "campaign.yaml",
        "survey_forms: {design: survey-design.yaml, files: [forms.csv]}\n",
        "",
    )
    edit(
        hand / "survey.yaml", "b: {S.2: {value: 75.5}}", "b: {S.1: {na: true}, S.2: {value: 75.5}}"
    )
    by_hand = score_campaign(index, load_campaign(hand)).unit("b")
    assert by_forms is not None and by_hand is not None
    assert (by_forms.points, by_forms.max_points, by_forms.index) == (
        by_hand.points,
        by_hand.max_points,
        by_hand.index,
    )
    assert by_forms.max_points == Decimal(80)  # 90 applicable before, minus S.1's 10
    doc = score_document(score_campaign(index, load_campaign(folder)))
    b = next(u for g in doc["groups"] for u in g["units"] if u["unit_id"] == "b")
    assert b["satisfaction"] is None  # no counted answer is published for it


def test_survey_file_giving_a_counted_leaf_is_refused(tmp_path: Path) -> None:
    """survey.yaml may not also give a leaf the forms count: refused at its entry."""
    folder = forms_campaign(tmp_path / "camp")
    edit(
        folder / "survey.yaml",
        "a: {S.2: {value: 90}}",
        "a: {S.2: {value: 90}, S.1: {responses: {A: 1}}}",
    )
    with pytest.raises(ParindexError, match=r"survey.yaml:3:\d+: unit a: item S.1 is counted"):
        survey_source(read_campaign_file(folder), folder)
