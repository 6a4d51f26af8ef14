"""The whole annual cycle of a campaign folder, run into the store step by step.

``run_cycle`` replays what Home Affairs does through the year, on the dates of the folder's
``schedule``: open the campaign and import every self-assessment, submit each unit on its
``submitted_on`` date, record appraisal round 1, the units' explanations, round 2, then review
and publish. Each step goes through the same functions (and checks, and audit entries) as the
single commands, and each is one transaction.

The cycle resumes: a step already in the store (a unit past a state, a round file whose
changes are all stored, the explanations recorded) is skipped, so a run interrupted at any
moment (killed, disk full) finishes the year when started again, with the same audit entries
and the same published result as a run that was never interrupted. A campaign already
published is not touched: its published result is returned.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any

from scoring.campaign.appraisal_files import parse_appraisals, parse_explanations
from scoring.campaign.folder import read_campaign, survey_source
from scoring.campaign.submission import CampaignFile
from scoring.errors import ErrorList
from scoring.sources.yamlsrc import is_dir, read_text
from scoring.store import appraisal, imports, moves, publication
from scoring.store.db import Store
from scoring.store.schema import CampaignRow
from scoring.store.stored import (
    appraisal_rows,
    campaign_row,
    documents,
    explanation_rows,
    sha256,
    units_of,
)
from scoring.store.workflow import CAMPAIGN_STATES, UNIT_STATES

# a step done, by name, with its figures ("imported", {"n": 12, "campaign": "langson-2018"}):
# the caller words it for people in their language
Progress = Callable[[str, dict[str, Any]], None]


def _at(day: dt.date | None, fallback: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day or fallback, dt.time(hour), tzinfo=dt.UTC)


def run_cycle(
    store: Store, folder: Path, *, actor: str, progress: Progress | None = None
) -> dict[str, Any]:
    """Import, submit, appraise (two rounds), explain, review and publish a campaign folder,
    skipping the steps already stored; return the published score document."""
    say = progress or (lambda _step, _figures: None)
    spec, _, _ = read_campaign(folder)
    folder = folder if is_dir(folder) else folder.parent
    with store.read() as s:
        row = s.get(CampaignRow, spec.id)
        if row is not None and row.state == "published":
            say("already_published", {"campaign": spec.id})
            return publication.published(s, spec.id)
    sched = spec.schedule
    year_end = dt.date(spec.year, 12, 31)
    due = sched.self_assessment_due or year_end
    # the campaign opens before anything is done in it: on the deadline, or on the day of the
    # earliest submission (`--at` refuses a time before the campaign opened)
    opens = min([due, *(u.submitted_on for u in spec.units if u.submitted_on)])
    if _imported(store, spec, folder):
        say("already_imported", {"campaign": spec.id})
    else:
        report = imports.import_folder(store, folder, actor=actor, now=_at(opens, year_end, 8))
        if report.errors:
            raise ErrorList.of([e for errs in report.errors.values() for e in errs])
        say("imported", {"campaign": spec.id, "n": len(report.stored)})
    states = _unit_states(store, spec.id)
    for u in spec.units:
        if states[u.id] == "draft":
            moves.submit(store, spec.id, u.id, actor=u.id, now=_at(u.submitted_on, due))
    late = [u.id for u in spec.units if u.submitted_on and u.submitted_on > due]
    say("submitted", {"campaign": spec.id, "n": len(spec.units), "late": late})
    first = _at(sched.appraisal_1_on, due)
    _advance_campaign(store, spec.id, "appraisal", actor, first)
    files = [folder / name for name in spec.appraisals]
    rounds = {f: parse_appraisals(read_text(f), str(f))[0] for f in files}
    _round(store, spec, [a for a in rounds.values() if a.round == 1], "1", first, say)
    _advance_units(store, spec, ("appraised_1", "explanation"), actor, first)
    if spec.explanations:
        _explain(
            store,
            spec,
            folder / spec.explanations,
            _at(sched.explanation_due, first.date(), 8),
            say,
        )
    second = _at(sched.appraisal_2_on, first.date(), 10)
    _round(store, spec, [a for a in rounds.values() if a.round == 2], "2", second, say)
    _advance_units(store, spec, ("appraised_2", "final"), actor, second)
    pub = _at(sched.publish_on, second.date(), 11)
    _advance_campaign(store, spec.id, "review", actor, pub)
    run = publication.publish(store, spec.id, actor=actor, now=pub)
    say("published", {"campaign": spec.id, "run": run.id, "hash": run.result_hash[:12]})
    with store.read() as s:
        return publication.published(s, spec.id)


# ---------------------------------------------------------------- what is stored already


def _imported(store: Store, spec: CampaignFile, folder: Path) -> bool:
    """Whether the folder's import is stored: the campaign is past ``open``, or every unit,
    survey and council file is stored with the text the folder holds now."""
    with store.read() as s:
        row = s.get(CampaignRow, spec.id)
        if row is None:
            return False
        if row.state != "open":
            return True
        docs = {key: d.sha256 for key, d in documents(s, spec.id).items()}
    want = {("unit", u.id): folder / (u.file or f"units/{u.id}.yaml") for u in spec.units}
    for kind in ("survey", "council"):
        name = getattr(spec, kind)
        if name:
            want[(kind, "")] = folder / name
    texts = {key: read_text(path) for key, path in want.items()}
    counted = survey_source(spec, folder)
    if counted is not None:  # the survey stored is what the forms count to
        texts[("survey", "")] = counted[0][1]
    return all(docs.get(key) == sha256(text) for key, text in texts.items())


def _unit_states(store: Store, cid: str) -> dict[str, str]:
    with store.read() as s:
        return {u.unit_id: u.state for u in units_of(s, cid)}


def _advance_campaign(store: Store, cid: str, target: str, actor: str, when: dt.datetime) -> None:
    with store.read() as s:
        state = campaign_row(s, cid).state
    if CAMPAIGN_STATES.index(state) < CAMPAIGN_STATES.index(target):
        moves.advance_campaign(store, cid, target, actor=actor, now=when)


def _advance_units(
    store: Store, spec: CampaignFile, targets: tuple[str, ...], actor: str, when: dt.datetime
) -> None:
    """Move every unit through ``targets`` in the folder's order, from where each stands."""
    states = _unit_states(store, spec.id)
    for u in spec.units:
        for target in targets:
            if UNIT_STATES.index(states[u.id]) < UNIT_STATES.index(target):
                moves.advance_unit(store, spec.id, u.id, target, actor=actor, now=when)


