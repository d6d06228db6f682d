"""Demo staff logins, so a fresh `make run` lets people try the console and dashboard.

Passwords are random per install (never a known default an attacker could
try on a demo left on the internet); the CLI writes them to a private file.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.staff.models import Role, StaffUser
from crm.staff.service import create_user

DEMO_STAFF = (
    ("agent@shopdesk.demo", "Claire", Role.AGENT),
    ("agent2@shopdesk.demo", "Yanis", Role.AGENT),
    ("ops@shopdesk.demo", "Inès", Role.OPS),
    ("admin@shopdesk.demo", "Marc", Role.ADMIN),
)


class DemoLogin(BaseModel):
    """One demo staff login, with its password in clear (shown once)."""

    model_config = ConfigDict(frozen=True)

    email: str
    first_name: str
    role: Role
    password: str


def create_demo_staff(session: Session, *, now: datetime) -> list[DemoLogin]:
    """Create the demo staff if the store has no staff user at all; else nothing.

    A store with real staff is never given demo accounts.
    """
    if session.scalar(select(func.count(StaffUser.id))):
        return []
    logins = []
    for email, first_name, role in DEMO_STAFF:
        password = secrets.token_urlsafe(12)
        create_user(
            session,
            email=email,
            first_name=first_name,
            role=role,
            password=password,
            now=now,
        )
        logins.append(
            DemoLogin(email=email, first_name=first_name, role=role, password=password)
        )
    return logins


def save_demo_logins(path: Path, logins: list[DemoLogin]) -> None:
    """Write the demo logins where only this machine's user can read them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# shopdesk demo staff logins (made by `shopdesk run`; keep private)"]
    lines += [
        f"{login.role.value:6}  {login.email:24}  {login.password}" for login in logins
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
