from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from crm.errors import InvalidInput, OrderNotFound
from crm.orders.models import OrderStatus
from crm.orders.service import get_order, list_customer_orders, normalise_order_number
from crm.shipping.models import TrackingCode
from tests.factories import T0, make_customer, make_order, make_shipment


@pytest.mark.parametrize(
    "typed",
    ["104233", "#104233", "n°104233", "no. 104233", "commande 104233", "EB-104233"],
)
def test_order_number_is_read_however_the_customer_writes_it(typed: str) -> None:
    assert normalise_order_number(typed) == "104233"


@pytest.mark.parametrize("typed", ["12345", "1234567", "my order", ""])
def test_text_without_six_digits_is_refused_with_a_reason(typed: str) -> None:
    with pytest.raises(InvalidInput, match="six digits"):
        normalise_order_number(typed)


def test_get_order_shows_latest_scan_first(session: Session) -> None:
    customer = make_customer(session)
    order = make_order(session, customer=customer, status=OrderStatus.IN_TRANSIT)
    make_shipment(
        session,
        order=order,
        events=(
            (TrackingCode.LABEL_CREATED, "Lyon"),
            (TrackingCode.AT_HUB, "Chilly-Mazarin"),
        ),
    )
    view = get_order(session, "EB-104233")
    assert view.status is OrderStatus.IN_TRANSIT
    assert view.shipments[0].tracking_number == "6A12345678901"
    assert view.shipments[0].events[0].location == "Chilly-Mazarin"
    assert view.shipments[0].events[0].occurred_at.tzinfo is not None
    assert view.lines[0].quantity == 2


def test_unknown_order_number_raises_not_found(session: Session) -> None:
    with pytest.raises(OrderNotFound):
        get_order(session, "999999")


def test_customer_orders_are_listed_newest_first(session: Session) -> None:
    customer = make_customer(session)
    make_order(session, customer=customer, number="100001", placed_at=T0)
    make_order(
        session, customer=customer, number="100002", placed_at=T0 + timedelta(days=3)
    )
    other = make_customer(session, email="someone.else@example.com")
    make_order(session, customer=other, number="100003")
    numbers = [o.number for o in list_customer_orders(session, customer.id)]
    assert numbers == ["100002", "100001"]
