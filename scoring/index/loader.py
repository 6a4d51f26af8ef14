"""Load ``criteria.yaml`` and ``rules/`` once into an immutable, fully checked ``Index``.

After ``load_index`` returns, scoring cannot fail on a definition problem: ids are unique per
group, maxima add up, bands have no gaps or overlaps, every rule kind is known, every input a
rule pack reads is declared, and the rules are compiled into the durable-rules ruleset.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from scoring.errors import ErrorList, IndexDefinitionError, Location, ParindexError, suggest
from scoring.index import model as m
from scoring.index.compiled import (  # noqa: F401  # re-exported: the records of a compiled index
    MAX_BRANCHES,
    RESERVED_BRANCHES,
    RESERVED_IDS,
    AdjustmentItem,
    CheckItem,
    Collector,
    DataPath,
    GroupView,
    Index,
    Item,
    amount,
    check_rule,
)
from scoring.index.engine import MAX_RULES, MAX_SIBLINGS, CheckSpec, RuleEngine
from scoring.index.kinds import HANDLERS, MISSING_BRANCH, Branch, handler
from scoring.index.packs import PackResult, load_packs, pack_files
from scoring.sources.located import validate
from scoring.sources.numbers import ZERO, encode_bound, has_places
from scoring.sources.yamlsrc import load_yaml, read_text

__all__ = [
    "AdjustmentItem",
    "CheckItem",
    "GroupView",
    "Index",
    "Item",
    "index_from_texts",
    "load_index",
    "read_sources",
    "year_bounds",
]


def load_index(criteria: Path, rules_dir: Path | None = None) -> Index:
    """Read, check and compile an index; raise every problem found, located."""
    texts = {str(p): read_text(p) for p in pack_files(rules_dir)}
    return index_from_texts(read_text(criteria), str(criteria), texts)


def read_sources(criteria: Path, rules_dir: Path | None) -> tuple[str, dict[str, str]]:
    """The texts an index is built from: criteria.yaml, and each rule pack by file name."""
    return read_text(criteria), {p.name: read_text(p) for p in pack_files(rules_dir)}


def index_from_texts(criteria_text: str, criteria_name: str, rules: Mapping[str, str]) -> Index:
    """Check and compile an index from its texts (as stored, or as read from files)."""
    data, source = load_yaml(criteria_text, criteria_name)
    if not isinstance(data, dict):
        raise IndexDefinitionError(
            "expected a mapping with index, groups and tree", Location(criteria_name, 1, 1)
        )
    spec: m.CriteriaFile = validate(m.CriteriaFile, data, source, IndexDefinitionError)
    col = Collector(data, source)
    group_ids = [g.id for g in spec.groups]
    views = {g.id: _group_view(spec, g, col) for g in spec.groups}
    _check_meta(spec, col)
    packs: list[PackResult] = []
    try:
        packs = load_packs(rules, views, group_ids)
    except ParindexError as exc:  # report the index's own problems first
        col.errors.extend(exc.errors if isinstance(exc, ErrorList) else [exc])
    if col.errors:
        raise ErrorList.of(col.errors)
    codes = _assign_codes(views)
    views = {gid: _with_codes(v, codes) for gid, v in views.items()}
    adjustments = tuple(a for _, _, p in packs for a in p[0])
    checks = tuple(c for _, _, p in packs for c in p[1])
    canon = {
        "criteria": spec.model_dump(mode="json"),
        "rules": {pid: pk.model_dump(mode="json") for pid, pk, _ in packs},
    }
    digest = hashlib.sha256(
        json.dumps(canon, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    engine = _compile(criteria_name, spec.index, views, adjustments, checks, digest)
    files = (criteria_name, *sorted(rules))
    return Index(
        spec.index,
        views,
        adjustments,
        checks,
        digest,
        engine,
        files,
        engine.rule_count,
        (spec.index.notice,) if spec.index.notice else (),
    )


# ---------------------------------------------------------------- the tree


def _group_view(spec: m.CriteriaFile, group: m.Group, col: Collector) -> GroupView:
    known = {g.id for g in spec.groups}
    items: dict[str, Item] = {}
    leaves: dict[str, Item] = {}

    def build(
        node: m.Node,
        path: DataPath,
        parent: Item | None,
        block: str,
        tags: Mapping[str, str],
        strategy: str,
    ) -> Item | None:
        for i, gid in enumerate(node.groups or []):
            if gid not in known:
                col.add((*path, "groups", i), f"unknown group {gid!r}", suggest(gid, known))
        if node.groups is not None and group.id not in node.groups:
            return None
        if node.id in items:
            col.add((*path, "id"), f"duplicate id {node.id!r} in group {group.id!r}")
            return None
        if not has_places(node.max) or node.max < 0:
            col.add((*path, "max"), f"max must be >= 0 with at most 3 decimals, got {node.max}")
        if parent is not None and node.block is not None:
            col.add((*path, "block"), "only areas (top-level nodes) declare a block")
        strategy = node.na_strategy or strategy
        tags = {**tags, **{t: strategy for t in node.exempt_tags}}
        kids: list[Item] = []
        placeholder = Item(node, path, parent.id if parent else None, (), block, tags, strategy)
        items[node.id] = placeholder
        for j, child in enumerate(node.children):
            built = build(child, (*path, "children", j), placeholder, block, tags, strategy)
            if built is not None:
                kids.append(built)
        item = Item(node, path, parent.id if parent else None, tuple(kids), block, tags, strategy)
        items[node.id] = item
        _check_node(item, node.children != [], col)
        if item.is_leaf and node.rule is not None:
            leaves[node.id] = item
        return item

    areas: list[Item] = []
    for i, area in enumerate(spec.tree):
        built = build(
            area, ("tree", i), None, area.block or "content", {}, spec.index.not_applicable
        )
        if built is not None:
            areas.append(built)
    return GroupView(group, tuple(areas), items, leaves)


def _check_node(item: Item, declared_children: bool, col: Collector) -> None:
    node, path = item.node, item.path
    if node.id in RESERVED_IDS:
        col.add((*path, "id"), f"{node.id!r} is reserved for the trace; choose another id")
    if declared_children and not item.children:
        col.add(path, f"node {node.id!r} has no children in this group but no rule either")
        return
    if item.is_leaf:
        if node.rule is None:
            col.add(path, f"leaf {node.id!r} needs a rule")
            return
        check_rule(node.rule, node.max, (*path, "rule"), col)
        _check_assessor(item, col)
        _check_input_labels(item, col)
        return
    if node.rule is not None:
        col.add((*path, "rule"), f"node {node.id!r} has children; only leaves have a rule")
    for key, value, default in (
        ("na_allowed", node.na_allowed, False),
        ("evidence", node.evidence, None),
        ("assessed_by", node.assessed_by, "self"),
        ("inputs", node.inputs, None),
    ):
        if value != default:
            col.add((*path, key), f"{key} applies to leaves only; node {node.id!r} has children")
    total = sum((c.max for c in item.children), ZERO)
    if total != node.max:
        ids = ", ".join(c.id for c in item.children)
        col.add((*path, "max"), f"children ({ids}) sum to {total}, but max is {node.max}")


def _check_input_labels(item: Item, col: Collector) -> None:
    """Every input a leaf names in its own words is one its rule reads."""
    node = item.node
    assert node.rule is not None
    known = handler(node.rule).inputs
    for name in node.inputs or {}:
        if name not in known:
            col.add(
                (*item.path, "inputs", name),
                f"rule kind {node.rule.kind} of leaf {node.id!r} reads no input {name!r}; "
                f"it reads {', '.join(known)}",
                suggest(name, known),
            )


def _check_assessor(item: Item, col: Collector) -> None:
    """The leaf's ``assessed_by`` is one its rule kind allows (the council's kinds, only it)."""
    node, path = item.node, (*item.path, "assessed_by")
    assert node.rule is not None
    allowed = handler(node.rule).assessors
    if node.assessed_by == "survey" and "survey" not in allowed:
        kinds = " or ".join(k for k, h in HANDLERS.items() if "survey" in h.assessors)
        col.add(path, f"a survey item must use {kinds}, not {node.rule.kind}")
    if ("council" in allowed) != (node.assessed_by == "council"):
        kinds = " and ".join(k for k, h in HANDLERS.items() if "council" in h.assessors)
        col.add(path, f"{kinds} items, and only they, are assessed_by: council")


def _check_meta(spec: m.CriteriaFile, col: Collector) -> None:
    meta = spec.index
    if meta.scale <= 0 or not has_places(meta.scale):
        col.add(("index", "scale"), f"scale must be above 0, got {meta.scale}")
    for name, cap in (("bonus", meta.bonus), ("penalty", meta.penalty)):
        amount(cap.max, ("index", name, "max"), col, f"{name} max")
    for b, blk in meta.blocks.items():
        amount(blk.max, ("index", "blocks", b, "max"), col, "a block's max")
    for path, value in (
        (("index", "rounding", "places"), meta.rounding.places),
        (("index", "ranking", "precision"), meta.ranking.precision),
    ):
        if not 0 <= value <= 6:
            col.add(path, f"must be a number of decimals from 0 to 6, got {value}")
    if sum((b.max for b in meta.blocks.values()), ZERO) != meta.scale:
        col.add(
            ("index", "blocks"),
            f"blocks sum to {sum(b.max for b in meta.blocks.values())}, "
            f"but the scale is {meta.scale}",
        )
    for i, g in enumerate(spec.groups):
        mins = [c.min for c in g.classification]
        if any(a <= b for a, b in itertools.pairwise(mins)):
            col.add(("groups", i, "classification"), "bands must be listed highest first")
        if mins[-1] != 0:
            col.add(
                ("groups", i, "classification"),
                "the last band must start at 0 so every unit gets a class",
            )
    seen: set[str] = set()
    for i, g in enumerate(spec.groups):
        if g.id in seen:
            col.add(("groups", i, "id"), f"duplicate group id {g.id!r}")
        seen.add(g.id)
    for gi, g in enumerate(spec.groups):
        sums: dict[str, Decimal] = {}
        for area in spec.tree:
            if area.groups is None or g.id in area.groups:
                area_block: str = area.block or "content"
                sums[area_block] = sums.get(area_block, ZERO) + area.max
        for b, blk in meta.blocks.items():
            if sums.get(b, ZERO) != blk.max:
                col.add(
                    ("index", "blocks", b, "max"),
                    f"group {g.id!r}: areas of block {b!r} "
                    f"sum to {sums.get(b, ZERO)}, but the block's max is {blk.max}",
                )
        for used in sums:
            if used not in meta.blocks:
                col.add(("groups", gi), f"areas use block {used!r}, which index.blocks lacks")


# ---------------------------------------------------------------- compiling


def _assign_codes(views: Mapping[str, GroupView]) -> dict[int, str]:
    """An engine code per distinct leaf: its id, or id@groups when two leaves share an id."""
    by_id: dict[str, dict[int, list[str]]] = {}
    for gid, view in views.items():
        for lid, item in view.leaves.items():
            by_id.setdefault(lid, {}).setdefault(id(item.node), []).append(gid)
    codes: dict[int, str] = {}
    for lid, nodes in by_id.items():
        for key, gids in nodes.items():
            codes[key] = lid if len(nodes) == 1 else f"{lid}@{'+'.join(gids)}"
    return codes


def _with_codes(view: GroupView, codes: Mapping[int, str]) -> GroupView:
    import dataclasses

    items: dict[str, Item] = {}
    leaves: dict[str, Item] = {}

    def fix(item: Item) -> Item:
        kids = tuple(fix(c) for c in item.children)
        if item.is_leaf and item.node.rule is not None:
            h = handler(item.node.rule)
            branches = (*h.branches(item.node.rule, item.max), MISSING_BRANCH)
            ev = item.node.evidence
            new = dataclasses.replace(
                item,
                children=kids,
                code=codes[id(item.node)],
                handler=h,
                branches=branches,
                branch_map={b.id: b for b in branches},
                gated=bool(ev and ev.required),
            )
            leaves[new.id] = new
        else:
            new = dataclasses.replace(item, children=kids)
        items[new.id] = new
        return new

    areas = tuple(fix(a) for a in view.areas)
    return GroupView(view.group, areas, items, leaves)


def year_bounds(year: int) -> tuple[int, int]:
    """The engine's encoded first and last day of ``year``."""
    return (
        encode_bound(dt.date(year, 1, 1).toordinal()),
        encode_bound(dt.date(year, 12, 31).toordinal()),
    )


