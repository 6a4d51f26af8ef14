"""What a report contains: frozen records of plain data, with every figure as published.

A ``Report`` is built once from the store (``build``) and then rendered to HTML, PDF and Excel
without reading anything else. Points and indices are the strings of the score document,
rounded half-up to the index's ``rounding.places``; a renderer never rounds again. Floats appear
only where a chart needs them (area percentages, group medians).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from scoring.errors import Location, unknown_id
from scoring.evaluation.trace import ClassLabel

ROUNDS_VI = {"1": "Thẩm định vòng 1", "2": "Thẩm định vòng 2", "correction": "Điều chỉnh"}
ROUNDS_EN = {"1": "appraisal round 1", "2": "appraisal round 2", "correction": "correction"}


@dataclass(frozen=True, slots=True)
class AreaScore:
    """A unit's points in one area, what it lost there, and how that compares."""

    id: str
    title_vi: str
    title_en: str | None
    points: str
    max: str  # applicable maximum for this unit ("0.00": the area does not apply)
    full_max: str
    lost: str  # max - points
    percent: float | None  # points / max × 100; None when the area does not apply
    group_median: float | None  # median percent of the group's units the area applies to
    previous: str | None = None  # last year's points in this area
    previous_percent: float | None = None
    change: str | None = None  # points - previous, signed

    @property
    def applicable(self) -> bool:
        """Whether the area applies to the unit."""
        return self.percent is not None


@dataclass(frozen=True, slots=True)
class AnnexRow:
    """One unit's row of the ranking annex (and the head of its scorecard): its rank, figures
    as published, class and points by area."""

    unit_id: str
    name: str
    group: str
    rank: int | None
    ranked: bool
    tied: bool  # shares its rank with another unit of the group
    points: str
    max_points: str
    index: str
    content: str
    survey: str
    bonus: str
    penalty: str
    classification: ClassLabel | None
    areas: tuple[AreaScore, ...]
    warnings: tuple[str, ...] = ()
    satisfaction: str | None = None  # the satisfaction index (%), None without survey counts

    @property
    def rank_text(self) -> str:
        """The rank as printed: ``=4`` for a tie, ``—`` for a unit that is not ranked."""
        if self.rank is None:
            return "—"
        return f"={self.rank}" if self.tied else str(self.rank)

    @property
    def class_vi(self) -> str:
        """The class's Vietnamese label ("" when the unit has none)."""
        return self.classification.label_vi if self.classification else ""

    @property
    def class_en(self) -> str:
        """The class's English label ("" when the unit has none)."""
        return self.classification.label_en if self.classification else ""

    def area(self, area_id: str) -> AreaScore | None:
        """The unit's figures in one area (None: the unit has no such area)."""
        return next((a for a in self.areas if a.id == area_id), None)


@dataclass(frozen=True, slots=True)
class AppraisalEntry:
    """One appraisal change of a leaf, bonus or penalty, as a scorecard prints it (the stored
    change, from the unit's trace)."""

    round: str  # 1 | 2 | correction
    at: str  # ISO time it was recorded
    appraiser: str
    before: str
    after: str
    reason: str

    @property
    def round_vi(self) -> str:
        """The round's name in Vietnamese (Thẩm định vòng 1, …)."""
        return ROUNDS_VI.get(self.round, self.round)

    @property
    def round_en(self) -> str:
        """The round's name in English (appraisal round 1, …)."""
        return ROUNDS_EN.get(self.round, self.round)

    @property
    def date(self) -> str:
        """The day of the change, dd/mm/yyyy."""
        try:
            return dt.datetime.fromisoformat(self.at).strftime("%d/%m/%Y")
        except ValueError:
            return self.at


@dataclass(frozen=True, slots=True)
class Explanation:
    """A unit's explanation (giải trình) of an item, with the evidence it added."""

    at: str
    author: str
    text: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Line:
    """One row of a scorecard: an area, criterion or leaf, or a bonus or penalty."""

    node: str
    level: str  # area | node | leaf | bonus | penalty
    depth: int  # 0 for an area
    title_vi: str
    title_en: str | None
    max: str
    points: str | None  # None: left out as not applicable
    self_score: str | None = None
    status: str = "applicable"  # applicable | not_applicable | granted_full
    before_adjustment: str | None = None  # a node's points before a bonus/penalty moved them
    scope: str | None = None  # bonus/penalty: the node it applies to ("total": the unit)
    reason_vi: str | None = None  # why a leaf is below its max (when no appraisal explains it)
    changes: tuple[AppraisalEntry, ...] = ()
    explanations: tuple[Explanation, ...] = ()


@dataclass(frozen=True, slots=True)
class YearOver:
    """The unit's published result of the year before, and the change since."""

    campaign: str
    year: int
    index: str
    rank: int | None
    classification: ClassLabel | None
    index_change: str  # signed
    rank_change: int | None  # places gained (positive: better)
    from_name: str | None = None  # the unit it continues under another id or name (register)


