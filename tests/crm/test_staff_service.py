import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.errors import InvalidInput, UserExists, UserNotFound
from crm.staff.models import AuditEntry, Role, StaffUser
from crm.staff.service import authenticate, create_user
from tests.factories import T0


def test_created_user_can_log_in_and_password_is_not_stored(session: Session) -> None:
    user = create_user(
        session,
        email="Lea@Shop.example",
        first_name="Léa",
        role=Role.AGENT,
        password="correct horse battery",
        now=T0,
    )
    assert user.email == "lea@shop.example"
    stored = session.scalar(
        select(StaffUser.password_hash).where(StaffUser.id == user.id)
    )
    assert stored is not None and "correct horse" not in stored
    assert stored.startswith("$argon2id$")
    logged = authenticate(
        session, email="lea@shop.example", password="correct horse battery"
    )
    assert logged.role is Role.AGENT
    audit = session.scalars(
        select(AuditEntry).where(AuditEntry.entity_id == str(user.id))
    ).all()
    assert [a.action for a in audit] == ["staff_user_created"]


def test_wrong_password_and_unknown_email_get_the_same_refusal(
    session: Session,
) -> None:
    create_user(
        session,
        email="ops@shop.example",
        first_name="Omar",
        role=Role.OPS,
        password="a long enough password",
        now=T0,
    )
    with pytest.raises(UserNotFound) as wrong:
        authenticate(session, email="ops@shop.example", password="nope nope nope")
    with pytest.raises(UserNotFound) as unknown:
        authenticate(
            session, email="who@shop.example", password="a long enough password"
        )
    assert str(wrong.value) == str(unknown.value)


def test_duplicate_email_is_refused(session: Session) -> None:
    kwargs = {
        "first_name": "A",
        "role": Role.ADMIN,
        "password": "0123456789ab",
        "now": T0,
    }
    create_user(session, email="admin@shop.example", **kwargs)  # type: ignore[arg-type]
    with pytest.raises(UserExists):
        create_user(session, email="ADMIN@shop.example", **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("email", "password"), [("not-an-email", "0123456789ab"), ("a@b.example", "short")]
)
def test_bad_email_or_short_password_is_refused(
    session: Session, email: str, password: str
) -> None:
    with pytest.raises(InvalidInput):
        create_user(
            session,
            email=email,
            first_name="X",
            role=Role.AGENT,
            password=password,
            now=T0,
        )
