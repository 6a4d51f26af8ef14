"""tools/make_samples.py: the sample campaigns are data plus a program that reproduces them."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from scoring.errors import ParindexError
from tools.samplegen.data import CASES, Data, load
from tools.samplegen.writing import generate

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
YEARS = ("2018", "2019", "2025")


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, by its path relative to it."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def differing(got: Path, want: Path) -> list[str]:
    """The files of ``want`` whose bytes ``got`` does not reproduce (missing ones included),
    then the files ``got`` has and ``want`` has not."""
    new, old = files(got), files(want)
    return [n for n in old if new.get(n) != old[n]] + sorted(set(new) - set(old))


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both years written by the script as a user runs it, into a temporary folder."""
    out = tmp_path_factory.mktemp("samples")
    script = ROOT / "tools" / "make_samples.py"
    subprocess.run([sys.executable, str(script), "--out", str(out)], check=True, cwd=ROOT)
    return out


@pytest.mark.parametrize("year", YEARS)
def test_regenerating_reproduces_the_samples_byte_for_byte(regenerated: Path, year: str) -> None:
    """Every file of samples/<year> is written again with the same bytes, and no other file."""
    assert files(SAMPLES / year), f"samples/{year} is empty"
    assert differing(regenerated / year, SAMPLES / year) == []


def test_a_changed_case_or_sentence_changes_the_files_that_hold_it(tmp_path: Path) -> None:
    """A new round-1 target for one unit changes appraisal round 1 (and the survey, which
    calibration moves to keep the published figure), a new council reason changes
    council.yaml, and the self-assessments stay as they were: the byte comparison above sees
    a change in the data."""
    data = load()
    y2018 = data.cases.years[0]
    assert y2018.year == 2018 and y2018.round_1_targets["so-tai-chinh"] == 2
    year = y2018.model_copy(update={"round_1_targets": {"so-tai-chinh": Decimal(3)}})
    reasons = {**data.prose.council_reasons}
    reasons["1.2.5"] = {**reasons["1.2.5"], "1": "Báo cáo đạt yêu cầu."}
    changed = Data(
        data.cases.model_copy(update={"years": [year]}),
        data.prose.model_copy(update={"council_reasons": reasons}),
    )
    generate(tmp_path, changed)
    assert not (tmp_path / "2019").exists()
    differ = differing(tmp_path / "2018", SAMPLES / "2018")
    assert "appraisal-1.yaml" in differ and "council.yaml" in differ and "survey.yaml" in differ
    assert not [name for name in differ if name.startswith("units/")]


def test_a_case_naming_an_unknown_unit_is_refused_when_loaded(tmp_path: Path) -> None:
    """A unit id mistyped in cases.yaml stops the generator before it draws anything."""
    text = CASES.read_text(encoding="utf-8")
    typo = text.replace(
        "ties: {so-khoa-hoc-va-cong-nghe: so-giao-thong-van-tai,",
        "ties: {so-khoa-hoc-va-cong-nghe: so-giao-thong-van-taii,",
    )
    assert typo != text
    (tmp_path / "cases.yaml").write_text(typo, encoding="utf-8")
    with pytest.raises(ParindexError, match="so-giao-thong-van-taii"):
        load(cases=tmp_path / "cases.yaml")
