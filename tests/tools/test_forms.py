"""tools/samplegen/forms.py: generated raw forms count back to the survey they were made from."""

from __future__ import annotations

from pathlib import Path

from scoring import load_campaign, load_index, score_campaign, score_document
from scoring.campaign.survey_design import check_design, read_design
from scoring.campaign.survey_forms import read_forms
from scoring.campaign.survey_tally import tally
from scoring.index.loader import Index
from scoring.sources.yamlsrc import load_yaml
from tests.support.forms import edit
from tests.support.paths import MINI
from tools.samplegen.forms import design_yaml, forms_csv, forms_from_survey, write_forms_csv

SURVEY = load_yaml((MINI / "survey.yaml").read_text(encoding="utf-8"))[0]["units"]
UNITS = {"a": "department", "b": "department", "c": "department"}


def _generated(seed: int = 0) -> tuple[str, str]:
    design, rows = forms_from_survey(SURVEY, year=2018, seed=seed, minimum=3)
    return design_yaml(design), forms_csv(rows, list(design["questions"]))


def test_generated_forms_count_back_to_the_survey(mini_index: Index) -> None:
    """Counting the generated forms gives each unit's responses of survey.yaml exactly (the
    options it does not name counted 0), and the design fits the index."""
    design_text, csv_text = _generated()
    design, source, data = read_design(design_text, "design.yaml")
    check_design(mini_index, design, source, data)
    forms, files = read_forms([("forms.csv", csv_text.encode())], design, UNITS)
    counted = tally(design, forms, UNITS, files).answers()
    for uid, answers in SURVEY.items():
        want = answers["S.1"]["responses"]
        got = counted[uid]["S.1"]["responses"]
        assert {k: v for k, v in got.items() if v or k in want} == dict(want)
    assert files[0].rows == 20 + 0 + 5  # a's 20 answers, b none, c's 5


def test_generation_is_deterministic_and_seeded() -> None:
    """The same seed gives the same bytes; another seed other forms with the same counts."""
    assert _generated(1) == _generated(1)
    assert _generated(1)[1] != _generated(2)[1]


def test_a_campaign_scores_the_same_from_generated_forms(tmp_path: Path) -> None:
    """The mini campaign scores the same from its survey.yaml and from forms generated from it."""
    import shutil

    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    index = load_index(folder / "criteria.yaml", folder / "rules")
    before = score_document(score_campaign(index, load_campaign(folder)))
    design, rows = forms_from_survey(SURVEY, year=2018, minimum=3)
    (folder / "survey-design.yaml").write_text(design_yaml(design), encoding="utf-8")
    write_forms_csv(folder / "forms.csv", rows, list(design["questions"]))
    for counts in ("{A: 10, B: 10}", "{A: 0, B: 0}", "{C: 4, D: 1}"):
        edit(folder / "survey.yaml", f"S.1: {{responses: {counts}}}, ", "")
    edit(
        folder / "campaign.yaml",
        "survey: survey.yaml\n",
        "survey: survey.yaml\nsurvey_forms: {design: survey-design.yaml, files: [forms.csv]}\n",
    )
    after = score_document(score_campaign(index, load_campaign(folder)))
    assert [u["index_exact"] for g in after["groups"] for u in g["units"]] == [
        u["index_exact"] for g in before["groups"] for u in g["units"]
    ]
