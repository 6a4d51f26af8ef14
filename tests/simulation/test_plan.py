"""Target planning: targets read as published, cheapest plans, checked by re-scoring."""

from __future__ import annotations

import dataclasses
import importlib
import itertools
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from scoring import CampaignResult, Index, load_campaign, rank, score_campaign
from scoring.cli.plan_cmds import plan_document, set_texts
from scoring.errors import SubmissionError
from scoring.index import model as m
from scoring.simulation.gaps import Candidate, Costs, candidates
from scoring.simulation.plan import ClassTarget, IndexTarget, Plan, RankTarget, Target, plan
from scoring.simulation.whatif import InputChange, parse_change, simulate
from scoring.sources.numbers import CONTEXT, quantize
from tests.support.cli import run
from tests.support.paths import MINI, SAMPLES

D = Decimal
FREE = Costs()


@pytest.fixture(scope="module")
def samples(real_index: Index) -> CampaignResult:
    """The 2018 samples, scored."""
    return score_campaign(real_index, load_campaign(SAMPLES))


@pytest.fixture(scope="module")
def mini(mini_index: Index) -> CampaignResult:
    """The mini campaign, scored."""
    return score_campaign(mini_index, load_campaign(MINI))


def _changes(cands: list[Candidate]) -> list[InputChange]:
    return [InputChange(c.node, name, value) for c in cands for name, value in c.changes]


def _reached(result: CampaignResult, uid: str, target: Target, chosen: list[Candidate]) -> bool:
    """Whether the unit, re-scored with these changes, meets the target (independent check)."""
    index = result.index
    w = simulate(index, result, uid, _changes(chosen))
    places = index.meta.rounding.places
    shown = quantize(w.after.index, places)
    if isinstance(target, RankTarget):
        return w.rank_after is not None and w.rank_after <= target.rank
    if isinstance(target, ClassTarget):
        bands = index.groups[w.after.group].group.classification
        band = next(b for b in bands if target.label in (b.id, b.label_vi))
        return shown >= band.min
    return shown >= target.value


def _hand(node: str, gain: str, label: str = "") -> Candidate:
    """A hand-built candidate (no real input behind it: plan with rescore=False)."""
    g = D(gain)
    return Candidate(node, (("value", label or gain),), g, g, D(1), label, label)


class Priced(Costs):
    """Costs read from each hand-built candidate's label."""

    def cost(self, c: Candidate) -> Decimal:
        return D(c.label_vi.split(":")[0])


def _priced(node: str, gain: Decimal | str, cost: str) -> Candidate:
    g = D(gain)
    return Candidate(node, (("value", str(g)),), g, g, D(1), f"{cost}:", "")


# ---------------------------------------------------------------- plans reach their target


SAMPLE_TARGETS = [
    ("ban-dan-toc", ClassTarget("Xuất sắc")),
    ("huyen-van-quan", ClassTarget("xuat-sac")),
    ("huyen-cao-loc", RankTarget(1)),
    ("so-ngoai-vu", RankTarget(3)),
    ("huyen-loc-binh", RankTarget(4)),
    ("so-tu-phap", IndexTarget(D(90))),
]


@pytest.mark.parametrize(("uid", "target"), SAMPLE_TARGETS)
def test_plan_reaches_its_target_when_the_unit_is_rescored(
    samples: CampaignResult, uid: str, target: Target
) -> None:
    """Re-scoring the unit with the plan's changes reaches the target, with the plan's figures."""
    p = plan(samples.index, samples, uid, target, FREE)
    assert p.reachable and not p.already_met and p.changes, p.message_en
    chosen = [c.candidate for c in p.changes]
    assert _reached(samples, uid, target, chosen)
    w = simulate(samples.index, samples, uid, _changes(chosen))
    assert (p.after.index, p.after.rank, p.after.classification) == (
        w.after.index,
        w.rank_after,
        w.class_after,
    )
    assert p.after.gain == w.after.points - w.before.points >= p.needed_gain > 0
    assert p.cost == sum(FREE.cost(c) for c in chosen)
    assert len({c.node for c in chosen}) == len(chosen)  # one change per node at most
    assert p.message_en.startswith("reached with")
    assert p.message_vi.startswith(f"đạt được với {len(chosen)} thay đổi")