@dataclass(frozen=True, slots=True)
class Prior:
    """A unit's published result of the year before, as the register's lists show it."""

    unit_id: str
    name: str
    index: str
    rank: int | None
    part_year_vi: str | None = None


@dataclass(frozen=True, slots=True)
class UnitChanges:
    """How the units changed since last year, by the register: units merged from several
    (figures side by side, no change computed), renamed, new, ended with no successor, and ids
    another body took (not compared)."""

    merged: tuple[tuple[Prior, tuple[Prior, ...]], ...] = ()  # (this year's unit, predecessors)
    renamed: tuple[tuple[Prior, Prior], ...] = ()  # (last year's unit, this year's)
    new: tuple[Prior, ...] = ()
    ended: tuple[tuple[Prior, str | None, str | None], ...] = ()  # (unit, dd/mm/yyyy, note)
    conflicts: tuple[tuple[str, str, str], ...] = ()  # (id, last year's name, this year's)

    def __bool__(self) -> bool:
        return any((self.merged, self.renamed, self.new, self.ended, self.conflicts))


@dataclass(frozen=True, slots=True)
class Scorecard:
    """Everything about one unit: figures, tree with appraisal history, last year."""

    unit: AnnexRow
    group_title_vi: str
    group_title_en: str
    ranked_in_group: int
    lines: tuple[Line, ...]
    adjustments: tuple[Line, ...]
    previous: YearOver | None = None
    merged_from: tuple[Prior, ...] = ()  # a merged unit: its predecessors, side by side
    part_year_vi: str | None = None  # "hoạt động từ 01/08/2025": it existed part of the year

    @property
    def changes(self) -> Iterator[tuple[Line, AppraisalEntry]]:
        """Every appraisal change of the unit, with the line it changed."""
        for line in (*self.lines, *self.adjustments):
            for change in line.changes:
                yield line, change


@dataclass(frozen=True, slots=True)
class ClassCount:
    """How many of a group's units are in one class, and the index the class starts at."""

    label: ClassLabel
    min: str
    count: int


@dataclass(frozen=True, slots=True)
class GroupReport:
    """One group's ranking table, class counts and index distribution."""

    id: str
    title_vi: str
    title_en: str
    units: tuple[AnnexRow, ...]
    areas: tuple[tuple[str, str, str | None], ...]  # (id, title_vi, title_en), column order
    classes: tuple[ClassCount, ...]
    lowest: str | None
    median: str | None
    highest: str | None
    satisfaction: str | None = None  # the mean of the units' satisfaction indices (%)


@dataclass(frozen=True, slots=True)
class Mover:
    """A unit whose index moved between last year and this year."""

    unit_id: str
    name: str
    group_title_vi: str
    before: str
    after: str
    change: str  # signed
    rank_before: int | None
    rank_after: int | None


@dataclass(frozen=True, slots=True)
class Meta:
    """Which results a report shows, and when it was made."""

    campaign: str
    year: int
    province: str
    title_vi: str
    title_en: str
    index_id: str
    content_hash: str
    places: int
    scale: str
    tie_policy: str  # competition | dense
    rank_precision: int
    tie_break: tuple[str, ...]
    draft: bool  # not published: the current state, computed
    state: str
    generated_at: dt.datetime
    run_id: int | None = None
    run_kind: str | None = None
    run_at: str | None = None
    previous: str | None = None  # last year's campaign id
    previous_year: int | None = None

    @property
    def short_hash(self) -> str:
        """The index's content hash, its first 12 characters as printed."""
        return self.content_hash[:12]

    @property
    def generated_text(self) -> str:
        """The generation time as printed: date, hour and minute, and its zone."""
        return self.generated_at.strftime("%Y-%m-%d %H:%M %Z").strip()

    @property
    def footer(self) -> str:
        """The line printed at the foot of every page."""
        draft = " · DỰ THẢO / DRAFT" if self.draft else ""
        return (
            f"{self.campaign} · chỉ số / index {self.index_id} {self.short_hash} · "
            f"lập lúc / generated {self.generated_text}{draft}"
        )


@dataclass(frozen=True, slots=True)
class Report:
    """A campaign's annex, summary and scorecards, ready to render."""

    meta: Meta
    groups: tuple[GroupReport, ...]
    scorecards: Mapping[str, Scorecard]  # by unit id, in group then rank order
    rises: tuple[Mover, ...] = ()
    falls: tuple[Mover, ...] = ()
    errors: tuple[tuple[str, tuple[str, ...]], ...] = ()  # units that could not be scored
    unit_changes: UnitChanges = UnitChanges()  # since last year, by the register

    @property
    def units(self) -> tuple[AnnexRow, ...]:
        """Every unit's annex row, group after group."""
        return tuple(u for g in self.groups for u in g.units)

    def scorecard(self, unit_id: str) -> Scorecard:
        """One unit's scorecard, or a located error naming the closest unit id."""
        card = self.scorecards.get(unit_id)
        if card is None:
            where = f"in campaign {self.meta.campaign}"
            raise unknown_id("no scored unit", unit_id, self.scorecards, where, Location("store"))
        return card
