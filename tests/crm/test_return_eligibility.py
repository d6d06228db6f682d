from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from crm.errors import IdentityNotProven
from crm.orders.models import OrderStatus
from crm.returns.eligibility import check_eligibility, list_returnable_orders
from crm.returns.models import ReturnStatus
from crm.returns.policy import load_returns_policy
from crm.returns.schemas import LineEligibility
from crm.shipping.models import Shipment
from tests.crm.return_helpers import delivered_order, existing_return, make_item
from tests.factories import make_customer, make_detailed_order, make_parcel

MARCH_1 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)  # 11:00 in Paris


def _line(session: Session, customer_id: int, today: date) -> LineEligibility:
    answer = check_eligibility(
        session, customer_id=customer_id, order_number="104233", today=today
    )
    return answer.lines[0]


# -- window_closed: counted from the Paris delivery day, last day included ------


def test_return_allowed_on_day_30_the_last_day(session: Session) -> None:
    customer = make_customer(session)
    delivered_order(session, customer=customer, delivered_at=MARCH_1)

    line = _line(session, customer.id, date(2026, 3, 31))

    assert line.eligible
    assert line.reason is None
    assert line.deadline == date(2026, 3, 31)
    assert line.returnable_quantity == 2


def test_return_refused_on_day_31(session: Session) -> None:
    customer = make_customer(session)
    delivered_order(session, customer=customer, delivered_at=MARCH_1)

    line = _line(session, customer.id, date(2026, 4, 1))

    assert not line.eligible
    assert line.reason == "window_closed"
    assert line.deadline == date(2026, 3, 31)
    assert line.returnable_quantity == 0


def test_delivery_day_itself_is_inside_the_window(session: Session) -> None:
    customer = make_customer(session)
    delivered_order(session, customer=customer, delivered_at=MARCH_1)

    assert _line(session, customer.id, date(2026, 3, 1)).eligible


@pytest.mark.parametrize(
    ("delivered", "deadline"),
    [
        (datetime(2028, 1, 31, 12, 0, tzinfo=UTC), date(2028, 3, 1)),
        (datetime(2028, 2, 29, 12, 0, tzinfo=UTC), date(2028, 3, 30)),
        (datetime(2027, 1, 31, 12, 0, tzinfo=UTC), date(2027, 3, 2)),
    ],
)
def test_leap_day_counts_like_any_other(
    session: Session, delivered: datetime, deadline: date
) -> None:
    customer = make_customer(session)
    delivered_order(session, customer=customer, delivered_at=delivered)

    last = _line(session, customer.id, deadline)
    after = _line(session, customer.id, date.fromordinal(deadline.toordinal() + 1))

    assert (last.eligible, last.deadline) == (True, deadline)
    assert (after.eligible, after.reason) == (False, "window_closed")


def test_window_starts_on_the_paris_day_of_a_late_evening_delivery(
    session: Session,
) -> None:
    customer = make_customer(session)
    # 22:30 UTC on 1 July is 00:30 on 2 July in Paris (summer time, UTC+2).
    delivered_order(
        session,
        customer=customer,
        delivered_at=datetime(2026, 7, 1, 22, 30, tzinfo=UTC),
    )

    answer = check_eligibility(
        session, customer_id=customer.id, order_number="104233", today=date(2026, 8, 1)
    )

    assert answer.delivered_on == date(2026, 7, 2)
    assert answer.deadline == date(2026, 8, 1)
    assert answer.lines[0].eligible
    assert _line(session, customer.id, date(2026, 8, 2)).reason == "window_closed"


def test_winter_evening_delivery_stays_on_its_utc_day(session: Session) -> None:
    customer = make_customer(session)
    # 22:30 UTC on 1 December is 23:30 in Paris (UTC+1): still the 1st.
    delivered_order(
        session,
        customer=customer,
        delivered_at=datetime(2026, 12, 1, 22, 30, tzinfo=UTC),
    )

    assert _line(session, customer.id, date(2026, 12, 31)).eligible
    assert _line(session, customer.id, date(2027, 1, 1)).reason == "window_closed"


# -- not_delivered and order_cancelled -------------------------------------------


