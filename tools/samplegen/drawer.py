"""Drawing one unit's inputs from its quality: better units finish on time, reach 100 % rates
and collect more A answers.

Each draw consumes the unit's random stream in a fixed order, so the same stream always draws
the same answers; the committed samples depend on that order.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from scoring.index.kinds.choices import (
    BooleanRule,
    CompareToLimitRule,
    DeadlineRule,
    OrdinalLevelsRule,
)
from scoring.index.kinds.counts import CountDeductionRule, CountPointsRule
from scoring.index.kinds.outside import CouncilJudgmentRule, ExternalValueRule
from scoring.index.kinds.rates import ProportionalRule, RatioBandsRule, ValueBandsRule
from scoring.index.loader import Item
from tools.samplegen.data import Cases, Prose


class Drawer:
    """Draws one unit's inputs from its quality ``q`` (0..1)."""

    def __init__(
        self,
        rng: random.Random,
        q: float,
        group: str,
        online: float,
        cases: Cases,
        prose: Prose,
    ) -> None:
        self.rng, self.q, self.group = rng, q, group
        self.online = online  # growth of online services since 2018 (7.3.1, 7.3.2)
        self.cases, self.prose = cases, prose

    def good(self, bias: float = 0.0) -> bool:
        """A draw that a unit of this quality gets right."""
        return self.rng.random() < min(0.97, 0.86 * self.q + bias)

    def rate(self) -> float:
        """A completion rate in percent: 100 for a good draw, else somewhere below."""
        if self.good(0.05):
            return 100.0
        return max(40.0, min(99.5, self.rng.gauss(70 + 28 * self.q, 8)))

    def denominator(self, leaf_id: str) -> int:
        """A denominator in the leaf's range (cases.yaml, ``denominators``)."""
        table = self.cases.denominators
        lo, hi = table.get(f"{self.group}/{leaf_id}") or table[leaf_id]
        return self.rng.randint(lo, hi)

    def ratio(self, item: Item) -> dict[str, Any]:
        """Numerator and denominator of a ratio_bands or proportional leaf."""
        den = self.denominator(item.id)
        lid = item.id
        if lid == "1.3.1":  # share of units inspected: 15-60 %
            share = 0.15 + 0.45 * self.q * self.rng.random() + (0.15 if self.good() else 0)
            return {"numerator": min(den, round(den * share)), "denominator": den}
        if lid == "7.3.1":  # share of procedures online at level 3/4 (2018: low)
            share = self.rng.uniform(0.08, 0.25) + 0.2 * self.q + self.online
            return {"numerator": round(den * share), "denominator": den}
        if lid == "7.3.2":  # share of dossiers filed online
            share = self.rng.uniform(0.01, 0.12) + 0.12 * self.q + self.online / 3
            return {"numerator": round(den * share), "denominator": den}
        if lid == "7.1.2":  # electronic outgoing documents
            share = min(1.0, self.rng.uniform(0.45, 0.75) + 0.3 * self.q)
            return {"numerator": round(den * share), "denominator": den}
        if lid == "7.1.3":
            share = min(1.0, self.rng.uniform(0.7, 0.9) + 0.12 * self.q)
            return {"numerator": round(den * share), "denominator": den}
        if lid == "6.2.1":  # disbursement in VND million
            share = min(1.0, self.rng.uniform(0.6, 0.85) + 0.2 * self.q)
            return {"numerator": round(den * share), "denominator": den}
        if lid == "3.4.1":  # dossiers on time: usually 97-100 %
            if self.good(-0.15):
                return {"numerator": den, "denominator": den}
            late = max(1, round(den * self.rng.uniform(0.001, 0.04 * (1.2 - self.q))))
            return {"numerator": den - late, "denominator": den}
        if den == 0:
            return {"numerator": 0, "denominator": 0}
        num = min(den, round(den * self.rate() / 100))
        return {"numerator": num, "denominator": den}

    def value(self, rule: ValueBandsRule) -> dict[str, Any]:
        """A value_bands leaf: a count, the budget revenue or a completion percentage."""
        _lo, hi = rule.range
        if hi == 1000000:  # a count: 0 for good units, sometimes 1-3
            if self.good(0.05):
                return {"value": 0}
            return {"value": self.rng.choice([1, 1, 2, 3])}
        if hi == 300:  # budget revenue against the estimate
            return {"value": round(self.rng.uniform(88, 104) + 10 * self.q, 1)}
        v = 100.0 if self.good(-0.1) else max(55.0, min(99.9, self.rng.gauss(72 + 25 * self.q, 7)))
        return {"value": round(v, 1)}

    def deadline(self, rule: DeadlineRule) -> dict[str, Any]:
        """A done date: up to 20 days early or late, or not done."""
        due = rule.due
        if self.good(0.1):
            return {"done_on": due - dt.timedelta(days=self.rng.randint(0, 20))}
        if self.rng.random() < 0.08:
            return {"done_on": None}
        return {"done_on": due + dt.timedelta(days=self.rng.randint(1, 20))}

    def count_points(self, item: Item, rule: CountPointsRule) -> dict[str, Any]:
        """A count of items around what full points need."""
        cap = item.max if rule.cap is None else rule.cap
        full = int(cap / rule.per_item)
        n = round(full * (0.3 + 0.8 * self.q) * self.rng.uniform(0.6, 1.2))
        return {"count": max(0, n)}

    def count_deduction(self) -> dict[str, Any]:
        """A count of faults: mostly none."""
        if self.good(0.1):
            return {"count": 0}
        return {"count": self.rng.choice([1, 1, 1, 2])}

    def ordinal(self, rule: OrdinalLevelsRule) -> dict[str, Any]:
        """A level, the best one first."""
        keys = list(rule.levels)
        i = 0
        while i < len(keys) - 1 and not self.good(0.05):
            i += 1
        return {"level": keys[i]}

    def compare(self) -> dict[str, Any]:
        """An actual time against its limit."""
        limit = self.rng.choice([10, 12, 15, 20])
        if self.good(-0.1):
            actual = round(limit * self.rng.uniform(0.55, 0.9), 1)
        elif self.rng.random() < 0.6:
            actual = float(limit)
        else:
            actual = round(limit * self.rng.uniform(1.02, 1.15), 1)
        return {"actual": actual, "limit": limit}

    def answer(self, item: Item) -> dict[str, Any]:
        """The inputs of a self-assessed leaf, by its rule kind."""
        r = item.node.rule
        if isinstance(r, BooleanRule):
            return {"value": self.good(0.08)}
        if isinstance(r, DeadlineRule):
            return self.deadline(r)
        if isinstance(r, RatioBandsRule | ProportionalRule):
            return self.ratio(item)
        if isinstance(r, ValueBandsRule):
            return self.value(r)
        if isinstance(r, CountPointsRule):
            return self.count_points(item, r)
        if isinstance(r, CountDeductionRule):
            return self.count_deduction()
        if isinstance(r, OrdinalLevelsRule):
            return self.ordinal(r)
        if isinstance(r, CompareToLimitRule):
            return self.compare()
        raise ValueError(f"{item.id}: no draw for a {type(r).__name__}")

    def survey(self, item: Item) -> dict[str, Any]:
        """A survey leaf: a SIPAS percentage, or A/B/C/D counts of 30-120 respondents."""
        if isinstance(item.node.rule, ExternalValueRule):
            return {"value": round(min(95.0, max(70.0, self.rng.gauss(62 + 30 * self.q, 2.5))), 1)}
        n = self.rng.randint(30, 120)
        pa = min(0.9, max(0.25, self.rng.gauss(0.72 * self.q - 0.04, 0.05)))
        pb = (1 - pa) * self.rng.uniform(0.55, 0.75)
        pc = (1 - pa - pb) * self.rng.uniform(0.6, 0.9)
        a, b, c = round(n * pa), round(n * pb), round(n * pc)
        c = max(0, min(c, n - a - b))
        return {"responses": {"A": a, "B": b, "C": c, "D": n - a - b - c}}

    def council(self, item: Item) -> dict[str, Any]:
        """The council's score, one of the rule's levels, and its reason."""
        rule = item.node.rule
        assert isinstance(rule, CouncilJudgmentRule) and rule.levels is not None
        levels = sorted(rule.levels, reverse=True)
        i = 0
        while i < len(levels) - 2 and not self.good(-0.05):
            i += 1
        score = levels[i]
        return {"score": score, "reason": self.prose.council_reasons[item.id][str(score)]}
