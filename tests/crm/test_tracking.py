from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from crm.customers.models import Customer
from crm.errors import IdentityNotProven
from crm.orders.models import Order, OrderStatus, ShippingMethod
from crm.orders.tracking import Situation, track_order
from crm.shipping.carriers import carrier_name, tracking_url
from crm.shipping.models import Carrier, TrackingCode
from tests.factories import T0, make_customer, make_detailed_order, make_parcel

# T0 is Monday 2 November 2026, 10:30 in Paris: before the 14:00 cut-off.
PROMISED = date(2026, 11, 5)  # home delivery: three working days later


def _utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def _shipped_order(
    session: Session,
    customer: Customer,
    *,
    status: OrderStatus,
    estimate: date | None = PROMISED,
    delivered_at: datetime | None = None,
    carrier: Carrier = Carrier.COLISSIMO,
    number: str = "104233",
) -> Order:
    order = make_detailed_order(
        session, customer=customer, number=number, status=status, promised=PROMISED
    )
    make_parcel(
        session,
        order=order,
        carrier=carrier,
        tracking_number=f"6A000000{number}",
        estimated_delivery=estimate,
        delivered_at=delivered_at,
        events=(
            (TrackingCode.PICKED_UP, "Saint-Priest", _utc(2, 16)),
            (TrackingCode.AT_HUB, "Agence de Lyon", _utc(3, 4, 15)),
        ),
    )
    return order


def test_parcel_on_its_way_shows_carrier_link_and_last_scan(session: Session) -> None:
    customer = make_customer(session)
    _shipped_order(session, customer, status=OrderStatus.IN_TRANSIT)
    answer = track_order(
        session,
        customer_id=customer.id,
        order_number="#104233",
        today=date(2026, 11, 4),
    )
    assert answer.situation is Situation.ON_THE_WAY
    assert answer.carrier_name == "Colissimo"
    assert answer.tracking_number == "6A000000104233"
    assert answer.tracking_url == (
        "https://www.laposte.fr/outils/suivre-vos-envois?code=6A000000104233"
    )
    assert answer.last_event is not None
    assert answer.last_event.location == "Agence de Lyon"
    assert answer.last_event.code is TrackingCode.AT_HUB
    assert answer.promised_date == PROMISED
    assert answer.expected_date == PROMISED
    assert answer.days_late == 0
    assert answer.expected_ship_date is None
    assert answer.lines[0].name_en == "Bamboo toothbrush"


def test_parcel_estimated_after_the_promise_is_late_by_that_many_days(
    session: Session,
) -> None:
    customer = make_customer(session)
    _shipped_order(
        session, customer, status=OrderStatus.IN_TRANSIT, estimate=date(2026, 11, 7)
    )
    answer = track_order(
        session, customer_id=customer.id, order_number="104233", today=date(2026, 11, 4)
    )
    assert answer.situation is Situation.LATE
    assert answer.days_late == 2
    assert answer.expected_date == date(2026, 11, 7)


def test_delayed_parcel_with_an_estimate_in_the_past_is_late_until_today(
    session: Session,
) -> None:
    customer = make_customer(session)
    _shipped_order(
        session, customer, status=OrderStatus.DELAYED, estimate=date(2026, 11, 6)
    )
    answer = track_order(
        session, customer_id=customer.id, order_number="104233", today=date(2026, 11, 9)
    )
    assert answer.situation is Situation.LATE
    assert answer.days_late == 4
    assert answer.expected_date is None  # "expected on the 6th" would be wrong


def test_parcel_in_transit_past_its_promise_is_late(session: Session) -> None:
    customer = make_customer(session)
    _shipped_order(session, customer, status=OrderStatus.SHIPPED)
    answer = track_order(
        session, customer_id=customer.id, order_number="104233", today=date(2026, 11, 6)
    )
    assert answer.situation is Situation.LATE
    assert answer.days_late == 1


def test_delivered_on_time_says_when_and_is_not_late(session: Session) -> None:
    customer = make_customer(session)
    _shipped_order(
        session, customer, status=OrderStatus.DELIVERED, delivered_at=_utc(4, 13)
    )
    answer = track_order(
        session,
        customer_id=customer.id,
        order_number="104233",
        today=date(2026, 11, 20),
    )
    assert answer.situation is Situation.DELIVERED
    assert answer.delivered_at == _utc(4, 13)
    assert answer.expected_date == date(2026, 11, 4)
    assert answer.days_late == 0


def test_delivered_late_counts_the_paris_delivery_day(session: Session) -> None:
    customer = make_customer(session)
    # 23:30 UTC on the 5th is already the 6th in Paris.
    _shipped_order(
        session, customer, status=OrderStatus.DELIVERED, delivered_at=_utc(5, 23, 30)
    )
    answer = track_order(
        session,
        customer_id=customer.id,
        order_number="104233",
        today=date(2026, 11, 20),
    )
    assert answer.expected_date == date(2026, 11, 6)
    assert answer.days_late == 1


def test_lost_parcel_is_lost_not_late(session: Session) -> None:
    customer = make_customer(session)
    _shipped_order(session, customer, status=OrderStatus.LOST)
    answer = track_order(
        session, customer_id=customer.id, order_number="104233", today=date(2026, 12, 1)
    )
    assert answer.situation is Situation.LOST
    assert answer.days_late == 0
    assert answer.expected_date is None
    assert answer.tracking_url is not None


def test_out_for_delivery_is_expected_today(session: Session) -> None:
    customer = make_customer(session)
    _shipped_order(session, customer, status=OrderStatus.OUT_FOR_DELIVERY)
    answer = track_order(
        session, customer_id=customer.id, order_number="104233", today=date(2026, 11, 5)
    )
    assert answer.situation is Situation.OUT_FOR_DELIVERY
    assert answer.expected_date == date(2026, 11, 5)
    assert not answer.at_relay_point


