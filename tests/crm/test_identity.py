import pytest
from sqlalchemy.orm import Session

from crm.customers.identity import (
    MAX_FAILED_CHECKS,
    IdentityCheck,
    checks_exhausted,
    customer_owns_order,
    verify_order_owner,
)
from crm.errors import InvalidInput
from crm.orders.models import OrderStatus
from tests.factories import make_customer, make_detailed_order, make_order

FAILED = IdentityCheck(
    verified=False, customer_id=None, order_number="104233", proof=None
)


@pytest.mark.parametrize(
    "email",
    [
        "camille.martin@example.fr",
        "  Camille.Martin@EXAMPLE.fr ",
        "CAMILLE.MARTIN@EXAMPLE.FR",
    ],
)
def test_right_email_proves_the_order_whatever_the_case_and_spaces(
    session: Session, email: str
) -> None:
    customer = make_customer(session)
    make_order(session, customer=customer)
    check = verify_order_owner(session, order_number="#104233", proof=email)
    assert check == IdentityCheck(
        verified=True, customer_id=customer.id, order_number="104233", proof="email"
    )


@pytest.mark.parametrize("postcode", ["69003", " 69 003 ", "69003\n"])
def test_right_postcode_proves_the_order_whatever_the_spaces(
    session: Session, postcode: str
) -> None:
    customer = make_customer(session)
    make_order(session, customer=customer)
    check = verify_order_owner(session, order_number="EB-104233", proof=postcode)
    assert check.verified
    assert check.customer_id == customer.id
    assert check.proof == "postcode"


def test_british_postcode_is_matched_without_space_and_in_lower_case(
    session: Session,
) -> None:
    customer = make_customer(session, email="ava@example.co.uk", postcode="SW1A 1AA")
    make_order(session, customer=customer)
    assert verify_order_owner(session, order_number="104233", proof="sw1a1aa").verified


def test_wrong_email_is_refused_without_saying_more(session: Session) -> None:
    customer = make_customer(session)
    make_order(session, customer=customer)
    check = verify_order_owner(
        session, order_number="104233", proof="camille.martin@example.com"
    )
    assert check == FAILED


def test_wrong_postcode_is_refused_without_saying_more(session: Session) -> None:
    customer = make_customer(session)
    make_order(session, customer=customer)
    assert verify_order_owner(session, order_number="104233", proof="69004") == FAILED


def test_unknown_order_gives_the_same_answer_as_a_wrong_proof(
    session: Session,
) -> None:
    customer = make_customer(session)
    make_order(session, customer=customer, number="104234")
    unknown = verify_order_owner(
        session, order_number="104233", proof="camille.martin@example.fr"
    )
    wrong = verify_order_owner(session, order_number="104234", proof="nobody@x.fr")
    assert unknown == FAILED
    assert wrong.model_dump(exclude={"order_number"}) == unknown.model_dump(
        exclude={"order_number"}
    )


def test_another_customers_email_does_not_prove_the_order(session: Session) -> None:
    owner = make_customer(session)
    make_customer(session, email="someone.else@example.fr")
    make_order(session, customer=owner)
    check = verify_order_owner(
        session, order_number="104233", proof="someone.else@example.fr"
    )
    assert not check.verified


def test_gift_shipped_elsewhere_is_proven_by_either_postcode(
    session: Session,
) -> None:
    customer = make_customer(session, postcode="69003")
    make_detailed_order(
        session,
        customer=customer,
        number="104233",
        status=OrderStatus.PROCESSING,
        ship_postcode="33000",
        ship_city="Bordeaux",
    )
    by_recipient = verify_order_owner(session, order_number="104233", proof="33000")
    by_home = verify_order_owner(session, order_number="104233", proof="69003")
    assert by_recipient.verified and by_home.verified
    assert verify_order_owner(session, order_number="104233", proof="75011") == FAILED


@pytest.mark.parametrize("typed", ["12345", "my order", ""])
def test_order_number_without_six_digits_is_a_format_error(
    session: Session, typed: str
) -> None:
    with pytest.raises(InvalidInput, match="six digits"):
        verify_order_owner(session, order_number=typed, proof="69003")


def test_empty_proof_is_a_format_error(session: Session) -> None:
    with pytest.raises(InvalidInput, match="e-mail address or the postcode"):
        verify_order_owner(session, order_number="104233", proof="  ")


def test_bot_stops_asking_after_three_failed_checks() -> None:
    assert MAX_FAILED_CHECKS == 3
    assert not checks_exhausted(2)
    assert checks_exhausted(3)


def test_verified_customer_owns_their_other_orders_only(session: Session) -> None:
    customer = make_customer(session)
    other = make_customer(session, email="someone.else@example.fr")
    make_order(session, customer=customer, number="100001")
    make_order(session, customer=other, number="100002")
    assert customer_owns_order(session, customer_id=customer.id, order_number="#100001")
    assert not customer_owns_order(
        session, customer_id=customer.id, order_number="100002"
    )
    assert not customer_owns_order(
        session, customer_id=customer.id, order_number="100003"
    )
