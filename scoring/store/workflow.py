"""The campaign's workflow: states of a campaign and of each unit, and the allowed moves.

Pure rules, no storage: ``check_unit_move`` and ``check_campaign_move`` raise a
``WorkflowError`` that says what is allowed instead.

Unit:      draft → submitted → appraised_1 → explanation → appraised_2 → final
Campaign:  open → appraisal → review → published
"""

from __future__ import annotations

from collections.abc import Iterable

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
        raise WorkflowError(
            f"unknown unit state {target!r}; states: {', '.join(UNIT_STATES)}",
            vi=f"Không có trạng thái hồ sơ {target!r}; các trạng thái: {_names(UNIT_STATES)}",
        )
    needed = UNIT_MOVES.get((current, target))
    if needed is None:
        nxt = [t for (c, t) in UNIT_MOVES if c == current]
        hint = f"from {current} it can go to {nxt[0]}" if nxt else f"{current} is the last state"
        said = (
            f"từ đó chỉ chuyển sang «{state_name(nxt[0])}»"
            if nxt
            else "đây là bước cuối của quy trình"
        )
        vi = f"Hồ sơ của đơn vị {unit} đang ở «{state_name(current)}», không thể chuyển sang "
        vi += f"«{state_name(target)}»: {said}"
        if target == "submitted":  # the commonest: a second click on "Nộp"
            vi = f"Hồ sơ của đơn vị {unit} đã nộp (đang ở «{state_name(current)}»), "
            vi += "không thể nộp lại"
        raise WorkflowError(f"unit {unit} cannot go from {current} to {target}: {hint}", vi=vi)
    if campaign_state != needed:
        raise WorkflowError(
            f"unit {unit} can go to {target} only while the campaign is "
            f"{needed} (it is {campaign_state})",
            vi=f"Hồ sơ của đơn vị {unit} chỉ chuyển sang «{state_name(target)}» khi kỳ đánh "
            f"giá ở bước «{state_name(needed)}» (hiện là «{state_name(campaign_state)}»)",
        )


def check_campaign_move(
    campaign: str, current: str, target: str, unit_states: dict[str, str]
) -> None:
    """Refuse a campaign transition that is not allowed, or whose units are not ready."""
    if target not in CAMPAIGN_STATES:
        raise WorkflowError(
            f"unknown campaign state {target!r}; states: {', '.join(CAMPAIGN_STATES)}",
            vi=f"Không có bước {target!r} của kỳ đánh giá; các bước: {_names(CAMPAIGN_STATES)}",
        )
    if (current, target) not in CAMPAIGN_MOVES:
        raise WorkflowError(
            f"campaign {campaign} cannot go from {current} to {target}",
            vi=f"Kỳ đánh giá {campaign} đang ở bước «{state_name(current)}», không thể chuyển "
            f"sang «{state_name(target)}»",
        )
    if target == "appraisal":
        waiting = sorted(u for u, s in unit_states.items() if s == "draft")
        if waiting:
            raise WorkflowError(
                f"{len(waiting)} unit(s) have not submitted: {_some(waiting)}",
                vi=f"Còn {len(waiting)} đơn vị chưa nộp hồ sơ: {_some(waiting)}",
            )
    if target == "review":
        open_ = sorted(u for u, s in unit_states.items() if s != "final")
        if open_:
            raise WorkflowError(
                f"{len(open_)} unit(s) are not final yet: {_some(open_)}",
                vi=f"Còn {len(open_)} đơn vị chưa hoàn tất thẩm định: {_some(open_)}",
            )


# what may change, as the Vietnamese refusal names it
EDITABLE_NAMES_VI = {
    "answers": "Phần tự đánh giá",
    "appraisal 1": "Kết quả thẩm định vòng 1",
    "explanation": "Phần giải trình",
    "appraisal 2": "Kết quả thẩm định vòng 2",
    "appraisal correction": "Việc đính chính kết quả thẩm định",
}


def _names(states: Iterable[str]) -> str:
    """States as ids with their Vietnamese names: ``draft (Dự thảo), …``."""
    return ", ".join(f"{s} ({state_name(s)})" for s in states)


def _some(units: list[str]) -> str:
    """The first five ids, with ``…`` when there are more."""
    return ", ".join(units[:5]) + ("…" if len(units) > 5 else "")


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
            f"{' or '.join(sorted(campaign_ok))})",
            vi=f"{EDITABLE_NAMES_VI.get(what, what)} của đơn vị {unit} không thể thay đổi lúc "
            f"này: hồ sơ đang ở «{state_name(unit_state)}», kỳ đánh giá ở "
            f"«{state_name(campaign_state)}»",
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
            "no appraisal round is open",
            vi=f"Hồ sơ của đơn vị {unit} đang ở «{state_name(unit_state)}», kỳ đánh giá ở "
            f"«{state_name(campaign_state)}»: không có vòng thẩm định nào đang mở",
        )
    return round_


def appraiser_moves(current: str) -> list[str]:
    """The states an appraiser may move a unit on to from ``current``: every next state but
    ``submitted``, which a unit reaches only by submitting its own self-assessment."""
    return [t for (c, t) in UNIT_MOVES if c == current and t != "submitted"]


def check_appraiser_move(target: str) -> None:
    """Refuse an appraiser's move of a unit to ``submitted`` (the unit's own act)."""
    if target == "submitted":
        raise WorkflowError(
            "a unit submits its own self-assessment; an appraiser cannot",
            vi="Đơn vị tự nộp hồ sơ tự đánh giá của mình; người thẩm định không nộp thay được",
        )


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
        raise WorkflowError(
            f"no unit moves to {target!r}; the steps are: {steps}",
            vi=f"Không có bước chuyển hồ sơ sang {target!r}; các bước: "
            f"{_names(t for (_, t) in UNIT_MOVES)}",
        )
    return found[0]
