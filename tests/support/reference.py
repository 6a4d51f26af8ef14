"""A small, obviously-correct reference evaluator, written independently of ``scoring``.

It reads the raw YAML (``yaml.safe_load``), uses exact ``Fraction`` arithmetic and plain
if/else per rule kind, with no engine. The differential test checks that parindex (compiled
index + durable-rules + Decimal) gives the same points and index for every generated unit.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction as F
from typing import Any


def f(x: Any) -> F:
    return F(str(x))


def _in_band(band: dict[str, Any], x: F, low: F, high: F) -> bool:
    lo = f(band["min"]) if "min" in band else low
    hi = f(band["max"]) if "max" in band else high
    lo_incl = band.get("min_inclusive", True)
    hi_incl = band.get("max_inclusive", "max" not in band)
    above = x >= lo if lo_incl else x > lo
    below = x <= hi if hi_incl else x < hi
    return above and below


def _banded(bands: list[dict[str, Any]], x: F, low: F, high: F) -> F:
    hits = [b for b in bands if _in_band(b, x, low, high)]
    assert len(hits) == 1, (x, hits)
    return f(hits[0]["points"])


def leaf_points(rule: dict[str, Any], top: F, ans: dict[str, Any]) -> F | None:
    """Points of one answered leaf; None means not applicable."""
    k = rule["kind"]
    if k == "boolean":
        return f(rule.get("yes", top)) if ans["value"] else f(rule.get("no", 0))
    if k == "deadline":
        if ans["done_on"] is None:
            return f(rule.get("not_done", 0))
        days = (ans["done_on"] - rule["due"]).days
        if days <= 0:
            return f(rule.get("on_time", top))
        late = rule["late"]
        if not isinstance(late, list):
            return f(late)
        for band in late:
            if band.get("max_days") is None or days <= band["max_days"]:
                return f(band["points"])
        raise AssertionError("no late band")
    if k in ("ratio_bands", "proportional"):
        num, den = ans["numerator"], ans["denominator"]
        if den == 0:
            return {"full": top, "zero": F(0), "not_applicable": None}[rule["zero_denominator"]]
        rate = F(num * 100, den)
        if k == "ratio_bands":
            return _banded(rule["bands"], rate, F(0), F(100))
        target, threshold = f(rule.get("target", 100)), f(rule.get("threshold", 0))
        if rate < threshold:
            return F(0)
        return min(top, top * rate / target)
    if k == "value_bands":
        lo, hi = (f(x) for x in rule["range"])
        return _banded(rule["bands"], f(ans["value"]), lo, hi)
    if k == "count_points":
        cap = f(rule.get("cap", top))
        return min(cap, f(rule["per_item"]) * ans["count"])
    if k == "count_deduction":
        return max(f(rule.get("floor", 0)), top - f(rule["per_item"]) * ans["count"])
    if k == "ordinal_levels":
        return f(rule["levels"][ans["level"]]["points"])
    if k == "council_judgment":
        return f(ans["score"])
    if k == "compare_to_limit":
        d = f(ans["actual"]) - f(ans["limit"])
        return f(rule["shorter"] if d < 0 else rule["equal"] if d == 0 else rule["longer"])
    if k == "survey_weighted":
        n = sum(ans["responses"].values())
        if n == 0:
            return F(0) if rule.get("no_responses", "zero") == "zero" else None
        return top * sum(c * f(rule["weights"][o]) for o, c in ans["responses"].items()) / n
    if k == "external_value":
        lo, hi = (f(x) for x in rule.get("range", [0, 100]))
        return top * (f(ans["value"]) - lo) / (hi - lo)
    raise AssertionError(k)


def reference_score(
    criteria: dict[str, Any],
    pack: dict[str, Any],
    tags: list[str],
    answers: dict[str, Any],
    adjustments: dict[str, Any],
) -> tuple[F, F, F]:
    """(points, applicable max, index) of one unit."""
    meta = criteria["index"]
    default_na = meta.get("not_applicable", "exclude_and_rescale")
    scoped: dict[str, list[tuple[int, F]]] = {}
    for key, sign in (("bonuses", 1), ("penalties", -1)):
        for adj in pack.get(key, []):
            if adj["id"] in adjustments:
                v = leaf_points(adj["rule"], f(adj["max"]), adjustments[adj["id"]])
                v = min(max(v or F(0), F(0)), f(adj["max"]))
                scoped.setdefault(adj.get("scope", "total"), []).append((sign, v))

    def node(n: dict[str, Any], strategy: str, exempt: str | None) -> tuple[F, F]:
        strategy = n.get("na_strategy", strategy)
        if exempt is None and set(n.get("exempt_tags", [])) & set(tags):
            exempt = strategy
        top = f(n["max"])
        if "children" in n:
            pts, mx = F(0), F(0)
            for c in n["children"]:
                p, m = node(c, strategy, exempt)
                pts, mx = pts + p, mx + m
        else:
            ans = answers.get(n["id"])
            if exempt is not None:
                return (top, top) if exempt == "grant_full" else (F(0), F(0))
            if ans is not None and ans.get("na"):
                return (top, top) if strategy == "grant_full" else (F(0), F(0))
            if ans is None:
                pts, mx = F(0), top
            else:
                p = leaf_points(n["rule"], top, ans)
                if p is None:  # not applicable by its answer: the node's N/A strategy
                    return (top, top) if strategy == "grant_full" else (F(0), F(0))
                if n.get("evidence", {}).get("required") and not ans.get("evidence"):
                    p = F(0)
                pts, mx = p, top
        if n["id"] in scoped and mx > 0:
            pts = min(max(pts + sum(s * v for s, v in scoped[n["id"]]), F(0)), mx)
        return pts, mx

    pts, mx = F(0), F(0)
    for area in criteria["tree"]:
        p, m = node(area, default_na, None)
        pts, mx = pts + p, mx + m
    total = scoped.get("total", [])
    bonus = min(sum((v for s, v in total if s > 0), F(0)), f(meta.get("bonus", {}).get("max", 0)))
    penalty = min(
        sum((v for s, v in total if s < 0), F(0)), f(meta.get("penalty", {}).get("max", 0))
    )
    points = max(F(0), pts + bonus - penalty)
    scale = f(meta.get("scale", 100))
    index = min(scale, max(F(0), points * scale / mx)) if mx > 0 else F(0)
    return points, mx, index


def parse_date(x: Any) -> Any:
    return x if isinstance(x, dt.date) or x is None else dt.date.fromisoformat(x)
