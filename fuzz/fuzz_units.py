"""Fuzz a campaign's text inputs: unit files (YAML and JSON), survey, campaign, round files.

The first byte picks what the rest is (modulo 6): a unit's YAML or JSON file, read and prepared
against the 2018 index (the consistency packs run through the engine); a survey file merged with
the 2018 units; a ``campaign.yaml`` read with ``load_campaign`` beside the 2018 unit files; an
appraisal round or an explanations file. Seeds: the files of ``samples/2018``.

    .venv/bin/python fuzz/fuzz_units.py fuzz/corpus/units -max_total_time=600 -timeout=20
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import atheris
from common import ROOT, located, main

with atheris.instrument_imports(include=["scoring", "yaml"]):
    from scoring import load_index, prepare
    from scoring.campaign.appraisal_files import parse_appraisals, parse_explanations
    from scoring.campaign.folder import (
        assemble_campaign,
        load_campaign,
        parse_unit_file,
        read_unit_text,
    )
    from scoring.campaign.submission import Submission, UnitSpec
    from scoring.sources.jsonsrc import json_to_yaml
    from scoring.sources.yamlsrc import load_yaml_file, read_text

SAMPLES = ROOT / "samples" / "2018"
MODES = ["unit.yaml", "unit.json", "survey.yaml", "campaign.yaml", "appraisal.yaml", "expl.yaml"]
INDEX = load_index(ROOT / "criteria.yaml", ROOT / "rules")
CAMPAIGN = load_campaign(SAMPLES)
SPEC_DATA, SPEC_SOURCE = load_yaml_file(SAMPLES / "campaign.yaml")
UNIT_TEXTS = {
    u.id: (str(SAMPLES / "units" / f"{u.id}.yaml"), read_text(SAMPLES / "units" / f"{u.id}.yaml"))
    for u in CAMPAIGN.spec.units
}
SPECS = {u.id: u for u in CAMPAIGN.spec.units}
WORK = Path(tempfile.mkdtemp(prefix="parindex-fuzz-units-"))
INPUTS = WORK / "inputs"  # never a link: the inputs are written there
INPUTS.mkdir()
(WORK / "units").symlink_to(SAMPLES / "units")  # only read
for name in ("survey.yaml", "council.yaml"):
    shutil.copy(SAMPLES / name, WORK / name)


def _unit(path: Path, as_json: bool) -> None:
    text = read_text(path)
    if as_json:
        text = json_to_yaml(text, str(path))
    uf = parse_unit_file(text, str(path))[0]
    spec = SPECS.get(uf.unit) or UnitSpec(id=uf.unit, name=uf.unit, group="department")
    sub = Submission(spec)
    read_unit_text(text, str(path), sub)
    prepare(INDEX, sub)


def _survey(path: Path) -> None:
    camp = assemble_campaign(
        CAMPAIGN.spec,
        SPEC_SOURCE,
        SPEC_DATA,
        SAMPLES,
        UNIT_TEXTS,
        {"survey": (str(path), read_text(path))},
    )
    for sub in list(camp.submissions.values())[:4]:
        located(prepare, INDEX, sub)


def test_one_input(data: bytes) -> None:
    if not data:
        return
    mode = MODES[data[0] % len(MODES)]
    path = WORK / "campaign.yaml" if mode == "campaign.yaml" else INPUTS / mode
    path.write_bytes(data[1:])
    if mode.startswith("unit."):
        located(_unit, path, mode.endswith(".json"))
    elif mode == "survey.yaml":
        located(_survey, path)
    elif mode == "campaign.yaml":
        located(load_campaign, WORK)
    elif mode == "appraisal.yaml":
        located(lambda: parse_appraisals(read_text(path), str(path)))
    else:
        located(lambda: parse_explanations(read_text(path), str(path)))


def seeds() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    units = sorted((SAMPLES / "units").glob("*.yaml"))
    for i, p in enumerate(units[:6]):
        out[f"unit-{i}.yaml"] = bytes([0]) + p.read_bytes()
        data, _ = load_yaml_file(p)
        out[f"unit-{i}.json"] = (
            bytes([1]) + json.dumps(data, default=str, ensure_ascii=False).encode()
        )
    for i, name in enumerate(MODES[2:], start=2):
        src = {"survey.yaml": "survey.yaml", "campaign.yaml": "campaign.yaml"}.get(name)
        files = (
            [src]
            if src
            else (["appraisal-1.yaml", "appraisal-2.yaml"] if i == 4 else ["explanations.yaml"])
        )
        for f in files:
            out[f"{i}-{f}"] = bytes([i]) + (SAMPLES / f).read_bytes()
    return out


if __name__ == "__main__":
    main(test_one_input, seeds)
    sys.exit(0)
