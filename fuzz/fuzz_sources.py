"""Fuzz the survey and council door: ``check_source``, then ``merged`` into the stored results.

The first byte picks the kind (even: survey, odd: council) and, by its second bit, whether the
file replaces the stored results or merges into them; the rest is the file. It is checked whole
against the 2018 index and units, as ``parindex survey import`` does. A file that passes is
merged into the 2018 sample results of its kind, and the merged text must pass the same check
again with every unit the file does not name keeping its answers exactly (an ``AssertionError``
is a crash). Seeds: ``samples/2018/survey.yaml`` and ``council.yaml``, whole and cut to a few
units.

    .venv/bin/python fuzz/fuzz_sources.py fuzz/corpus/sources -max_total_time=600 -timeout=20
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris
from common import ROOT, located, main

with atheris.instrument_imports(include=["scoring", "yaml"]):
    from scoring import load_index
    from scoring.campaign.folder import read_campaign_file
    from scoring.campaign.surveys import check_source, merged, stored_units
    from scoring.errors import ParindexError
    from scoring.sources.yamlsrc import dump_yaml, read_text

SAMPLES = ROOT / "samples" / "2018"
INDEX = load_index(ROOT / "criteria.yaml", ROOT / "rules")
UNITS = {u.id: u for u in read_campaign_file(SAMPLES).units}
STORED = {kind: read_text(SAMPLES / f"{kind}.yaml") for kind in ("survey", "council")}
WORK = Path(tempfile.mkdtemp(prefix="parindex-fuzz-sources-"))


def _door(path: Path, kind: str, replace: bool) -> None:
    text = read_text(path)  # the UTF-8 and size checks the CLI runs first
    named = check_source(INDEX, kind, text, str(path), UNITS)
    before = stored_units(STORED[kind])
    after_text = merged(STORED[kind], text, named, replace)
    try:
        again = check_source(INDEX, kind, after_text, "merged", UNITS)
    except ParindexError as exc:
        raise AssertionError(f"the merged {kind} results no longer pass: {exc}") from exc
    for uid, answers in before.items():
        if uid not in named and not replace:
            assert again[uid] == answers, f"unit {uid}: {kind} results changed by another's file"
    for uid, answers in named.items():
        assert again[uid] == answers, f"unit {uid}: its new {kind} results were not stored"


def test_one_input(data: bytes) -> None:
    if not data:
        return
    kind = "council" if data[0] & 1 else "survey"
    path = WORK / f"{kind}.yaml"
    path.write_bytes(data[1:])
    located(_door, path, kind, bool(data[0] & 2))


def seeds() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for bit, kind in enumerate(("survey", "council")):
        units = stored_units(STORED[kind])
        few = {uid: units[uid] for uid in list(units)[:3]}
        out[f"{kind}-whole.yaml"] = bytes([bit]) + STORED[kind].encode()
        out[f"{kind}-few.yaml"] = bytes([bit]) + dump_yaml({"units": few}).encode()
        out[f"{kind}-few-replace.yaml"] = bytes([bit | 2]) + dump_yaml({"units": few}).encode()
    return out


if __name__ == "__main__":
    main(test_one_input, seeds)
    sys.exit(0)
