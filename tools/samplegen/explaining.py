"""The units' explanations (giải trình) of round-1 changes, and round 2's decisions on them."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from tools.samplegen.answers import q2
from tools.samplegen.context import Context
from tools.samplegen.lowering import Change, storable
from tools.samplegen.views import UnitView
from tools.samplegen.wording import doc_type, first_doc, lower_first, vdate
from tools.samplegen.yamlout import LeafId


@dataclass
class Explanation:
    """What a unit wrote to answer one round-1 change, and whether round 2 accepts it."""

    node: str
    text: str
    evidence: list[dict[str, Any]]
    accepted: bool = False

    def entry(self) -> dict[str, Any]:
        """The explanation as explanations.yaml writes it."""
        return {"node": LeafId(self.node), "text": self.text, "evidence": self.evidence}


def designed(ctx: Context, uid: str, node: str) -> tuple[str, str, str] | None:
    """The hand-set wording of an explanation: text, document title, round-2 reason."""
    for e in ctx.year.designed_explanations:
        if (e.unit, e.node) == (uid, node) and e.text and e.document and e.decision:
            return e.text, e.document, e.decision
    return None


def explanation_for(ctx: Context, rng: random.Random, unit: UnitView, c: Change) -> Explanation:
    """What a unit writes to answer one round-1 change (giải trình), with its new document."""
    sched, words = ctx.year.schedule, ctx.prose.explaining
    span = (sched.explanation_due - sched.appraisal_1_on).days
    when = sched.appraisal_1_on + dt.timedelta(days=rng.randint(1, span))
    hand = designed(ctx, unit.uid, c.node)
    item = unit.leaves.get(c.node)
    h = c.hint
    if hand:
        text, title = hand[:2]
    elif c.tag == "adjustment":
        reply = words.adjustments[c.node]
        text, title = reply.text, reply.document
    elif c.tag == "late":
        text = words.late.format(done=vdate(h["done"])) if "done" in h else words.late_undated
        title = words.late_document
    elif c.tag == "figures":
        text = words.figures.format(source=h["source"])
        title = words.figures_document.format(source=h["source"])
    elif c.tag in ("wrongdoc", "missing"):
        assert item is not None
        doc = first_doc(item)
        lead = words.wrongdoc if c.tag == "wrongdoc" else words.missing
        text = lead.format(document=lower_first(doc, ctx.prose.appraisal.proper_starts))
        title = doc
    elif c.tag == "count":
        text = words.count.format(missing=h["missing"], noun=h["noun"])
        title = words.count_document.format(noun=h["noun"])
    else:
        text, title = words.by_tag[c.tag].text, words.by_tag[c.tag].document
    doc = f"{rng.randint(100, 480)}/{doc_type(title, ctx.prose.answers.doc_types)}-{unit.suffix}"
    return Explanation(c.node, text, [{"doc": doc, "date": when, "title": title}])


def decision(ctx: Context, rng: random.Random, uid: str, c: Change, e: Explanation) -> Change:
    """Round 2's answer to an explanation: points restored (in full or in part) or kept."""
    accepted, words = e.accepted, ctx.prose.deciding
    hand = designed(ctx, uid, c.node)
    if hand and accepted:
        score = storable(c.restore)
        return Change(c.node, score, hand[2], "accepted", c.computed, c.restore, c.sign)
    fill = {
        "source": c.hint.get("source", ""),
        "got": vdate(c.hint["got"]) if "got" in c.hint else "",
        "dated": vdate(e.evidence[0]["date"]),
    }
    if c.tag == "adjustment":
        reply = ctx.prose.explaining.adjustments[c.node]
        score = c.restore if accepted else c.score
        reason = reply.accepted if accepted else reply.rejected
        return Change(c.node, score, reason, "decision", c.computed, c.restore, c.sign)
    if not accepted:
        reason = words.reject[c.tag].format(**fill)
        return Change(c.node, c.score, reason, "rejected", c.computed, c.restore, c.sign)
    if c.hint.get("partial") and rng.random() < 0.5:
        score = q2((c.score + c.restore) / 2)
        return Change(c.node, score, words.partial, "partial", c.computed, c.restore, c.sign)
    reason = words.accept[c.tag].format(**fill)
    return Change(c.node, storable(c.restore), reason, "accepted", c.computed, c.restore, c.sign)
