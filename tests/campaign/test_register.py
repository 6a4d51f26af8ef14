"""The register of units (issue 15): its checks at the door, located, and its joins."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from scoring.campaign.folder import read_campaign
from scoring.campaign.register import join_years, part_year, part_year_vi, same_name
from scoring.campaign.submission import EndedUnit, UnitSpec
from scoring.errors import ErrorList, ParindexError
from tests.support.paths import MINI


def unit(uid: str, name: str, **register: object) -> UnitSpec:
    """A department unit of the register (``register``: valid_from, valid_to, predecessors)."""
    return UnitSpec.model_validate({"id": uid, "name": name, "group": "department", **register})


EARLIER = [
    unit("nn-ptnt", "Sở Nông nghiệp và PTNT"),
    unit("tn-mt", "Sở Tài nguyên và Môi trường"),
    unit("tu-phap", "Sở Tư pháp"),
    unit("huyen-h", "UBND huyện H"),
    unit("kh-dt", "Sở Kế hoạch và Đầu tư"),
    unit("dan-toc", "Ban Dân tộc"),
    unit("tttt", "Sở Thông tin và Truyền thông"),
]
LATER = [
    unit("nn-mt", "Sở Nông nghiệp và Môi trường", predecessors=["nn-ptnt", "tn-mt"]),
    unit("tu-phap", "SỞ  TƯ PHÁP"),  # case and spacing: the same name
    unit("ngoai-vu", "Sở Ngoại vụ", valid_from=dt.date(2025, 8, 1)),
    unit("dan-toc-ton-giao", "Sở Dân tộc và Tôn giáo", predecessors=["dan-toc"]),
    unit("kh-dt", "Trung tâm Xúc tiến đầu tư"),  # another body under an old id
    unit("tttt", "Sở Khoa học và Công nghệ", predecessors=["tttt"]),  # renamed, the register says
]
ENDED = [EndedUnit(id="huyen-h", name="UBND huyện H", on=dt.date(2025, 7, 1))]


def test_a_merged_department_joins_both_predecessors_with_no_single_change() -> None:
    """A department merged from two lists both as predecessors: kind merged, not like for like."""
    link = join_years(EARLIER, LATER, ENDED).link("nn-mt")
    assert link is not None and link.kind == "merged" and not link.like_for_like
    assert [p.id for p in link.predecessors] == ["nn-ptnt", "tn-mt"]


def test_a_new_body_created_mid_year_is_new_and_part_year() -> None:
    """A body created on 01/08/2025 joins nothing and is marked as existing from that day."""
    link = join_years(EARLIER, LATER, ENDED).link("ngoai-vu")
    assert link is not None and link.kind == "new" and link.predecessors == ()
    assert part_year(link.unit) == {"from": "2025-08-01", "to": None}
    assert part_year_vi(part_year(link.unit)) == "hoạt động từ 01/08/2025"


def test_a_district_with_no_successor_is_listed_with_its_end_date() -> None:
    """A district that no unit continues is gone, with the day the register says it ended."""
    gone = {g.unit.id: g for g in join_years(EARLIER, LATER, ENDED).gone}
    assert gone["huyen-h"].ended == ENDED[0] and not gone["huyen-h"].conflict


def test_a_same_id_with_another_body_is_not_joined() -> None:
    """An id whose name changed beyond normalisation is a conflict: neither side is joined."""
    join = join_years(EARLIER, LATER, ENDED)
    link = join.link("kh-dt")
    assert link is not None and link.kind == "conflict" and link.predecessors == ()
    assert link.conflict is not None and link.conflict.name == "Sở Kế hoạch và Đầu tư"
    assert {g.unit.id: g.conflict for g in join.gone}["kh-dt"] is True


@pytest.mark.parametrize(("uid", "before"), [("dan-toc-ton-giao", "dan-toc"), ("tttt", "tttt")])
def test_a_renamed_unit_joins_through_its_predecessor(uid: str, before: str) -> None:
    """A unit renamed (new id, or its own id listed) joins its one predecessor like for like."""
    link = join_years(EARLIER, LATER, ENDED).link(uid)
    assert link is not None and link.kind == "renamed" and link.like_for_like
    assert [p.id for p in link.predecessors] == [before]


def test_the_same_unit_joins_itself_whatever_case_and_spacing() -> None:
    """Same id and the same name up to case and spacing: joined as the same unit."""
    link = join_years(EARLIER, LATER, ENDED).link("tu-phap")
    assert link is not None and link.kind == "same"
    assert same_name("Sở Tư pháp", "SỞ  TƯ PHÁP") and not same_name("Sở A", "Sở B")


def test_a_predecessor_missing_from_the_earlier_year_is_said() -> None:
    """A predecessor the earlier campaign does not have is kept apart as missing."""
    later = [unit("z", "Sở Z", predecessors=["tu-phap", "gone-2019"])]
    link = join_years(EARLIER, later).link("z")
    assert link is not None and link.kind == "renamed" and link.missing == ("gone-2019",)


def test_a_split_unit_is_the_predecessor_of_both_parts() -> None:
    """Two units continuing one earlier unit both join it; successors says so."""
    later = [unit(u, u, predecessors=["tttt"]) for u in ("p1", "p2")]
    assert join_years(EARLIER, later).successors("tttt") == ("p1", "p2")


def refusals(tmp_path: Path, changes: dict[str, object]) -> list[ParindexError]:
    """The errors of reading the mini campaign.yaml with its top-level ``changes`` applied."""
    spec = yaml.safe_load((MINI / "campaign.yaml").read_text(encoding="utf-8"))
    spec.update(changes)
    path = tmp_path / "campaign.yaml"
    text = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)
    # PyYAML quotes the key on (a YAML 1.1 boolean); people write it bare, as parindex reads it
    path.write_text(text.replace("'on':", "on:"), encoding="utf-8")
    try:
        read_campaign(path)
    except ParindexError as exc:
        return exc.errors if isinstance(exc, ErrorList) else [exc]
    return []


D = dt.date
A, B = (
    {"id": "a", "name": "Sở A", "group": "department"},
    {"id": "b", "name": "Sở B", "group": "department"},
)
H = {"id": "h", "name": "Huyện H", "on": D(2018, 7, 1)}


@pytest.mark.parametrize(
    ("changes", "message", "key"),
    [
        ({"units": [{**A, "valid_from": D(2019, 1, 2)}]}, "not in 2018", "valid_from"),
        ({"units": [{**A, "valid_to": D(2017, 12, 31)}]}, "31/12/2017 is not in", "valid_to"),
        (
            {"units": [{**A, "valid_from": D(2018, 9, 1), "valid_to": D(2018, 3, 1)}]},
            "valid_from 01/09/2018 is after valid_to 01/03/2018",
            "valid_to",
        ),
        ({"units": [{**A, "predecessors": ["x", "x"]}]}, "'x' is listed twice", "- x"),
        ({"units": [A, {**B, "predecessors": ["a"]}]}, "'a' is a unit of this campaign", "- a"),
        ({"units": [{**A, "predecessors": ["h"]}], "ended": [H]}, "'h' is listed under", "- h"),
        ({"ended": [H, dict(H)]}, "ended unit 'h' is listed twice", "id: h"),
        ({"ended": [{**H, "id": "a"}]}, "'a' is both a unit of this campaign", "id: a"),
        ({"ended": [{**H, "on": D(2019, 1, 1)}]}, "on 01/01/2019 is after 2018", "on: 2019"),
    ],
)
def test_a_bad_register_is_refused_at_its_key(
    tmp_path: Path, changes: dict[str, object], message: str, key: str
) -> None:
    """Each contradiction in the register is refused with the file and the line of its key."""
    errors = refusals(tmp_path, changes)
    assert len(errors) == 1 and message in errors[0].message, errors
    assert errors[0].location.file.endswith("campaign.yaml")
    line = errors[0].location.line
    assert line is not None, str(errors[0])
    written = (tmp_path / "campaign.yaml").read_text(encoding="utf-8").splitlines()
    assert key in written[line - 1], (str(errors[0]), written[line - 1])
    if "twice" in message:  # at the second of the two
        assert any(key in w for w in written[: line - 1])


def test_a_register_that_holds_together_is_accepted(tmp_path: Path) -> None:
    """Dates in the year, distinct predecessors and an ended unit apart pass the door."""
    units = [{**A, "valid_from": D(2018, 3, 1), "valid_to": D(2018, 9, 30), "predecessors": ["z"]}]
    assert refusals(tmp_path, {"units": units, "ended": [H]}) == []
