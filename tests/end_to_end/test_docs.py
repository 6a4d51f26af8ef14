"""Docs cannot drift: the README's commands run, every command and rule kind is documented."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import scoring
from scoring import Index
from scoring.cli import app
from scoring.index.kinds import HANDLERS
from tests.support.cli import run
from tests.support.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_quick_start_has_exactly_two_commands() -> None:
    """The Quick start block holds two commands: run the samples, run the tests."""
    m = re.search(r"^## Quick start\n.*?^```\w*\n(.*?)^```", README, re.M | re.S)
    assert m
    lines = [ln for ln in m.group(1).splitlines() if ln.strip() and not ln.startswith("#")]
    assert len(lines) == 2
    assert "parindex campaign run samples/2018" in lines[0]
    assert "pytest" in lines[1]


def _commands() -> list[tuple[str, Any]]:
    out = [(c.name or c.callback.__name__, c) for c in app.registered_commands if c.callback]
    for group in app.registered_groups:
        assert group.typer_instance is not None
        out += [
            (f"{group.name} {c.name or c.callback.__name__}", c)
            for c in group.typer_instance.registered_commands
            if c.callback
        ]
    return out


def test_every_cli_command_is_documented_with_an_example() -> None:
    """Each command and sub-command appears in the README, and its help has an example."""
    names = {name for name, _ in _commands()}
    assert {
        "check",
        "score",
        "explain",
        "campaign run",
        "publish",
        "verify",
        "audit verify",
        "compare",
        "export",
        "template",
        "survey import",
    } <= names
    for name, cmd in _commands():
        assert (
            f"parindex {name}" in README or f"parindex --db sqlite:////tmp/demo.db {name}" in README
        ), name
        assert f"Example: parindex {name}" in " ".join((cmd.callback.__doc__ or "").split()), name


def test_readme_console_examples_run(tmp_path: Path) -> None:
    """Every `$ parindex ...` line in the README exits 0 (store and outputs in a temp dir)."""
    lines = [ln[2:] for ln in README.splitlines() if ln.startswith("$ parindex ")]
    assert len(lines) >= 10
    for line in lines:
        line = line.replace("sqlite:////tmp/demo.db", "DB").replace("/tmp/", f"{tmp_path}/")
        line = line.replace("DB", f"sqlite:///{tmp_path}/demo.db")
        r = run(*shlex.split(line)[1:], cwd=ROOT)
        assert r.exit_code == 0, (line, r.output)


def test_every_rule_kind_has_a_handler_and_documentation() -> None:
    """Every kind in the registry is in the README's table and has a YAML example."""
    for kind in HANDLERS:
        assert f"| `{kind}` |" in README, kind
        assert f"kind: {kind}" in README, kind
        assert HANDLERS[kind].doc


def test_criteria_uses_every_rule_kind_in_every_group(real_index: Index) -> None:
    """criteria.yaml uses all twelve kinds, each in both groups; packs use only known kinds."""
    index = real_index
    for view in index.groups.values():
        used = {item.node.rule.kind for item in view.leaves.values() if item.node.rule}
        assert used == set(HANDLERS), set(HANDLERS) - used
        assert len(view.leaves) >= 60
    assert {a.spec.rule.kind for a in index.adjustments} <= set(HANDLERS)
    assert {a.sign for a in index.adjustments} == {1, -1}
    scopes = {a.spec.scope for a in index.adjustments}
    assert "total" in scopes and len(scopes) >= 3
    assert index.checks


def test_public_api_is_sorted_and_importable() -> None:
    """scoring.__all__ is sorted and every name in it exists."""
    assert scoring.__all__ == sorted(scoring.__all__)
    for name in scoring.__all__:
        assert hasattr(scoring, name), name


def test_every_leaf_of_the_sample_index_is_documented(real_index: Index) -> None:
    """Each leaf has Vietnamese and English titles and scoring text; most require evidence."""
    index = real_index
    for view in index.groups.values():
        for item in view.leaves.values():
            n = item.node
            assert n.title_vi and n.title_en and n.scoring_vi and n.scoring_en, n.id
        self_assessed = [i for i in view.leaves.values() if i.node.assessed_by == "self"]
        with_evidence = [i for i in self_assessed if i.node.evidence and i.node.evidence.required]
        assert len(with_evidence) > len(self_assessed) / 2
    assert index.warnings and "not the official annex" in index.warnings[0]
