"""The whole annual cycle of a campaign folder, run into the store step by step.

``run_cycle`` replays what Home Affairs does through the year, on the dates of the folder's
``schedule``: open the campaign and import every self-assessment, submit each unit on its
``submitted_on`` date, record appraisal round 1, the units' explanations, round 2, then review
and publish. Each step goes through the same functions (and checks, and audit entries) as the
single commands. A campaign already published is not touched: its published result is
returned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import appraisal, campaigns, publication
from .db import Store
from .errors import ErrorList
from .rounds import parse_appraisals, parse_explanations
from .schema import CampaignRow
from .submission import CampaignFile, _read_campaign
from .yamlsrc import is_dir, read_text

Progress = Callable[[str], None]


def _at(day: dt.date | None, fallback: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day or fallback, dt.time(hour), tzinfo=dt.UTC)


def run_cycle(
    store: Store, folder: Path, *, actor: str, progress: Progress | None = None
) -> dict[str, Any]:
    """Import, submit, appraise (two rounds), explain, review and publish a campaign folder;
    return the published score document."""
    say = progress or (lambda _msg: None)
    spec, _, _ = _read_campaign(folder)
    folder = folder if is_dir(folder) else folder.parent
    with store.read() as s:
        row = s.get(CampaignRow, spec.id)
        if row is not None and row.state == "published":
            say(f"campaign {spec.id} is already published in the store")
            return publication.published(s, spec.id)
    sched = spec.schedule
    year_end = dt.date(spec.year, 12, 31)
    due = sched.self_assessment_due or year_end
    # the campaign opens before anything is done in it: on the deadline, or on the day of the
    # earliest submission (`--at` refuses a time before the campaign opened)
    opens = min([due, *(u.submitted_on for u in spec.units if u.submitted_on)])
    report = campaigns.import_folder(store, folder, actor=actor, now=_at(opens, year_end, 8))
    if report.errors:
        raise ErrorList.of([e for errs in report.errors.values() for e in errs])
    say(f"imported {len(report.stored)} self-assessments into campaign {spec.id}")
    for u in spec.units:
        campaigns.submit(store, spec.id, u.id, actor=u.id, now=_at(u.submitted_on, due))
    late = [u.id for u in spec.units if u.submitted_on and u.submitted_on > due]
    say(f"submitted {len(spec.units)} units ({len(late)} late: {', '.join(late) or 'none'})")
    first = _at(sched.appraisal_1_on, due)
    campaigns.advance_campaign(store, spec.id, "appraisal", actor=actor, now=first)
    files = [folder / name for name in spec.appraisals]
    rounds = {f: parse_appraisals(read_text(f), str(f))[0] for f in files}
    _round(store, spec, [a for a in rounds.values() if a.round == 1], "1", first, say)
    for u in spec.units:
        campaigns.advance_unit(store, spec.id, u.id, "appraised_1", actor=actor, now=first)
        campaigns.advance_unit(store, spec.id, u.id, "explanation", actor=actor, now=first)
    if spec.explanations:
        path = folder / spec.explanations
        ex = parse_explanations(read_text(path), str(path))[0]
        when = _at(sched.explanation_due, first.date(), 8)
        by_unit = {
            uid: [e.model_copy(update={"author": e.author or uid}) for e in entries]
            for uid, entries in ex.units.items()
        }  # each unit explains its own items
        appraisal.respond_many(store, spec.id, by_unit, actor="units", now=when)
        say(f"recorded explanations of {len(ex.units)} units")
    second = _at(sched.appraisal_2_on, first.date(), 10)
    _round(store, spec, [a for a in rounds.values() if a.round == 2], "2", second, say)
    for u in spec.units:
        campaigns.advance_unit(store, spec.id, u.id, "appraised_2", actor=actor, now=second)
        campaigns.advance_unit(store, spec.id, u.id, "final", actor=actor, now=second)
    pub = _at(sched.publish_on, second.date(), 11)
    campaigns.advance_campaign(store, spec.id, "review", actor=actor, now=pub)
    run = publication.publish(store, spec.id, actor=actor, now=pub)
    say(f"published campaign {spec.id} (run {run.id}, result hash {run.result_hash[:12]})")
    with store.read() as s:
        return publication.published(s, spec.id)


def _round(
    store: Store,
    spec: CampaignFile,
    files: list[Any],
    round_: str,
    when: dt.datetime,
    say: Progress,
) -> None:
    changes = 0
    for f in files:  # each round file is one transaction
        batches = {
            uid: [
                appraisal.Change(e.node, e.score, e.reason, e.appraiser or f.appraiser)
                for e in entries
            ]
            for uid, entries in f.units.items()
        }
        appraisal.appraise_many(store, spec.id, round_, batches, actor=f.appraiser, now=when)
        changes += sum(len(b) for b in batches.values())
    say(f"appraisal round {round_}: {changes} changes")
