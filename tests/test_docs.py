"""Docs cannot drift: the README's commands run, every command and rule kind is documented."""

from __future__ import annotations

import re
import shlex

import scoring
from scoring import load_index
from scoring.cli import app
from scoring.kinds import HANDLERS
from tests.conftest import ROOT
from tests.test_cli import run

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_quick_start_has_exactly_two_commands() -> None:
    """The Quick start block holds two commands: run the samples, run the tests."""
    m = re.search(r"^## Quick start\n.*?^```\w*\n(.*?)^```", README, re.M | re.S)
    assert m
    lines = [ln for ln in m.group(1).splitlines() if ln.strip() and not ln.startswith("#")]
    assert len(lines) == 2
    assert "parindex score samples/2018" in lines[0]
    assert "pytest" in lines[1]


def test_every_cli_command_is_documented_with_an_example() -> None:
    """Each command appears in the README and its help carries an example."""
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    assert set(names) == {"check", "score", "explain"}
    for cmd in app.registered_commands:
        name = cmd.name or (cmd.callback.__name__ if cmd.callback else "")
        assert f"parindex {name}" in README
        assert cmd.callback is not None and "Example: parindex " in (cmd.callback.__doc__ or "")


def test_readme_console_examples_run() -> None:
    """Every `$ parindex ...` line in the README exits 0 from the repository root."""
    lines = [ln[2:] for ln in README.splitlines() if ln.startswith("$ parindex ")]
    assert len(lines) >= 5
    for line in lines:
        args = shlex.split(line)[1:]
        r = run(*args, cwd=ROOT)
        assert r.exit_code == 0, (line, r.output)


def test_every_rule_kind_has_a_handler_and_documentation() -> None:
    """Every kind in the registry is in the README's table and has a YAML example."""
    for kind in HANDLERS:
        assert f"| `{kind}` |" in README, kind
        assert f"kind: {kind}" in README, kind
        assert HANDLERS[kind].doc


def test_criteria_uses_every_rule_kind_in_every_group() -> None:
    """criteria.yaml uses all twelve kinds, each in both groups; packs use only known kinds."""
    index = load_index(ROOT / "criteria.yaml", ROOT / "rules")
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


def test_every_leaf_of_the_sample_index_is_documented() -> None:
    """Each leaf has Vietnamese and English titles and scoring text; most require evidence."""
    index = load_index(ROOT / "criteria.yaml", ROOT / "rules")
    for view in index.groups.values():
        for item in view.leaves.values():
            n = item.node
            assert n.title_vi and n.title_en and n.scoring_vi and n.scoring_en, n.id
        self_assessed = [i for i in view.leaves.values() if i.node.assessed_by == "self"]
        with_evidence = [i for i in self_assessed if i.node.evidence and i.node.evidence.required]
        assert len(with_evidence) > len(self_assessed) / 2
    assert index.warnings and "not the official annex" in index.warnings[0]
