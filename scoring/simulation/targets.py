"""What a plan aims at, read as the published figures are, and the gains that reach it.

A target (a class, a rank, an index) becomes the smallest *points gain* that reaches it: a
class compares the index rounded half-up to ``rounding.places``; a rank compares the index
rounded to ``ranking.precision`` (then the ``tie_break`` figures) under the tie policy, so
tying with the unit now at rank N gives rank N. A figure shown as ``t`` at ``p`` decimals is
reached by any exact value ``v >= ceil_p(t) - 5·10^-(p+1)``, and ``points × scale / max`` turns
an index into points. A rank may need gains on the tie-break figures too: ``needs`` gives
each alternative set of gains that reaches the target.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction

from scoring.errors import SubmissionError, suggest
from scoring.evaluation.aggregate import points_at
from scoring.evaluation.ranking import CampaignResult, rank_key
from scoring.evaluation.trace import UnitResult
from scoring.index import model as m
from scoring.index.loader import Index
from scoring.sources.numbers import ZERO, fmt
from scoring.sources.said import figure
from scoring.sources.text import nfc

Words = tuple[str, str]  # one sentence for people: (Vietnamese, English)
_TIES = {  # the tie policies as people say them
    "competition": ("đồng hạng thì bỏ trống hạng kế tiếp", "competition ties"),
    "dense": ("đồng hạng thì không bỏ trống hạng", "dense ties"),
}


@dataclass(frozen=True)
class ClassTarget:
    """At least this class of the unit's group (an id or a label, e.g. "tot" or "Tốt")."""

    label: str


@dataclass(frozen=True)
class RankTarget:
    """Rank N or better in the unit's group, the other units unchanged."""

    rank: int


@dataclass(frozen=True)
class IndexTarget:
    """A published index (rounded to ``rounding.places``) of at least this value."""

    value: Decimal


Target = ClassTarget | RankTarget | IndexTarget


@dataclass(frozen=True)
class Need:
    """A gain the plan must make on one measure."""

    measure: str  # points | content | survey
    at_least: Fraction  # gain needed on that measure


Option = tuple[Need, ...]  # every need must hold; a target may offer several options


def at_least(t: Decimal, places: int) -> Fraction:
    """The least exact value whose half-up rounding to ``places`` is >= ``t``."""
    step = Decimal(1).scaleb(-places)
    return Fraction(t.quantize(step, rounding=ROUND_CEILING)) - Fraction(1, 2 * 10**places)


def _above(t: Decimal, places: int) -> Fraction:
    """The least exact value whose half-up rounding to ``places`` is > ``t``."""
    step = Decimal(1).scaleb(-places)
    return Fraction(t.quantize(step, rounding=ROUND_FLOOR)) + Fraction(1, 2 * 10**places)


def points_for(index_value: Fraction, me: UnitResult, scale: Decimal) -> Fraction | None:
    """The points gain that lifts the unit's exact index to ``index_value`` (None: never)."""
    if index_value > Fraction(scale):
        return None
    return points_at(index_value, me.max_points, scale) - Fraction(me.points)


def find_band(index: Index, me: UnitResult, label: str) -> tuple[int, m.ClassBand]:
    """The class a target names (by id or label), with its position, best class first."""
    bands = index.groups[me.group].group.classification

    def norm(s: str) -> str:
        return nfc(s).strip().casefold()

    for i, b in enumerate(bands):
        if norm(label) in {norm(b.id), norm(b.label_vi), norm(b.label_en)}:
            return i, b
    names = [b.id for b in bands] + [b.label_vi for b in bands] + [b.label_en for b in bands]
    raise SubmissionError(
        f"no class {label!r} in group {me.group!r} (classes: "
        + ", ".join(f"{b.id} {b.label_vi}" for b in bands)
        + ")",
        vi=f"nhóm {me.group!r} không có xếp loại {label!r} (các xếp loại: "
        + ", ".join(f"{b.id} {b.label_vi}" for b in bands)
        + ")",
        suggestion=suggest(label, names),
    )