@pytest.mark.parametrize(("uid", "target"), SAMPLE_TARGETS)
def test_no_cheaper_single_candidate_reaches_the_target_alone(
    samples: CampaignResult, uid: str, target: Target
) -> None:
    """Every candidate cheaper than the plan, applied alone, leaves the target unmet."""
    p = plan(samples.index, samples, uid, target, FREE)
    pool = candidates(samples.index, samples, uid)
    cheaper = [c for c in pool if FREE.cost(c) < p.cost]
    for c in cheaper:
        assert not _reached(samples, uid, target, [c]), c
    # nothing cheaper to try only when the plan costs what the cheapest single change costs
    assert cheaper or p.cost == min(FREE.cost(c) for c in pool)


@pytest.mark.parametrize(
    "target", [ClassTarget("kha"), IndexTarget(D(50)), IndexTarget(D("42.5")), IndexTarget(D(70))]
)
def test_plan_is_the_cheapest_combination_by_brute_force(
    mini: CampaignResult, target: Target
) -> None:
    """On a small unit, no combination of candidates (one per node) cheaper than the plan
    reaches the target when re-scored."""
    p = plan(mini.index, mini, "b", target, FREE)
    assert p.reachable and p.changes
    assert _reached(mini, "b", target, [c.candidate for c in p.changes])
    by_node: dict[str, list[Candidate | None]] = {}
    for c in candidates(mini.index, mini, "b"):
        by_node.setdefault(c.node, [None]).append(c)
    tried = 0
    for combo in itertools.product(*by_node.values()):
        chosen = [c for c in combo if c is not None]
        if chosen and sum(FREE.cost(c) for c in chosen) < p.cost:
            tried += 1
            assert not _reached(mini, "b", target, chosen), chosen
    assert tried > 0


def test_plan_changes_replay_through_simulate_set(samples: CampaignResult) -> None:
    """The plan's `--set` texts, parsed as `parindex simulate` does, give the plan's outcome."""
    p = plan(samples.index, samples, "huyen-loc-binh", RankTarget(4), FREE)
    texts = [t for c in p.changes for t in set_texts(c.candidate)]
    assert any(".evidence=" in t for t in texts)  # evidence added, as a document number
    changes = [parse_change(samples.index, samples, "huyen-loc-binh", t) for t in texts]
    w = simulate(samples.index, samples, "huyen-loc-binh", changes)
    assert (w.after.index, w.rank_after) == (p.after.index, p.after.rank)


# ---------------------------------------------------------------- unreachable and already met


def test_unreachable_index_says_so_plainly(samples: CampaignResult) -> None:
    """Index 100 for a unit that cannot get there: no changes, and the most it could reach."""
    p = plan(samples.index, samples, "huyen-dinh-lap", IndexTarget(D(100)), FREE)
    assert not p.reachable and not p.changes and p.cost == 0
    assert p.message_en.startswith("not reachable: the most the unit can gain is ")
    assert f"index {quantize(p.best.index, 2)}" in p.message_en
    shown = str(quantize(p.best.index, 2)).replace(".", ",")
    assert p.message_vi.startswith("không thể đạt: đơn vị tăng được nhiều nhất ")
    assert f"chỉ số {shown}, xếp loại" in p.message_vi
    assert p.best.index < 100 and p.after.index == p.before.index


def test_unreachable_rank_with_tiny_candidates(mini: CampaignResult) -> None:
    """Rank 1 for the weakest unit with candidates worth a few hundredths is not reachable."""
    tiny = [_hand("1.1", "0.01"), _hand("1.2", "0.02"), _hand("1.2", "0.03")]
    p = plan(mini.index, mini, "b", RankTarget(1), FREE, options=tiny, rescore=False)
    assert not p.reachable and p.after.rank == p.before.rank == 3
    assert p.best.gain == D("0.04")  # the best candidate of each node
    assert p.message_en.startswith("not reachable: the most the unit can gain is 0.04 points")
    assert p.message_vi.startswith("không thể đạt: đơn vị tăng được nhiều nhất 0,04 điểm")


