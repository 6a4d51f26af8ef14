"""Reading a campaign folder: ``campaign.yaml``, each unit's self-assessment (YAML or JSON),
and the survey and council files, into ``Submission`` records.

``load_campaign`` reads a folder. A bad unit file does not stop the others: its errors are kept in
``Campaign.errors`` and the unit is left out of scoring.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import (
    RootModel,
)

from scoring.campaign.register import check_register
from scoring.campaign.submission import (
    Answer,
    Campaign,
    CampaignFile,
    SourceFile,
    Submission,
    UnitFile,
    UnitSpec,
)
from scoring.campaign.survey_design import check_design
from scoring.campaign.survey_tally import (
    FormsInput,
    Tally,
    combined,
    count_forms,
    read_forms_input,
)
from scoring.errors import ErrorList, Location, ParindexError, SubmissionError, unknown_id
from scoring.index.fields import Text
from scoring.index.kinds import every_input
from scoring.index.loader import Index
from scoring.sources.jsonsrc import load_json
from scoring.sources.located import trail_for, validate
from scoring.sources.text import nfc
from scoring.sources.yamlsrc import Source, dump_yaml, is_dir, load_yaml, load_yaml_file, read_text


def _flatten(exc: ParindexError) -> list[ParindexError]:
    return exc.errors if isinstance(exc, ErrorList) else [exc]


def read_campaign_file(folder: Path) -> CampaignFile:
    """The campaign spec of a folder (``campaign.yaml``), checked."""
    return read_campaign(folder)[0]


def read_campaign(folder: Path) -> tuple[CampaignFile, Source, Any]:
    """The checked campaign spec of a folder (or of a ``campaign.yaml`` named directly), with
    the source and data that locate its errors."""
    path = folder / "campaign.yaml" if is_dir(folder) else folder
    data, source = load_yaml_file(path)
    if not isinstance(data, dict):
        raise SubmissionError(
            "expected a mapping with id, year and units",
            Location(str(path), 1),
            vi="cần một bảng có id, year và units",
        )
    spec: CampaignFile = validate(CampaignFile, data, source, SubmissionError)
    check_listed_once(spec.units, source, data)
    check_register(spec, source, data)
    return spec, source, data


def check_listed_once(units: Sequence[UnitSpec], source: Source, data: Any) -> None:
    """Refuse a ``units:`` list naming a unit twice, at the second one's id."""
    seen: set[str] = set()
    for i, u in enumerate(units):
        if u.id in seen:
            raise SubmissionError(
                f"unit {u.id!r} is listed twice",
                source.locate(("units", i, "id"), trail_for(data, ("units", i))),
                vi=f"đơn vị {u.id!r} được liệt kê hai lần",
            )
        seen.add(u.id)


NamedText = tuple[str, str]  # (name used in messages, the text)


def load_campaign(folder: Path) -> Campaign:
    """Read a campaign folder; unit-level problems are collected, not raised."""
    spec, source, data = read_campaign(folder)
    folder = folder if is_dir(folder) else folder.parent
    units: dict[str, NamedText | ParindexError] = {}
    for u in spec.units:
        path = folder / (u.file or f"units/{u.id}.yaml")
        try:
            units[u.id] = (str(path), read_text(path))
        except ParindexError as exc:
            units[u.id] = exc
    sources = {
        kind: (str(folder / name), read_text(folder / name))
        for kind in ("survey", "council")
        if (name := getattr(spec, kind))
    }
    found = survey_source(spec, folder)
    if found is not None:
        sources["survey"] = found[0]
    return assemble_campaign(spec, source, data, folder, units, sources)


def forms_input(spec: CampaignFile, folder: Path) -> FormsInput | None:
    """The survey design and forms ``campaign.yaml`` names (``survey_forms:``), read."""
    ref = spec.survey_forms
    if ref is None:
        return None
    return read_forms_input(folder / ref.design, [folder / f for f in ref.files])