def _covered(stored: Counter[Hashable], wanted: Iterable[Hashable]) -> bool:
    """Whether every wanted record is among ``stored`` (taking each stored record once, so that
    a record given twice needs two stored copies); the records found are taken off."""
    wanted = Counter(wanted)
    if any(stored[k] < n for k, n in wanted.items()):
        return False
    stored.subtract(wanted)
    return True


# ---------------------------------------------------------------- rounds and explanations


def _round(
    store: Store,
    spec: CampaignFile,
    files: list[Any],
    round_: str,
    when: dt.datetime,
    say: Progress,
) -> None:
    with store.read() as s:
        done: Counter[Hashable] = Counter(
            (r.unit_id, r.node_id, r.score, r.appraiser)
            for r in appraisal_rows(s, spec.id)
            if r.round == round_
        )
    changes = 0
    for f in files:  # each round file is one transaction: all of it is stored, or none
        batches = appraisal.file_changes(f)
        keys = [(u, c.node, str(c.score), c.appraiser) for u, b in batches.items() for c in b]
        if not _covered(done, keys):
            appraisal.appraise_many(store, spec.id, round_, batches, actor=f.appraiser, now=when)
        changes += len(keys)
    say("round", {"campaign": spec.id, "round": round_, "n": changes})


def _explain(
    store: Store, spec: CampaignFile, path: Path, when: dt.datetime, say: Progress
) -> None:
    ex = parse_explanations(read_text(path), str(path))[0]
    by_unit = {
        uid: [e.model_copy(update={"author": e.author or uid}) for e in entries]
        for uid, entries in ex.units.items()
    }  # each unit explains its own items
    with store.read() as s:
        done: Counter[Hashable] = Counter(
            (x.unit_id, x.node_id, x.text) for x in explanation_rows(s, spec.id)
        )
    keys = [(uid, e.node, e.text) for uid, entries in by_unit.items() for e in entries]
    if not _covered(done, keys):
        appraisal.respond_many(store, spec.id, by_unit, actor="units", now=when)
    say("explained", {"campaign": spec.id, "n": len(ex.units)})