@pytest.mark.parametrize(
    ("status", "shipped", "hint"),
    [
        (OrderStatus.PROCESSING, False, "cancel_order"),
        (OrderStatus.PROCESSING, True, "refuse_parcel"),
        (OrderStatus.SHIPPED, True, "refuse_parcel"),
        (OrderStatus.IN_TRANSIT, True, "refuse_parcel"),
        (OrderStatus.OUT_FOR_DELIVERY, True, "refuse_parcel"),
        (OrderStatus.DELAYED, True, "refuse_parcel"),
        (OrderStatus.LOST, True, "report_lost"),
    ],
)
def test_no_return_before_delivery_but_a_way_out(
    session: Session, status: OrderStatus, shipped: bool, hint: str
) -> None:
    customer = make_customer(session)
    order = make_detailed_order(
        session, customer=customer, number="104233", status=status
    )
    if shipped:
        make_parcel(session, order=order)

    answer = check_eligibility(
        session, customer_id=customer.id, order_number="104233", today=date(2026, 11, 3)
    )

    assert answer.hint == hint
    assert answer.deadline is None
    assert [(li.eligible, li.reason) for li in answer.lines] == [
        (False, "not_delivered")
    ]


def test_cancelled_order_cannot_be_returned(session: Session) -> None:
    customer = make_customer(session)
    make_detailed_order(
        session, customer=customer, number="104233", status=OrderStatus.CANCELLED
    )

    answer = check_eligibility(
        session, customer_id=customer.id, order_number="104233", today=date(2026, 11, 3)
    )

    assert answer.hint is None
    assert answer.lines[0].reason == "order_cancelled"


def test_replacement_parcel_starts_the_window(session: Session) -> None:
    customer = make_customer(session)
    order = delivered_order(session, customer=customer, delivered_at=MARCH_1)
    session.add(
        Shipment(
            order_id=order.id,
            carrier=order.shipments[0].carrier,
            tracking_number="6A99999999999",
            carrier_cost=order.shipments[0].carrier_cost,
            shipped_at=datetime(2026, 3, 10, 8, tzinfo=UTC),
            delivered_at=datetime(2026, 3, 12, 10, tzinfo=UTC),
        )
    )
    session.flush()
    session.expire(order)

    assert _line(session, customer.id, date(2026, 4, 11)).deadline == date(2026, 4, 11)


# -- what the item is -------------------------------------------------------------


@pytest.mark.parametrize("category", ["hygiene", "personalised", "food"])
def test_non_returnable_category_refused_even_inside_the_window(
    session: Session, category: str
) -> None:
    customer = make_customer(session)
    item = make_item(session, sku="NR-1", category=category)
    delivered_order(
        session, customer=customer, delivered_at=MARCH_1, items=((item, 1),)
    )

    line = _line(session, customer.id, date(2026, 3, 2))

    assert (line.eligible, line.reason, line.category) == (
        False,
        "non_returnable_category",
        category,
    )
    assert line.deadline == date(2026, 3, 31)


def test_category_reason_wins_over_a_closed_window(session: Session) -> None:
    customer = make_customer(session)
    item = make_item(session, sku="HYG-1", category="hygiene")
    delivered_order(
        session, customer=customer, delivered_at=MARCH_1, items=((item, 1),)
    )

    assert _line(session, customer.id, date(2026, 6, 1)).reason == (
        "non_returnable_category"
    )


def test_non_returnable_categories_come_from_the_policy(session: Session) -> None:
    customer = make_customer(session)
    towel = make_item(session, sku="TEX-1", category="textile")
    soap = make_item(session, sku="HYG-1", category="hygiene")
    delivered_order(
        session,
        customer=customer,
        delivered_at=MARCH_1,
        items=((towel, 1), (soap, 1)),
    )
    policy = load_returns_policy().model_copy(
        update={"non_returnable_categories": frozenset({"textile"})}
    )

    answer = check_eligibility(
        session,
        customer_id=customer.id,
        order_number="104233",
        today=date(2026, 3, 2),
        policy=policy,
    )

    assert [(li.sku, li.reason) for li in answer.lines] == [
        ("TEX-1", "non_returnable_category"),
        ("HYG-1", None),
    ]


def test_product_marked_not_returnable_in_a_returnable_category(
    session: Session,
) -> None:
    customer = make_customer(session)
    item = make_item(session, sku="KIT-9", category="kitchen", returnable=False)
    delivered_order(
        session, customer=customer, delivered_at=MARCH_1, items=((item, 1),)
    )

    assert _line(session, customer.id, date(2026, 3, 2)).reason == (
        "non_returnable_item"
    )


