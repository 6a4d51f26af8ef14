"""Generators of indices and answers, for property tests and benchmarks (never for samples).

``random_index`` builds a small but complete ``criteria.yaml`` document (every leaf rule kind
possible, N/A tags, a survey block, bonus and penalty packs) from a ``random.Random``;
``random_answers`` fills one unit's answers for any compiled index.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from decimal import Decimal
from typing import Any

from scoring.index.loader import Index, Item
from scoring.sources.yamlsrc import dump_yaml

KINDS = [
    "boolean",
    "deadline",
    "ratio_bands",
    "value_bands",
    "proportional",
    "count_points",
    "count_deduction",
    "ordinal_levels",
    "council_judgment",
    "compare_to_limit",
]
SURVEY_KINDS = ["survey_weighted", "external_value"]


def _dec(x: Any) -> Decimal:
    return Decimal(str(x))


def _bands(rng: random.Random, top: Decimal, low: int, high: int) -> list[dict[str, Any]]:
    cuts = sorted(rng.sample(range(low + 1, high), k=rng.randint(1, 3)))
    edges = [low, *cuts, high]
    pts = sorted(_dec(rng.randint(0, int(top * 4))) / 4 for _ in range(len(edges) - 1))
    bands = []
    for i, (lo, hi) in enumerate(itertools.pairwise(edges)):
        last = i == len(edges) - 2
        band: dict[str, Any] = {"min": lo, "points": pts[i]}
        if last:
            band["max"] = hi
            band["max_inclusive"] = True
        else:
            band["max"] = hi
        bands.append(band)
    rng.shuffle(bands)
    return bands


def _rule(rng: random.Random, kind: str, top: Decimal) -> dict[str, Any]:
    def pts() -> Decimal:
        return _dec(rng.randint(0, int(top * 4))) / 4

    if kind == "boolean":
        return {"kind": kind, "yes": top, "no": pts() / 2 if rng.random() < 0.3 else 0}
    if kind == "deadline":
        late: Any = (
            pts() if rng.random() < 0.5 else [{"max_days": 10, "points": pts()}, {"points": 0}]
        )
        return {
            "kind": kind,
            "due": dt.date(2018, rng.randint(1, 12), 15),
            "on_time": top,
            "late": late,
            "not_done": 0,
        }
    if kind == "ratio_bands":
        return {
            "kind": kind,
            "zero_denominator": rng.choice(["full", "zero", "not_applicable"]),
            "bands": _bands(rng, top, 0, 100),
        }
    if kind == "value_bands":
        return {"kind": kind, "range": [0, 50], "bands": _bands(rng, top, 0, 50)}
    if kind == "proportional":
        target = rng.choice([50, 80, 100])
        return {
            "kind": kind,
            "target": target,
            "threshold": rng.choice([0, 20, target // 2]),
            "zero_denominator": rng.choice(["full", "zero", "not_applicable"]),
        }
    if kind == "count_points":
        return {"kind": kind, "per_item": rng.choice([Decimal("0.25"), Decimal("0.5"), 1])}
    if kind == "count_deduction":
        return {
            "kind": kind,
            "per_item": rng.choice([Decimal("0.25"), Decimal("0.5"), 1]),
            "floor": 0,
        }
    if kind == "ordinal_levels":
        return {
            "kind": kind,
            "levels": {
                "a": {"points": top, "label_vi": "A"},
                "b": {"points": pts(), "label_vi": "B"},
                "c": {"points": 0, "label_vi": "C"},
            },
        }
    if kind == "council_judgment":
        return {"kind": kind}
    if kind == "compare_to_limit":
        return {"kind": kind, "shorter": top, "equal": pts(), "longer": 0}
    if kind == "survey_weighted":
        return {
            "kind": kind,
            "weights": {"A": 1, "B": Decimal("0.6"), "C": Decimal("0.2"), "D": 0},
            "no_responses": rng.choice(["zero", "not_applicable"]),
        }
    return {"kind": "external_value", "source": "SIPAS", "range": [0, 100]}


def random_index(rng: random.Random) -> tuple[str, str]:
    """(criteria.yaml text, rules pack text) of a random, valid index."""
    tree = []
    totals = {"content": Decimal(0), "survey": Decimal(0)}
    for a in range(rng.randint(1, 3)):
        leaves = []
        for j in range(rng.randint(1, 4)):
            kind = rng.choice(KINDS)
            top = _dec(rng.randint(1, 8)) / 2
            leaf: dict[str, Any] = {
                "id": f"{a + 1}.{j + 1}",
                "title_vi": f"Mục {a + 1}.{j + 1}",
                "max": top,
                "rule": _rule(rng, kind, top),
            }
            if kind == "council_judgment":
                leaf["assessed_by"] = "council"
            if rng.random() < 0.3:
                leaf["evidence"] = {"required": True}
            if rng.random() < 0.2:
                leaf["na_allowed"] = True
                leaf["na_strategy"] = rng.choice(["grant_full", "exclude_and_rescale"])
            leaves.append(leaf)
        amax = sum((lf["max"] for lf in leaves), Decimal(0))
        area: dict[str, Any] = {
            "id": str(a + 1),
            "title_vi": f"Lĩnh vực {a + 1}",
            "max": amax,
            "children": leaves,
        }
        if rng.random() < 0.3:
            area["exempt_tags"] = ["no_procedures"]
        tree.append(area)
        totals["content"] += amax
    survey = []
    for j in range(rng.randint(1, 2)):
        top = _dec(rng.randint(1, 8)) / 2
        survey.append(
            {
                "id": f"S.{j + 1}",
                "title_vi": "Khảo sát",
                "max": top,
                "assessed_by": "survey",
                "rule": _rule(rng, rng.choice(SURVEY_KINDS), top),
            }
        )
    smax = sum((s["max"] for s in survey), Decimal(0))
    tree.append(
        {"id": "S", "block": "survey", "title_vi": "Khảo sát", "max": smax, "children": survey}
    )
    totals["survey"] = smax
    doc = {
        "index": {
            "id": "gen",
            "year": 2018,
            "province": "Gen",
            "title_vi": "Sinh",
            "title_en": "Gen",
            "scale": totals["content"] + totals["survey"],
            "rounding": {"places": 2},
            "blocks": {"content": {"max": totals["content"]}, "survey": {"max": smax}},
            "bonus": {"max": 1},
            "penalty": {"max": 2},
            "ranking": {"tie_policy": rng.choice(["competition", "dense"]), "precision": 1},
        },
        "groups": [
            {
                "id": "g",
                "title_vi": "Nhóm",
                "title_en": "Group",
                "classification": [
                    {"id": "a", "label_vi": "A", "label_en": "A", "min": totals["content"] / 2},
                    {"id": "b", "label_vi": "B", "label_en": "B", "min": 0},
                ],
            }
        ],
        "tree": tree,
    }
    area_ids = [a["id"] for a in tree[:-1]]
    pack = {
        "pack": "gen",
        "bonuses": [
            {
                "id": "B1",
                "title_vi": "Thưởng",
                "title_en": "Bonus",
                "scope": "total",
                "max": 1,
                "rule": {"kind": "count_points", "per_item": Decimal("0.5")},
            }
        ],
        "penalties": [
            {
                "id": "P1",
                "title_vi": "Trừ",
                "title_en": "Penalty",
                "scope": "total",
                "max": 2,
                "rule": {"kind": "count_points", "per_item": 1},
            },
            {
                "id": "P2",
                "title_vi": "Trừ lĩnh vực",
                "title_en": "Area penalty",
                "scope": rng.choice(area_ids),
                "max": 1,
                "rule": {"kind": "boolean"},
            },
        ],
    }
    return _dump(doc), _dump(pack)


def _dump(doc: Any) -> str:
    """YAML text of generated data, written by parindex's one YAML writer."""
    return dump_yaml(doc)


