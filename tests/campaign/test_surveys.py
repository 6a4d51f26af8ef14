"""The survey and council door: whole files checked, partial ones merged, gaps not published.

Regression (issue 13): a survey or council file with out-of-range values, negative or fractional
counts, unknown options, bad council scores or an unknown unit was stored with exit 0, a file
naming one unit wiped every other unit's results, and the ranking was published with those
survey points missing.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from scoring.campaign.surveys import stored_units
from scoring.errors import ErrorList, ParindexError, SubmissionError
from scoring.sources.yamlsrc import dump_yaml
from scoring.store import cycle, imports, moves, publication
from scoring.store.schema import AuditRow, DocumentRow
from scoring.store.stored import load
from tests.support.cli import run
from tests.support.paths import MINI
from tests.support.stores import at

CID = "mini-2018"
SURVEY = (MINI / "survey.yaml").read_text(encoding="utf-8")
COUNCIL = (MINI / "council.yaml").read_text(encoding="utf-8")


def _open(store) -> None:  # type: ignore[no-untyped-def]
    report = imports.import_folder(store, MINI, actor="snv", now=at("2018-11-20"))
    assert not report.errors


def _import(store, kind: str, text: str, replace: bool = False) -> list[str]:  # type: ignore[no-untyped-def]
    return imports.import_source(
        store,
        CID,
        kind,
        text,
        f"{kind}-in.yaml",
        actor="snv",
        now=at("2018-11-21"),
        replace=replace,
    )


def _stored(store, kind: str) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    """The stored results text of ``kind`` and the number of audit entries."""
    with store.read() as s:
        row = s.get(DocumentRow, (CID, kind, ""))
        return (row.text if row else ""), len(list(s.exec(select(AuditRow))))


BAD_SURVEY = [
    ("units:\n  a: {S.2: {value: 140}}\n", ":2:13: ", "140 is outside the range [0, 100]"),
    ("units:\n  a: {S.2: {value: -1}}\n", ":2:13: ", "outside the range"),
    ("units:\n  a: {S.2: {value: abc}}\n", ":2:13: ", "expected a number"),
    (
        "units:\n  b: {S.1: {responses: {A: -2}}}\n",
        ":2:13: ",
        "count of A must be a whole number >= 0",
    ),
    (
        "units:\n  b: {S.1: {responses: {A: 1.5}}}\n",
        ":2:13: ",
        "count of A must be a whole number >= 0",
    ),
    ("units:\n  b: {S.1: {responses: {E: 3}}}\n", ":2:13: ", "unknown option 'E'"),
    ("units:\n  b: {S.1: {responses: 12}}\n", ":2:13: ", "expected counts per option"),
    ("units:\n  c: {S.9: {value: 50}}\n", ":2:7: ", "no scored item 'S.9' in this group"),
    ("units:\n  c: {'1.1': {value: true}}\n", ":2:7: ", "item 1.1 is assessed by self"),
    ("units:\n  c: {'1.5': {score: 5, reason: x}}\n", ":2:7: ", "item 1.5 is assessed by council"),
    ("units:\n  d: {S.2: {value: 50}}\n", ":2:3: ", "unknown unit 'd'"),
    ("units:\n  aa: {S.2: {value: 50}}\n", ":2:3: ", "unknown unit 'aa' (did you mean 'a'?)"),
    ("units:\n  a: {S.2: {valeu: 50}}\n", ":2:13: ", "valeu"),
    ("units: {}\n", ":1:1: ", "names no units"),
    ("units:\n  a: {}\n", ":2:3: ", "unit a: no items given, which would erase its survey results"),
    ("units:\n", ":1: ", "expected a mapping with units"),
    ("", ":1: ", "expected a mapping with units"),
    ("survey:\n  a: {S.2: {value: 50}}\n", ":1: ", "expected a mapping with units"),
]

BAD_COUNCIL = [
    ("units:\n  a: {'1.5': {score: 12, reason: Tốt}}\n", ":2:15: ", "12 is not one of the levels"),
    ("units:\n  a: {'1.5': {score: 6, reason: Tốt}}\n", ":2:15: ", "6 is not one of the levels"),
    ("units:\n  a: {'1.5': {score: -5, reason: Tốt}}\n", ":2:15: ", "must be at least 0"),
    ("units:\n  a: {'1.5': {score: 5, reason: '  '}}\n", ":2:", "needs a non-empty reason"),
    ("units:\n  a: {'1.5': {score: 5}}\n", ":2:", "needs a non-empty reason"),
    ("units:\n  a: {'1.5': {reason: Tốt}}\n", ":2:", "'score' is required"),
    ("units:\n  a: {S.2: {value: 5}}\n", ":2:7: ", "item S.2 is assessed by survey"),
    ("units: {}\n", ":1:1: ", "names no units"),
]


def _good(text: str, answers: str) -> str:
    """A valid entry for another unit after the bad one (it is not stored either)."""
    if not text.startswith("units:\n  "):
        return ""
    other = "c" if "\n  b:" in text else "b"
    return f"  {other}: {answers}\n"


@pytest.mark.parametrize(("text", "where", "message"), BAD_SURVEY)
def test_bad_survey_file_is_refused_whole(store, text: str, where: str, message: str) -> None:  # type: ignore[no-untyped-def]
    """A survey file with one bad entry is refused at file:line:column and stores nothing."""
    _open(store)
    before = _stored(store, "survey")
    good = _good(text, "{S.2: {value: 60}}")
    with pytest.raises(ParindexError) as err:
        _import(store, "survey", text + good)
    assert f"survey-in.yaml{where}" in str(err.value) and message in str(err.value)
    assert _stored(store, "survey") == before


@pytest.mark.parametrize(("text", "where", "message"), BAD_COUNCIL)
def test_bad_council_file_is_refused_whole(store, text: str, where: str, message: str) -> None:  # type: ignore[no-untyped-def]
    """A council file with one bad score or reason is refused, located, and stores nothing."""
    _open(store)
    before = _stored(store, "council")
    good = _good(text, "{'1.5': {score: 10, reason: Tốt}}")
    with pytest.raises(ParindexError) as err:
        _import(store, "council", text + good)
    assert f"council-in.yaml{where}" in str(err.value) and message in str(err.value)
    assert _stored(store, "council") == before


def test_every_error_of_a_file_is_reported_with_its_unit_and_item(store) -> None:  # type: ignore[no-untyped-def]
    """All the problems of a file come at once, in file order, each naming unit and item."""
    _open(store)
    text = "units:\n  a: {S.2: {value: 140}}\n  b: {S.1: {responses: {A: -1}}}\n  x: {}\n"
    with pytest.raises(ErrorList) as err:
        _import(store, "survey", text)
    lines = str(err.value).splitlines()
    assert [ln.split(": ")[0] for ln in lines] == [
        "survey-in.yaml:2:13",
        "survey-in.yaml:3:13",
        "survey-in.yaml:4:3",
    ]
    assert "Unit(id='a') ==> At key: S.2" in lines[0] and "Unit(id='b') ==> At key: S.1" in lines[1]


def test_partial_file_merges_and_replace_drops_the_rest(store) -> None:  # type: ignore[no-untyped-def]
    """A file naming unit a updates a only; --replace keeps only the units it names."""
    _open(store)
    full, _ = _stored(store, "survey")
    assert full == SURVEY  # a complete first import is stored as written (same hash as before)
    assert _import(store, "survey", "units:\n  a: {S.2: {value: 50}}\n") == ["a"]
    units = stored_units(_stored(store, "survey")[0])
    assert list(units) == ["a", "b", "c"] and units["a"] == {"S.2": {"value": 50}}
    assert units["b"] == stored_units(SURVEY)["b"] and units["c"] == stored_units(SURVEY)["c"]
    _import(store, "survey", SURVEY)  # names every stored unit: stored as written again
    assert _stored(store, "survey")[0] == SURVEY
    _import(store, "survey", "units:\n  b: {S.2: {value: 10}}\n", replace=True)
    assert _stored(store, "survey")[0] == "units:\n  b: {S.2: {value: 10}}\n"
    with store.read() as s:
        last = list(s.exec(select(AuditRow).where(AuditRow.action == "survey.import")))[-1]
    detail = json.loads(last.detail_json)
    assert detail["mode"] == "replace" and detail["dropped"] == ["a", "c"]


def test_a_file_naming_no_units_wipes_nothing(store) -> None:  # type: ignore[no-untyped-def]
    """``units: {}`` is refused, even with replace: clearing results is never an accident."""
    _open(store)
    for replace in (False, True):
        with pytest.raises(SubmissionError, match="names no units"):
            _import(store, "survey", "units: {}\n", replace=replace)
    assert _stored(store, "survey")[0] == SURVEY


def test_publish_names_units_without_survey_results(mini_copy: Path, store) -> None:  # type: ignore[no-untyped-def]
    """A campaign whose survey file names one unit is not published without the others' points."""
    (mini_copy / "survey.yaml").write_text(
        "units:\n  a: {S.1: {responses: {A: 10, B: 10}}, S.2: {value: 90}}\n", encoding="utf-8"
    )
    with pytest.raises(ErrorList) as err:
        cycle.run_cycle(store, mini_copy, actor="snv")
    assert [str(e) for e in err.value.errors] == [
        "store: cannot publish: unit b cannot be scored: no survey results for S.1, S.2",
        "store: cannot publish: unit c cannot be scored: no survey results for S.1, S.2",
    ]


