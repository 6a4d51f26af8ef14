"""The durable-rules adapter: decisions, memo, and durable's failures turned into ours."""

from __future__ import annotations

from typing import Any

import pytest

from scoring.errors import EngineError
from scoring.index import engine as engine_module
from scoring.index.engine import CheckSpec, RuleEngine, branch_of
from scoring.index.kinds import Branch


def _engine() -> RuleEngine:
    return RuleEngine(
        "t",
        {
            "x": [
                Branch("low", "thấp", "low", lo=0, hi=100, hi_incl=False),
                Branch("high", "cao", "high", lo=100),
                Branch("none", "không", "none", status="missing"),
            ]
        },
        gates=["x"],
        checks=[CheckSpec("c", "not_greater")],
    )


def test_each_fact_fires_its_branch_and_gate() -> None:
    """A value fires the band that holds; e=0 also fires the evidence gate."""
    e = _engine()
    out = e.decide(
        [
            ("in", "x", "value", 50, 1),
            ("in", "x", "value", 100, 0),
            ("in", "x", "missing", None, None),
        ]
    )
    assert out[("in", "x", "value", 50, 1)] == ("x#low",)
    assert out[("in", "x", "value", 100, 0)] == ("x#evidence_gate", "x#high")
    assert out[("in", "x", "missing", None, None)] == ("x#none",)


def test_checks_compare_two_attributes_of_one_fact() -> None:
    """not_greater fires ok when left <= right and violated otherwise."""
    e = _engine()
    out = e.decide([("chk", "c", 3, 4), ("chk", "c", 5, 4)])
    assert out[("chk", "c", 3, 4)] == ("c#ok",)
    assert out[("chk", "c", 5, 4)] == ("c#violated",)


def test_memo_decides_each_distinct_fact_once() -> None:
    """Asking twice for the same fact does not fire the engine again."""
    e = _engine()
    e.decide([("in", "x", "value", 7, 1)])
    fired_before = len(e._fired)
    e.decide([("in", "x", "value", 7, 1)] * 50)
    assert len(e._fired) == fired_before


def test_a_batch_larger_than_the_cap_is_decided_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Capped rules hand their matches to one action call in lists of at most CAP facts: a
    batch of many times CAP facts still gets every decision, each fact exactly its band."""
    monkeypatch.setattr(engine_module, "CAP", 3)
    e = _engine()
    keys = [("in", "x", "value", v, 1) for v in range(90, 110)]
    out = e.decided(keys)
    assert {k: out[k] for k in keys} == {k: ("x#low",) if k[3] < 100 else ("x#high",) for k in keys}


def test_capped_rules_call_back_once_per_rule_not_per_fact() -> None:
    """Deciding a batch of facts costs one Python callback per rule that fired (durable hands
    the capped rule's matches over as one list), not one per fact."""
    e = _engine()
    calls: list[str] = []
    wrapped = e._action

    def counting(rid: str) -> Any:
        act = wrapped(rid)
        return lambda c: (calls.append(rid), act(c))

    e._action = counting  # type: ignore[method-assign]
    e.close()
    e._host = e._register()
    e.decide([("in", "x", "value", v, 1) for v in range(200)])
    assert sorted(calls) == ["x#high", "x#low"]
    assert len(e._memo) == 200


def test_decided_is_the_memo_after_deciding_the_new_keys() -> None:
    """``decided`` decides only unseen keys and returns every decision made so far."""
    e = _engine()
    e.decide([("in", "x", "value", 7, 1)])
    out = e.decided([("in", "x", "value", 7, 1), ("in", "x", "value", 700, 1)])
    assert out[("in", "x", "value", 7, 1)] == ("x#low",)
    assert out[("in", "x", "value", 700, 1)] == ("x#high",)


def test_forked_workers_decide_shares_of_a_batch_as_one_process_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With jobs=2 a worker process decides half the new facts in its copy of the ruleset:
    the decisions are the in-process ones, each fact decided once, the memo holds them all."""
    monkeypatch.setattr(engine_module, "PARALLEL_FACTS", 2)
    monkeypatch.setattr(engine_module, "BATCH", 7)
    keys = [("in", "x", "value", v, v % 2) for v in range(0, 200, 3)]
    keys.append(("in", "x", "missing", None, None))
    forked = dict(_engine().decided(keys, jobs=2))
    assert forked == dict(_engine().decided(keys, jobs=1))
    assert len(forked) == len(keys)


def test_unknown_fact_is_refused_before_durable_sees_it() -> None:
    """A fact no rule can match is an EngineError raised before durable is called."""
    e = _engine()
    with pytest.raises(EngineError, match="no rule for fact"):
        e.decide([("in", "nope", "value", 1, None)])


def test_unmatched_value_becomes_engine_error_and_the_engine_recovers() -> None:
    """durable's MessageNotHandled becomes an EngineError; the engine answers afterwards."""
    e = _engine()
    for _ in range(20):  # deleting a failed session used to abort the process now and then
        with pytest.raises(EngineError, match="durable-rules failed"):
            e.decide([("in", "x", "value", -5, 1)])
        assert e.decide([("in", "x", "value", 1, 1)])[("in", "x", "value", 1, 1)] == ("x#low",)
        e.clear_memo()


def test_ruleset_limits_are_refused_before_durable_hangs() -> None:
    """More codes than a durable node can hold is refused instead of hanging create_ruleset."""
    decisions = {f"c{i}": [Branch("b", "b", "b")] for i in range(501)}
    with pytest.raises(EngineError, match="scored items"):
        RuleEngine("big", decisions)


def test_many_sessions_do_not_exhaust_durable() -> None:
    """Over 1,024 calls (durable's live-session limit) work because each session is deleted."""
    e = _engine()
    for i in range(1100):
        e.decide([("in", "x", "value", i * 2, 1)])
    e.close()


def test_branch_of_reads_one_branch_and_the_gate() -> None:
    """The fired rules name one branch, and maybe the evidence gate."""
    assert branch_of("1.1", ("1.1#yes", "1.1#evidence_gate")) == ("yes", True)
    assert branch_of("1.1", ("1.1#no",)) == ("no", False)


@pytest.mark.parametrize("fired", [(), ("1.1#yes", "1.1#no")])
def test_branch_of_refuses_anything_but_one_branch(fired: tuple[str, ...]) -> None:
    """No branch, or two, is the engine's error, never a score."""
    with pytest.raises(EngineError):
        branch_of("1.1", fired)