def _compile(
    name: str,
    meta: m.IndexMeta,
    views: Mapping[str, GroupView],
    adjustments: tuple[AdjustmentItem, ...],
    checks: tuple[CheckItem, ...],
    digest: str,
) -> RuleEngine:
    decisions: dict[str, tuple[Branch, ...]] = {}
    gates: set[str] = set()
    for view in views.values():
        for item in view.leaves.values():
            decisions[item.code] = item.branches
            if item.node.evidence and item.node.evidence.required:
                gates.add(item.code)
    for adj in adjustments:
        decisions[adj.code] = adj.branches
        if adj.spec.evidence and adj.spec.evidence.required:
            gates.add(adj.code)
    lo, hi = year_bounds(meta.year)
    specs = [
        CheckSpec(c.spec.id, "not_greater")
        if c.spec.kind == "not_greater"
        else CheckSpec(c.spec.id, "within", lo, hi)
        for c in checks
    ]
    rules = sum(len(b) for b in decisions.values()) + len(gates) + 2 * len(specs)
    if len(decisions) > MAX_SIBLINGS or rules > MAX_RULES:
        raise IndexDefinitionError(
            f"the index compiles to {len(decisions)} scored items and {rules} engine rules; "
            f"durable-rules allows {MAX_SIBLINGS} items and {MAX_RULES} rules: split the index",
            Location(name),
        )
    return RuleEngine(digest[:12], decisions, sorted(gates), specs)