def test_relay_parcel_waiting_at_the_relay_point_says_so(session: Session) -> None:
    customer = make_customer(session)
    order = make_detailed_order(
        session,
        customer=customer,
        number="104233",
        status=OrderStatus.OUT_FOR_DELIVERY,
        method=ShippingMethod.RELAY,
        relay_point="Tabac-Presse du Centre, 69003 Lyon",
    )
    make_parcel(
        session,
        order=order,
        carrier=Carrier.MONDIAL_RELAY,
        tracking_number="12345678",
        events=((TrackingCode.AT_RELAY_POINT, "Point Relais, Lyon", _utc(5, 9)),),
    )
    answer = track_order(
        session, customer_id=customer.id, order_number="104233", today=date(2026, 11, 5)
    )
    assert answer.at_relay_point
    assert answer.relay_point == "Tabac-Presse du Centre, 69003 Lyon"
    assert answer.tracking_url == (
        "https://www.mondialrelay.fr/suivi-de-colis?numeroExpedition=12345678"
    )


def test_processing_order_leaves_the_warehouse_the_day_it_was_placed(
    session: Session,
) -> None:
    customer = make_customer(session)
    make_detailed_order(
        session, customer=customer, number="104233", status=OrderStatus.PROCESSING
    )
    answer = track_order(
        session, customer_id=customer.id, order_number="104233", today=T0.date()
    )
    assert answer.situation is Situation.PROCESSING
    assert answer.expected_ship_date == date(2026, 11, 2)
    assert answer.carrier is None and answer.tracking_url is None
    assert answer.last_event is None
    assert answer.expected_date is None


def test_processing_order_after_the_cut_off_leaves_the_next_working_day(
    session: Session,
) -> None:
    customer = make_customer(session)
    make_detailed_order(
        session,
        customer=customer,
        number="104233",
        status=OrderStatus.PROCESSING,
        placed_at=_utc(6, 15),  # Friday 16:00 in Paris
    )
    answer = track_order(
        session, customer_id=customer.id, order_number="104233", today=date(2026, 11, 6)
    )
    assert answer.expected_ship_date == date(2026, 11, 9)  # Monday


def test_item_out_of_stock_delays_shipping_by_five_working_days(
    session: Session,
) -> None:
    customer = make_customer(session)
    make_detailed_order(
        session,
        customer=customer,
        number="104233",
        status=OrderStatus.PROCESSING,
        in_stock=False,
    )
    answer = track_order(
        session, customer_id=customer.id, order_number="104233", today=T0.date()
    )
    assert answer.stockout
    # Tue 3, Wed 4, Thu 5, Fri 6, Mon 9 (the weekend does not count).
    assert answer.expected_ship_date == date(2026, 11, 9)


def test_processing_order_past_its_ship_date_is_expected_to_leave_next_working_day(
    session: Session,
) -> None:
    customer = make_customer(session)
    make_detailed_order(
        session, customer=customer, number="104233", status=OrderStatus.PROCESSING
    )
    answer = track_order(
        session, customer_id=customer.id, order_number="104233", today=date(2026, 11, 7)
    )
    assert answer.expected_ship_date == date(2026, 11, 9)  # Saturday -> Monday
    assert answer.days_late == 2


@pytest.mark.parametrize(
    ("status", "situation"),
    [
        (OrderStatus.CANCELLED, Situation.CANCELLED),
        (OrderStatus.RETURN_REQUESTED, Situation.RETURN_IN_PROGRESS),
        (OrderStatus.RETURNED, Situation.RETURNED),
        (OrderStatus.REFUNDED, Situation.REFUNDED),
    ],
)
def test_after_sale_statuses_have_their_own_situation(
    session: Session, status: OrderStatus, situation: Situation
) -> None:
    customer = make_customer(session)
    make_detailed_order(session, customer=customer, number="104233", status=status)
    answer = track_order(
        session, customer_id=customer.id, order_number="104233", today=date(2026, 12, 1)
    )
    assert answer.situation is situation
    assert answer.status is status


def test_someone_elses_order_and_an_unknown_one_both_need_proof(
    session: Session,
) -> None:
    customer = make_customer(session)
    other = make_customer(session, email="someone.else@example.fr")
    make_detailed_order(
        session, customer=other, number="104233", status=OrderStatus.PROCESSING
    )
    for number in ("104233", "999999"):
        with pytest.raises(IdentityNotProven):
            track_order(
                session, customer_id=customer.id, order_number=number, today=T0.date()
            )
    with pytest.raises(IdentityNotProven):
        track_order(session, customer_id=None, order_number="104233", today=T0.date())


@pytest.mark.parametrize(
    ("carrier", "name", "url"),
    [
        (Carrier.COLISSIMO, "Colissimo", "https://www.laposte.fr/outils/suivre-vos-envois?code=N1"),
        (Carrier.CHRONOPOST, "Chronopost", "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT=N1"),
        (Carrier.MONDIAL_RELAY, "Mondial Relay", "https://www.mondialrelay.fr/suivi-de-colis?numeroExpedition=N1"),
        (Carrier.DHL, "DHL", "https://www.dhl.com/fr-fr/home/tracking.html?tracking-id=N1"),
        (Carrier.UPS, "UPS", "https://www.ups.com/track?tracknum=N1&loc=fr_FR"),
    ],
)  # fmt: skip
def test_every_carrier_has_a_name_and_a_tracking_page(
    carrier: Carrier, name: str, url: str
) -> None:
    assert carrier_name(carrier) == name
    assert tracking_url(carrier, " N1 ") == url