def test_publish_names_units_whose_stored_results_are_wrong(
    mini_copy: Path, store, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Results stored before the door checked them (a value out of range, an unknown unit)
    stop publication, each unit named with the reason."""
    (mini_copy / "survey.yaml").write_text(
        SURVEY.replace("S.2: {value: 90}", "S.2: {value: 140}") + "  zz: {S.2: {value: 1}}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(imports, "check_source", lambda _i, _k, text, _n, _u: stored_units(text))
    imports.import_folder(store, mini_copy, actor="snv", now=at("2018-11-20"))
    for uid in "abc":
        moves.submit(store, CID, uid, actor=uid, now=at("2018-11-28"))
    moves.advance_campaign(store, CID, "appraisal", actor="snv", now=at("2018-12-01"))
    for uid in "abc":
        for target in ("appraised_1", "explanation", "appraised_2", "final"):
            moves.advance_unit(store, CID, uid, target, actor="snv", now=at("2018-12-16"))
    moves.advance_campaign(store, CID, "review", actor="snv", now=at("2018-12-20"))
    with pytest.raises(ErrorList) as err:
        publication.publish(store, CID, actor="snv", now=at("2018-12-21"))
    lines = [str(e) for e in err.value.errors]
    assert len(lines) == 2
    assert lines[0].startswith("store: cannot publish: unit a cannot be scored: store:mini-2018/")
    assert "140 is outside the range [0, 100]" in lines[0]
    assert lines[1] == (
        "store: cannot publish: the stored survey file is wrong: "
        "store:mini-2018/survey.yaml:5:3: unknown unit 'zz'"
    )


OPTION = st.sampled_from(["A", "B", "C", "D"])
COUNTS = st.dictionaries(OPTION, st.integers(0, 60), min_size=1)
VALUE = st.decimals(0, 100, places=1, allow_nan=False, allow_infinity=False)
ANSWERS = st.fixed_dictionaries(
    {},
    optional={
        "S.1": st.builds(lambda c: {"responses": c}, COUNTS),
        "S.2": st.builds(lambda v: {"value": v}, VALUE),
    },
)
PARTIAL = st.dictionaries(
    st.sampled_from(["a", "b", "c"]), ANSWERS.filter(bool), min_size=1, max_size=2
)


def _answers(store) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The survey answers each unit is scored with, as the store gives them back."""
    with store.read() as s:
        camp = load(s, CID).campaign
    return {
        uid: {k: a.inputs() for k, a in sub.answers.items() if k.startswith("S.")}
        for uid, sub in camp.submissions.items()
    }


@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=st.lists(PARTIAL, min_size=1, max_size=4))
def test_partial_imports_leave_other_units_unchanged(store, files: list[dict[str, Any]]) -> None:  # type: ignore[no-untyped-def]
    """Any sequence of valid partial survey files changes only the units each file names."""
    with store.read() as s:
        opened = s.get(DocumentRow, (CID, "survey", "")) is not None
    if not opened:
        _open(store)
    _import(store, "survey", SURVEY, replace=True)  # each example starts from the full file
    for units in files:
        before = _answers(store)
        assert _import(store, "survey", dump_yaml({"units": units})) == list(units)
        after = _answers(store)
        for uid in "abc":
            if uid in units:
                want = {k: {f: _plain(x) for f, x in v.items()} for k, v in units[uid].items()}
                assert {k: _plain_all(v) for k, v in after[uid].items()} == want
            else:
                assert after[uid] == before[uid]


