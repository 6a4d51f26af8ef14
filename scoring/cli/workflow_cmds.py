"""Bulk workflow commands: ``submit-all`` and ``advance-all``, every eligible unit in one step.

Each shows what it would do (the units that move, and why each other does not), asks for
confirmation on a terminal, and then moves them all in one transaction or none. A run that
is not on a terminal (a script, CI) must say ``--yes``: it is refused otherwise, so nothing
irreversible happens without someone having decided it.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from scoring.cli.base import actor, app, guard, lazy, now, out, print_json, store
from scoring.cli.store_common import CampaignArg, JsonOpt
from scoring.cli.texts import lang, t
from scoring.errors import WorkflowError
from scoring.store.workflow import state_name

if TYPE_CHECKING:
    from scoring.store.bulk import Plan

bulk = lazy("scoring.store.bulk")
publication = lazy("scoring.store.publication")

YesOpt = Annotated[
    bool, typer.Option("--yes", "-y", help="Do it without asking (needed when not on a terminal).")
]


def interactive() -> bool:
    """Whether a person can answer a question here (stdin and stdout are a terminal)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def plan_json(plan: Plan, done: bool) -> dict[str, Any]:
    """A plan as ``--json`` prints it: exact ids and states, reasons in both languages."""
    return {
        "campaign": plan.campaign,
        "from": plan.source,
        "to": plan.target,
        "done": done,
        "moved" if done else "eligible": [
            {"unit": m.unit, "name": m.name, "late": m.late} for m in plan.eligible
        ],
        "not_eligible": [
            {"unit": b.unit, "name": b.name, "state": b.state, "why_vi": b.why_vi,
             "why_en": b.why_en}
            for b in plan.blocked
        ],
    }  # fmt: skip


def show_plan(plan: Plan, verb: str) -> None:
    """The plan in the chosen language: how many units move and which do not, each with why."""
    out.print(t("bulk_plan", campaign=plan.campaign, verb=verb, n=len(plan.eligible)), markup=False)
    for m in plan.eligible:
        late = t("bulk_late") if m.late else ""
        out.print(f"  ✓ {m.name} ({m.unit}){late}", markup=False)
    if plan.blocked:
        out.print(t("bulk_blocked", n=len(plan.blocked)), markup=False)
        for b in plan.blocked:
            why = b.why_en if lang() == "en" else b.why_vi
            out.print(f"  ✗ {b.name} ({b.unit}): {why}", markup=False)


def confirmed(yes: bool, count: int) -> bool:
    """Whether to go ahead: ``--yes``, or a person's answer on a terminal; a run that is
    not on a terminal without ``--yes`` is refused (exit 1, nothing changed)."""
    if yes:
        return True
    if not interactive():
        raise WorkflowError(
            "this step cannot be undone and nobody is here to confirm it: run it again "
            "with --yes (nothing was changed)",
            vi="bước này không thể hoàn tác và không có ai xác nhận: chạy lại với --yes "
            "(chưa có gì thay đổi)",
        )
    return typer.confirm(t("bulk_confirm", n=count), default=False)


def run_bulk(plan_of: Any, do: Any, verb: str, done_verb: str, yes: bool, as_json: bool) -> None:
    """Show the plan, confirm it, do it with the units shown (all or none), and report."""
    plan = plan_of()
    if not as_json:
        show_plan(plan, verb)
    if not plan.eligible:
        raise WorkflowError(
            f"no unit can move from {plan.source} to {plan.target} now (nothing was changed)",
            vi=f"không đơn vị nào chuyển được từ “{state_name(plan.source, 'vi')}” sang "
            f"“{state_name(plan.target, 'vi')}” lúc này (chưa có gì thay đổi)",
        )
    if not confirmed(yes, len(plan.eligible)):
        out.print(t("bulk_cancelled"), markup=False)
        raise typer.Exit(1)
    result = do(plan.ids)
    if as_json:
        print_json(plan_json(result, True))
    else:
        out.print(t("bulk_done", verb=done_verb, n=len(result.eligible)), markup=False)


@app.command("submit-all")
def submit_all(campaign: CampaignArg, yes: YesOpt = False, as_json: JsonOpt = False) -> None:
    """Submit every draft unit whose self-assessment is complete, reporting the others.

    Example: parindex submit-all langson-2019 --yes
    """

    def body() -> None:
        st = store()
        cid = publication.campaign_id(st, campaign)
        when = now(cid)
        run_bulk(
            lambda: bulk.plan_submit(st, cid, now=when),
            lambda ids: bulk.submit_all(st, cid, actor=actor(), now=when, expected=ids),
            t("submit_will"),
            t("submit_done"),
            yes,
            as_json,
        )

    guard(body)


@app.command("advance-all")
def advance_all(
    campaign: CampaignArg,
    to: Annotated[
        str, typer.Option("--to", help="appraised_1 | explanation | appraised_2 | final")
    ],
    yes: YesOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Move every unit that is at the step before ``--to`` on to it, reporting the others.

    Example: parindex advance-all langson-2019 --to appraised_1 --yes
    """

    def body() -> None:
        st = store()
        cid = publication.campaign_id(st, campaign)
        when = now(cid)
        run_bulk(
            lambda: bulk.plan_advance(st, cid, to),
            lambda ids: bulk.advance_all(st, cid, to, actor=actor(), now=when, expected=ids),
            t("advance_will"),
            t("advance_done"),
            yes,
            as_json,
        )

    guard(body)
