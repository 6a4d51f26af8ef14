"""Rank robustness: intervals, ambiguous pairs, the uncertainty file, the plots and the CLI."""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from scoring import (
    Index,
    ParindexError,
    SubmissionError,
    load_campaign,
    load_index,
    score_campaign,
)
from scoring.cli import (
    app,
    robustness_cmds,  # noqa: F401  # registers the command
)
from scoring.evaluation.ranking import CampaignResult
from scoring.index.kinds.outside import SurveyWeighted, SurveyWeightedRule
from scoring.reports.robustness_figures import area_profile
from scoring.simulation import uncertainty
from scoring.simulation.robustness import (
    RobustnessReport,
    UncertaintySpec,
    load_uncertainty,
    robustness,
)
from tests.support.paths import MINI, ROOT, SAMPLES

runner = CliRunner()
DRAWS = 2_000


@pytest.fixture(scope="module")
def samples(real_index: Index) -> CampaignResult:
    """The 2018 samples, scored."""
    return score_campaign(real_index, load_campaign(SAMPLES))


@pytest.fixture(scope="module")
def mini(mini_index: Index) -> CampaignResult:
    """The mini campaign, scored."""
    return score_campaign(mini_index, load_campaign(MINI))


@pytest.fixture(scope="module")
def report(samples: CampaignResult) -> RobustnessReport:
    return robustness(samples, UncertaintySpec(), draws=DRAWS)


def _spec(level: float) -> UncertaintySpec:
    """Every uncertainty scaled by ``level`` (0: none)."""
    return UncertaintySpec(
        survey_sampling=4 * level, appraisal_tolerance={"default": level}, area_weights=level
    )


def _widths(report: RobustnessReport) -> int:
    return sum(
        u.high_rank - u.low_rank
        for g in report.groups
        for u in g.units
        if u.high_rank is not None and u.low_rank is not None
    )


# ---------------------------------------------------------------- the report


@pytest.mark.parametrize("level", [0.0, 0.05, 0.2])
@pytest.mark.parametrize("which", ["samples", "mini"])
def test_intervals_contain_the_point_rank(
    which: str, level: float, request: pytest.FixtureRequest
) -> None:
    """Every ranked unit's 5–95 % interval contains its point rank, and its median lies in it."""
    result: CampaignResult = request.getfixturevalue(which)
    rep = robustness(result, _spec(level), draws=DRAWS)
    units = [u for g in rep.groups for u in g.units]
    assert len(units) == sum(len(g) for g in result.groups.values())
    for u in units:
        assert u.low_rank is not None and u.high_rank is not None and u.median_rank is not None
        assert u.low_rank <= u.point_rank <= u.high_rank  # type: ignore[operator]
        assert u.low_rank <= u.median_rank <= u.high_rank
        assert u.p_keep is not None and 0 < u.p_keep <= 1


@pytest.mark.parametrize("which", ["samples", "mini"])
def test_zero_uncertainty_gives_exactly_the_point_ranks(
    which: str, request: pytest.FixtureRequest
) -> None:
    """With every uncertainty 0, each draw reproduces the published ranks, ties included."""
    result: CampaignResult = request.getfixturevalue(which)
    rep = robustness(result, UncertaintySpec.none(), draws=500)
    for g in rep.groups:
        assert g.pairs == ()
        for u in g.units:
            assert u.point_rank == result.unit(u.unit_id).rank  # type: ignore[union-attr]
            assert u.low_rank == u.median_rank == u.high_rank == u.point_rank
            assert u.p_keep == 1.0


