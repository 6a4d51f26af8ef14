"""The campaign's workflow: states of a campaign and of each unit, and the allowed moves.

Pure rules, no storage: ``check_unit_move`` and ``check_campaign_move`` raise a
``WorkflowError`` that says what is allowed instead.

Unit:      draft → submitted → appraised_1 → explanation → appraised_2 → final
Campaign:  open → appraisal → review → published
"""

from __future__ import annotations

from scoring.errors import WorkflowError

UNIT_STATES = ("draft", "submitted", "appraised_1", "explanation", "appraised_2", "final")
CAMPAIGN_STATES = ("open", "appraisal", "review", "published")

# unit move -> the campaign state it needs
UNIT_MOVES: dict[tuple[str, str], str] = {
    ("draft", "submitted"): "open",
    ("submitted", "appraised_1"): "appraisal",
    ("appraised_1", "explanation"): "appraisal",
    ("explanation", "appraised_2"): "appraisal",
    ("appraised_2", "final"): "appraisal",
}
CAMPAIGN_MOVES = {("open", "appraisal"), ("appraisal", "review"), ("review", "published")}

# a unit's or a campaign's state as people name it: (Vietnamese, English). The one table:
# the library's messages (``bulk``'s reasons), the web app (``web.i18n.state``) and the CLI
# (``cli.texts.state``) all read it, so a state has the same name everywhere
STATE_NAMES: dict[str, tuple[str, str]] = {
    "draft": ("Dự thảo", "draft"),
    "submitted": ("Đã nộp", "submitted"),
    "appraised_1": ("Đã thẩm định vòng 1", "appraised (round 1)"),
    "explanation": ("Giải trình", "explanation"),
    "appraised_2": ("Đã thẩm định vòng 2", "appraised (round 2)"),
    "final": ("Hoàn tất", "final"),
    "open": ("Đang mở", "open"),
    "appraisal": ("Thẩm định", "appraisal"),
    "review": ("Xem xét", "review"),
    "published": ("Đã công bố", "published"),
}


def state_name(state: str | None, lang: str = "vi") -> str:
    """A unit's or a campaign's state as people name it in ``lang`` (English only for
    ``en``): ``appraised_1`` → ``Đã thẩm định vòng 1``; ``—`` for none, an unknown state as
    it is."""
    if state is None:
        return "—"
    vi, en = STATE_NAMES.get(state, (state, state))
    return en if lang == "en" else vi


# what may change in which state: (unit state, campaign state)
EDITABLE = {
    "answers": ({"draft"}, {"open"}),
    "appraisal 1": ({"submitted"}, {"appraisal"}),
    "explanation": ({"explanation"}, {"appraisal"}),
    "appraisal 2": ({"explanation"}, {"appraisal"}),
    "appraisal correction": (set(UNIT_STATES), {"published"}),
}


def check_unit_move(unit: str, current: str, target: str, campaign_state: str) -> None:
    """Refuse a unit transition the workflow does not allow now."""
    if target not in UNIT_STATES:
        raise WorkflowError(f"unknown unit state {target!r}; states: {', '.join(UNIT_STATES)}")
    needed = UNIT_MOVES.get((current, target))
    if needed is None:
        nxt = [t for (c, t) in UNIT_MOVES if c == current]
        hint = f"from {current} it can go to {nxt[0]}" if nxt else f"{current} is the last state"
        raise WorkflowError(f"unit {unit} cannot go from {current} to {target}: {hint}")
    if campaign_state != needed:
        raise WorkflowError(
            f"unit {unit} can go to {target} only while the campaign is "
            f"{needed} (it is {campaign_state})"
        )


def check_campaign_move(
    campaign: str, current: str, target: str, unit_states: dict[str, str]
) -> None:
    """Refuse a campaign transition that is not allowed, or whose units are not ready."""
    if target not in CAMPAIGN_STATES:
        raise WorkflowError(
            f"unknown campaign state {target!r}; states: {', '.join(CAMPAIGN_STATES)}"
        )
    if (current, target) not in CAMPAIGN_MOVES:
        raise WorkflowError(f"campaign {campaign} cannot go from {current} to {target}")
    if target == "appraisal":
        waiting = sorted(u for u, s in unit_states.items() if s == "draft")
        if waiting:
            raise WorkflowError(
                f"{len(waiting)} unit(s) have not submitted: "
                f"{', '.join(waiting[:5])}{'…' if len(waiting) > 5 else ''}"
            )
    if target == "review":
        open_ = sorted(u for u, s in unit_states.items() if s != "final")
        if open_:
            raise WorkflowError(
                f"{len(open_)} unit(s) are not final yet: "
                f"{', '.join(open_[:5])}{'…' if len(open_) > 5 else ''}"
            )


def editable(what: str, unit_state: str, campaign_state: str) -> bool:
    """Whether ``what`` (answers, appraisal 1/2/correction, explanation) may change now."""
    unit_ok, campaign_ok = EDITABLE[what]
    return campaign_state in campaign_ok and unit_state in unit_ok


def check_editable(what: str, unit: str, unit_state: str, campaign_state: str) -> None:
    """Refuse a change to ``what`` (answers, appraisal 1/2/correction, explanation) now."""
    unit_ok, campaign_ok = EDITABLE[what]
    if not editable(what, unit_state, campaign_state):
        raise WorkflowError(
            f"{what} of unit {unit} cannot change now: the unit is {unit_state} and the "
            f"campaign {campaign_state} (allowed: unit {' or '.join(sorted(unit_ok))}, campaign "
            f"{' or '.join(sorted(campaign_ok))})"
        )


def open_round(unit_state: str, campaign_state: str) -> str | None:
    """The appraisal round (1, 2 or correction) open for a unit now, if any."""
    for round_ in ("1", "2", "correction"):
        if editable(f"appraisal {round_}", unit_state, campaign_state):
            return round_
    return None


def check_round_open(unit: str, unit_state: str, campaign_state: str) -> str:
    """The appraisal round open for ``unit`` now; refused when none is."""
    round_ = open_round(unit_state, campaign_state)
    if round_ is None:
        raise WorkflowError(
            f"unit {unit} is {unit_state} and the campaign {campaign_state}: "
            "no appraisal round is open"
        )
    return round_


def appraiser_moves(current: str) -> list[str]:
    """The states an appraiser may move a unit on to from ``current``: every next state but
    ``submitted``, which a unit reaches only by submitting its own self-assessment."""
    return [t for (c, t) in UNIT_MOVES if c == current and t != "submitted"]


def check_appraiser_move(target: str) -> None:
    """Refuse an appraiser's move of a unit to ``submitted`` (the unit's own act)."""
    if target == "submitted":
        raise WorkflowError("a unit submits its own self-assessment; an appraiser cannot")


def bulk_steps(campaign_state: str) -> list[tuple[str, str]]:
    """The unit moves (from, to) that may be made for every eligible unit at once while the
    campaign is ``campaign_state``: each move allowed then, but a submission, which is the
    units' own act (the CLI's ``submit-all`` does it for them)."""
    return [
        (c, t)
        for (c, t), needed in UNIT_MOVES.items()
        if needed == campaign_state and t != "submitted"
    ]


def source_of(target: str) -> str:
    """The state a unit moves to ``target`` from; refused for a state no move leads to."""
    found = [c for (c, t) in UNIT_MOVES if t == target]
    if not found:
        steps = ", ".join(t for (_, t) in UNIT_MOVES)
        raise WorkflowError(f"no unit moves to {target!r}; the steps are: {steps}")
    return found[0]
