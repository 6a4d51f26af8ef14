"""Drawing a year's self-assessments, survey and council answers, with the designed cases.

Most answers are drawn from each unit's quality (``drawer``); the designed cases of
cases.yaml are then set by hand (ties, N/A, zero denominators, late reports, missing evidence
or answers, the V03 warning, bonuses and penalties). The self-score a unit claims starts from
what scoring gives its answer (``Scorer.points``).
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from scoring.index.kinds.choices import DeadlineRule
from scoring.index.kinds.counts import CountDeductionRule
from scoring.index.loader import Item
from tools.samplegen.context import Context
from tools.samplegen.drawer import Drawer
from tools.samplegen.wording import doc_type

BOLDNESS = 0.45  # how often a unit claims more than its answer gives


@dataclass
class Drawn:
    """One year's drawn answers per unit: self-assessment files, survey and council entries."""

    units: dict[str, dict[str, Any]]
    survey: dict[str, dict[str, Any]]
    council: dict[str, dict[str, Any]]


def q2(x: Decimal) -> Decimal:
    """Two decimals, half up (the index's published precision)."""
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def undated(ctx: Context, rng: random.Random, title: str) -> dt.date:
    """A plausible issue date: plans early in the year, yearly reports in November, others any
    month in between."""
    words, year = ctx.prose.answers, ctx.year.year
    if title.startswith(words.plan):
        month = rng.randint(1, 3)
    elif title.startswith(words.report) and words.yearly.format(year=year) in title:
        month = 11
    else:
        month = rng.randint(2, 10)
    return dt.date(year, month, rng.randint(1, 28))


def no_later(when: dt.date, latest: dt.date | None) -> dt.date:
    """`when`, or `latest` if that is earlier (a unit cannot cite a document it has not got)."""
    return when if latest is None or when <= latest else latest


def evidence_for(
    ctx: Context,
    rng: random.Random,
    item: Item,
    ans: dict[str, Any],
    suffix: str,
    latest: dt.date | None = None,
) -> list[dict[str, Any]]:
    """The documents a unit cites for a leaf: the first its evidence lists, sometimes with a
    section and page, sometimes the second too."""
    assert item.node.evidence is not None and item.node.evidence.documents_vi is not None
    docs = item.node.evidence.documents_vi
    types = ctx.prose.answers.doc_types
    title = docs.split(";")[0].strip()
    when = ans.get("done_on") or no_later(undated(ctx, rng, title), latest)
    cited: dict[str, Any] = {
        "doc": f"{rng.randint(3, 480)}/{doc_type(title, types)}-{suffix}",
        "date": when,
        "title": title,
    }
    if rng.random() < 0.3:
        cited["section"] = rng.choice(ctx.prose.answers.sections)
        cited["page"] = rng.randint(2, 14)
    out = [cited]
    if ";" in docs and rng.random() < 0.4:
        second = docs.split(";")[1].strip()
        second = second[0].upper() + second[1:]
        out.append(
            {
                "doc": f"{rng.randint(3, 480)}/{doc_type(second, types)}-{suffix}",
                "date": no_later(undated(ctx, rng, second), latest),
                "title": second,
            }
        )
    return out


def claim(rng: random.Random, top: Decimal, given: Decimal | None, boldness: float) -> Decimal:
    """The self-score a unit writes: usually what the rule gives, sometimes a little more.

    Units round small shortfalls up to the full points and claim half of a larger one, which
    is what appraisal then takes back (2-4 points a unit, domain notes §4.3).
    """
    if given is None:
        return top
    if given < top and rng.random() < boldness:
        gap = top - given
        if gap <= Decimal("0.5"):
            return top
        return q2(given + (gap / 2 / Decimal("0.25")).to_integral_value() * Decimal("0.25"))
    return q2(given)


def as_written(ctx: Context, uid: str, lid: str) -> dict[str, Any] | None:
    """A designed answer written as it stands, with no self-score: N/A, or the zero
    denominator that makes 6.1.3 N/A (None: the leaf is not one of those)."""
    y, notes = ctx.year, ctx.prose.answers
    if lid in ("2.1.1", "2.1.2") and uid in y.na_no_legal_doc:
        return {"na": True, "note": notes.no_legal_doc.format(year=y.year)}
    if lid == "2.3.3" and uid in y.na_no_findings:
        return {"na": True, "note": notes.no_findings}
    if lid == "6.1.3" and uid in ctx.cases.no_service_units:
        return {"numerator": 0, "denominator": 0, "note": notes.no_service_units}
    return None


def hand_set(ctx: Context, uid: str, lid: str, ans: dict[str, Any]) -> dict[str, Any]:
    """The drawn answer, or the designed one that replaces it (zero denominators, V03)."""
    y = ctx.year
    if lid == "1.3.1" and uid in ctx.cases.no_subordinate_units:
        ans = {"numerator": 0, "denominator": 0, "note": ctx.prose.answers.no_subordinate_units}
    if uid == y.warning_v03 and lid == "3.4.3":
        ans = {"numerator": 0, "denominator": 0}
    if uid == y.warning_v03 and lid == "3.4.4":
        ans = {"count": 1}
    return ans


