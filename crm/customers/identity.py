"""Proving an order is yours: its number plus the e-mail or the postcode.

The bot answers about an order only to someone who proved it is theirs. A
wrong answer must never tell whether the order exists (order numbers are
short and guessable), and after a few failures the bot stops asking.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import ORMOption

from crm.customers.models import Customer
from crm.customers.service import normalise_email
from crm.errors import IdentityNotProven, InvalidInput
from crm.orders.models import Order
from crm.orders.service import normalise_order_number

MAX_FAILED_CHECKS = 3
"""After three failed checks the bot stops asking and offers a person: enough
for a typo or a forgotten postcode, too few to guess (issue 4)."""

# Compared against when the order does not exist, so that an unknown order
# costs the same work as a wrong proof. Neither can match real input: the
# e-mail has no valid domain and postcodes are compared without spaces.
_NO_EMAIL = "nobody@invalid.invalid"
_NO_POSTCODE = "NO POSTCODE"


class IdentityCheck(BaseModel):
    """The outcome of one check; `proof` says what proved it when it passed.

    A failed check carries no customer and no hint of why it failed.
    """

    model_config = ConfigDict(frozen=True)

    verified: bool
    customer_id: int | None
    order_number: str | None
    proof: Literal["email", "postcode"] | None


def checks_exhausted(failures: int) -> bool:
    """Whether the bot should stop asking for proof and offer a person."""
    return failures >= MAX_FAILED_CHECKS


def normalise_postcode(raw: str) -> str:
    """Compare postcodes as people type them: spaces and case ignored ("sw1a 1aa")."""
    return "".join(raw.split()).upper()


def _same(given: str, expected: str) -> bool:
    """Constant-time equality: the time taken must not leak how much matched."""
    return hmac.compare_digest(given.encode(), expected.encode())


def verify_order_owner(
    session: Session, *, order_number: str, proof: str
) -> IdentityCheck:
    """Check that whoever quotes an order number also knows its e-mail or postcode.

    `proof` is an e-mail if it holds an "@", else a postcode. The postcode is
    compared with the one the order was shipped to, and also accepted when it
    is the customer's own: someone who sent a gift elsewhere remembers their
    home postcode, not the recipient's. An unknown order and a wrong proof
    give the same result after the same work (one query, the same
    comparisons), so the answer never tells whether the order exists.

    Raises:
        InvalidInput: the order number has no six digits, or the proof is
            empty (format errors reveal nothing about the store).
    """
    number = normalise_order_number(order_number)
    if not proof.strip():
        raise InvalidInput("give the e-mail address or the postcode of the order")
    row = session.execute(
        select(
            Order.customer_id, Order.ship_postcode, Customer.email, Customer.postcode
        )
        .join(Customer, Customer.id == Order.customer_id)
        .where(Order.number == number)
    ).one_or_none()
    customer_id, ship_postcode, email, home_postcode = (
        row if row is not None else (None, _NO_POSTCODE, _NO_EMAIL, _NO_POSTCODE)
    )
    kind: Literal["email", "postcode"]
    if "@" in proof:
        kind = "email"
        matched = _same(normalise_email(proof), normalise_email(email))
    else:
        kind = "postcode"
        given = normalise_postcode(proof)
        on_order = _same(given, normalise_postcode(ship_postcode))
        at_home = _same(given, normalise_postcode(home_postcode))
        matched = on_order or at_home
    if not matched or customer_id is None:
        return IdentityCheck(
            verified=False, customer_id=None, order_number=number, proof=None
        )
    return IdentityCheck(
        verified=True, customer_id=customer_id, order_number=number, proof=kind
    )


def customer_owns_order(
    session: Session, *, customer_id: int, order_number: str
) -> bool:
    """Whether an already-verified customer may see another order without a new check.

    Raises:
        InvalidInput: the order number has no six digits.
    """
    number = normalise_order_number(order_number)
    found = session.scalar(
        select(Order.id).where(Order.number == number, Order.customer_id == customer_id)
    )
    return found is not None


def owned_order(
    session: Session,
    *,
    customer_id: int | None,
    order_number: str,
    lock: bool = False,
    load: Sequence[ORMOption] = (),
) -> Order:
    """The ORM order, if it is this customer's: for `crm` services only.

    Another customer's order and a number that does not exist raise the same
    error: a verified customer asking about other numbers must not learn
    which exist. `lock` takes a row lock (PostgreSQL) so that two requests
    cannot both cancel or re-address the same order; `load` adds loader
    options (lines, parcels) to the same query.

    Raises:
        InvalidInput: the order number has no six digits.
        IdentityNotProven: no customer, or the order is not theirs (or unknown).
    """
    number = normalise_order_number(order_number)
    if customer_id is None:
        raise IdentityNotProven(f"no verified customer for order {number}")
    query = select(Order).where(Order.number == number).options(*load)
    if lock:
        query = query.with_for_update()
    order = session.scalar(query)
    if order is None or order.customer_id != customer_id:
        raise IdentityNotProven(f"order {number} is not customer {customer_id}'s")
    return order
