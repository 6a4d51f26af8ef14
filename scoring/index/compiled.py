"""The compiled index's records, and the collector of definition problems.

``loader`` builds these from ``criteria.yaml``; ``packs`` adds the rule packs' bonuses,
penalties and checks. Everything here is immutable once built.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from scoring.errors import IndexDefinitionError, Location, ParindexError
from scoring.index import model as m
from scoring.index.engine import RuleEngine
from scoring.index.kinds import Branch, Handler, Input, handler
from scoring.sources.located import trail_for
from scoring.sources.numbers import fmt, has_places
from scoring.sources.yamlsrc import Source

DataPath = tuple[str | int, ...]


@dataclass(frozen=True, eq=False)
class Item:
    """A node of one group's tree, with everything scoring needs resolved."""

    node: m.Node
    path: DataPath  # where it is in criteria.yaml
    parent: str | None
    children: tuple[Item, ...]
    block: str  # content | survey (inherited from its area)
    exemptions: Mapping[str, str]  # tag -> N/A strategy of the node (or ancestor) exempting it
    na_strategy: str  # for the unit's own `na: true` answer
    code: str = ""  # engine code, leaves only
    handler: Handler[Any] | None = None
    branches: tuple[Branch, ...] = ()
    branch_map: Mapping[str, Branch] = field(default_factory=dict)
    gated: bool = False  # evidence required: no evidence reference -> 0 points

    @functools.cached_property
    def id(self) -> str:
        """The node's id (e.g. ``"1.1"``)."""
        return self.node.id

    @functools.cached_property
    def max(self) -> Decimal:
        """The node's maximum points."""
        return self.node.max

    @functools.cached_property
    def max_text(self) -> str:
        """``max`` as trace text (formatted once, read in every leaf step of every unit)."""
        return fmt(self.node.max)

    @property
    def is_leaf(self) -> bool:
        """Whether the node is scored by a rule (has no children)."""
        return not self.children

    def walk(self) -> Iterator[Item]:
        """This node and all below it, depth first."""
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass(frozen=True, eq=False)
class GroupView:
    """The tree as one group of units sees it."""

    group: m.Group
    areas: tuple[Item, ...]
    items: Mapping[str, Item]
    leaves: Mapping[str, Item]


@dataclass(frozen=True, eq=False)
class AdjustmentItem:
    """A bonus or penalty of a rule pack, compiled."""

    spec: m.Adjustment
    sign: int  # +1 bonus, -1 penalty
    code: str
    groups: frozenset[str]
    handler: Handler[Any]
    branches: tuple[Branch, ...]
    pack: str


@dataclass(frozen=True, eq=False)
class CheckItem:
    """A consistency check with its references resolved per group: (leaf, field) pairs."""

    spec: m.Check
    pairs: Mapping[str, tuple[tuple[tuple[str, str], tuple[str, str] | None], ...]]
    pack: str


@dataclass(frozen=True, eq=False)
class Index:
    """The compiled index: immutable, checked, with its content hash and rule engine."""

    meta: m.IndexMeta
    groups: Mapping[str, GroupView]
    adjustments: tuple[AdjustmentItem, ...]
    checks: tuple[CheckItem, ...]
    content_hash: str
    engine: RuleEngine
    files: tuple[str, ...]
    rule_count: int = 0
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def id(self) -> str:
        """The index's id (``index.id`` of ``criteria.yaml``)."""
        return self.meta.id

    def input_spec(self, node: str, name: str, group: str | None = None) -> Input | None:
        """Input ``name`` of leaf ``node`` in the leaf's own words where it gives them, else its
        rule kind's: the leaf of ``group``'s tree (a department's 1.3.1 is not a district's),
        else of the first group that has it; None when no such leaf reads such an input."""
        views = list(self.groups.values())
        if group is not None and group in self.groups:
            views = [self.groups[group]]
        for view in views:
            item = view.leaves.get(node)
            if item is not None:
                return item.node.input_spec(name)
        return None

    def level_label(self, node: str, name: str, value: object, lang: str = "vi") -> str | None:
        """The label of a level a choice input ``name`` of ``node`` (a leaf or a rule pack's
        bonus or penalty) takes: ``dung-tien-do`` → ``Đúng tiến độ`` (``On schedule`` in
        English); None when the input has no such level (not a choice, or an unknown value)."""
        rules: list[tuple[Handler[Any], Any]] = []
        for view in self.groups.values():
            item = view.leaves.get(node)
            if item is not None and item.handler is not None and item.node.rule is not None:
                rules.append((item.handler, item.node.rule))
                break  # a node's rule is the same in every group that has it
        rules += [(a.handler, a.spec.rule) for a in self.adjustments if a.spec.id == node]
        for h, rule in rules:
            for choice in h.choices(rule, name):
                if choice.value == value:
                    return choice.label_en if lang == "en" else choice.label_vi
        return None


class Collector:
    """The definition problems found while compiling one file, each located in it; all are
    reported together rather than stopping at the first."""

    def __init__(self, data: Any, source: Source) -> None:
        self.data, self.source = data, source
        self.errors: list[ParindexError] = []

    def add(self, path: DataPath, message: str, suggestion: str | None = None) -> None:
        """Record a problem at ``path`` of the file's data."""
        loc: Location = self.source.locate(path, trail_for(self.data, path))
        self.errors.append(IndexDefinitionError(message, loc, suggestion))


RESERVED_IDS = {"total", "bonus-cap", "penalty-cap"}  # ids the trace uses for its own steps
RESERVED_BRANCHES = {"missing", "evidence_gate", "ok", "violated"}
MAX_BRANCHES = 60  # durable's DFS stack holds 64 simultaneously true tests of one fact


def check_rule(rule: Any, top: Decimal, path: DataPath, col: Collector) -> None:
    """Collect a rule's definition problems (its kind's checks, then its branches)."""
    h = handler(rule)
    before = len(col.errors)
    for sub, problem in h.check(rule, top):
        col.add((*path, *sub), problem)
    if len(col.errors) > before:
        return
    branches = h.branches(rule, top)
    if len(branches) > MAX_BRANCHES:
        col.add(path, f"{len(branches)} bands or levels; the engine allows {MAX_BRANCHES} per item")
    for b in branches:
        if b.id in RESERVED_BRANCHES:
            col.add(
                (*path, *h.branch_path(rule, b.id)),
                f"level {b.id!r} is a reserved name; choose another",
            )


def amount(value: Decimal, path: DataPath, col: Collector, what: str) -> None:
    """Collect a problem unless ``value`` is a points amount: >= 0 with at most 3 decimals."""
    if value < 0 or not has_places(value):
        col.add(path, f"{what} must be >= 0 with at most 3 decimals, got {value}")