def random_answer(rng: random.Random, item: Item) -> dict[str, Any] | None:
    """One leaf's answer (None: left unanswered)."""
    node = item.node
    rule = node.rule
    assert rule is not None
    if rng.random() < 0.04:
        return None
    if node.na_allowed and rng.random() < 0.15:
        return {"na": True}
    k = rule.kind
    ans: dict[str, Any]
    if k == "boolean":
        ans = {"value": rng.random() < 0.8}
    elif k == "deadline":
        ans = {
            "done_on": None
            if rng.random() < 0.1
            else rule.due + dt.timedelta(days=rng.randint(-30, 25))
        }
    elif k in ("ratio_bands", "proportional"):
        den = rng.choice([0, 1, 3, 20, 100, 1000, rng.randint(1, 5000)])
        ans = {"numerator": den if rng.random() < 0.3 else rng.randint(0, den), "denominator": den}
    elif k == "value_bands":
        lo, hi = rule.range
        ans = {"value": rng.choice([lo, hi, Decimal(rng.randint(int(lo * 10), int(hi * 10))) / 10])}
    elif k in ("count_points", "count_deduction"):
        ans = {"count": rng.choice([0, 0, 1, 2, rng.randint(0, 30)])}
    elif k == "ordinal_levels":
        ans = {"level": rng.choice(list(rule.levels))}
    elif k == "council_judgment":
        choices = rule.levels or [Decimal(0), node.max / 2, node.max]
        ans = {"score": rng.choice(choices), "reason": "Nhận xét của hội đồng"}
    elif k == "compare_to_limit":
        limit = rng.randint(1, 30)
        ans = {"actual": rng.randint(max(0, limit - 3), limit + 3), "limit": limit}
    elif k == "survey_weighted":
        ans = {
            "responses": {
                o: (0 if rng.random() < 0.1 else rng.randint(0, 60)) for o in rule.weights
            }
        }
    else:
        lo, hi = rule.range
        ans = {"value": Decimal(rng.randint(int(lo * 10), int(hi * 10))) / 10}
    if node.evidence and node.evidence.required and rng.random() < 0.85:
        ans["evidence"] = [{"doc": f"{rng.randint(1, 999)}/QĐ"}]
    return ans