@pytest.mark.parametrize(
    "target",
    [RankTarget(1), ClassTarget("xuat-sac"), ClassTarget("Yếu"), IndexTarget(D("91.18"))],
)
def test_already_met_target_returns_an_empty_plan(samples: CampaignResult, target: Target) -> None:
    """A target the unit already meets gives no changes, no cost and says so."""
    p = plan(samples.index, samples, "so-tai-chinh", target, FREE)
    assert p.reachable and p.already_met and p.changes == ()
    assert (p.cost, p.after.gain, p.needed_gain) == (0, 0, 0)
    assert p.message_en == "already met: index 91.18, class Excellent, rank 1"
    assert p.message_vi == "đã đạt: chỉ số 91,18, xếp loại Xuất sắc, hạng 1"


# ---------------------------------------------------------------- costs


def test_costs_from_a_yaml_file_change_the_chosen_plan(
    samples: CampaignResult, tmp_path: Path
) -> None:
    """Making yes/no answers dear in a costs file steers the plan to other inputs."""
    from scoring.simulation.gaps import load_costs

    cheap = plan(samples.index, samples, "so-tu-phap", IndexTarget(D(90)), FREE)
    assert any(name == "value" for c in cheap.changes for name, _ in c.candidate.changes)
    path = tmp_path / "costs.yaml"
    path.write_text('default: 1\ninputs: {"*.value": 10}\n', encoding="utf-8")
    dear = load_costs(path)
    p = plan(samples.index, samples, "so-tu-phap", IndexTarget(D(90)), dear)
    assert p.reachable and p.changes != cheap.changes
    assert not any(name == "value" for c in p.changes for name, _ in c.candidate.changes)
    assert p.cost == sum(dear.cost(c.candidate) for c in p.changes)
    assert p.cost < sum(dear.cost(c.candidate) for c in cheap.changes)
    assert _reached(samples, "so-tu-phap", IndexTarget(D(90)), [c.candidate for c in p.changes])


# ---------------------------------------------------------------- rounding and ties


def test_class_threshold_is_the_published_rounding(mini: CampaignResult) -> None:
    """Class Khá (min 60) is met by an exact index of 59.995, which publishes as 60.00."""
    c = mini.unit("c")
    assert c is not None and (c.points, c.max_points) == (D("24.6"), D(70))
    need = D("59.995") * 70 / 100 - D("24.6")  # 17.3965 points
    options = [_priced("1.1", need, "5"), _priced("1.2", need - D("0.0001"), "1")]
    p = plan(mini.index, mini, "c", ClassTarget("kha"), Priced(), options=options, rescore=False)
    assert p.needed_gain == need
    assert [ch.candidate.node for ch in p.changes] == ["1.1"]
    assert p.after.index == D("59.995") and p.after.classification.id == "kha"


def test_rank_target_counts_a_tie_at_the_ranking_precision(samples: CampaignResult) -> None:
    """Rank 11 is shared by 87.85 (twice) and 87.91 (all 87.9 at one decimal): 87.85 ties
    with them."""
    me = samples.unit("ban-quan-ly-khu-kinh-te-cua-khau-dong-dang-lang-son")
    assert me is not None and me.rank == 14 and me.max_points == 100
    need = CONTEXT.subtract(D("87.85"), me.points)  # exact: 34 digits
    exact = [_priced("1.1.1", need, "1")]
    p = plan(
        samples.index, samples, me.unit_id, RankTarget(11), Priced(), options=exact, rescore=False
    )
    assert p.needed_gain == need and p.reachable and p.after.rank == 11
    short = [_priced("1.1.1", CONTEXT.subtract(need, D("0.0001")), "1")]
    p = plan(
        samples.index, samples, me.unit_id, RankTarget(11), Priced(), options=short, rescore=False
    )
    assert not p.reachable and p.after.rank == 14


