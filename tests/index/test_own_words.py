"""The repository's 2018 index and the 2025 sample's name every self-assessed leaf's inputs in
the leaf's own words (``inputs:`` in criteria.yaml), in Vietnamese and English, per group."""

from __future__ import annotations

import pytest

from scoring import Index
from scoring.index.kinds import handler
from tests.support.indexes import compiled
from tests.support.paths import ROOT

# the kinds whose registry labels say nothing of the leaf ("Tử số", "Ngày hoàn thành", "Có /
# Không"...); a level's choices, the survey's and the council's inputs have words of their own
GENERIC = {
    "ratio_bands",
    "proportional",
    "deadline",
    "count_points",
    "count_deduction",
    "value_bands",
    "compare_to_limit",
    "boolean",
}


@pytest.fixture(scope="module")
def index_2025() -> Index:
    """samples/2025/criteria.yaml with the repository's rule packs."""
    return compiled(ROOT / "samples" / "2025" / "criteria.yaml", ROOT / "rules")


def _unnamed(index: Index) -> list[str]:
    """``group/leaf.input`` of every input of a self-assessed leaf of a generic kind that the
    leaf does not name in its own words (Vietnamese and English)."""
    missing = []
    for group, view in index.groups.items():
        for leaf, item in view.leaves.items():
            node = item.node
            if node.rule is None or node.assessed_by != "self" or node.rule.kind not in GENERIC:
                continue
            for name, kind_input in handler(node.rule).inputs.items():
                own = (node.inputs or {}).get(name)
                spec = index.input_spec(leaf, name, group)
                if own is None or not own.label_en or spec is None:
                    missing.append(f"{group}/{leaf}.{name}")
                elif spec.label_vi == kind_input.label_vi:
                    missing.append(f"{group}/{leaf}.{name} (the kind's words)")
    return missing


def test_every_generic_input_of_2018_is_named_by_its_leaf(real_index: Index) -> None:
    """Every rate, date, count, figure, time and yes/no a 2018 unit types has its leaf's own
    label in both languages, not the rule kind's."""
    assert _unnamed(real_index) == []


def test_every_generic_input_of_2025_is_named_by_its_leaf(index_2025: Index) -> None:
    """The same holds for the 2025 sample's two groups."""
    assert _unnamed(index_2025) == []


@pytest.mark.parametrize(
    ("which", "group", "numerator", "denominator"),
    [
        (
            "2018",
            "department",
            "Số phòng, đơn vị trực thuộc được kiểm tra CCHC",
            "Tổng số phòng, đơn vị trực thuộc",
        ),
        (
            "2018",
            "district",
            "Số phòng chuyên môn, UBND cấp xã được kiểm tra CCHC",
            "Tổng số phòng chuyên môn và UBND cấp xã",
        ),
        (
            "2025",
            "xa-phuong",
            "Số công chức chuyên môn, thôn, tổ dân phố được kiểm tra CCHC",
            "Tổng số công chức chuyên môn, thôn, tổ dân phố",
        ),
    ],
)
def test_a_leaf_of_two_groups_has_each_groups_words(
    real_index: Index,
    index_2025: Index,
    which: str,
    group: str,
    numerator: str,
    denominator: str,
) -> None:
    """Leaf 1.3.1, a department's and a district's (a commune's in 2025) under one id, counts
    what its own title counts in each group."""
    index = real_index if which == "2018" else index_2025
    num = index.input_spec("1.3.1", "numerator", group)
    den = index.input_spec("1.3.1", "denominator", group)
    assert num is not None and den is not None
    assert (num.label_vi, den.label_vi) == (numerator, denominator)


def test_a_rates_help_speaks_of_the_leaf_not_of_files(real_index: Index) -> None:
    """A rate leaf's help no longer gives the kind's example (files settled on time) under a
    count of something else; other help (a date's format) stays the kind's."""
    num = real_index.input_spec("1.3.1", "numerator", "department")
    done = real_index.input_spec("1.1.1", "done_on")
    assert num is not None and done is not None
    assert "hồ sơ" not in num.help_vi and num.help_en == "A whole number (0 if none)"
    assert done.label_vi == "Ngày ban hành kế hoạch CCHC" and "dd/mm/yyyy" in done.help_vi
