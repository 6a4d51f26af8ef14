"""Loading and checking an index: every definition problem is found at load time, located."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring import load_index
from scoring.errors import ErrorList, IndexDefinitionError, InputFileError, ParindexError
from tests.support.indexes import OWN_WORDS, index_from_text
from tests.support.paths import MINI

CRITERIA = (MINI / "criteria.yaml").read_text(encoding="utf-8")
PACK = (MINI / "rules" / "checks.yaml").read_text(encoding="utf-8")


def _errors(exc: ParindexError) -> list[ParindexError]:
    return exc.errors if isinstance(exc, ErrorList) else [exc]


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_mini_index_loads(mini_index) -> None:  # type: ignore[no-untyped-def]
    """The test index compiles, with groups, leaves, packs and a durable ruleset."""
    view = mini_index.groups["department"]
    assert len(view.leaves) == 10
    assert [a.id for a in view.areas] == ["1", "2", "S"]
    assert {a.spec.id for a in mini_index.adjustments} == {"B1", "P1", "P2"}
    assert mini_index.rule_count > 30
    assert len(mini_index.content_hash) == 64


def test_hash_ignores_layout_but_not_content() -> None:
    """Comments and spacing do not change the content hash; a point value does."""
    a = index_from_text(CRITERIA, PACK)
    b = index_from_text("# a comment\n" + CRITERIA.replace("max: 50", "max:   50"), PACK)
    c = index_from_text(CRITERIA.replace("levels: [0, 5, 7.5, 10]", "levels: [0, 5, 7, 10]"), PACK)
    assert a.content_hash == b.content_hash
    assert a.content_hash != c.content_hash


# (replace this, with this, expected message, text that marks the expected line)
BROKEN = [
    (
        "max: 50",
        "max: 49",
        "children (1.1, 1.2, 1.3, 1.4, 1.5) sum to 50, but max is 49",
        "max: 49",
    ),
    (
        "{kind: count_points, per_item: 2.5}",
        "{kind: count_pionts, per_item: 2.5}",
        "unknown rule kind 'count_pionts'",
        "count_pionts",
    ),
    (
        "            - {min: 95, max: 100, points: 5}",
        "            - {min: 96, max: 100, points: 5}",
        "gap: between bands",
        "min: 96",
    ),
    (
        "            - {min: 95, max: 100, points: 5}",
        "            - {min: 94, max: 100, points: 5}",
        "overlap",
        "min: 94",
    ),
    (
        "            - {min: 100, points: 10}",
        "            - {min: 100, points: 11}",
        "points: 11 is outside [0, 10]",
        "points: 11",
    ),
    (
        "title_vi: Kế hoạch\n",
        "title_vi: Kế hoạch\n        titel_en: Plan\n",
        "unknown key 'titel_en' (did you mean 'title_en'?)",
        "titel_en",
    ),
    (
        "        max: 10\n        evidence",
        "        max: ten\n        evidence",
        "expected a number, got 'ten'",
        "max: ten",
    ),
    ('  - id: "2"', "  - id: 2", "expected text", "id: 2\n"),
    (
        '      - id: "1.2"',
        '      - id: "1.1"',
        "duplicate id '1.1'",
        'id: "1.1"\n        title_vi: Báo',
    ),
    (
        "    exempt_tags: [no_procedures]",
        "    exempt_tags: [no_procedures]\n    groups: [departmnt]",
        "unknown group 'departmnt' (did you mean 'department'?)",
        "departmnt",
    ),
    ("        assessed_by: council\n", "", "council_judgment items, and only they", "1.5"),
    ("    content: {max: 80}", "    content: {max: 81}", "blocks sum to 101", "blocks:"),
    (
        "      - {id: yeu, label_vi: Yếu, label_en: Weak, min: 0}",
        "      - {id: yeu, label_vi: Yếu, label_en: Weak, min: 10}",
        "the last band must start at 0",
        "classification",
    ),
    (
        "rule: {kind: boolean}",
        "rule: {kind: boolean, yes: 12}",
        "yes: 12 is outside [0, 10]",
        "yes: 12",
    ),
    (
        "late: [{max_days: 10, points: 5}, {points: 2}]",
        "late: [{max_days: 10, points: 5}]",
        "the last band must be open",
        "max_days: 10",
    ),
    (
        "title_vi: Kế hoạch\n",
        "title_vi: Kế hoạch\n        title_vi: Lặp\n",
        "duplicate key 'title_vi'",
        "title_vi: Lặp",
    ),
    ("  penalty: {max: 3}", "  penalty: {max: -4}", "penalty max must be >= 0", "max: -4"),
    ("  bonus: {max: 2}", "  bonus: {max: 0.0001}", "bonus max must be >= 0", "0.0001"),
    ('  - id: "S"', '  - id: "total"', "'total' is reserved", 'id: "total"'),
    (
        "    title_vi: Thủ tục hành chính",
        "    title_vi: Thủ tục hành chính\n    evidence: {documents_vi: Quyết định}",
        "evidence applies to leaves only",
        "evidence: {documents_vi",
    ),
    (
        "  rounding: {places: 2, mode: half_up}",
        "  rounding: {places: 40, mode: half_up}",
        "from 0 to 6, got 40",
        "places: 40",
    ),
    ("range: [0, 100]}", "range: [0, 100.0001]}", "100.0001 has more than 3 decimals", "100.0001"),
    (
        "            khong: {points: 0, label_vi: Không đạt}",
        "            missing: {points: 0, label_vi: Không đạt}",
        "'missing' is a reserved name",
        "missing: {points",
    ),
    (
        "        max: 10\n        evidence",
        "        max: 1.0e+40\n        evidence",
        "out of range",
        "1.0e+40",
    ),
    (
        "  ranking: {tie_policy: competition, precision: 1}",
        "  ranking: {tie_policy: competition, precision: 1:30}",
        "is not a number",
        "1:30",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "message", "marker"), BROKEN, ids=[b[2][:40] for b in BROKEN]
)
def test_broken_index_is_refused_with_location(
    old: str, new: str, message: str, marker: str
) -> None:
    """Each definition problem names the file, the line and the path by ids."""
    assert old in CRITERIA
    text = CRITERIA.replace(old, new, 1)
    with pytest.raises(ParindexError) as exc:
        index_from_text(text, PACK)
    errors = _errors(exc.value)
    hits = [e for e in errors if message in str(e)]
    assert hits, [str(e) for e in errors]
    if marker in text and marker not in ("1.5", "blocks:", "classification"):
        assert hits[0].location.line == _line_of(text, marker)
    assert "criteria.yaml:" in str(hits[0])


PACK_BROKEN = [
    ('left: "*.numerator"', 'left: "*.numeratr"', "no leaf reads an input 'numeratr'"),
    ('left: "2.1.count"', 'left: "2.9.count"', "no leaf '2.9' (did you mean"),
    ('scope: "2"', 'scope: "9"', "scope '9' is not a node of group 'department'"),
    (
        'kind: date_in_year, field: "*.done_on"',
        'kind: date_in_year, field: "*.count"',
        "is not a date",
    ),
    (
        "rule: {kind: boolean, yes: 5}",
        "rule: {kind: survey_weighted, weights: {A: 1}}",
        "cannot score a bonus or penalty",
    ),
    ("{id: B1,", "{id: P1,", "duplicate id 'P1'"),
    ('left: "2.1.count"', 'left: "1.2.done_on"', "1.2.done_on is not a number"),
    (
        "scope: total, max: 2, rule: {kind: count_points, per_item: 1}}",
        "scope: total, max: -2, rule: {kind: count_points, per_item: 1}}",
        "max must be >= 0",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "message"), PACK_BROKEN, ids=[b[2][:40] for b in PACK_BROKEN]
)
def test_broken_rule_pack_is_refused(old: str, new: str, message: str) -> None:
    """Rule packs are checked against the index's leaves and their inputs."""
    assert old in PACK
    with pytest.raises(ParindexError) as exc:
        index_from_text(CRITERIA, PACK.replace(old, new, 1))
    text = "\n".join(str(e) for e in _errors(exc.value))
    assert message in text
    assert "pack.yaml:" in text


