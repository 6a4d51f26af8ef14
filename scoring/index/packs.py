"""Rule packs (``rules/*.yaml``): bonuses, penalties and consistency checks, checked against
the index's groups and compiled into records the engine and the scorer use."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from scoring.errors import ErrorList, IndexDefinitionError, Location, ParindexError, suggest
from scoring.index import model as m
from scoring.index.compiled import (
    AdjustmentItem,
    CheckItem,
    Collector,
    DataPath,
    GroupView,
    amount,
    check_rule,
)
from scoring.index.kinds import HANDLERS, handler
from scoring.sources.located import validate
from scoring.sources.yamlsrc import is_dir, load_yaml


def pack_files(rules_dir: Path | None) -> list[Path]:
    """The YAML rule packs of a folder, in name order (none without a folder)."""
    if rules_dir is None:
        return []
    if not is_dir(rules_dir):
        raise IndexDefinitionError("rule pack folder not found", Location(str(rules_dir)))
    return sorted(p for p in rules_dir.iterdir() if p.suffix in (".yaml", ".yml"))


PackResult = tuple[str, m.RulePack, tuple[list[AdjustmentItem], list[CheckItem]]]


def load_packs(
    rules: Mapping[str, str], views: Mapping[str, GroupView], group_ids: list[str]
) -> list[PackResult]:
    """Read and check every rule pack (by name -> text) against the compiled groups: its
    adjustments and consistency checks, with every problem of every pack collected."""
    out: list[PackResult] = []
    errors: list[ParindexError] = []
    seen_packs: set[str] = set()
    seen_ids: set[str] = set()
    for name in sorted(rules):
        try:
            data, source = load_yaml(rules[name], name)
        except ParindexError as exc:
            errors.append(exc)
            continue
        if not isinstance(data, dict):
            errors.append(
                IndexDefinitionError(
                    "expected a mapping with pack and checks, bonuses or penalties",
                    Location(name, 1, 1),
                )
            )
            continue
        try:
            pack: m.RulePack = validate(m.RulePack, data, source, IndexDefinitionError)
        except ParindexError as exc:
            errors.extend(exc.errors if isinstance(exc, ErrorList) else [exc])
            continue
        col = Collector(data, source)
        if pack.pack in seen_packs:
            col.add(("pack",), f"pack {pack.pack!r} is defined twice")
        seen_packs.add(pack.pack)
        adjustments: list[AdjustmentItem] = []
        for key, sign in (("bonuses", 1), ("penalties", -1)):
            for i, adj in enumerate(getattr(pack, key)):
                item = _adjustment(adj, sign, (key, i), views, group_ids, col, seen_ids, pack.pack)
                if item is not None:
                    adjustments.append(item)
        checks = [
            c
            for i, chk in enumerate(pack.checks)
            if (c := _check(chk, ("checks", i), views, col, seen_ids, pack.pack))
        ]
        errors.extend(col.errors)
        out.append((pack.pack, pack, (adjustments, checks)))
    if errors:
        raise ErrorList.of(errors)
    return out


def _adjustment(
    adj: m.Adjustment,
    sign: int,
    path: DataPath,
    views: Mapping[str, GroupView],
    group_ids: list[str],
    col: Collector,
    seen: set[str],
    pack: str,
) -> AdjustmentItem | None:
    if adj.id in seen:
        col.add((*path, "id"), f"duplicate id {adj.id!r} in the rule packs")
    seen.add(adj.id)
    groups = adj.groups if adj.groups is not None else group_ids
    for i, g in enumerate(groups):
        if g not in views:
            col.add((*path, "groups", i), f"unknown group {g!r}", suggest(g, views))
    if adj.scope != "total":
        for g in groups:
            if g in views and adj.scope not in views[g].items:
                col.add(
                    (*path, "scope"),
                    f"scope {adj.scope!r} is not a node of group {g!r}",
                    suggest(adj.scope, views[g].items),
                )
    if not handler(adj.rule).adjustable:
        usable = sorted(k for k, h in HANDLERS.items() if h.adjustable)
        col.add(
            (*path, "rule", "kind"),
            f"{adj.rule.kind} cannot score a bonus or penalty; use one of {', '.join(usable)}",
        )
        return None
    before = len(col.errors)
    amount(adj.max, (*path, "max"), col, "max")
    if len(col.errors) > before:
        return None
    check_rule(adj.rule, adj.max, (*path, "rule"), col)
    h = handler(adj.rule)
    prefix = "bonus" if sign > 0 else "penalty"
    return AdjustmentItem(
        adj,
        sign,
        f"{prefix}:{adj.id}",
        frozenset(groups),
        h,
        tuple(h.branches(adj.rule, adj.max)),
        pack,
    )


def _resolve(
    ref: str | None, name: str, path: DataPath, views: Mapping[str, GroupView], col: Collector
) -> dict[str, list[tuple[str, str]]]:
    """``LEAF.input`` or ``*.input`` -> per group, the (leaf, input) pairs it names."""
    if not ref or "." not in ref:
        col.add((*path, name), f"expected a reference LEAF.input or *.input, got {ref!r}")
        return {}
    leaf, _, inp = ref.rpartition(".")
    out: dict[str, list[tuple[str, str]]] = {}
    for gid, view in views.items():
        for lid, item in view.leaves.items():
            assert item.node.rule is not None
            if (leaf == "*" or leaf == lid) and inp in handler(item.node.rule).inputs:
                out.setdefault(gid, []).append((lid, inp))
    if not out:
        if leaf != "*" and not any(leaf in v.leaves for v in views.values()):
            every = {lid for v in views.values() for lid in v.leaves}
            col.add((*path, name), f"no leaf {leaf!r}", suggest(leaf, every))
        else:
            col.add(
                (*path, name), f"no leaf {'' if leaf == '*' else leaf + ' '}reads an input {inp!r}"
            )
    return out


def _check(
    chk: m.Check,
    path: DataPath,
    views: Mapping[str, GroupView],
    col: Collector,
    seen: set[str],
    pack: str,
) -> CheckItem | None:
    if chk.id in seen:
        col.add((*path, "id"), f"duplicate id {chk.id!r} in the rule packs")
    seen.add(chk.id)
    pairs: dict[str, list[tuple[tuple[str, str], tuple[str, str] | None]]] = {}
    if chk.kind == "date_in_year":
        for gid, refs in _resolve(chk.field, "field", path, views, col).items():
            for lid, inp in refs:
                rule = views[gid].leaves[lid].node.rule
                assert rule is not None
                if handler(rule).inputs[inp].type != "date":
                    col.add((*path, "field"), f"{lid}.{inp} is not a date")
            pairs[gid] = [(r, None) for r in refs]
        return CheckItem(chk, {g: tuple(p) for g, p in pairs.items()}, pack)
    left = _resolve(chk.left, "left", path, views, col)
    right = _resolve(chk.right, "right", path, views, col)
    for side, named in (("left", left), ("right", right)):
        for gid, found in named.items():
            for lid, inp in found:
                rule = views[gid].leaves[lid].node.rule
                assert rule is not None
                if handler(rule).inputs[inp].type not in ("whole", "number"):
                    col.add(
                        (*path, side), f"{lid}.{inp} is not a number: not_greater compares numbers"
                    )
                    return None
    wild = [(chk.left or "").startswith("*."), (chk.right or "").startswith("*.")]
    if wild[0] != wild[1]:
        col.add(path, "left and right must both use * or both name leaves")
        return None
    for gid in set(left) | set(right):
        ls, rs = left.get(gid, []), dict(right.get(gid, []))
        for lid, inp in ls:
            if wild[0]:
                if lid in rs:
                    pairs.setdefault(gid, []).append(((lid, inp), (lid, rs[lid])))
            else:
                for rid, rinp in right.get(gid, []):
                    pairs.setdefault(gid, []).append(((lid, inp), (rid, rinp)))
    return CheckItem(chk, {g: tuple(p) for g, p in pairs.items()}, pack)