@pytest.mark.parametrize("policy", ["competition", "dense"])
def test_tie_breaks_and_dense_ranking_reproduce_the_point_ranks(
    tmp_path: Path, policy: str
) -> None:
    """Whole-number precision and tie-break figures: zero uncertainty gives the point ranks."""
    text = (ROOT / "criteria.yaml").read_text(encoding="utf-8")
    text = text.replace("tie_policy: competition", f"tie_policy: {policy}")
    text = text.replace("precision: 1", "precision: 0").replace(
        "tie_break: []", "tie_break: [survey, points]"
    )
    (tmp_path / "criteria.yaml").write_text(text, encoding="utf-8")
    index = load_index(tmp_path / "criteria.yaml", ROOT / "rules")
    result = score_campaign(index, load_campaign(SAMPLES))
    ranks = [u.rank for us in result.groups.values() for u in us]
    assert len(set(ranks)) < len(ranks) - 2  # the designed ties stay tied
    exact = robustness(result, UncertaintySpec.none(), draws=200)
    for u in (u for g in exact.groups for u in g.units):
        assert u.low_rank == u.high_rank == u.point_rank == result.unit(u.unit_id).rank  # type: ignore[union-attr]
    if policy == "competition":  # dense ranks shift down when ties ahead break apart
        noisy = robustness(result, UncertaintySpec(), draws=DRAWS)
        for u in (u for g in noisy.groups for u in g.units):
            assert u.low_rank <= u.point_rank <= u.high_rank  # type: ignore[operator]


def test_intervals_do_not_widen_as_uncertainty_shrinks(samples: CampaignResult) -> None:
    """The summed interval widths are non-increasing from tolerance 0.2 to 0.05 to 0."""
    widths = [_widths(robustness(samples, _spec(t), draws=DRAWS)) for t in (0.2, 0.05, 0.0)]
    assert widths[0] >= widths[1] >= widths[2] == 0
    assert widths[0] > widths[2]


def test_each_uncertainty_alone_moves_ranks(samples: CampaignResult) -> None:
    """Survey sampling, appraisal tolerance and area weights each widen some interval."""
    none = UncertaintySpec.none()
    for change in (
        {"survey_sampling": 1.0},
        {"appraisal_tolerance": {"council_judgment": 0.3, "ordinal_levels": 0.3}},
        {"appraisal_tolerance": {"ordinal_levels": 0.3}, "tolerance_distribution": "normal"},
        {"area_weights": 0.3},
    ):
        spec = none.model_copy(update=change)
        assert _widths(robustness(samples, spec, draws=500)) > 0, change


def test_same_seed_same_report_other_seed_other_draws(samples: CampaignResult) -> None:
    """A seed reproduces the report exactly; another seed gives other draws."""
    a = robustness(samples, UncertaintySpec(), draws=1_000, seed=7)
    b = robustness(samples, UncertaintySpec(), draws=1_000, seed=7)
    c = robustness(samples, UncertaintySpec(), draws=1_000, seed=8)
    assert a == b and a.document() == b.document()
    keeps = [[u.p_keep for g in r.groups for u in g.units] for r in (a, c)]
    assert keeps[0] != keeps[1]


def test_designed_ties_cannot_be_told_apart(report: RobustnessReport) -> None:
    """The samples' designed ties come out as pairs that cannot be told apart, near 50/50."""
    pairs = {frozenset((p.a, p.b)): p for g in report.groups for p in g.pairs}
    for a, b in (
        ("so-giao-thong-van-tai", "so-khoa-hoc-va-cong-nghe"),
        ("huyen-bac-son", "huyen-trang-dinh"),
    ):
        p = pairs[frozenset((a, b))]
        assert 0.3 < p.p_above < 0.7 and 0.3 < p.p_below < 0.7
        assert math.isclose(p.p_above + p.p_below + p.p_tie, 1.0)
    assert frozenset(("so-tai-chinh", "ban-dan-toc")) not in pairs


def test_pairs_follow_the_point_order(report: RobustnessReport) -> None:
    """In each pair ``a`` is listed before ``b`` in the ranking and no outcome reaches 95 %."""
    assert any(g.pairs for g in report.groups)  # the samples' designed ties at least
    for g in report.groups:
        order = [u.unit_id for u in g.units]
        for p in g.pairs:
            assert order.index(p.a) < order.index(p.b)
            assert max(p.p_above, p.p_below, p.p_tie) < 0.95


def test_unranked_units_are_reported_without_interval(mini_copy: Path) -> None:
    """A unit with ``ranked: false`` is listed with its index but no rank figures."""
    path = mini_copy / "campaign.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("group: department}", "group: department, ranked: false}", 1))
    result = score_campaign(
        load_index(mini_copy / "criteria.yaml", mini_copy / "rules"), load_campaign(mini_copy)
    )
    rep = robustness(result, UncertaintySpec(), draws=200)
    a = rep.unit("a")
    assert a is not None and a.point_rank is None and a.p_keep is None and a.high_rank is None
    assert {u.point_rank for u in rep.groups[0].units} == {1, 2, None}