def test_all_problems_are_reported_at_once() -> None:
    """Several problems come back together, in one run of check."""
    text = CRITERIA.replace("max: 50", "max: 49").replace("points: 11", "points: 10")
    text = text.replace("{kind: count_points, per_item: 2.5}", "{kind: count_points, per_item: 0}")
    with pytest.raises(ErrorList) as exc:
        index_from_text(text, PACK)
    assert len(exc.value.errors) >= 2


def test_not_a_mapping_and_missing_files(tmp_path: Path) -> None:
    """A file that is a list, or a missing file, gets a clear message."""
    p = tmp_path / "c.yaml"
    p.write_text("- a\n- b\n")
    with pytest.raises(IndexDefinitionError, match="expected a mapping"):
        load_index(p)
    with pytest.raises(InputFileError, match="file not found"):
        load_index(tmp_path / "missing.yaml")
    with pytest.raises(IndexDefinitionError, match="rule pack folder not found"):
        load_index(MINI / "criteria.yaml", tmp_path / "norules")


def test_same_id_in_disjoint_groups_gets_distinct_engine_codes() -> None:
    """Two groups may each have their own node '1' with different maxima and rules."""
    text = CRITERIA.replace(
        "      - {id: tot, label_vi: Tốt, label_en: Good, min: 80}",
        "      - {id: tot, label_vi: Tốt, label_en: Good, min: 80}",
        1,
    )
    text = text.replace(
        "groups:\n  - id: department",
        "groups:\n  - id: district\n"
        "    title_vi: Huyện\n    title_en: Districts\n    classification:\n"
        "      - {id: a, label_vi: A, label_en: A, min: 0}\n  - id: department",
        1,
    )
    text = text.replace('  - id: "2"\n', '  - id: "2"\n    groups: [department]\n', 1)
    text += (
        '  - id: "2"\n    groups: [district]\n    title_vi: Tác động\n    max: 30\n'
        '    children:\n      - id: "2.1"\n        title_vi: Tác động KT-XH\n        max: 30\n'
        "        rule: {kind: boolean}\n"
    )
    index = index_from_text(text, PACK.replace('scope: "2"', 'scope: "2", groups: [department]'))
    d, k = index.groups["department"].leaves["2.1"], index.groups["district"].leaves["2.1"]
    assert d.code != k.code and d.node.rule.kind == "count_points" and k.node.rule.kind == "boolean"
    assert index.groups["department"].leaves["1.1"].code == "1.1"