def _plain(x: Any) -> Any:
    return {k: int(n) for k, n in x.items()} if isinstance(x, dict) else Decimal(x)


def _plain_all(inputs: dict[str, Any]) -> dict[str, Any]:
    return {f: _plain(x) for f, x in inputs.items()}


def test_cli_survey_import_refuses_merges_and_replaces(tmp_path: Path) -> None:
    """`survey import` exits 1 on a bad file, says how many units it updated, and --replace."""
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert run("--lang", "en", "--db", db, "--at", "2018-11-20", "import", str(MINI)).exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("units:\n  a: {S.2: {value: 140}}\n", encoding="utf-8")
    r = run("--lang", "en", "--db", db, "survey", "import", CID, str(bad))
    assert r.exit_code == 1 and f"{bad}:2:13:" in r.output and "outside the range" in r.output
    part = tmp_path / "part.yaml"
    part.write_text("units:\n  a: {'1.5': {score: 5, reason: Đủ}}\n", encoding="utf-8")
    r = run("--db", db, "survey", "import", CID, str(part), "--council")
    assert r.exit_code == 0 and "cập nhật 1 đơn vị (giữ nguyên các đơn vị khác)" in r.output
    r = run("--db", db, "survey", "import", CID, str(part), "--council", "--replace")
    assert r.exit_code == 0 and "thay thế kết quả của mọi đơn vị khác" in r.output