def _with_ranking(result: CampaignResult, ranking: m.Ranking) -> CampaignResult:
    meta = result.index.meta.model_copy(update={"ranking": ranking})
    index = dataclasses.replace(result.index, meta=meta)
    groups = {g: rank(rs, index) for g, rs in result.groups.items()}
    return dataclasses.replace(result, index=index, groups=groups)


@pytest.mark.parametrize(("content_cost", "chosen"), [("3", "S.2"), ("1.5", "2.1")])
def test_tie_break_is_won_on_survey_or_avoided_above_the_tie(
    mini: CampaignResult, content_cost: str, chosen: str
) -> None:
    """With tie_break [survey], b passes c either by tying on the index and beating its survey
    points, or by a higher ranked index; the cheaper way is taken."""
    result = _with_ranking(mini, m.Ranking(precision=1, tie_break=["survey"]))
    # b: 28.05 / 90; c: index 35.14 (35.1), survey 9.6. Tie: index >= 35.05 -> +3.495 points;
    # above: index >= 35.15 -> +3.585 points.
    options = [
        _priced("1.1", "3.5", "1"),  # content: ties on the index, loses on survey (7.55)
        _priced("S.2", "3.5", "2"),  # survey: ties on the index, wins on survey (11.05)
        _priced("2.1", "3.6", content_cost),  # content: above the tie
    ]
    p = plan(result.index, result, "b", RankTarget(2), Priced(), options=options, rescore=False)
    assert [ch.candidate.node for ch in p.changes] == [chosen]
    assert p.after.rank == 2


def test_dense_ranks_count_distinct_figures(samples: CampaignResult) -> None:
    """Under dense ranking, rank 5 is the fifth distinct ranked index (88.6 -> already met)."""
    dense = _with_ranking(samples, m.Ranking(tie_policy="dense", precision=1))
    assert dense.unit("so-ke-hoach-va-dau-tu").rank == 5  # type: ignore[union-attr]
    p = plan(dense.index, dense, "so-ke-hoach-va-dau-tu", RankTarget(5), FREE)
    assert p.already_met
    p = plan(dense.index, dense, "so-xay-dung", RankTarget(5), FREE)
    assert p.reachable and p.after.rank is not None and p.after.rank <= 5
    assert _reached(dense, "so-xay-dung", RankTarget(5), [c.candidate for c in p.changes])


def _float_pair(total: Fraction, below: bool) -> tuple[Decimal, Decimal]:
    """Two gains of 3 decimals whose float sum misses (below) or passes their exact sum."""
    for k in range(1, int(total * 1000)):
        a = Fraction(k, 1000)
        fa, fb = float(a), float(total - a)
        if (fa + fb < float(total)) if below else (fa + fb > float(total)):
            return D(k) / 1000, D(str(float(total - a)))
    raise AssertionError("no such pair")


def test_float_noise_in_the_solver_does_not_change_the_exact_answer(
    mini: CampaignResult,
) -> None:
    """Gains that add up exactly to the need are accepted though their floats fall short;
    gains a hair short of it are refused though their floats look enough."""
    need = D("93.805") - D(93)  # a: 93 / 100 -> index 93.81 needs +0.805 exactly
    a, b = _float_pair(Fraction(need), below=True)
    assert a + b == need and float(a) + float(b) < float(need)
    pair = [_priced("1.1", a, "1"), _priced("1.2", b, "1"), _priced("1.3", need, "3")]
    target = IndexTarget(D("93.81"))
    p = plan(mini.index, mini, "a", target, Priced(), options=pair, rescore=False)
    assert sorted(ch.candidate.node for ch in p.changes) == ["1.1", "1.2"] and p.cost == 2
    hair = [
        _priced("1.1", a, "1"),
        _priced("1.2", b - D("1E-12"), "1"),
        _priced("1.3", need, "3"),
    ]
    p = plan(mini.index, mini, "a", target, Priced(), options=hair, rescore=False)
    assert [ch.candidate.node for ch in p.changes] == ["1.3"] and p.cost == 3


