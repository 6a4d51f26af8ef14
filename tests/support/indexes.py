"""Compiled indices and prepared units for the tests, each index compiled once per session.

``real()`` is the repository's ``criteria.yaml`` + ``rules/``, ``mini()`` the mini campaign's
(``tests/data/mini``): both come from :func:`compiled`, cached per (criteria, rules) pair, which
is what the session fixtures ``real_index`` and ``mini_index`` return, and what module-level
tables and Hypothesis strategies (which cannot take fixtures) call directly. A compiled index is
immutable, so every test can share it. ``index_from_text`` compiles a small index written inline
in a test; ``ready`` prepares a unit from plain answer dicts.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from typing import Any

from scoring import Index, Ready, load_index, prepare
from scoring.campaign.submission import Answer, Submission, UnitSpec
from scoring.sources.yamlsrc import Source
from tests.support.paths import MINI, ROOT


@functools.cache
def compiled(criteria: Path, rules: Path | None) -> Index:
    """The index compiled from the repository's own files, once per session per pair.

    Only for files no test writes to (the cache would hide a change): a copy in ``tmp_path`` is
    compiled with ``load_index`` itself."""
    assert criteria.resolve().is_relative_to(ROOT), f"not a file of the repository: {criteria}"
    return load_index(criteria, rules)


def real() -> Index:
    """The index of record: the repository's ``criteria.yaml`` and ``rules/``."""
    return compiled(ROOT / "criteria.yaml", ROOT / "rules")


def mini() -> Index:
    """The mini campaign's small index (``tests/data/mini``)."""
    return compiled(MINI / "criteria.yaml", MINI / "rules")


# the mini index with its leaf 1.2 naming its rule's input in its own words (``inputs:``)
OWN_WORDS = (
    (MINI / "criteria.yaml")
    .read_text(encoding="utf-8")
    .replace(
        "        rule: {kind: deadline, due: 2018-01-31,",
        "        inputs:\n"
        "          done_on:\n"
        "            {label_vi: Ngày ban hành kế hoạch, label_en: Date the plan was issued}\n"
        "        rule: {kind: deadline, due: 2018-01-31,",
        1,
    )
)


def index_from_text(criteria: str, pack: str | None = None) -> Index:
    """Compile an index from YAML text (written to a temporary folder)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "criteria.yaml").write_text(criteria, encoding="utf-8")
        rules = None
        if pack is not None:
            rules = folder / "rules"
            rules.mkdir()
            (rules / "pack.yaml").write_text(pack, encoding="utf-8")
        return load_index(folder / "criteria.yaml", rules)


def ready(
    index: Index,
    group: str,
    answers: dict[str, Any],
    adjustments: dict[str, Any] | None = None,
    tags: list[str] | None = None,
    uid: str = "u",
) -> Ready:
    """A prepared unit from plain answer dicts (survey and council answers included)."""
    sub = Submission(UnitSpec(id=uid, name=f"Unit {uid}", group=group, tags=tags or []))
    src = Source("<test>")
    for key, ans in answers.items():
        sub.answers[key] = Answer.model_validate(ans)
        sub.where[("answer", key)] = (src, ("answers", key), {})
        origin = (
            index.groups[group].leaves[key].node.assessed_by
            if key in index.groups[group].leaves
            else "self"
        )
        if origin != "self":
            sub.where[("source", key)] = (src, (origin,), {})
    for key, ans in (adjustments or {}).items():
        sub.adjustments[key] = Answer.model_validate(ans)
        sub.where[("adjustment", key)] = (src, ("adjustments", key), {})
    return prepare(index, sub)
