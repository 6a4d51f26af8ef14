"""Two small campaigns whose units change between them, for the register's tests.

Both are made from the mini campaign; the earlier one is a 2017 campaign (the mini index,
rules and answers with their year set to 2017), the later one a 2018 campaign. The earlier
one, ``reg-a``, has Sở A, Sở B, Văn phòng C, Huyện H, Sở K and Sở X. The later one, ``reg-b``,
has:

- ``nn``: Sở Nông nghiệp và Môi trường, merged from ``a`` and ``b`` (two predecessors);
- ``c``: Văn phòng C, the same unit under the same id;
- ``ngoai-vu``: Sở Ngoại vụ, a new body created on 01/08/2018 (part of the year, no predecessor);
- ``k2``: Sở K (đổi tên), ``k`` renamed under a new id (one predecessor);
- ``x``: Ban X, another body under ``x``'s id (the register does not say it continues);

and ``ended:`` says Huyện H ended on 01/07/2018 with no successor.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import yaml

from tests.support.paths import MINI

# (id, name, the mini unit whose answers it copies)
EARLIER = [
    ("a", "Sở A", "a"),
    ("b", "Sở B", "b"),
    ("c", "Văn phòng C", "c"),
    ("h", "Huyện H", "b"),
    ("k", "Sở K", "a"),
    ("x", "Sở X", "c"),
]
LATER = [
    ("nn", "Sở Nông nghiệp và Môi trường", "a", {"predecessors": ["a", "b"]}),
    ("c", "Văn phòng C", "c", {}),
    ("ngoai-vu", "Sở Ngoại vụ", "b", {"valid_from": dt.date(2018, 8, 1)}),
    ("k2", "Sở K (đổi tên)", "c", {"predecessors": ["k"]}),
    ("x", "Ban X", "b", {}),
]
ENDED = [{"id": "h", "name": "Huyện H", "on": dt.date(2018, 7, 1), "note_vi": "Bãi bỏ cấp huyện"}]


def campaign_folder(
    dest: Path, cid: str, units: list[tuple[str, str, str, dict[str, Any]]], **extra: Any
) -> Path:
    """A campaign folder at ``dest`` made from the mini one: its index, rules and schedule, the
    ``units`` given (id, name, mini unit copied, register keys), their survey and council
    answers copied from the mini unit, no appraisal rounds; ``extra`` keys added on top."""
    shutil.copytree(MINI, dest)
    spec = yaml.safe_load((MINI / "campaign.yaml").read_text(encoding="utf-8"))
    spec.update(id=cid, appraisals=[], units=[])
    spec.pop("explanations")
    sources = {
        k: yaml.safe_load((MINI / f"{k}.yaml").read_text(encoding="utf-8"))
        for k in ("survey", "council")
    }
    copied: dict[str, dict[str, Any]] = {"survey": {}, "council": {}}
    for uid, name, like, register in units:
        spec["units"].append({"id": uid, "name": name, "group": "department", **register})
        text = (MINI / "units" / f"{like}.yaml").read_text(encoding="utf-8")
        (dest / "units" / f"{uid}.yaml").write_text(
            text.replace(f"unit: {like}", f"unit: {uid}"), encoding="utf-8"
        )
        for k, src in sources.items():
            copied[k][uid] = src["units"][like]
    for k, units_answers in copied.items():
        (dest / f"{k}.yaml").write_text(
            yaml.safe_dump({"units": units_answers}, allow_unicode=True), encoding="utf-8"
        )
    spec.update(extra)
    if spec["year"] != 2018:  # the mini campaign's year, in its index, rules and answers
        for path in [dest / "criteria.yaml", *dest.glob("rules/*"), *dest.glob("units/*")]:
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("2018", str(spec["year"])), encoding="utf-8")
    (dest / "campaign.yaml").write_text(
        yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return dest


def two_years(tmp: Path) -> tuple[Path, Path]:
    """The earlier (``reg-a``) and later (``reg-b``) campaign folders, made under ``tmp``."""
    earlier = campaign_folder(tmp / "reg-a", "reg-a", [(*u, {}) for u in EARLIER], year=2017)
    later = campaign_folder(tmp / "reg-b", "reg-b", LATER, ended=ENDED)
    return earlier, later
