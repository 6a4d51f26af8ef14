"""Traces are frozen when scored: what a caller changes afterwards never shows in a trace.

Each path (one unit, a batch, a what-if re-score, a stored campaign) is scored twice from the
same inputs: one result's trace is read at once, the other's only after every input the
trace could read was changed (appraisal lists appended to, new nodes appraised, answers and
prepared inputs replaced or added, evidence lists appended to). Both must read the same, and
agree with the points scored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, MutableMapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from scoring import load_campaign, score_campaign, score_unit
from scoring.campaign.ready import Ready
from scoring.campaign.submission import Answer, EvidenceRef
from scoring.evaluation import batch
from scoring.evaluation.batch import score_units
from scoring.evaluation.inputs import Appraisal
from scoring.evaluation.ranking import CampaignResult
from scoring.evaluation.trace import UnitResult, dumps
from scoring.index.kinds import Prepared
from scoring.simulation.whatif import InputChange, simulate
from scoring.store import cycle, publication
from tests.support.indexes import ready
from tests.support.paths import MINI

D = Decimal
LATE = Appraisal("correction", D(0), "sửa sau khi chấm", "ai đó", "2019-01-01T00:00")


def _seen(result: UnitResult) -> tuple[str, str]:
    """The trace as JSON and as the text its reasons read."""
    text = "\n".join(
        f"{s.node} {s.level} {s.points} {s.reason_vi} | {s.reason_en} | {s.evidence}"
        for s in result.trace
    )
    return dumps(tuple(result.trace)), text


def _agrees(result: UnitResult) -> None:
    """The trace says the points the result holds: per node, per appraised step, in total."""
    last = {}  # a node with a bonus or penalty of its own: its "adjusted" step comes last
    for s in result.trace:
        if s.level in ("leaf", "node", "area", "adjusted"):
            last[s.node] = s.points or D(0)
        if s.appraisal:
            assert s.appraisal[-1]["to"] == s.points, s.node
    assert last == {k: n.points for k, n in result.nodes.items()}
    total = result.trace[-1]
    assert total.node == "total" and total.points == result.points


def _loose(r: Ready) -> Ready:
    """``r`` as a caller might make it: plain dicts it keeps and may change later."""
    return dataclasses.replace(
        r,
        leaves=dict(r.leaves),
        adjustments=dict(r.adjustments),
        answers=dict(r.answers),
        adjustment_answers=dict(r.adjustment_answers),
    )


def _change_history(history: MutableMapping[str, list[Appraisal]]) -> None:
    """One unit's changes: every list appended to, and nodes nobody appraised appraised."""
    for changes in history.values():
        changes.append(LATE)
    for node in ("1.1", "1.2", "1.3", "2.1", "B1", "P1", "P2"):
        history.setdefault(node, [LATE])


def _change_appraisals(appraisals: MutableMapping[str, Any]) -> None:
    """Every unit's changes changed, and a unit nobody appraised appraised."""
    for history in appraisals.values():
        _change_history(history)
    appraisals.setdefault("c", {"1.1": [LATE], "2.2": [LATE]})


def _change_answers(answers: Mapping[str, Answer]) -> None:
    """Replace and add answers where the mapping takes it; append to every evidence list."""
    for ans in list(answers.values()):
        if isinstance(ans.evidence, list):
            ans.evidence.append(EvidenceRef(doc="99/QĐ-sau"))
    if isinstance(answers, MutableMapping):
        for key in list(answers):
            answers[key] = Answer(value=True, count=9, evidence=[EvidenceRef(doc="thay")])
        answers["1.5"] = Answer(numerator=1, denominator=2)


def _change_ready(r: Ready) -> None:
    """Every mapping of a unit's prepared inputs that takes a change, changed."""
    _change_answers(r.answers)
    _change_answers(r.adjustment_answers)
    for prepared in (r.leaves, r.adjustments):
        if isinstance(prepared, MutableMapping):
            for key in list(prepared):
                prepared[key] = Prepared("value", Fraction(7), {"changed": True})


def _same_after(
    score: Callable[[], list[UnitResult]], change: Callable[[], None]
) -> list[UnitResult]:
    """Score twice; read one trace now, change the inputs, read the other: they match."""
    now = score()
    assert now, "nothing scored: nothing to compare"
    seen = [_seen(r) for r in now]
    later = score()
    change()
    assert [_seen(r) for r in later] == seen
    for r in later:
        _agrees(r)
    return later


def _mini_appraisals() -> dict[str, dict[str, list[Appraisal]]]:
    return {
        "a": {
            "1.4": [Appraisal("1", D(6), "Số liệu khác", "Tổ thẩm định", "2018-12-05T09:00")],
            "B1": [Appraisal("1", D("0.5"), "Một sáng kiến", "Tổ thẩm định", "2018-12-05")],
        },
        "b": {"P1": [Appraisal("1", D("1.5"), "Kỷ luật", "Tổ thẩm định", "2018-12-05")]},
    }