def test_too_many_levels_for_the_engine_are_refused() -> None:
    """More than 60 bands or levels on one item would fail in durable for some answers."""
    old = (
        "            tot: {points: 10, label_vi: Tốt}\n            dat: {points: 5, label_vi: "
        "Đạt}\n            khong: {points: 0, label_vi: Không đạt}\n"
    )
    assert old in CRITERIA
    many = "".join(f"            l{i}: {{points: 0, label_vi: L}}\n" for i in range(61))
    with pytest.raises(ParindexError) as exc:
        index_from_text(CRITERIA.replace(old, many), PACK)
    assert "61 bands or levels; the engine allows 60" in str(exc.value)


def test_a_leaf_names_its_inputs_in_its_own_words() -> None:
    """A leaf's ``inputs`` replaces its kind's label where it gives one; what it does not
    give (the help) stays the kind's; an input the leaf does not name stays the kind's."""
    assert OWN_WORDS != CRITERIA
    index = index_from_text(OWN_WORDS, PACK)
    own = index.input_spec("1.2", "done_on", "department")
    assert own is not None
    assert (own.label_vi, own.label_en) == ("Ngày ban hành kế hoạch", "Date the plan was issued")
    kind = index_from_text(CRITERIA, PACK).input_spec("1.2", "done_on")
    assert kind is not None and kind.label_vi == "Ngày hoàn thành"
    assert own.help_vi == kind.help_vi and own.help_vi  # the kind's help kept
    other = index.input_spec("1.3", "numerator")
    assert other is not None and other.label_vi == "Tử số"
    assert index.input_spec("1.2", "numerator") is None  # a deadline reads no numerator
    assert index.content_hash != index_from_text(CRITERIA, PACK).content_hash  # words count


def test_an_index_without_own_words_keeps_its_content_hash() -> None:
    """A leaf that names no input dumps no ``inputs`` key: the indices stored before leaves
    could name their inputs keep their hash (the mini index's, recorded before)."""
    from scoring.index.model import Node

    node = Node.model_validate({"id": "1", "title_vi": "x", "max": 1, "rule": {"kind": "boolean"}})
    assert "inputs" not in node.model_dump(mode="json")
    from tests.support.indexes import mini

    assert mini().content_hash == (
        "6241fdb7213876b9c90916c67cdfdd5524880c79c08d78b48d0d21039486d28f"
    )


@pytest.mark.parametrize(
    ("old", "new", "message", "marker"),
    [
        ("done_on:\n", "done_onn:\n", "reads no input 'done_onn'", "done_onn"),
        ("{label_vi: Ngày ban hành kế hoạch, ", "{", "required key 'label_vi'", "done_on"),
    ],
)
def test_own_words_for_an_input_the_rule_does_not_read_are_refused(
    old: str, new: str, message: str, marker: str
) -> None:
    """A misspelt input name is refused at its line, with the names the rule reads and a
    "did you mean"; a label without its Vietnamese is refused too."""
    text = OWN_WORDS.replace(old, new, 1)
    with pytest.raises(ParindexError) as exc:
        index_from_text(text, PACK)
    errors = _errors(exc.value)
    hits = [e for e in errors if message in str(e)]
    assert hits, [str(e) for e in errors]
    assert hits[0].location.line == _line_of(text, marker)
    if "done_onn" in new:
        assert hits[0].suggestion == "done_on"
        assert "it reads done_on" in str(hits[0])


def test_only_leaves_name_inputs() -> None:
    """``inputs`` on a node with children is refused, like the other leaf-only keys."""
    text = CRITERIA.replace('      - id: "1.2"', '      - id: "1.2"', 1)
    lines = text.splitlines()
    area = next(i for i, line in enumerate(lines) if line.strip() == "children:")
    indent = lines[area][: len(lines[area]) - len(lines[area].lstrip())]
    lines.insert(area, f"{indent}inputs: {{value: {{label_vi: Có}}}}")
    with pytest.raises(ParindexError) as exc:
        index_from_text("\n".join(lines) + "\n", PACK)
    assert any("inputs applies to leaves only" in str(e) for e in _errors(exc.value))
