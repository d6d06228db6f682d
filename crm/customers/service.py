"""Looking customers up by id or e-mail."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.customers.models import Customer
from crm.customers.schemas import CustomerView
from crm.errors import CustomerNotFound


def normalise_email(raw: str) -> str:
    """Compare e-mails as people type them: surrounding spaces and case ignored."""
    return raw.strip().lower()


def find_customer_by_email(session: Session, email: str) -> CustomerView | None:
    """The customer with this e-mail, or None."""
    customer = session.scalar(
        select(Customer).where(Customer.email == normalise_email(email))
    )
    return CustomerView.model_validate(customer) if customer else None


def get_customer(session: Session, customer_id: int) -> CustomerView:
    """The customer with this id.

    Raises:
        CustomerNotFound: no such customer.
    """
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise CustomerNotFound(f"no customer {customer_id}")
    return CustomerView.model_validate(customer)
