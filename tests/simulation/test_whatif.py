"""What-if, incremental re-scoring, gaps and candidates."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scoring import Index, load_campaign, score_campaign
from scoring.errors import SubmissionError
from scoring.evaluation.trace import dumps
from scoring.simulation.gaps import candidates, gaps
from scoring.simulation.whatif import (
    InputChange,
    load_scenario,
    parse_change,
    save_scenario,
    simulate,
)
from scoring.sources.numbers import quantize
from tests.support.cli import run
from tests.support.paths import SAMPLES

D = Decimal


@pytest.fixture(scope="module")
def result(real_index: Index):  # type: ignore[no-untyped-def]
    """The 2018 samples, scored."""
    return score_campaign(real_index, load_campaign(SAMPLES))


def _answer_changes(result, uid: str, rng: random.Random) -> list[InputChange]:  # type: ignore[no-untyped-def]
    """A few random but valid answer changes for one unit, drawn from its own candidates."""
    pool = candidates(result.index, result, uid)
    picks = rng.sample(pool, k=min(len(pool), rng.randint(1, 3)))
    seen, out = set(), []
    for c in picks:
        if c.node in seen:
            continue
        seen.add(c.node)
        out += [InputChange(c.node, name, value) for name, value in c.changes]
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_incremental_equals_full_rescore(result, seed: int) -> None:  # type: ignore[no-untyped-def]
    """On random changes, re-scoring only what moved equals re-scoring the whole unit."""
    rng = random.Random(seed)
    uid = rng.choice(sorted(result.submissions))
    changes = _answer_changes(result, uid, rng)
    assume(changes)  # a unit with nothing to change shows nothing: drawn again
    fast = simulate(result.index, result, uid, changes)
    full = simulate(result.index, result, uid, changes, incremental=False)
    assert dumps(fast.after) == dumps(full.after)
    assert (fast.rank_after, fast.class_after) == (full.rank_after, full.class_after)


def test_every_candidate_really_reaches_its_points(result) -> None:  # type: ignore[no-untyped-def]
    """Applying a gap's suggested input gives the leaf exactly the promised points."""
    checked = 0
    for uid in ("so-giao-duc-va-dao-tao", "huyen-cao-loc", "ban-dan-toc"):
        for c in candidates(result.index, result, uid):
            changes = [InputChange(c.node, n, v) for n, v in c.changes]
            after = simulate(result.index, result, uid, changes).after
            step = next(s for s in after.trace if s.node == c.node and s.level == "leaf")
            assert step.points == c.points, (uid, c)
            checked += 1
    assert checked > 30


def test_gaps_explain_and_suggest(result) -> None:  # type: ignore[no-untyped-def]
    """Gaps are sorted by what can be recovered; missing evidence and bands are explained."""
    found = gaps(result.index, result, "so-giao-duc-va-dao-tao")
    assert [g.recoverable for g in found] == sorted((g.recoverable for g in found), reverse=True)
    ev = next(g for g in found if g.node == "6.1.1")
    assert ev.why_en == "No evidence given" and ev.full is not None
    assert ev.full.changes[0][0] == "evidence" and ev.full.points == ev.max
    survey = [g for g in found if g.node.startswith("S.")]
    assert survey and not any(g.controllable for g in survey)


