"""Who may do what: the rules beyond the action table (an administrator and their own account)."""

from __future__ import annotations

import pytest

from scoring.errors import WorkflowError
from scoring.store.accounts import Account
from scoring.web.policy import allowed, check_active_change

ADMIN = Account("quantri", "Quản trị", "admin", None)


def test_an_administrator_cannot_change_their_own_accounts_state() -> None:
    """Enabling or disabling one's own account is refused; another's is not."""
    with pytest.raises(WorkflowError, match="cannot disable their own account"):
        check_active_change(ADMIN, "quantri")
    check_active_change(ADMIN, "canbo")


def test_an_officer_acts_on_its_own_unit_only() -> None:
    """An own-unit action is allowed an officer on its unit, not on another or on none."""
    officer = Account("canbo", "Cán bộ", "officer", "so-tai-chinh")
    assert allowed(officer, "answers.write", "so-tai-chinh")
    assert not allowed(officer, "answers.write", "ban-dan-toc")
    assert not allowed(officer, "answers.write", None)
    assert not allowed(officer, "accounts.read")
    assert allowed(ADMIN, "accounts.read") and not allowed(ADMIN, "answers.write", "so-tai-chinh")