@pytest.mark.parametrize("draws", [0, -5, 1_000_001])
def test_draws_out_of_range_are_refused(mini: CampaignResult, draws: int) -> None:
    """The library refuses a number of draws outside 1..1,000,000 with a clear message."""
    with pytest.raises(SubmissionError, match="draws must be between 1 and 1,000,000"):
        robustness(mini, UncertaintySpec(), draws=draws)


def test_document_is_json_with_decimal_strings(report: RobustnessReport) -> None:
    """The JSON document has its format tag, the spec, and the index as a decimal string."""
    doc = json.loads(json.dumps(report.document()))
    assert doc["format"] == "parindex.robustness/1" and doc["draws"] == DRAWS
    unit = doc["groups"][0]["units"][0]
    assert unit["unit_id"] == "so-tai-chinh" and unit["index"] == "91.18"
    assert doc["spec"]["appraisal_tolerance"]["council_judgment"] == 0.1


# ---------------------------------------------------------------- the model's parts


def test_sampling_error_of_a_survey_rate() -> None:
    """The standard error is the sample sd of the respondents' scores over √n (0 for none)."""
    weights = {"A": 1, "B": Decimal("0.6"), "C": Decimal("0.2"), "D": 0}
    rule = SurveyWeightedRule(kind="survey_weighted", weights=weights)
    sd = SurveyWeighted().sampling_error(rule, {"responses": {"A": 10, "B": 10}})
    assert math.isclose(sd, math.sqrt(20 * 0.2**2 / 19 / 20))
    assert SurveyWeighted().sampling_error(rule, {"responses": {"A": 0, "B": 0}}) == 0.0
    one = SurveyWeighted().sampling_error(rule, {"responses": {"B": 1}})
    assert math.isclose(one, math.sqrt(0.6 * 0.4))


def test_competition_and_dense_ranks_with_tie_breaks() -> None:
    """Keys rank lexicographically: competition gives 1, 2, 2, 4; dense 1, 2, 2, 3."""
    keys = np.array([[[5, 0], [9, 1], [5, 0], [9, 3]]], dtype=np.int64)
    assert uncertainty.ranks(keys, dense=False).tolist() == [[3, 2, 3, 1]]
    assert uncertainty.ranks(keys, dense=True).tolist() == [[3, 2, 3, 1]]
    tied = np.array([[[5], [9], [5], [1]]], dtype=np.int64)
    assert uncertainty.ranks(tied, dense=False).tolist() == [[2, 1, 2, 4]]
    assert uncertainty.ranks(tied, dense=True).tolist() == [[2, 1, 2, 3]]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 7).flatmap(
        lambda units: st.lists(
            st.lists(
                st.tuples(st.integers(0, 4), st.integers(0, 2)), min_size=units, max_size=units
            ),
            min_size=1,
            max_size=4,
        )
    )
)
def test_ranks_match_a_plain_python_ranking(draws: list[list[tuple[int, int]]]) -> None:
    """Vectorised ranks equal 1 + the units (or distinct keys) strictly ahead, per draw."""
    keys = np.array(draws, dtype=np.int64)
    competition, dense = uncertainty.ranks(keys, dense=False), uncertainty.ranks(keys, dense=True)
    for d, row in enumerate(draws):
        for i, key in enumerate(row):
            assert competition[d, i] == 1 + sum(other > key for other in row)
            assert dense[d, i] == 1 + len({other for other in row if other > key})


def test_area_profile_against_the_group_median(mini: CampaignResult) -> None:
    """A unit's area index is points / max × 100; the median is over units the area applies to."""
    rows = {r.area: r for r in area_profile(mini, "c")}
    assert rows["2"].unit is None  # exempt: no_procedures
    assert rows["2"].group_median is not None
    a, b = mini.unit("a"), mini.unit("b")
    assert a is not None and b is not None
    expected = sorted(float(u.nodes["2"].points / u.nodes["2"].max * 100) for u in (a, b))
    assert rows["2"].group_median == pytest.approx(sum(expected) / 2)
    with pytest.raises(SubmissionError, match="no scored unit 'x'"):
        area_profile(mini, "x")


