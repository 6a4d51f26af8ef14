"""A campaign's inputs: the unit list, each unit's self-assessment, survey and council answers.

``load_campaign`` reads a campaign folder. A bad unit file does not stop the others: its errors
are kept in ``Campaign.errors`` and the unit is left out of scoring. ``prepare`` checks one
unit's answers against the index (known leaves, right inputs, consistency packs run through the
engine) and reduces each to what the engine compares.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    RootModel,
    StrictBool,
    ValidationError,
    model_validator,
)

from scoring.errors import ErrorList, Location, ParindexError, SubmissionError, suggest, unknown_id
from scoring.index import model as m
from scoring.index.fields import Frozen, Num, Slug, Text, Whole
from scoring.index.kinds import MISSING, AnswerError, Prepared, every_input
from scoring.index.loader import Index, Item
from scoring.sources import clock
from scoring.sources.jsonsrc import load_json
from scoring.sources.located import trail_for, validate
from scoring.sources.numbers import encode
from scoring.sources.text import nfc
from scoring.sources.yamlsrc import Source, dump_yaml, is_dir, load_yaml, load_yaml_file, read_text


class EvidenceRef(Frozen):
    """A document offered as evidence (tài liệu kiểm chứng)."""

    doc: Text
    title: Text | None = None
    date: dt.date | None = None
    section: Text | None = None
    page: Whole | Text | None = None


class Answer(Frozen):
    """One answer; the fields a leaf needs depend on its rule kind (README.md, "Rule kinds").

    The built-in kinds' inputs are declared, so a unit file's keys keep their order; an input
    any other registered kind reads is taken as an extra key, and any other key is refused
    as unknown (as ``extra="forbid"`` would)."""

    model_config = ConfigDict(frozen=True, extra="allow")

    value: Any = None
    numerator: Any = None
    denominator: Any = None
    done_on: Any = None
    count: Any = None
    level: Any = None
    responses: Any = None
    score: Any = None
    reason: Any = None
    actual: Any = None
    limit: Any = None
    na: StrictBool = False
    self_score: Num | None = None
    note: Text | None = None
    evidence: tuple[EvidenceRef, ...] = ()  # a tuple: a scored answer's evidence stays put

    def inputs(self) -> dict[str, Any]:
        """The fields the author wrote, for the rule handlers."""
        return {k: getattr(self, k) for k in self.model_fields_set}

    @model_validator(mode="wrap")
    @classmethod
    def _known_inputs_only(cls, data: Any, default: ModelWrapValidatorHandler[Answer]) -> Answer:
        errors: list[Any] = []
        try:
            answer = default(data)
            if not answer.model_extra:
                return answer
        except ValidationError as exc:
            errors = [
                {k: v for k, v in e.items() if k in ("type", "loc", "input", "ctx")}
                for e in exc.errors()
            ]
        if isinstance(data, Mapping):
            read = {i.name for i in every_input().values()}
            errors += [
                {"type": "extra_forbidden", "loc": (k,), "input": v}
                for k, v in data.items()
                if k not in cls.model_fields and k not in read
            ]
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return answer


class UnitSpec(Frozen):
    """A unit as ``campaign.yaml`` lists it: id, name, group, tags, its file and submission date."""

    id: Slug
    name: Text
    group: Slug
    tags: list[Slug] = []
    ranked: StrictBool = True
    file: Text | None = None
    submitted_on: dt.date | None = None  # when the unit locked its self-assessment


class Schedule(Frozen):
    """The campaign's dates (the deadlines the workflow enforces, and when each round ran)."""

    self_assessment_due: dt.date | None = None
    explanation_due: dt.date | None = None
    appraisal_1_on: dt.date | None = None
    appraisal_2_on: dt.date | None = None
    publish_on: dt.date | None = None


class CampaignFile(Frozen):
    """The whole of ``campaign.yaml``: its index, files, schedule, time zone and units."""

    id: Slug
    year: Whole
    index: Text | None = None
    rules: Text | None = None
    survey: Text | None = None
    council: Text | None = None
    schedule: Schedule = Schedule()
    late_submission: Literal["flag", "refuse"] = "flag"
    time_zone: Annotated[Text, AfterValidator(clock.check_zone)] = clock.DEFAULT_ZONE
    appraisals: list[Text] = []  # appraisal round files, in order
    explanations: Text | None = None
    units: list[UnitSpec] = Field(min_length=1)


