import pytest
from sqlalchemy.orm import Session

from crm.customers.service import find_customer_by_email, get_customer
from crm.errors import CustomerNotFound
from tests.factories import make_customer


def test_customer_is_found_by_email_typed_with_capitals_and_spaces(
    session: Session,
) -> None:
    made = make_customer(session, email="camille.martin@example.fr")
    found = find_customer_by_email(session, "  Camille.Martin@Example.FR ")
    assert found is not None
    assert found.id == made.id
    assert found.postcode == "69003"


def test_unknown_email_finds_nobody(session: Session) -> None:
    assert find_customer_by_email(session, "nobody@example.fr") is None


def test_unknown_customer_id_raises(session: Session) -> None:
    with pytest.raises(CustomerNotFound):
        get_customer(session, 424242)
