"""Web accounts: who may sign in, with which role, and their signed-in sessions.

Passwords are hashed with argon2id (``argon2-cffi``) and never stored, logged or audited.
Sign-in is rate limited per account: after ``MAX_FAILURES`` consecutive failures the account
is locked for ``LOCKOUT``; a success resets the count. A session is a random token given to
the browser as a cookie; the store keeps only its SHA-256, so a copy of the database does not
let anyone sign in. Every sign-in makes a new token (no session fixation), and each session has
its own CSRF token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlmodel import Session, col, delete, select

from scoring.errors import AccessError, SubmissionError, WorkflowError, unknown_id
from scoring.store import audit
from scoring.store.db import Store
from scoring.store.schema import AccountRow, SessionRow
from scoring.store.stored import stamp

ROLES = ("officer", "appraiser", "auditor", "admin")
ROLE_VI = {
    "officer": "Cán bộ đơn vị",
    "appraiser": "Thẩm định viên (Sở Nội vụ)",
    "auditor": "Kiểm toán viên",
    "admin": "Quản trị",
}
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
SESSION_LIFETIME = dt.timedelta(hours=8)
MIN_PASSWORD = 10
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")

_hasher = PasswordHasher()  # argon2id with the library's current parameters
# a hash to verify against when the account does not exist, so timing does not tell
_DUMMY = _hasher.hash("parindex: no such account")


@dataclass(frozen=True)
class Account:
    """A signed-in person, as the web app sees them."""

    username: str
    display_name: str
    role: str
    unit_id: str | None


def _account(row: AccountRow) -> Account:
    return Account(row.username, row.display_name, row.role, row.unit_id)


def token_hash(token: str) -> str:
    """The hash a session token is stored as (the token itself is never stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


def check_new(username: str, role: str, unit: str | None, password: str) -> None:
    """Refuse an account that could not work: bad name, role, missing unit, short password."""
    if not USERNAME.match(username):
        raise SubmissionError(
            f"username {username!r}: use 2–64 lowercase letters, digits, '.', '_' or '-'",
            vi=f"Tên đăng nhập {username!r} không hợp lệ: dùng từ 2 đến 64 ký tự gồm chữ "
            "thường không dấu, chữ số, '.', '_' hoặc '-'",
        )
    if role not in ROLES:
        raise SubmissionError(
            f"role {role!r}: one of {', '.join(ROLES)}",
            vi=f"Vai trò {role!r} không hợp lệ; chọn một trong: {', '.join(ROLES)}",
        )
    if role == "officer" and not unit:
        raise SubmissionError(
            "an officer account needs its unit (--unit UNIT_ID)",
            vi="Tài khoản cán bộ đơn vị phải gắn với một đơn vị: hãy chọn đơn vị",
        )
    if role != "officer" and unit:
        raise SubmissionError(
            f"only an officer account belongs to a unit, not a {role}",
            vi="Chỉ tài khoản cán bộ đơn vị mới gắn với một đơn vị, tài khoản vai trò "
            f"«{ROLE_VI.get(role, role)}» thì không",
        )
    if len(password) < MIN_PASSWORD:
        raise SubmissionError(
            f"the password needs at least {MIN_PASSWORD} characters",
            vi=f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự",
        )


def add(
    store: Store,
    username: str,
    role: str,
    password: str,
    *,
    display_name: str | None = None,
    unit: str | None = None,
    actor: str,
    now: dt.datetime,
    known_units: Collection[str] | None = None,
) -> Account:
    """Create an account (the password is hashed here and never kept). Given
    ``known_units`` (the web app's: the campaigns' units), an officer's unit must be one."""
    check_new(username, role, unit, password)
    if unit and known_units is not None and unit not in known_units:
        raise unknown_id(
            "no unit",
            unit,
            known_units,
            "in any campaign",
            vi=("Không có đơn vị", "trong kỳ đánh giá nào"),
        )
    at = stamp(now)
    with store.transaction() as s:
        if s.get(AccountRow, username) is not None:
            raise WorkflowError(
                f"account {username!r} already exists",
                vi=f"Tài khoản {username!r} đã có; hãy chọn tên đăng nhập khác",
            )
        row = AccountRow(
            username=username,
            display_name=display_name or username,
            role=role,
            unit_id=unit,
            password_hash=_hasher.hash(password),
            created_at=at,
        )
        s.add(row)
        s.flush()
        audit.record(
            s,
            at=at,
            actor=actor,
            action="account.create",
            unit=unit,
            detail={"username": username, "role": role},
        )
        return _account(row)


def set_active(store: Store, username: str, active: bool, *, actor: str, now: dt.datetime) -> None:
    """Enable or disable an account; disabling ends its sessions."""
    at = stamp(now)
    with store.transaction() as s:
        row = _row(s, username)
        row.active = active
        row.failed_logins, row.locked_until = 0, None
        s.add(row)
        if not active:
            s.exec(delete(SessionRow).where(col(SessionRow.username) == username))
        audit.record(
            s,
            at=at,
            actor=actor,
            action="account.enable" if active else "account.disable",
            detail={"username": username},
        )


def unlock(store: Store, username: str, *, actor: str, now: dt.datetime) -> None:
    """Lift an account's sign-in lockout and forget its failures so far (audited as
    ``account.unlock``); an account that is neither locked nor has failures is refused."""
    at = stamp(now)
    with store.transaction() as s:
        row = _row(s, username)
        locked = is_locked(row, now)
        if not locked and row.failed_logins == 0:
            raise WorkflowError(
                f"account {username!r} is not locked", vi=f"Tài khoản {username!r} không bị khóa"
            )
        detail = {
            "username": username,
            "locked_until": row.locked_until if locked else None,
            "failures": row.failed_logins,
        }
        row.failed_logins, row.locked_until = 0, None
        s.add(row)
        audit.record(s, at=at, actor=actor, action="account.unlock", detail=detail)


def is_locked(row: AccountRow, now: dt.datetime) -> bool:
    """Whether sign-in to ``row`` is refused now because of its failures."""
    return row.locked_until is not None and stamp(now) < row.locked_until


def listing(store: Store) -> list[AccountRow]:
    """Every account, by username."""
    with store.read() as s:
        return list(s.exec(select(AccountRow).order_by(col(AccountRow.username))))


def _row(s: Session, username: str) -> AccountRow:
    row = s.get(AccountRow, username)
    if row is None:
        raise SubmissionError(f"no account {username!r}", vi=f"Không có tài khoản {username!r}")
    return row


def sign_in(store: Store, username: str, password: str, *, now: dt.datetime) -> tuple[str, str]:
    """Check the password; return (session token, CSRF token) or raise ``AccessError``.

    The message is the same for an unknown account and a wrong password."""
    at = stamp(now)
    # one message for every refusal: an unknown name, a wrong password, a locked or disabled
    # account all read the same, so nobody learns which names exist
    refused = AccessError(
        "wrong username or password (after 5 failures an account is locked for 15 minutes)",
        vi="Tên đăng nhập hoặc mật khẩu không đúng (sau 5 lần sai, tài khoản bị khóa 15 phút)",
    )
    with store.transaction() as s:
        row = s.get(AccountRow, username, with_for_update=True)
        if row is None:
            _verify(_DUMMY, password)
            raise refused
        if row.locked_until and at < row.locked_until:
            _verify(_DUMMY, password)
            raise refused
        if not _verify(row.password_hash, password) or not row.active:
            row.failed_logins += 1
            if row.failed_logins >= MAX_FAILURES:
                row.locked_until = stamp(now + LOCKOUT)
                row.failed_logins = 0
                audit.record(
                    s,
                    at=at,
                    actor=username,
                    action="account.lock",
                    detail={"until": row.locked_until},
                )
            s.add(row)
            ok = False
        else:
            row.failed_logins, row.locked_until = 0, None
            if _hasher.check_needs_rehash(row.password_hash):
                row.password_hash = _hasher.hash(password)
            s.add(row)
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            s.add(
                SessionRow(
                    token_hash=token_hash(token),
                    username=username,
                    csrf=csrf,
                    created_at=at,
                    expires_at=stamp(now + SESSION_LIFETIME),
                )
            )
            ok = True
    if not ok:  # the failure count is stored (committed) before the refusal
        raise refused
    return token, csrf


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def session(store: Store, token: str, *, now: dt.datetime) -> tuple[Account, str] | None:
    """The account and CSRF token of a live session, or None."""
    with store.read() as s:
        row = s.get(SessionRow, token_hash(token))
        if row is None or row.expires_at <= stamp(now):
            return None
        acc = s.get(AccountRow, row.username)
        if acc is None or not acc.active:
            return None
        return _account(acc), row.csrf


def sign_out(store: Store, token: str) -> None:
    """End the session of ``token`` (nothing happens if it has already ended)."""
    with store.transaction() as s:
        s.exec(delete(SessionRow).where(col(SessionRow.token_hash) == token_hash(token)))