def check_forms_design(index: Index, folder: Path) -> None:
    """Refuse, located in the design file, a survey design the index cannot score (when the
    campaign folder counts raw forms): before its forms are counted into answers."""
    spec = read_campaign_file(folder)
    given = forms_input(spec, folder if is_dir(folder) else folder.parent)
    if given is not None:
        check_design(index, given.design, given.source, given.data)


def survey_source(
    spec: CampaignFile, folder: Path, given: FormsInput | None = None
) -> tuple[NamedText, Tally] | None:
    """When the campaign counts raw forms: the survey-file text they amount to (beside the
    survey file's own answers, if it names one) under the design's name, and the tally
    (``given``: the design and forms, already read)."""
    given = given or forms_input(spec, folder)
    if given is None:
        return None
    counted = count_forms(given, {u.id: u.group for u in spec.units})
    survey = (str(folder / spec.survey), read_text(folder / spec.survey)) if spec.survey else None
    return (given.design_name, combined(survey, counted, given.design_name)), counted


def assemble_campaign(
    spec: CampaignFile,
    source: Source,
    data: Any,
    folder: Path,
    units: Mapping[str, NamedText | ParindexError],
    sources: Mapping[str, NamedText],
) -> Campaign:
    """A campaign from its spec and the texts of its unit, survey and council files."""
    subs = {u.id: Submission(u) for u in spec.units}
    for i, u in enumerate(spec.units):
        subs[u.id].where[("unit", u.id)] = (source, ("units", i), data)
    errors: dict[str, list[ParindexError]] = {}
    for u in spec.units:
        got = units.get(u.id)
        try:
            if got is None:
                raise SubmissionError(
                    f"no self-assessment for unit {u.id!r}",
                    source.locate(("units", spec.units.index(u))),
                    vi=f"không có tệp tự đánh giá của đơn vị {u.id!r}",
                )
            if isinstance(got, ParindexError):
                raise got
            read_unit_text(got[1], got[0], subs[u.id])
        except ParindexError as exc:
            errors.setdefault(u.id, []).extend(_flatten(exc))
    for kind, (name, text) in sources.items():
        read_source(text, name, kind, subs, errors)
    return Campaign(spec, folder, {k: v for k, v in subs.items() if k not in errors}, errors)


def _as_written(data: Any, path: tuple[str, ...]) -> dict[str, str]:
    """The keys of a mapping in ``data`` as the file wrote them, by their NFC form (the
    records hold NFC keys; locating an error needs the key as written)."""
    cur = data
    for step in path:
        cur = cur.get(step) if isinstance(cur, dict) else None
    return {nfc(k): k for k in cur} if isinstance(cur, dict) else {}


def is_json(name: str) -> bool:
    """Whether a unit file of this name is read as JSON (its name ends in ``.json``)."""
    return name.lower().endswith(".json")


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _json_dates(data: Any) -> Any:
    """``data`` with every date input written as an ISO string (JSON has no dates) read as the
    date YAML would have read; any other string is left for the rule kind to refuse, located."""
    if not isinstance(data, dict):
        return data
    # the inputs of any kind that hold a date: JSON writes them as "YYYY-MM-DD" strings
    dates = {i.name for i in every_input().values() if i.type == "date"}
    for section in ("answers", "adjustments"):
        book = data.get(section)
        for ans in book.values() if isinstance(book, dict) else ():
            for key in dates & (ans.keys() if isinstance(ans, dict) else set()):
                if isinstance(ans[key], str) and _ISO_DATE.fullmatch(ans[key]):
                    with contextlib.suppress(ValueError):  # 2018-02-30: the kind refuses it
                        ans[key] = dt.date.fromisoformat(ans[key])
    return data


def load_unit_data(text: str, name: str) -> tuple[Any, Source]:
    """A unit file's data and Source map, read as JSON or YAML by the file's name."""
    if is_json(name):
        data, source = load_json(text, name)
        return _json_dates(data), source
    return load_yaml(text, name)