def random_answers(
    rng: random.Random, index: Index, group: str
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(self, survey, council, adjustments) answers of one unit."""
    self_, survey, council = {}, {}, {}
    for item in index.groups[group].leaves.values():
        ans = random_answer(rng, item)
        if ans is None:
            continue
        {"self": self_, "survey": survey, "council": council}[item.node.assessed_by][item.id] = ans
    adjustments: dict[str, Any] = {}
    for adj in index.adjustments:
        if group in adj.groups and rng.random() < 0.3:
            kind = adj.spec.rule.kind
            adjustments[adj.spec.id] = (
                {"value": rng.random() < 0.5}
                if kind == "boolean"
                else {"level": rng.choice(list(adj.spec.rule.levels))}
                if kind == "ordinal_levels"
                else {"count": rng.randint(0, 4)}
            )
    return self_, survey, council, adjustments


def write_campaign(
    folder: Any,
    index_path: Any,
    rules_path: Any,
    index: Index,
    n: int,
    rng: random.Random,
    tags_rate: float = 0.2,
) -> None:
    """A campaign folder of ``n`` generated units over every group of ``index``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "units").mkdir(exist_ok=True)
    groups = list(index.groups)
    units, survey, council = [], {}, {}
    for i in range(n):
        g = groups[i % len(groups)]
        uid = f"u{i:05d}"
        tags = ["no_procedures"] if rng.random() < tags_rate else []
        units.append({"id": uid, "name": f"Đơn vị {i}", "group": g, "tags": tags})
        s, sv, c, adj = random_answers(rng, index, g)
        (folder / "units" / f"{uid}.yaml").write_text(
            _dump({"unit": uid, "answers": s, "adjustments": adj}), encoding="utf-8"
        )
        survey[uid], council[uid] = sv, c
    (folder / "campaign.yaml").write_text(
        _dump(
            {
                "id": "generated",
                "year": index.meta.year,
                "index": str(index_path),
                "rules": str(rules_path),
                "survey": "survey.yaml",
                "council": "council.yaml",
                "units": units,
            }
        ),
        encoding="utf-8",
    )
    (folder / "survey.yaml").write_text(_dump({"units": survey}), encoding="utf-8")
    (folder / "council.yaml").write_text(_dump({"units": council}), encoding="utf-8")