# ---------------------------------------------------------------- the uncertainty file


def test_uncertainty_file_is_read(tmp_path: Path) -> None:
    """A YAML spec sets each uncertainty; kinds it does not list take ``default``."""
    path = tmp_path / "u.yaml"
    path.write_text(
        "survey_sampling: false\nappraisal_tolerance: {council_judgment: 0.2, default: 0.01}\n"
        "tolerance_distribution: normal\narea_weights: 0.25\n",
        encoding="utf-8",
    )
    spec = load_uncertainty(path)
    assert spec.survey_sampling == 0.0 and spec.area_weights == 0.25
    assert spec.tolerance("council_judgment") == 0.2 and spec.tolerance("boolean") == 0.01
    assert spec.tolerance_distribution == "normal"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "survey_samplin: 1\n",
            "2:1.*unknown key 'survey_samplin'.*did you mean 'survey_sampling'",
        ),
        (
            "appraisal_tolerance: {council_judgement: 0.1}\n",
            "unknown rule kind 'council_judgement'",
        ),
        ("appraisal_tolerance:\n  ordinal_levels: 1.5\n", "3:3.*less than or equal to 1"),
        ("area_weights: 1\n", "area_weights.*less than 1"),
        ("area_weights: abc\n", "expected a number, got 'abc'"),
        ("tolerance_distribution: cauchy\n", "'uniform' or 'normal'"),
        ("- 1\n", "expected a mapping of uncertainties"),
    ],
)
def test_bad_uncertainty_file_is_located(tmp_path: Path, text: str, message: str) -> None:
    """A wrong spec file is refused with the file, line and what is wrong."""
    path = tmp_path / "u.yaml"
    path.write_text("# uncertainty\n" + text, encoding="utf-8")
    with pytest.raises(ParindexError) as info:
        load_uncertainty(path)
    assert str(path) in str(info.value)
    assert re.search(message, str(info.value)), str(info.value)


# ---------------------------------------------------------------- plots