def stored_unit_text(text: str, name: str) -> str:
    """The YAML text the store keeps of a unit file: a JSON one rewritten (dates as dates)."""
    return dump_yaml(load_unit_data(text, name)[0]) if is_json(name) else text


def parse_unit_file(text: str, name: str) -> tuple[UnitFile, Source, Any]:
    """A unit file's text (YAML, or JSON when ``name`` ends in .json), checked for shape (not
    yet against the index)."""
    data, source = load_unit_data(text, name)
    if not isinstance(data, dict):
        raise SubmissionError(
            "expected a mapping with unit and answers",
            Location(name, 1),
            vi="cần một bảng có unit và answers",
        )
    uf: UnitFile = validate(UnitFile, data, source, SubmissionError)
    return uf, source, data


def read_unit_text(text: str, name: str, sub: Submission) -> None:
    """Fill ``sub`` with the answers of a unit file's text."""
    uf, source, data = parse_unit_file(text, name)
    if uf.unit != sub.unit.id:
        raise SubmissionError(
            f"this file is for unit {uf.unit!r}, but the campaign expects {sub.unit.id!r}",
            source.locate(("unit",)),
            vi=f"tệp này là của đơn vị {uf.unit!r}, nhưng kỳ đánh giá chờ tệp của {sub.unit.id!r}",
        )
    sub.index_id = uf.index
    sub.where[("file", uf.unit)] = (source, (), data)
    for section, kind, book in (
        ("answers", "answer", uf.answers),
        ("adjustments", "adjustment", uf.adjustments),
    ):
        written = _as_written(data, (section,))
        target = sub.answers if kind == "answer" else sub.adjustments
        for key, ans in book.items():
            target[nfc(key)] = ans
            sub.where[(kind, nfc(key))] = (source, (section, written.get(key, key)), data)


def parse_source_file(text: str, name: str) -> tuple[SourceFile, Source, Any]:
    """A survey or council file's text, checked for shape."""
    data, source = load_yaml(text, name)
    sf: SourceFile = validate(SourceFile, data or {}, source, SubmissionError)
    return sf, source, data


_UnitAnswers = RootModel[dict[Text, Answer]]


def read_source(
    text: str,
    name: str,
    kind: str,
    subs: dict[str, Submission],
    errors: dict[str, list[ParindexError]],
    read: tuple[Any, Source] | None = None,
) -> None:
    """Add a survey or council file's answers; a bad entry spoils only its own unit."""
    data, source = read or load_yaml(text, name)
    units = data.get("units") if isinstance(data, dict) else None
    if not isinstance(data, dict) or set(data) - {"units"} or not isinstance(units, dict):
        raise SubmissionError(
            "expected a mapping with units: {unit id: {item: answer}}",
            Location(name, 1),
            vi="cần một bảng units: {mã đơn vị: {mục: số liệu}}",
        )
    for uid, answers in units.items():
        if uid not in subs:
            errors.setdefault(f"{kind} file", []).append(
                unknown_id(
                    "unknown unit",
                    uid,
                    subs,
                    location=source.locate(("units", uid)),
                    vi=("không có đơn vị", "trong kỳ đánh giá"),
                )
            )
            continue
        try:
            parsed = validate(
                _UnitAnswers, answers, source, SubmissionError, base=("units", uid), root=data
            )
        except ParindexError as exc:
            errors.setdefault(uid, []).extend(_flatten(exc))
            continue
        written = _as_written(data, ("units", uid))
        for key, ans in parsed.root.items():
            k = nfc(key)
            if k in subs[uid].answers:
                errors.setdefault(uid, []).append(
                    SubmissionError(
                        f"item {k} is answered twice (unit file and {kind} file)",
                        source.locate(("units", uid, written.get(key, key))),
                    )
                )
                continue
            subs[uid].answers[k] = ans
            subs[uid].where[("answer", k)] = (source, ("units", uid, written.get(key, key)), data)
            subs[uid].where[("source", k)] = (source, (kind,), data)
