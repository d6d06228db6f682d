from __future__ import annotations

import stat
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy.orm import Session

from crm import clock
from crm.demo.staff import create_demo_staff, save_demo_logins
from crm.staff.models import Role, StaffUser
from crm.staff.service import authenticate
from tests.factories import make_staff


def test_a_store_without_staff_gets_one_login_per_role_with_random_passwords(
    session: Session, tmp_path: Path
) -> None:
    session.execute(delete(StaffUser))  # rolled back after the test
    logins = create_demo_staff(session, now=clock.now())

    assert {login.role for login in logins} == set(Role)
    assert len({login.password for login in logins}) == len(logins)
    for login in logins:
        assert authenticate(session, email=login.email, password=login.password)
    path = tmp_path / "var" / "demo-logins.txt"
    save_demo_logins(path, logins)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert all(login.password in path.read_text("utf-8") for login in logins)


def test_a_store_with_real_staff_gets_no_demo_login(session: Session) -> None:
    make_staff(session)
    assert create_demo_staff(session, now=clock.now()) == []