def test_plots_are_written(tmp_path: Path, samples: CampaignResult) -> None:
    """--plot writes a group's interval chart and a unit's profile as PNG and SVG files."""
    from scoring.reports.robustness_figures import write_plots

    rep = robustness(samples, UncertaintySpec(), draws=300)
    written = write_plots(samples, rep, tmp_path / "plots", unit="so-y-te")
    names = sorted(p.name for p in written)
    assert names == [
        "department-intervals.png",
        "department-intervals.svg",
        "so-y-te-profile.png",
        "so-y-te-profile.svg",
    ]
    for p in written:
        assert p.stat().st_size > 1_000
    assert (tmp_path / "plots" / "so-y-te-profile.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (tmp_path / "plots" / "department-intervals.svg").read_text(encoding="utf-8")
    assert "Sở Y tế" in svg and "Sở Xây dựng" in svg


def test_every_group_and_unit_is_plotted(tmp_path: Path, mini: CampaignResult) -> None:
    """Without --unit each group gets an interval chart and each unit a profile."""
    from scoring.reports.robustness_figures import write_plots

    rep = robustness(mini, UncertaintySpec(), draws=100)
    written = write_plots(mini, rep, tmp_path)
    assert len(written) == 2 * (1 + 3)
    assert "Văn phòng C" in (tmp_path / "c-profile.svg").read_text(encoding="utf-8")


# ---------------------------------------------------------------- CLI


def test_cli_prints_a_table() -> None:
    """robustness prints per group the point rank, median, interval and P(keep rank)."""
    r = runner.invoke(app, ["robustness", str(SAMPLES), "--draws", "500"])
    assert r.exit_code == 0, r.output
    assert "5–95 %" in r.stdout and "P(giữ hạng)" in r.stdout and "Huyện Bắc Sơn" in r.stdout
    assert "Không phân biệt được" in r.stdout and "xếp trên 0," in r.stdout
    assert "Sở Giao thông vận tải ~ Sở Khoa học và Công nghệ" in r.stdout


def test_cli_table_for_one_unit() -> None:
    """--unit prints the unit's row and the pairs it is in, named in full."""
    r = runner.invoke(
        app, ["robustness", str(SAMPLES), "--draws", "500", "--unit", "so-khoa-hoc-va-cong-nghe"]
    )
    assert r.exit_code == 0, r.output
    assert "Sở Khoa học và Công nghệ" in r.stdout and "Sở Tài chính" not in r.stdout
    assert "Sở Giao thông vận tải ~ Sở Khoa học và Công nghệ" in r.stdout


def test_cli_json_for_one_unit() -> None:
    """--json --unit prints the document cut down to the unit and the pairs it is in."""
    r = runner.invoke(
        app, ["robustness", str(SAMPLES), "--draws", "500", "--unit", "so-y-te", "--json"]
    )
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["format"] == "parindex.robustness/1" and doc["draws"] == 500
    (group,) = doc["groups"]
    assert [u["unit_id"] for u in group["units"]] == ["so-y-te"]
    assert all("so-y-te" in (p["a"], p["b"]) for p in group["pairs"])


def test_cli_plot_and_uncertainty_file(tmp_path: Path) -> None:
    """--uncertainty and --plot: a zero spec gives exact ranks and the charts are written."""
    spec = tmp_path / "none.yaml"
    spec.write_text("survey_sampling: 0\nappraisal_tolerance: {}\n", encoding="utf-8")
    r = runner.invoke(
        app,
        ["robustness", str(MINI), "-u", str(spec), "--plot", str(tmp_path / "p"), "--json"],
    )
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert all(u["low_rank"] == u["high_rank"] for u in doc["groups"][0]["units"])
    assert (tmp_path / "p" / "department-intervals.png").stat().st_size > 0
    assert (tmp_path / "p" / "a-profile.svg").exists()


def test_cli_reads_a_stored_campaign(tmp_path: Path) -> None:
    """A campaign id that is not a folder is scored from the store, as published."""
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert runner.invoke(app, ["--db", db, "campaign", "run", str(MINI)]).exit_code == 0
    r = runner.invoke(app, ["--db", db, "robustness", "mini-2018", "--draws", "300", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["campaign_id"] == "mini-2018"
    r = runner.invoke(app, ["--db", db, "robustness", "mini-2019"])
    assert r.exit_code == 1 and "mini-2019" in r.output


def test_cli_path_that_is_not_a_folder_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A path that is not a campaign folder is refused without creating a store."""
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["robustness", "samples/2020"])
    assert r.exit_code == 1 and "samples/2020: không phải thư mục kỳ đánh giá" in r.output
    assert not (tmp_path / "parindex.db").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--draws", "0"], "--draws: phải từ 1 đến 1.000.000, nhận 0"),
        (["--draws", "1000001"], "phải từ 1 đến 1.000.000"),
        (["--seed", "-1"], "--seed: phải từ 0 trở lên"),
        (["--unit", "so-y-tee"], "no scored unit 'so-y-tee'.*did you mean 'so-y-te'"),
        (["--uncertainty", "missing.yaml"], "missing.yaml: không tìm thấy tệp"),
    ],
)
def test_cli_bad_input_exits_1(args: list[str], message: str) -> None:
    """Bad draws, seed, unit or spec file: a one-line message and exit code 1."""
    r = runner.invoke(app, ["robustness", str(SAMPLES), *args])
    assert r.exit_code == 1, r.output
    assert re.search(message, r.output), r.output
    assert "Traceback" not in r.output


def test_cli_bad_spec_file_exits_1(tmp_path: Path) -> None:
    """A spec file with an unknown key is refused with its line and a suggestion."""
    spec = tmp_path / "u.yaml"
    spec.write_text("area_weight: 0.2\n", encoding="utf-8")
    r = runner.invoke(app, ["--lang", "en", "robustness", str(MINI), "--uncertainty", str(spec)])
    assert r.exit_code == 1
    assert "u.yaml:1:1" in r.output and "did you mean 'area_weights'" in r.output
