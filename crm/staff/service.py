"""Staff accounts and the audit log: who may log in, and who did what."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pwdlib import PasswordHash
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.errors import InvalidInput, UserExists, UserNotFound
from crm.staff.models import AuditEntry, Role, StaffUser
from crm.staff.schemas import StaffUserView

MIN_PASSWORD_LENGTH = 10  # NIST SP 800-63B asks for 8 at least; staff see customer data

_hasher = PasswordHash.recommended()  # Argon2id


def create_user(
    session: Session,
    *,
    email: str,
    first_name: str,
    role: Role,
    password: str,
    now: datetime,
) -> StaffUserView:
    """Create a staff login; only an Argon2 hash of the password is stored.

    Raises:
        InvalidInput: the e-mail or the password is not acceptable.
        UserExists: a user with that e-mail already exists.
    """
    email = email.strip().lower()
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise InvalidInput(f"'{email}' is not an e-mail address")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
        )
    if session.scalar(select(StaffUser.id).where(StaffUser.email == email)):
        raise UserExists(f"a staff user '{email}' already exists")
    user = StaffUser(
        email=email,
        first_name=first_name.strip() or email.split("@")[0],
        role=role,
        password_hash=_hasher.hash(password),
        active=True,
        created_at=now,
    )
    session.add(user)
    session.flush()
    record_audit(
        session,
        actor="cli",
        action="staff_user_created",
        entity="staff_user",
        entity_id=str(user.id),
        details={"role": role.value},
        now=now,
    )
    return StaffUserView.model_validate(user)


def authenticate(session: Session, *, email: str, password: str) -> StaffUserView:
    """Return the active user with this e-mail and password.

    The same error for an unknown e-mail and a wrong password: a login form
    must not tell an attacker which staff e-mails exist.

    Raises:
        UserNotFound: no active user with that e-mail and password.
    """
    user = session.scalar(
        select(StaffUser).where(StaffUser.email == email.strip().lower())
    )
    if user is None or not user.active:
        _hasher.hash(password)  # same time as a real check
        raise UserNotFound("wrong e-mail or password")
    valid, new_hash = _hasher.verify_and_update(password, user.password_hash)
    if not valid:
        raise UserNotFound("wrong e-mail or password")
    if new_hash:
        user.password_hash = new_hash
        session.flush()
    return StaffUserView.model_validate(user)


def staff_actor(user: StaffUserView) -> str:
    """How a staff member is named in the audit log: role and id ("ops:4").

    The role tells a reader of the log which screen the change came from
    (console or dashboard) without a join.
    """
    return f"{user.role.value}:{user.id}"


def record_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    details: dict[str, Any] | None = None,
    now: datetime,
) -> None:
    """Append one line to the audit log (never updated, never deleted)."""
    session.add(
        AuditEntry(
            at=now,
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            details=details,
        )
    )
    session.flush()


def active_user(session: Session, user_id: int) -> StaffUserView | None:
    """The staff user behind a session, or None once deactivated or deleted.

    Checked on every request, not only at login: an account switched off
    must lose its open sessions at once.
    """
    user = session.get(StaffUser, user_id)
    if user is None or not user.active:
        return None
    return StaffUserView.model_validate(user)