def _rank_options(
    index: Index, result: CampaignResult, me: UnitResult, wanted: int
) -> tuple[Words, list[Option]]:
    meta = index.meta
    if not me.ranked or me.rank is None:
        raise SubmissionError(
            f"unit {me.unit_id!r} is not ranked, so it has no rank to raise",
            vi=f"đơn vị {me.unit_id!r} không được xếp hạng nên không có thứ hạng để nâng",
        )
    others = [u for u in result.groups[me.group] if u.rank is not None and u is not me]
    if not 1 <= wanted <= len(others) + 1:
        raise SubmissionError(
            f"rank {wanted} is out of range: group {me.group!r} ranks "
            f"{len(others) + 1} units (1 to {len(others) + 1})",
            vi=f"hạng {wanted} nằm ngoài phạm vi: nhóm {me.group!r} xếp hạng "
            f"{len(others) + 1} đơn vị (từ 1 đến {len(others) + 1})",
        )
    keys = sorted((rank_key(u, meta.ranking, meta.rounding.places) for u in others), reverse=True)
    if meta.ranking.tie_policy == "dense":
        keys = sorted(set(keys), reverse=True)
    if wanted - 1 >= len(keys):  # rank N is guaranteed whatever the unit scores
        return (f"hạng {wanted}", f"rank {wanted}"), [()]
    target = keys[wanted - 1]
    names = ["index", *meta.ranking.tie_break]
    places = [meta.ranking.precision] + [meta.rounding.places] * len(meta.ranking.tie_break)
    group = index.groups[me.group].group
    tie_vi, tie_en = _TIES[meta.ranking.tie_policy]
    of = len(others) + 1
    goal = (
        f"hạng {wanted}/{of} trong nhóm {group.title_vi}: chỉ số xếp hạng từ "
        f"{figure(target[0], 'vi')} trở lên, {_decimals(meta.ranking.precision, 'vi')} "
        f"({tie_vi})",
        f"rank {wanted} of {of} in {group.title_en}: ranked index ≥ {fmt(target[0])} "
        f"at {_decimals(meta.ranking.precision, 'en')} ({tie_en})",
    )

    def need(i: int, strict: bool) -> Need | None:
        value = (_above if strict else at_least)(target[i], places[i])
        if names[i] == "index":
            gain = points_for(value, me, meta.scale)
            return None if gain is None else Need("points", gain)
        current = {"content": me.content, "survey": me.survey, "points": me.points}[names[i]]
        return Need(names[i], value - Fraction(current))

    # the key must be lexicographically >= the target's: either strictly above on component j
    # and at least equal before it, or at least equal on every component
    options: list[Option] = []
    for j in range(len(names)):
        last = j == len(names) - 1
        found = [need(i, strict=(i == j and not last)) for i in range(j + 1)]
        if all(n is not None for n in found):
            options.append(tuple(n for n in found if n is not None))
    return goal, options


def needs(
    index: Index, result: CampaignResult, me: UnitResult, target: Target
) -> tuple[Words, list[Option]]:
    """The target in words (Vietnamese, English), and the alternative sets of needs that
    each reach it."""
    meta = index.meta
    places = meta.rounding.places
    if isinstance(target, RankTarget):
        return _rank_options(index, result, me, target.rank)
    if isinstance(target, ClassTarget):
        _, band = find_band(index, me, target.label)
        threshold = band.min
        vi = f"xếp loại {band.label_vi}: chỉ số từ {figure(band.min, 'vi')} trở lên"
        en = f"class {band.label_en or band.label_vi}: index ≥ {fmt(band.min)}"
    else:
        threshold = target.value
        if not ZERO <= threshold <= meta.scale:
            raise SubmissionError(
                f"index {fmt(threshold)} is outside [0, {fmt(meta.scale)}], the index's scale",
                vi=f"chỉ số {figure(threshold, 'vi')} nằm ngoài thang điểm từ 0 đến "
                f"{figure(meta.scale, 'vi')}",
            )
        vi, en = f"chỉ số từ {figure(threshold, 'vi')} trở lên", f"index ≥ {fmt(threshold)}"
    gain = points_for(at_least(threshold, places), me, meta.scale)
    goal = (f"{vi}, {_decimals(places, 'vi')}", f"{en} at {_decimals(places, 'en')}")
    return goal, [] if gain is None else [(Need("points", gain),)]


def _decimals(n: int, lang: str) -> str:
    """``n decimals`` in words: how a figure is rounded before it is compared."""
    if lang == "vi":
        return f"làm tròn {n} chữ số thập phân"
    return f"{n} decimal" + ("" if n == 1 else "s")