def test_one_unit_trace_ignores_later_appraisals_and_answers(mini_index) -> None:  # type: ignore[no-untyped-def]
    """score_unit: appraisals appended or added and answers replaced after scoring do not
    show in the trace."""
    answers = {
        "1.1": {"value": True, "evidence": [{"doc": "01/KH"}]},
        "1.4": {"numerator": 8, "denominator": 10},
        "2.1": {"count": 2},
    }
    claims = {"B1": {"count": 1, "evidence": [{"doc": "02/QĐ"}]}, "P2": {"value": True}}
    r = _loose(ready(mini_index, "department", answers, claims))
    appraised = _mini_appraisals()["a"]

    def change() -> None:
        _change_history(appraised)
        _change_ready(r)

    later = _same_after(lambda: [score_unit(mini_index, r, appraised)], change)
    assert later[0].trace[-1].points == later[0].points


def _mini_ready(mini_index) -> list[Ready]:  # type: ignore[no-untyped-def]
    from scoring.campaign.ready import prepare

    return [_loose(prepare(mini_index, s)) for s in load_campaign(MINI).submissions.values()]


@pytest.mark.parametrize("jobs", [1, 2])
def test_batch_traces_ignore_later_changes(mini_index, monkeypatch, jobs: int) -> None:  # type: ignore[no-untyped-def]
    """score_units (in one process, and with worker processes): later changes to the
    appraisals mapping and to the units' answers do not reach the traces."""
    monkeypatch.setattr(batch, "PARALLEL_MIN", 1)
    units = _mini_ready(mini_index)
    appraisals = _mini_appraisals()

    def change() -> None:
        _change_appraisals(appraisals)
        for r in units:
            _change_ready(r)

    _same_after(lambda: score_units(mini_index, units, appraisals, jobs=jobs), change)


def test_prepared_units_cannot_be_changed(mini_index) -> None:  # type: ignore[no-untyped-def]
    """prepare hands out read-only mappings and answers whose evidence is a tuple, so the
    batch shares them instead of copying."""
    r = ready(mini_index, "department", {"1.1": {"value": True, "evidence": [{"doc": "x"}]}})
    for m in (r.leaves, r.answers, r.adjustments, r.adjustment_answers):
        with pytest.raises(TypeError):
            m["1.1"] = None  # type: ignore[index]
    assert isinstance(r.answers["1.1"].evidence, tuple)


def _change_campaign(result: CampaignResult) -> None:
    _change_appraisals(result.appraisals)  # type: ignore[arg-type]
    for sub in result.submissions.values():
        _change_answers(sub.answers)
        _change_answers(sub.adjustments)
    for r in result.ready.values():
        _change_ready(r)


@pytest.mark.parametrize("incremental", [True, False])
def test_what_if_trace_ignores_later_changes(mini_index, incremental: bool) -> None:  # type: ignore[no-untyped-def]
    """simulate (incremental re-score, and the full re-score): the 'after' trace stays as
    scored when the campaign's appraisals and answers change afterwards."""
    changes = [InputChange("1.3", "numerator", 50)]
    campaigns: list[CampaignResult] = []

    def score() -> list[UnitResult]:
        campaigns.append(score_campaign(mini_index, load_campaign(MINI), _mini_appraisals()))
        w = simulate(mini_index, campaigns[-1], "a", changes, incremental=incremental)
        assert w.incremental is incremental
        return [w.after]

    _same_after(score, lambda: _change_campaign(campaigns[-1]))


def test_stored_campaign_traces_ignore_later_changes(store) -> None:  # type: ignore[no-untyped-def]
    """stored.load + score: appending to the loaded appraisal lists, appraising new nodes and
    changing the loaded answers after scoring leave the traces as scored."""
    cycle.run_cycle(store, MINI, actor="snv")
    loaded: list[Any] = []

    def score() -> list[UnitResult]:
        with store.read() as s:
            stored, result = publication.compute(s, "mini-2018")
        loaded.append((stored, result))
        one = score_unit(stored.index, result.ready["a"], stored.appraisals.get("a"))
        return [one, *(r for rs in result.groups.values() for r in rs)]

    def change() -> None:
        stored, result = loaded[-1]
        _change_appraisals(stored.appraisals)
        _change_campaign(result)
        for sub in stored.campaign.submissions.values():
            _change_answers(sub.answers)

    later = _same_after(score, change)
    step = next(s for s in later[0].trace if s.node == "1.4")
    assert [c["to"] for c in step.appraisal] == [D(6), D(8)]


def test_appraisal_added_after_scoring_is_not_in_the_trace(mini_index) -> None:  # type: ignore[no-untyped-def]
    """The reported case: a penalty appraised after scoring showed in the trace, not in the
    points."""
    r = ready(mini_index, "department", {"1.1": {"value": True}}, {"P1": {"count": 1}})
    appraised = {"1.1": [Appraisal("1", D(8), "một phần", "x", "2018-12-05")]}
    result = score_unit(mini_index, r, appraised)
    appraised["P1"] = [Appraisal("1", D(3), "thêm sau", "x", dt.date(2019, 1, 1).isoformat())]
    step = next(s for s in result.trace if s.node == "P1")
    assert step.appraisal == () and step.points == result.penalty == D("1.5")