# -- quantities already on their way back -------------------------------------


def test_part_of_a_line_in_a_return_leaves_the_rest(session: Session) -> None:
    customer = make_customer(session)
    item = make_item(session, sku="KIT-3")
    order = delivered_order(
        session, customer=customer, delivered_at=MARCH_1, items=((item, 3),)
    )
    existing_return(session, order=order, quantity=1)

    line = _line(session, customer.id, date(2026, 3, 31))

    assert (line.eligible, line.ordered_quantity, line.returnable_quantity) == (
        True,
        3,
        2,
    )


@pytest.mark.parametrize(
    "status", [ReturnStatus.REQUESTED, ReturnStatus.RECEIVED, ReturnStatus.REFUNDED]
)
def test_whole_line_in_returns_is_already_returned(
    session: Session, status: ReturnStatus
) -> None:
    customer = make_customer(session)
    order = delivered_order(session, customer=customer, delivered_at=MARCH_1)
    existing_return(session, order=order, quantity=1, status=status)
    existing_return(session, order=order, quantity=1, rma="RMA-2026-900002")

    line = _line(session, customer.id, date(2026, 3, 5))

    assert (line.eligible, line.reason, line.returnable_quantity) == (
        False,
        "already_returned",
        0,
    )


@pytest.mark.parametrize("status", [ReturnStatus.CANCELLED, ReturnStatus.REJECTED])
def test_cancelled_or_rejected_return_gives_its_quantity_back(
    session: Session, status: ReturnStatus
) -> None:
    customer = make_customer(session)
    order = delivered_order(session, customer=customer, delivered_at=MARCH_1)
    existing_return(session, order=order, quantity=2, status=status)

    line = _line(session, customer.id, date(2026, 3, 5))

    assert (line.eligible, line.returnable_quantity) == (True, 2)


# -- whose order --------------------------------------------------------------


def test_another_customers_order_is_refused(session: Session) -> None:
    owner = make_customer(session)
    stranger = make_customer(session, email="other@example.fr")
    delivered_order(session, customer=owner, delivered_at=MARCH_1)

    with pytest.raises(IdentityNotProven):
        _line(session, stranger.id, date(2026, 3, 5))
    with pytest.raises(IdentityNotProven):
        check_eligibility(
            session, customer_id=None, order_number="104233", today=date(2026, 3, 5)
        )
    with pytest.raises(IdentityNotProven):
        list_returnable_orders(session, customer_id=None, today=date(2026, 3, 5))


# -- which orders to offer ----------------------------------------------------


def test_only_orders_with_an_eligible_line_newest_first(session: Session) -> None:
    customer = make_customer(session)
    other = make_customer(session, email="other@example.fr")
    # Delivered 22:30 UTC on 30 June = 1 July in Paris: day 30 is 31 July.
    edge = delivered_order(
        session,
        customer=customer,
        number="100001",
        delivered_at=datetime(2026, 6, 30, 22, 30, tzinfo=UTC),
    )
    delivered_order(
        session,
        customer=customer,
        number="100002",
        delivered_at=datetime(2026, 6, 30, 21, 30, tzinfo=UTC),  # 30 June in Paris
    )
    recent = delivered_order(
        session,
        customer=customer,
        number="100003",
        delivered_at=datetime(2026, 7, 20, 9, tzinfo=UTC),
    )
    soap = make_item(session, sku="HYG-1", category="hygiene")
    delivered_order(
        session,
        customer=customer,
        number="100004",
        delivered_at=datetime(2026, 7, 21, 9, tzinfo=UTC),
        items=((soap, 1),),
    )
    make_detailed_order(
        session, customer=customer, number="100005", status=OrderStatus.PROCESSING
    )
    delivered_order(
        session,
        customer=other,
        number="100006",
        delivered_at=datetime(2026, 7, 22, 9, tzinfo=UTC),
    )

    found = list_returnable_orders(
        session, customer_id=customer.id, today=date(2026, 7, 31)
    )

    assert [o.order_number for o in found] == [recent.number, edge.number]
    assert found[1].deadline == date(2026, 7, 31)
    assert all(o.any_eligible for o in found)