def test_a_gain_the_rescoring_does_not_confirm_is_set_aside(mini: CampaignResult) -> None:
    """A plan whose candidates overstate their gain (as a cap would) is re-scored, found short,
    excluded, and the next cheapest plan that really reaches the target is returned."""
    real = {c.node: c for c in candidates(mini.index, mini, "c") if c.points == 10}
    late = next(c for c in candidates(mini.index, mini, "c") if c.node == "1.2" and c.gain == 5)
    overstated = dataclasses.replace(late, gain=D(10), points=D(10))  # really worth 5
    costs = Costs(per_input={"1.1": D(2)})
    target = IndexTarget(D(48))  # c: 24.6 / 70 -> needs about +9 points
    p = plan(mini.index, mini, "c", target, costs, options=[overstated, real["1.1"]])
    assert [ch.candidate.node for ch in p.changes] == ["1.1"] and p.cost == 2
    assert _reached(mini, "c", target, [real["1.1"]])
    assert not _reached(mini, "c", target, [overstated])


# ---------------------------------------------------------------- bad targets


@pytest.mark.parametrize(
    ("uid", "target", "message"),
    [
        ("so-ngoai-vux", RankTarget(1), "no scored unit 'so-ngoai-vux'"),
        ("so-ngoai-vu", ClassTarget("gioi"), "no class 'gioi' in group 'department'"),
        ("so-ngoai-vu", RankTarget(0), "rank 0 is out of range"),
        ("so-ngoai-vu", RankTarget(21), "rank 21 is out of range: group 'department' ranks 20"),
        ("so-ngoai-vu", IndexTarget(D(101)), "index 101 is outside [0, 100]"),
        ("so-ngoai-vu", IndexTarget(D(-1)), "index -1 is outside [0, 100]"),
    ],
)
def test_bad_targets_are_refused_with_a_message(
    samples: CampaignResult, uid: str, target: Target, message: str
) -> None:
    """An unknown unit or class, a rank out of range or an index off the scale is refused."""
    with pytest.raises(SubmissionError, match=message.replace("[", r"\[")):
        plan(samples.index, samples, uid, target, FREE)


# ---------------------------------------------------------------- the command


def test_cli_plan_prints_changes_totals_and_before_after() -> None:
    """`parindex plan` prints each change, the totals and the figures before and after."""
    r = run("plan", "ban-dan-toc", "--to", "Xuất sắc", "--campaign", str(SAMPLES))
    assert r.exit_code == 0, r.output
    expected = [
        "— xếp loại Xuất sắc: chỉ số từ 90 trở lên, làm tròn 2 chữ số thập phân",
        "1.4.1",
        "Mức độ đạt được → Hoàn thành 100% kế hoạch",  # the level's label, not hoan-thanh
        "Tốt → Xuất sắc",
        "81,51 → 90,03",
        "đạt được với",
        "parindex simulate ban-dan-toc --set",
    ]
    for text in expected:
        assert text in r.stdout, text


def test_cli_plan_json_document() -> None:
    """--json prints the documented plan document with Decimals as strings."""
    r = run("plan", "so-ngoai-vu", "--rank", "3", "--json")
    assert r.exit_code == 0, r.output
    doc: dict[str, Any] = json.loads(r.stdout)
    assert doc["format"] == "parindex.plan/1" and doc["target"] == {"kind": "rank", "rank": 3}
    assert doc["reachable"] is True and doc["before"]["rank"] == 11 and doc["after"]["rank"] == 2
    assert doc["changes"][0]["set"] and isinstance(doc["cost"], str)


