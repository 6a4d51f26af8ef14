"""Writing the sample campaigns: each year's campaign, unit, survey, council, appraisal and
explanation files, and a later year's own index.

A year is written in two passes: the drawn self-assessments, survey and council answers
first; then the folder is read back and scored by the library (``Scorer.campaign``), and the
appraisal is drawn against those scores and written.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path
from typing import Any

from scoring import load_index
from scoring.sources.files import write_text
from tools.samplegen.answers import build
from tools.samplegen.appraise import Appraisal, appraise
from tools.samplegen.calibrate import applied, calibrate, check
from tools.samplegen.context import Context
from tools.samplegen.data import HERE, Data, Prose, load
from tools.samplegen.scorer import Scorer
from tools.samplegen.views import unit_views
from tools.samplegen.wording import vdate
from tools.samplegen.yamlout import Block, dump, quote_ids

ROOT = Path(__file__).resolve().parents[2]
CRITERIA = ROOT / "criteria.yaml"
RULES = ROOT / "rules"
DECISION = "published-decision.csv"  # a calibrated year's decision, beside its files


def criteria_for(year: int, base_year: int, prose: Prose) -> str:
    """The repository's criteria.yaml (of ``base_year``) with its id, titles and every date
    moved to ``year``, under the sample header and notice of prose.yaml."""
    text = CRITERIA.read_text(encoding="utf-8")
    head, body = text.split("\nindex:\n", 1)
    layout = head[head.index("# Layout:") :]
    header = prose.index.header.format(year=year)
    start = body.index("  notice: >-\n")
    end = body.index("  scale: ")
    lines = prose.index.notice.format(year=year).splitlines()
    notice = "  notice: >-\n" + "".join(f"    {line}\n" for line in lines)
    moved = (body[:start] + body[end:]).replace(str(base_year), str(year))
    body = moved[:start] + notice + moved[start:]
    return header + layout + "\nindex:\n" + body


def latest_in(data: Any) -> dt.date | None:
    """The latest date anywhere in a unit file."""
    if isinstance(data, dt.date):
        return data
    found: list[dt.date] = []
    items = data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
    for v in items:
        got = latest_in(v)
        if got is not None:
            found.append(got)
    return max(found) if found else None


def submission_days(ctx: Context) -> dict[str, dt.date]:
    """The day each unit locks its self-assessment: a few days before the due date, or the
    hand-set late day."""
    rng = random.Random(ctx.year.year * 10 + 2)
    due = ctx.year.schedule.self_assessment_due
    out = {}
    for u in ctx.units:
        drawn = due - dt.timedelta(days=rng.randint(0, ctx.year.submission_spread))
        out[u.id] = ctx.year.late_submitted.get(u.id, drawn)
    return out


def campaign_doc(ctx: Context, submitted: dict[str, dt.date]) -> dict[str, Any]:
    """campaign.yaml: the paths, the schedule, the workflow files and the units."""
    return {
        "id": ctx.index.id,
        "year": ctx.year.year,
        "index": "criteria.yaml" if ctx.year.own_index else "../../criteria.yaml",
        "rules": "../../rules",
        "survey": "survey.yaml",
        "council": "council.yaml",
        "schedule": Block(ctx.year.schedule.model_dump()),
        "late_submission": "flag",
        "appraisals": ["appraisal-1.yaml", "appraisal-2.yaml"],
        "explanations": "explanations.yaml",
        "units": [
            {
                "id": u.id,
                "name": u.name,
                "group": u.group,
                **({"tags": u.tags} if u.tags else {}),
                "submitted_on": submitted[u.id],
            }
            for u in ctx.units
        ],
    }


def write_campaign(ctx: Context, submitted: dict[str, dt.date]) -> None:
    """campaign.yaml, with two comments a reader needs."""
    path, files = ctx.out / "campaign.yaml", ctx.prose.files
    header = files.campaign.format(year=ctx.year.year)
    dump(path, campaign_doc(ctx, submitted), header, files.generated)
    text = path.read_text(encoding="utf-8")
    publish = f"  publish_on: {ctx.year.schedule.publish_on.isoformat()}\n"
    text = text.replace(publish, f"{publish[:-1]}  # {ctx.year.publish_note}\n")
    text = text.replace("late_submission: flag\n", "late_submission: flag  # flag | refuse\n")
    write_text(path, text, newline="\n")


def write_appraisal(ctx: Context, ap: Appraisal) -> None:
    """appraisal-1.yaml, appraisal-2.yaml and explanations.yaml."""
    out, files, sched = ctx.out, ctx.prose.files, ctx.year.schedule
    by = ctx.prose.appraisal
    for n, rounds, who, on in (
        (1, ap.round1, by.round_1_by, sched.appraisal_1_on),
        (2, ap.round2, by.round_2_by, sched.appraisal_2_on),
    ):
        doc = {
            "round": n,
            "appraiser": who,
            "units": {u: [c.entry() for c in cs.values()] for u, cs in rounds.items()},
        }
        header = files.appraisal.format(round=n, date=vdate(on))
        dump(out / f"appraisal-{n}.yaml", doc, header, files.generated)
    doc = {"units": {u: [e.entry() for e in es] for u, es in ap.explanations.items()}}
    header = files.explanations.format(date=vdate(sched.explanation_due))
    dump(out / "explanations.yaml", doc, header, files.generated)


def write_answers(ctx: Context, name: str, header: str, answers: dict[str, Any]) -> None:
    """survey.yaml or council.yaml: the answers per unit."""
    body = {"units": {u: quote_ids(a) for u, a in answers.items()}}
    dump(ctx.out / f"{name}.yaml", body, header, ctx.prose.files.generated)


def write_year(ctx: Context) -> Appraisal:
    """Draw and write one year's campaign folder; the appraisal drawn is returned."""
    y, out, files = ctx.year, ctx.out, ctx.prose.files
    drawn_days = submission_days(ctx)
    drawn = build(ctx, drawn_days if y.dates_within_submission else None)
    due = y.schedule.self_assessment_due
    submitted = {}
    for u in ctx.units:
        last = latest_in(drawn.units[u.id]) or drawn_days[u.id]
        on_time = max(drawn_days[u.id], min(last, due))
        submitted[u.id] = drawn_days[u.id] if u.id in y.late_submitted else on_time

    (out / "units").mkdir(parents=True, exist_ok=True)
    for old in (out / "units").glob("*.yaml"):
        old.unlink()
    write_campaign(ctx, submitted)
    for uid, unit in drawn.units.items():
        unit = dict(unit, answers=quote_ids(unit["answers"]))
        dump(out / "units" / f"{uid}.yaml", unit, files.unit.format(unit=uid), files.generated)
    for name, header, answers in (
        ("survey", files.survey, drawn.survey),
        ("council", files.council, drawn.council),
    ):
        write_answers(ctx, name, header, answers)

    ap = appraise(ctx, unit_views(ctx, drawn, ctx.scorer.campaign(out)))
    write_appraisal(ctx, ap)
    if y.published is not None:  # the survey moved until the published figures are the decision's
        appraisals = {u.id: applied(ap, u.id) for u in ctx.units}
        survey = calibrate(ctx, drawn.survey, ctx.scorer.campaign(out, appraisals))
        write_answers(ctx, "survey", files.survey, survey)
        check(ctx, ctx.scorer.campaign(out, appraisals))
        shutil.copyfile(HERE / y.published, out / DECISION)
    return ap


def generate(out: Path, data: Data | None = None) -> None:
    """Write every year of the data's cases into ``out`` (``out/2018``, ``out/2019``)."""
    data = data or load()
    base = load_index(CRITERIA, RULES)
    for year in data.cases.years:
        folder = out / str(year.year)
        folder.mkdir(parents=True, exist_ok=True)
        index = base
        if year.own_index:
            own = folder / "criteria.yaml"
            write_text(own, criteria_for(year.year, base.meta.year, data.prose), newline="\n")
            index = load_index(own, RULES)
        write_year(Context(data, year, index, Scorer(index), folder))