class UnitFile(Frozen):
    """A unit's self-assessment file: its answers per leaf and per bonus/penalty."""

    unit: Slug
    index: Slug | None = None
    answers: dict[Text, Answer] = {}
    adjustments: dict[Text, Answer] = {}


class SourceFile(Frozen):
    """A survey or council results file: answers per unit and leaf."""

    units: dict[Slug, dict[Text, Answer]] = {}


@dataclass
class Submission:
    """Everything known about one unit's year, with where each answer was written."""

    unit: UnitSpec
    index_id: str | None = None  # the index the unit file says it answers
    answers: dict[str, Answer] = field(default_factory=dict)
    adjustments: dict[str, Answer] = field(default_factory=dict)
    where: dict[tuple[str, str], tuple[Source, tuple[str | int, ...], Any]] = field(
        default_factory=dict
    )

    def locate(self, kind: str, key: str, field_name: str | None = None) -> Location:
        """Where an answer (or one field of it) was written, for an error message."""
        if (kind, key) not in self.where:  # answers made in memory (what-if): no file
            trail = (f"Answer(id={key!r})", *((f"At key: {field_name}",) if field_name else ()))
            return Location("<what-if>", trail=trail)
        src, path, data = self.where[(kind, key)]
        full = (*path, field_name) if field_name else path
        return src.locate(full, trail_for(data, full))


@dataclass
class Campaign:
    """A campaign folder, read: the spec, the usable submissions, and per-unit errors."""

    spec: CampaignFile
    folder: Path
    submissions: dict[str, Submission]
    errors: dict[str, list[ParindexError]]

    def index_path(self) -> Path | None:
        """The index the folder names (``index:``), resolved, or None for the default."""
        return (self.folder / self.spec.index).resolve() if self.spec.index else None

    def rules_path(self) -> Path | None:
        """The rule packs the folder names (``rules:``), resolved, or None for the default."""
        return (self.folder / self.spec.rules).resolve() if self.spec.rules else None


def _flatten(exc: ParindexError) -> list[ParindexError]:
    return exc.errors if isinstance(exc, ErrorList) else [exc]


def read_campaign_file(folder: Path) -> CampaignFile:
    """The campaign spec of a folder (``campaign.yaml``), checked."""
    return _read_campaign(folder)[0]


def _read_campaign(folder: Path) -> tuple[CampaignFile, Source, Any]:
    path = folder / "campaign.yaml" if is_dir(folder) else folder
    data, source = load_yaml_file(path)
    if not isinstance(data, dict):
        raise SubmissionError("expected a mapping with id, year and units", Location(str(path), 1))
    spec: CampaignFile = validate(CampaignFile, data, source, SubmissionError)
    check_listed_once(spec.units, source, data)
    return spec, source, data


def check_listed_once(units: Sequence[UnitSpec], source: Source, data: Any) -> None:
    """Refuse a ``units:`` list naming a unit twice, at the second one's id."""
    seen: set[str] = set()
    for i, u in enumerate(units):
        if u.id in seen:
            raise SubmissionError(
                f"unit {u.id!r} is listed twice",
                source.locate(("units", i, "id"), trail_for(data, ("units", i))),
            )
        seen.add(u.id)


NamedText = tuple[str, str]  # (name used in messages, the text)


def load_campaign(folder: Path) -> Campaign:
    """Read a campaign folder; unit-level problems are collected, not raised."""
    spec, source, data = _read_campaign(folder)
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
    return assemble(spec, source, data, folder, units, sources)


def assemble(
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
                )
            if isinstance(got, ParindexError):
                raise got
            read_unit_text(got[1], got[0], subs[u.id])
        except ParindexError as exc:
            errors.setdefault(u.id, []).extend(_flatten(exc))
    for kind, (name, text) in sources.items():
        _read_source(text, name, kind, subs, errors)
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
        raise SubmissionError("expected a mapping with unit and answers", Location(name, 1))
    uf: UnitFile = validate(UnitFile, data, source, SubmissionError)
    return uf, source, data


