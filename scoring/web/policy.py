"""Who may do what: every action of the web app, the roles allowed, and unit ownership.

Each route names one action here (``routing.Router.add``), and the check runs on the server for
every request. ``OWN`` actions are allowed to an officer only on the officer's own unit: a unit id
changed in the URL or a form is refused. The table is also what the access tests enumerate.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.errors import WorkflowError
from scoring.store.accounts import Account


@dataclass(frozen=True)
class Rule:
    """Who may do one action: the roles allowed on any unit, and whether an officer may on
    its own."""

    roles: frozenset[str]  # roles allowed on any unit
    own: bool = False  # an officer is allowed on its own unit


def _r(*roles: str, own: bool = False) -> Rule:
    return Rule(frozenset(roles), own)


PUBLIC = "public"  # no sign-in needed (sign-in page, language, health, static files)
SIGNED_IN = "signed_in"  # any account

ACTIONS: dict[str, Rule] = {
    PUBLIC: _r(),
    SIGNED_IN: _r("officer", "appraiser", "auditor", "admin"),
    "campaign.read": _r("appraiser", "auditor", "admin"),
    "ranking.read": _r("appraiser", "auditor", "admin"),
    "unit.read": _r("appraiser", "auditor", "admin", own=True),
    "unit.simulate": _r("appraiser", "auditor", "admin", own=True),
    "trace.read": _r("appraiser", "auditor", "admin", own=True),
    "answers.write": _r(own=True),
    "answers.submit": _r(own=True),
    "explanation.write": _r(own=True),
    "appraisal.write": _r("appraiser"),
    "unit.advance": _r("appraiser"),
    "units.advance": _r("appraiser"),  # every eligible unit at once (pages/bulk)
    "audit.read": _r("auditor", "admin"),
    "publication.verify": _r("auditor", "admin"),
    "campaign.advance": _r("admin"),
    "campaign.publish": _r("admin"),
    "accounts.read": _r("admin"),
    "accounts.write": _r("admin"),
    # evidence files: read by whoever reads the unit, changed by its own officers only
    "evidence.read": _r("appraiser", "auditor", "admin", own=True),
    "evidence.write": _r(own=True),
}


def allowed(account: Account, action: str, unit: str | None = None) -> bool:
    """May ``account`` do ``action`` (on ``unit``, for unit actions)?"""
    rule = ACTIONS[action]
    if account.role in rule.roles:
        return True
    return (
        rule.own
        and account.role == "officer"
        and unit is not None
        and account.unit_id is not None
        and unit == account.unit_id
    )


def check_active_change(account: Account, username: str) -> None:
    """Refuse ``account`` enabling or disabling its own account: an administrator cannot
    shut themselves out (another administrator can)."""
    if username == account.username:
        raise WorkflowError(
            "an administrator cannot disable their own account",
            vi="Quản trị viên không thể tự khóa tài khoản của chính mình",
        )