def tie(drawn: Drawn, uid: str, src: str, old: str, new: str) -> None:
    """Give ``uid`` exactly ``src``'s answers; only the document numbers differ."""
    unit = copy.deepcopy(drawn.units[src])
    unit["unit"] = uid
    for ans in [*unit["answers"].values(), *unit.get("adjustments", {}).values()]:
        for ev in ans.get("evidence", []):
            ev["doc"] = ev["doc"].replace(f"-{old}", f"-{new}")
    drawn.units[uid] = unit
    drawn.survey[uid] = copy.deepcopy(drawn.survey[src])
    drawn.council[uid] = copy.deepcopy(drawn.council[src])


def build(ctx: Context, latest: dict[str, dt.date] | None = None) -> Drawn:
    """Draw every unit's self-assessment, survey and council answers for one year.

    `latest`: per unit, the day it locked its self-assessment; no date in its file is later.
    """
    y, index = ctx.year, ctx.index
    shared = random.Random(y.year)
    suffixes = {u.id: u.suffix for u in ctx.units}
    drawn = Drawn({}, {}, {})
    for u in ctx.units:
        if u.id in y.ties:
            src = y.ties[u.id]
            tie(drawn, u.id, src, suffixes[src], u.suffix)
            continue
        # one stream for every unit (2018: the committed files depend on it), or each unit its
        # own, so tuning one unit's quality leaves the others alone
        rng = shared if y.shared_stream else random.Random(f"{y.year}/{u.id}")
        until = (latest or {}).get(u.id)
        draw = Drawer(rng, y.quality[u.id], u.group, y.online_growth, ctx.cases, ctx.prose)
        answers: dict[str, dict[str, Any]] = {}
        survey: dict[str, dict[str, Any]] = {}
        council: dict[str, dict[str, Any]] = {}
        late = y.late.get(u.id, {})
        for item in index.groups[u.group].leaves.values():
            lid, rule = item.id, item.node.rule
            if set(item.exemptions) & set(u.tags):
                continue
            if item.node.assessed_by == "survey":
                survey[lid] = draw.survey(item)
                continue
            if item.node.assessed_by == "council":
                council[lid] = draw.council(item)
                continue
            ans = draw.answer(item)
            if lid in late:
                assert isinstance(rule, DeadlineRule)
                days = late[lid]
                ans = {"done_on": None if days is None else rule.due + dt.timedelta(days=days)}
            if ans.get("done_on") is not None:
                ans["done_on"] = no_later(ans["done_on"], until)
            fixed = as_written(ctx, u.id, lid)
            if fixed is not None:
                answers[lid] = fixed
                continue
            ans = hand_set(ctx, u.id, lid, ans)
            if lid in y.missing_answer.get(u.id, []):
                continue
            given = ctx.scorer.points(u.group, lid, ans)
            ans["self_score"] = claim(rng, item.max, given, BOLDNESS)
            ev = item.node.evidence
            needs = (ev is not None and ev.required) or (
                isinstance(rule, CountDeductionRule) and ans["count"] > 0
            )
            if needs and ev is not None:
                docs = evidence_for(ctx, rng, item, ans, u.suffix, until)
                if lid in y.missing_evidence.get(u.id, []):
                    ans["self_score"] = item.max  # claimed in full, nothing to show
                else:
                    ans["evidence"] = docs
            answers[lid] = ans
        unit: dict[str, Any] = {"unit": u.id, "index": index.id, "answers": answers}
        adjustments = declared(ctx, rng, u.id, until)
        if adjustments:
            unit["adjustments"] = adjustments
        drawn.units[u.id] = unit
        drawn.survey[u.id] = survey
        drawn.council[u.id] = council
    return drawn


def declared(
    ctx: Context, rng: random.Random, uid: str, until: dt.date | None
) -> dict[str, dict[str, Any]]:
    """The bonuses and penalties a unit declares (cases.yaml), with the decisions it cites."""
    items = {a.spec.id: a for a in ctx.index.adjustments}
    out: dict[str, dict[str, Any]] = {}
    for aid, inputs in ctx.year.adjustments.get(uid, {}).items():
        entry = dict(inputs)
        adj = items[aid]
        ev = adj.spec.evidence
        if (ev is not None and ev.required) or aid in ctx.cases.documented_penalties:
            title = (ev.documents_vi if ev is not None else None) or adj.spec.title_vi
            entry["evidence"] = [
                {
                    "doc": f"{rng.randint(10, 2600)}/{ctx.prose.answers.adjustment_doc}",
                    "date": no_later(
                        dt.date(ctx.year.year, rng.randint(3, 11), rng.randint(1, 28)), until
                    ),
                    "title": title,
                }
            ]
        if adj.sign > 0:  # a bonus is claimed in full
            entry["self_score"] = adj.spec.max
        out[aid] = entry
    return out
