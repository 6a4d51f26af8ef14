"""tools/samplegen/year2025.py: the 2025 campaign's register of units, checked when loaded and
written beside campaign.yaml or into it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from scoring.errors import ParindexError
from tools.samplegen.year2025 import (
    REGISTER_2025,
    load_2025,
    load_register,
    register_entries,
    write_register,
)

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "samples" / "2025"


def test_the_register_joins_merged_departments_and_ends_the_districts() -> None:
    """Sở Nông nghiệp và Môi trường continues two 2018 departments from 01/03/2025; every
    commune starts on 01/07/2025; the eleven 2018 districts end that day with no successor."""
    data = load_2025()
    entries, ended = register_entries(data, load_register(data))
    by_id = {e["id"]: e for e in entries}
    nnmt = by_id["so-nong-nghiep-va-moi-truong"]
    assert nnmt["valid_from"] == dt.date(2025, 3, 1)
    assert nnmt["predecessors"] == [
        "so-nong-nghiep-va-phat-trien-nong-thon",
        "so-tai-nguyen-va-moi-truong",
    ]
    communes = [u.id for u in data.cases.units if u.group == "xa-phuong"]
    assert len(communes) == 65
    assert all(by_id[c] == {"id": c, "valid_from": dt.date(2025, 7, 1)} for c in communes)
    assert "so-tu-phap" not in by_id  # unchanged all year: no register keys
    assert len(ended) == 11 and {e["on"] for e in ended} == {dt.date(2025, 7, 1)}
    predecessors = {p for e in entries for p in e.get("predecessors", [])}
    assert not predecessors & {e["id"] for e in ended}


def test_a_predecessor_not_in_the_2018_sample_is_refused(tmp_path: Path) -> None:
    """A mistyped 2018 id stops the generator when the register is loaded."""
    text = REGISTER_2025.read_text(encoding="utf-8")
    typo = text.replace("so-ke-hoach-va-dau-tu]", "so-ke-hoach-dau-tu]")
    assert typo != text
    (tmp_path / "register.yaml").write_text(typo, encoding="utf-8")
    with pytest.raises((ValueError, ParindexError), match="so-ke-hoach-dau-tu"):
        load_register(load_2025(), tmp_path / "register.yaml")


def test_the_switch_writes_the_register_into_campaign_yaml(tmp_path: Path) -> None:
    """With in_campaign on, each unit's line in campaign.yaml carries its keys and the ended
    units follow, in the format the register's reader takes."""
    folder = tmp_path / "2025"
    shutil.copytree(FOLDER, folder)
    data = load_2025()
    register = load_register(data).model_copy(update={"in_campaign": True})
    write_register(folder, data, register)
    doc = yaml.safe_load((folder / "campaign.yaml").read_text(encoding="utf-8"))
    units = {u["id"]: u for u in doc["units"]}
    assert units["so-tai-chinh"]["predecessors"] == ["so-tai-chinh", "so-ke-hoach-va-dau-tu"]
    assert units["xa-that-khe"]["valid_from"] == dt.date(2025, 7, 1)
    assert units["so-tai-chinh"]["submitted_on"].year == 2025  # the rest of the line kept
    assert [e["on"] for e in doc["ended"]] == [dt.date(2025, 7, 1)] * 11
    assert doc["ended"][0]["id"] == "thanh-pho-lang-son" and doc["ended"][0]["note_vi"]