def test_cli_plan_unreachable_exits_zero_with_the_reason() -> None:
    """An unreachable target is an answer, not an error: exit 0 and the plain reason."""
    r = run("plan", "huyen-dinh-lap", "--index", "100")
    assert r.exit_code == 0, r.output
    assert "không thể đạt: đơn vị tăng được nhiều nhất" in r.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--rank", "1"], "no scored unit 'nobody'"),
        (["so-ngoai-vu", "--to", "gioi"], "không có xếp loại 'gioi'"),
        (["so-ngoai-vu", "--rank", "0"], "hạng 0 nằm ngoài phạm vi"),
        (["so-ngoai-vu", "--index", "101"], "nằm ngoài thang điểm từ 0 đến 100"),
        (["so-ngoai-vu", "--index", "abc"], "expected a number"),
        (["so-ngoai-vu", "--index", "95", "--costs", "COSTS"], "không có khóa 'defalt' ở đây"),
    ],
)
def test_cli_plan_bad_input_exits_1(tmp_path: Path, args: list[str], message: str) -> None:
    """Bad input gives a one-line located message and exit code 1."""
    costs = tmp_path / "costs.yaml"
    costs.write_text("defalt: 1\n", encoding="utf-8")
    r = run("plan", *[str(costs) if a == "COSTS" else a for a in args])
    assert r.exit_code == 1, r.output
    assert message in r.stderr and "Traceback" not in r.output


@pytest.mark.parametrize("targets", [[], ["--to", "tot", "--rank", "3"]])
def test_cli_plan_needs_exactly_one_target(targets: list[str]) -> None:
    """No target, or two of them, is a usage error (exit 2)."""
    r = run("plan", "so-ngoai-vu", *targets)
    assert r.exit_code == 2
    words = " ".join(r.output.replace("│", " ").split())
    assert "exactly one of --to CLASS, --rank N, --index X" in words


def test_cli_plan_on_a_stored_campaign(tmp_path: Path) -> None:
    """--campaign also takes a campaign id in the store."""
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert run("--db", db, "import", str(MINI)).exit_code == 0
    r = run("--db", db, "plan", "b", "--to", "kha", "--campaign", "mini-2018", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["campaign"] == "mini-2018" and doc["after"]["classification"]["id"] == "kha"


def test_plan_document_round_trips_through_json(samples: CampaignResult) -> None:
    """The plan document is plain JSON: dates, Decimals and evidence as strings or lists."""
    p: Plan = plan(samples.index, samples, "huyen-loc-binh", RankTarget(4), FREE)
    doc = plan_document(p, samples)
    assert json.loads(json.dumps(doc)) == doc
    assert doc["needed_gain"] == str(p.needed_gain)


def test_cli_plan_names_a_hand_made_change_in_the_leafs_words(
    samples: CampaignResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change without words of its own (made by hand, not by ``gaps``) is still printed
    with the leaf's input label (the district's own words) and the value as people write
    it, a level by its label: never the field name or the code."""
    real = plan(samples.index, samples, "huyen-bac-son", RankTarget(1), FREE)
    bare = tuple(
        dataclasses.replace(
            c, candidate=dataclasses.replace(c.candidate, change_vi="", change_en="")
        )
        for c in real.changes
    )
    hand = _hand("1.3.1", "0.5")
    hand = dataclasses.replace(hand, changes=(("numerator", 20),))
    made = dataclasses.replace(real, changes=(*bare, dataclasses.replace(bare[0], candidate=hand)))
    module = importlib.import_module("scoring.simulation.plan")  # the package's plan is a function
    monkeypatch.setattr(module, "plan", lambda *a, **k: made)
    r = run("plan", "huyen-bac-son", "--rank", "1", "--campaign", str(SAMPLES))
    assert r.exit_code == 0, r.output
    words = " ".join(r.stdout.replace("│", " ").split())
    assert "Mức độ đạt được → Đầy đủ, đúng tiến độ" in words
    # the table wraps the long label: its two halves, each in the change column
    assert "Số phòng chuyên môn, UBND cấp xã được kiểm" in words and "tra CCHC → 20" in words
    table = words.split("kiểm tra:")[0]
    assert "level" not in table and "dung-tien-do" not in table and "numerator" not in table