def test_what_if_moves_rank_and_lists_moved_leaves(result) -> None:  # type: ignore[no-untyped-def]
    """Adding the missing evidence lifts points, index and rank; the moved leaf is listed."""
    change = parse_change(result.index, result, "so-giao-duc-va-dao-tao", "6.1.1.evidence=12/QĐ")
    w = simulate(result.index, result, "so-giao-duc-va-dao-tao", [change])
    assert w.incremental and quantize(w.after.points - w.before.points, 6) == D("1")
    assert w.rank_after is not None and w.rank_before is not None
    assert w.rank_after < w.rank_before
    assert [a.node for a, _ in w.moved] == ["6.1.1"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9.9.9=1", "no item '9.9.9'"),
        ("3.4.1=5", "name one, e.g. 3.4.1.numerator=5"),
        ("3.4.1.numerater=5", "did you mean 'numerator'"),
        ("1.1.1", "expected NODE=VALUE"),
    ],
)
def test_bad_changes_are_refused(result, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    """Unknown items, ambiguous or misspelled inputs and malformed changes are refused."""
    with pytest.raises(SubmissionError, match=message):
        parse_change(result.index, result, "so-tai-chinh", text)


def test_wrong_value_type_is_refused(result) -> None:  # type: ignore[no-untyped-def]
    """A value of the wrong type is refused where it is typed, located at --set."""
    with pytest.raises(SubmissionError, match="whole number") as caught:
        parse_change(result.index, result, "so-tai-chinh", "3.4.1.numerator=many")
    assert "--set" in str(caught.value)
    change = parse_change(result.index, result, "so-tai-chinh", "3.4.1.numerator=12.5")
    with pytest.raises(SubmissionError, match="whole number"):
        simulate(result.index, result, "so-tai-chinh", [change])


def test_decimal_comma_and_day_first_dates_are_accepted(result) -> None:  # type: ignore[no-untyped-def]
    """``1.1.3=92,5`` reads as 92.5 and ``done_on=03/02/2018`` as 3 February 2018."""
    comma = parse_change(result.index, result, "so-tai-chinh", "1.1.3=92,5")
    point = parse_change(result.index, result, "so-tai-chinh", "1.1.3=92.5")
    assert comma.value == point.value == Decimal("92.5")
    day = parse_change(result.index, result, "so-tai-chinh", "1.1.1.done_on=03/02/2018")
    assert day.value == dt.date(2018, 2, 3)
    with pytest.raises(SubmissionError, match="not a date"):
        parse_change(result.index, result, "so-tai-chinh", "1.1.1.done_on=31/02/2018")
    with pytest.raises(SubmissionError, match="not a number"):
        parse_change(result.index, result, "so-tai-chinh", "1.1.3=1,000.5")


def test_scenarios_save_and_load(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Named scenarios are kept in a YAML file and give the same changes back."""
    path = tmp_path / "kich-ban.yaml"
    changes = [parse_change(result.index, result, "so-tai-chinh", "7.3.3=true")]
    save_scenario(path, "so-tai-chinh", "dich-vu-buu-chinh", changes)
    save_scenario(path, "so-tai-chinh", "khac", changes)
    unit, texts = load_scenario(path, "dich-vu-buu-chinh")
    assert unit == "so-tai-chinh" and texts == ["7.3.3.value=True"]
    with pytest.raises(SubmissionError, match="did you mean 'khac'"):
        load_scenario(path, "kha")


def test_simulate_and_gaps_from_the_cli(tmp_path: Path) -> None:
    """simulate prints the move; gaps lists suggestions; bad input exits 1."""
    import json

    r = run(
        "simulate",
        "so-giao-duc-va-dao-tao",
        "--set",
        "6.1.1.evidence=12/QĐ",
        "--json",
        "--campaign",
        str(SAMPLES),
    )
    doc = json.loads(r.stdout)
    assert r.exit_code == 0 and doc["points"] == ["83.09", "84.09"] and doc["incremental"]
    book = tmp_path / "s.yaml"
    r = run(
        "simulate",
        "so-tai-chinh",
        "--set",
        "7.3.3=true",
        "--scenarios",
        str(book),
        "--save",
        "buu-chinh",
        "--campaign",
        str(SAMPLES),
    )
    assert r.exit_code == 0 and book.exists()
    r = run(
        "simulate",
        "so-tai-chinh",
        "--scenarios",
        str(book),
        "--load",
        "buu-chinh",
        "--campaign",
        str(SAMPLES),
    )
    assert r.exit_code == 0 and "7.3.3" in r.stdout
    r = run("gaps", "so-giao-duc-va-dao-tao", "--campaign", str(SAMPLES), "--json")
    rows = json.loads(r.stdout)["gaps"]
    assert r.exit_code == 0 and rows[0]["full"] is not None
    r = run("simulate", "so-tai-chinh", "--set", "3.4.1=5", "--campaign", str(SAMPLES))
    assert r.exit_code == 1 and "hãy ghi rõ một" in r.output
    r = run("gaps", "so-tai-chin", "--campaign", str(SAMPLES))
    assert r.exit_code == 1 and "did you mean 'so-tai-chinh'" in r.output


def test_cli_simulate_names_the_changes_typed_in_the_leafs_words() -> None:
    """simulate repeats the changes typed with the leaf's labels (a district's own words for
    1.3.1) and the values as people write them, never the input's field name or a code."""
    r = run(
        "simulate",
        "huyen-bac-son",
        "--set",
        "2.4.1.level=dung-tien-do",
        "--set",
        "1.3.1.numerator=20",
        "--set",
        "1.1.2.value=true",
        "--set",
        "1.1.1.done_on=2018-01-20",
        "--campaign",
        str(SAMPLES),
    )
    assert r.exit_code == 0, r.output
    first = r.stdout.splitlines()[0]
    assert first == (
        "Huyện Bắc Sơn (huyen-bac-son): 2.4.1 Mức độ đạt được → Đầy đủ, đúng tiến độ; "
        "1.3.1 Số phòng chuyên môn, UBND cấp xã được kiểm tra CCHC → 20; "
        "1.1.2 Kế hoạch đủ nhiệm vụ các lĩnh vực và có bố trí kinh phí → có; "
        "1.1.1 Ngày ban hành kế hoạch CCHC → 20/01/2018"
    )
    en = run("--lang", "en", "simulate", "huyen-bac-son", "--set", "2.4.1.level=dung-tien-do")
    assert en.stdout.splitlines()[0].endswith("2.4.1 Level reached → Fully and on schedule")
