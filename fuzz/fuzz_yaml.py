"""Fuzz the index: ``criteria.yaml`` and its rule packs through ``scoring.load_index``.

An input is the bytes of criteria.yaml, then each rule pack after a line ``#@pack``. They are
written to files (so ``read_text``'s UTF-8 check runs too) and loaded, checked and compiled.
Seeds: the repository's criteria.yaml with rules/, the test mini index with its pack.

    .venv/bin/python fuzz/fuzz_yaml.py fuzz/corpus/yaml -max_total_time=600 -timeout=20
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import atheris
from common import ROOT, located, main

with atheris.instrument_imports(include=["scoring", "yaml"]):
    from scoring import load_index

SEP = b"\n#@pack\n"
WORK = Path(tempfile.mkdtemp(prefix="parindex-fuzz-yaml-"))


def test_one_input(data: bytes) -> None:
    criteria, *packs = data.split(SEP)
    (WORK / "criteria.yaml").write_bytes(criteria)
    rules = WORK / "rules"
    shutil.rmtree(rules, ignore_errors=True)
    rules.mkdir()
    for i, pack in enumerate(packs):
        (rules / f"p{i}.yaml").write_bytes(pack)
    located(load_index, WORK / "criteria.yaml", rules if packs else None)


def seeds() -> dict[str, bytes]:
    out = {}
    for name, folder in (("real", ROOT), ("mini", ROOT / "tests" / "data" / "mini")):
        criteria = (folder / "criteria.yaml").read_bytes()
        packs = [p.read_bytes() for p in sorted((folder / "rules").glob("*.yaml"))]
        out[f"{name}-with-packs"] = SEP.join([criteria, *packs])
        out[f"{name}-alone"] = criteria
    return out


if __name__ == "__main__":
    main(test_one_input, seeds)
    sys.exit(0)