def read_unit_text(text: str, name: str, sub: Submission) -> None:
    """Fill ``sub`` with the answers of a unit file's text."""
    uf, source, data = parse_unit_file(text, name)
    if uf.unit != sub.unit.id:
        raise SubmissionError(
            f"this file is for unit {uf.unit!r}, but the campaign expects {sub.unit.id!r}",
            source.locate(("unit",)),
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


def _read_source(
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
            "expected a mapping with units: {unit id: {item: answer}}", Location(name, 1)
        )
    for uid, answers in units.items():
        if uid not in subs:
            errors.setdefault(f"{kind} file", []).append(
                unknown_id("unknown unit", uid, subs, location=source.locate(("units", uid)))
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


# ---------------------------------------------------------------- preparing one unit


NA = "not_applicable"


@dataclass(frozen=True)
class Ready:
    """One unit's answers checked and reduced, ready to score."""

    unit: UnitSpec
    group: str
    leaves: Mapping[str, Prepared]  # leaf id -> prepared (status NA for a unit's na: true)
    adjustments: Mapping[str, Prepared]
    answers: Mapping[str, Answer]
    adjustment_answers: Mapping[str, Answer]
    warnings: tuple[str, ...] = ()


def prepare(index: Index, sub: Submission) -> Ready:
    """Check a submission against the index; raise every problem, located."""
    errors: list[ParindexError] = []
    unit = sub.unit
    if unit.group not in index.groups:
        at = sub.locate("unit", unit.id, "group") if ("unit", unit.id) in sub.where else None
        raise SubmissionError(
            f"unknown group {unit.group!r}", at, suggest(unit.group, index.groups)
        )
    if sub.index_id is not None and sub.index_id != index.id:
        raise SubmissionError(
            f"this file answers index {sub.index_id!r}, but the campaign is scored with "
            f"{index.id!r}",
            sub.locate("file", unit.id, "index"),
        )
    view = index.groups[unit.group]
    known_tags = {t for item in view.items.values() for t in item.exemptions}
    for tag in unit.tags:
        if tag not in known_tags:
            at = sub.locate("unit", unit.id, "tags") if ("unit", unit.id) in sub.where else None
            raise SubmissionError(
                f"tag {tag!r} exempts nothing in group {unit.group!r}", at, suggest(tag, known_tags)
            )
    leaves: dict[str, Prepared] = {}
    for key, ans in sub.answers.items():
        item = view.leaves.get(key)
        if item is None:
            hint = suggest(key, view.leaves)
            where = (
                "this group"
                if not any(key in v.leaves for v in index.groups.values())
                else f"group {unit.group!r} (it belongs to another group)"
            )
            errors.append(
                SubmissionError(
                    f"no scored item {key!r} in {where}", sub.locate("answer", key), hint
                )
            )
            continue
        try:
            leaves[key] = _cited(_prepare_leaf(item, ans, sub, key), ans)
        except AnswerError as exc:
            errors.append(
                SubmissionError(str(exc), sub.locate("answer", key, exc.field), exc.suggestion)
            )
        except SubmissionError as exc:
            errors.append(exc)
    for item in view.leaves.values():
        if item.id not in leaves and item.id not in sub.answers:
            leaves[item.id] = Prepared(MISSING)
    adjustments: dict[str, Prepared] = {}
    known = {a.spec.id: a for a in index.adjustments if unit.group in a.groups}
    for key, ans in sub.adjustments.items():
        adj = known.get(key)
        if adj is None:
            errors.append(
                SubmissionError(
                    f"no bonus or penalty {key!r} for group {unit.group!r}",
                    sub.locate("adjustment", key),
                    suggest(key, known),
                )
            )
            continue
        try:
            _self_score_ok(ans, adj.spec.max, f"unit {unit.id}, {key}")
            adjustments[key] = _cited(adj.handler.prepare(adj.spec.rule, ans.inputs()), ans)
        except AnswerError as exc:
            errors.append(
                SubmissionError(str(exc), sub.locate("adjustment", key, exc.field), exc.suggestion)
            )
    warnings = _run_checks(index, sub, leaves, errors) if not errors else []
    if errors:
        raise ErrorList.of(errors)
    # read-only views of dicts nothing else holds: scoring shares them, with no copy, in the
    # snapshot a result's trace is built from (``evaluation.inputs``)
    return Ready(
        unit,
        unit.group,
        MappingProxyType(leaves),
        MappingProxyType(adjustments),
        MappingProxyType(dict(sub.answers)),
        MappingProxyType(dict(sub.adjustments)),
        tuple(warnings),
    )


def _cited(p: Prepared, ans: Answer) -> Prepared:
    """``p``, a handler's new record, marked as citing evidence when the answer does (set in
    place, as ``Prepared.__post_init__`` sets ``encoded``: ``dataclasses.replace`` made checking
    10,000 units a second slower)."""
    if ans.evidence:
        object.__setattr__(p, "evidence", True)
    return p


def _self_score_ok(ans: Answer, top: Decimal, what: str) -> None:
    """The score a unit gives itself lies in [0, max] (it is compared with the scored points)."""
    v = ans.self_score
    if v is not None and not Decimal(0) <= v <= top:
        side = "below 0" if v < 0 else f"above the maximum {top}"
        raise AnswerError("self_score", f"{what}: self_score {v} is {side}")


def _prepare_leaf(item: Item, ans: Answer, sub: Submission, key: str) -> Prepared:
    node = item.node
    _self_score_ok(ans, node.max, f"unit {sub.unit.id}, item {key}")
    src = sub.where.get(("source", key))
    origin = src[1][0] if src else "self"
    if node.assessed_by != origin:
        expected = {"self": "unit's own file", "survey": "survey file", "council": "council file"}[
            node.assessed_by
        ]
        raise SubmissionError(
            f"item {key} is assessed by {node.assessed_by}: its answer belongs in the {expected}",
            sub.locate("answer", key),
        )
    if ans.na:
        if not node.na_allowed:
            raise AnswerError("na", f"item {key} does not allow a not-applicable answer")
        return Prepared(NA, None, {"na": True})
    assert item.handler is not None and node.rule is not None
    prepared = item.handler.prepare(node.rule, ans.inputs())
    item.handler.check_answer(node.rule, prepared, node.max)
    return prepared


def _raw(ans: Answer | None, name: str) -> Any:
    return None if ans is None or ans.na else ans.inputs().get(name)


def _run_checks(
    index: Index, sub: Submission, leaves: Mapping[str, Prepared], errors: list[ParindexError]
) -> list[str]:
    group = sub.unit.group
    facts: list[tuple[Any, ...]] = []
    meta: list[tuple[m.Check, str, str]] = []
    for chk in index.checks:
        for (lid, inp), right in chk.pairs.get(group, ()):
            left_v = _raw(sub.answers.get(lid), inp)
            if left_v is None or leaves.get(lid, Prepared(MISSING)).status == NA:
                continue
            if right is None:
                facts.append(("chk", chk.spec.id, encode(left_v.toordinal()), None))
                meta.append((chk.spec, lid, inp))
                continue
            right_v = _raw(sub.answers.get(right[0]), right[1])
            if right_v is None or isinstance(left_v, bool) or isinstance(right_v, bool):
                continue
            facts.append(("chk", chk.spec.id, encode(Decimal(left_v)), encode(Decimal(right_v))))
            meta.append((chk.spec, lid, inp))
    fired = index.engine.decide(facts)
    warnings: list[str] = []
    for key, (spec, lid, inp) in zip(facts, meta, strict=True):
        if f"{spec.id}#violated" not in fired[key]:
            continue
        what = f"{spec.id}: {spec.title_en} ({spec.title_vi})"
        if spec.severity == "error":
            errors.append(SubmissionError(what, sub.locate("answer", lid, inp)))
        else:
            loc = sub.locate("answer", lid, inp)
            warnings.append(f"{loc.prefix()}: warning: {what}")
    return warnings
