from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.errors import AddressInvalid, IdentityNotProven
from crm.orders.changes import (
    NewAddress,
    can_change,
    cancel_order,
    change_address,
    validate_address,
)
from crm.orders.models import Order, OrderStatus, ShippingMethod
from crm.returns.models import Refund, RefundStatus
from crm.staff.models import AuditEntry
from tests.factories import T0, make_customer, make_detailed_order, make_parcel

NOW = T0 + timedelta(hours=2)
HOME = NewAddress(line1="5 place Bellecour", postcode="69002", city="Lyon")


def _audit(session: Session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _refunds(session: Session, order: Order) -> list[Refund]:
    return list(session.scalars(select(Refund).where(Refund.order_id == order.id)))


# -- address validation --------------------------------------------------------


def test_valid_address_is_tidied_up() -> None:
    raw = NewAddress(
        line1="  5   place Bellecour ",
        line2="  ",
        postcode=" 69 002",
        city=" Lyon ",
        country="france",
    )
    assert validate_address(raw) == NewAddress(
        line1="5 place Bellecour",
        line2=None,
        postcode="69002",
        city="Lyon",
        country="FR",
    )


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("BE", "1050", "1050"),
        ("CH", "1201", "1201"),
        ("GB", "sw1a1aa", "SW1A 1AA"),
        ("GB", "M1 1AE", "M1 1AE"),
        ("United Kingdom", "ec1a 1bb", "EC1A 1BB"),
    ],
)
def test_postcode_is_checked_and_written_the_countrys_way(
    country: str, typed: str, stored: str
) -> None:
    address = NewAddress(
        line1="High Street 4", postcode=typed, city="Town", country=country
    )
    assert validate_address(address).postcode == stored


@pytest.mark.parametrize(
    ("country", "postcode"),
    [
        ("FR", "6900"),
        ("FR", "690021"),
        ("FR", "ABCDE"),
        ("BE", "10500"),
        ("CH", "12"),
        ("GB", "12345"),
    ],
)
def test_wrong_postcode_names_the_postcode_field(country: str, postcode: str) -> None:
    address = NewAddress(
        line1="5 rue Neuve", postcode=postcode, city="Ville", country=country
    )
    with pytest.raises(AddressInvalid) as error:
        validate_address(address)
    assert error.value.field == "postcode"
    assert postcode in str(error.value)


@pytest.mark.parametrize("line1", ["", "   ", "12", "12 B"])
def test_street_without_a_name_names_the_street_field(line1: str) -> None:
    with pytest.raises(AddressInvalid) as error:
        validate_address(HOME.model_copy(update={"line1": line1}))
    assert error.value.field == "line1"


def test_street_name_without_number_is_accepted() -> None:
    address = HOME.model_copy(update={"line1": "Lieu-dit Le Moulin"})
    assert validate_address(address).line1 == "Lieu-dit Le Moulin"


@pytest.mark.parametrize("city", ["", "69002", "Lyon 2", "L"])
def test_city_that_is_not_letters_names_the_city_field(city: str) -> None:
    with pytest.raises(AddressInvalid) as error:
        validate_address(HOME.model_copy(update={"city": city}))
    assert error.value.field == "city"


@pytest.mark.parametrize("city", ["Saint-Étienne", "L'Haÿ-les-Roses", "St. Gallen"])
def test_city_names_with_hyphens_apostrophes_and_accents_are_accepted(
    city: str,
) -> None:
    assert validate_address(HOME.model_copy(update={"city": city})).city == city


@pytest.mark.parametrize("country", ["DE", "Spain", "US", ""])
def test_country_not_served_names_the_country_field(country: str) -> None:
    with pytest.raises(AddressInvalid) as error:
        validate_address(HOME.model_copy(update={"country": country}))
    assert error.value.field == "country"
    assert "FR, BE, CH, GB" in str(error.value)


# -- address change --------------------------------------------------------------


def test_address_change_updates_the_order_and_writes_the_audit(
    session: Session,
) -> None:
    customer = make_customer(session)
    order = make_detailed_order(
        session, customer=customer, number="104233", status=OrderStatus.PROCESSING
    )
    preview = can_change(
        session, customer_id=customer.id, order_number="104233", purpose="address"
    )
    assert preview.allowed
    result = change_address(
        session,
        customer_id=customer.id,
        order_number="#104233",
        address=NewAddress(
            line1="5 place Bellecour", line2="3e étage", postcode="69 002", city="lyon"
        ),
        actor=f"customer:{customer.id}",
        now=NOW,
    )
    assert result.allowed and result.reason is None
    assert result.address is not None and result.address.postcode == "69002"
    session.refresh(order)
    assert (order.ship_line1, order.ship_line2) == ("5 place Bellecour", "3e étage")
    assert (order.ship_postcode, order.ship_city) == ("69002", "lyon")
    assert order.updated_at == NOW
    [entry] = _audit(session, "order_address_changed")
    assert entry.actor == f"customer:{customer.id}"
    assert entry.entity_id == "104233"
    assert entry.details is not None
    assert entry.details["old"]["line1"] == "12 rue des Lilas"
    assert entry.details["new"]["line1"] == "5 place Bellecour"


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (OrderStatus.SHIPPED, "already_shipped"),
        (OrderStatus.IN_TRANSIT, "already_shipped"),
        (OrderStatus.DELAYED, "already_shipped"),
        (OrderStatus.DELIVERED, "delivered"),
        (OrderStatus.LOST, "lost"),
        (OrderStatus.CANCELLED, "cancelled"),
    ],
)
def test_address_change_is_refused_once_the_parcel_has_left(
    session: Session, status: OrderStatus, reason: str
) -> None:
    customer = make_customer(session)
    order = make_detailed_order(
        session, customer=customer, number="104233", status=status
    )
    preview = can_change(
        session, customer_id=customer.id, order_number="104233", purpose="address"
    )
    result = change_address(
        session,
        customer_id=customer.id,
        order_number="104233",
        address=HOME,
        actor="bot",
        now=NOW,
    )
    assert (preview.allowed, preview.reason) == (False, reason)
    assert (result.allowed, result.reason) == (False, reason)
    session.refresh(order)
    assert order.ship_line1 == "12 rue des Lilas"
    assert _audit(session, "order_address_changed") == []


def test_processing_order_with_a_parcel_picked_up_counts_as_shipped(
    session: Session,
) -> None:
    customer = make_customer(session)
    order = make_detailed_order(
        session, customer=customer, number="104233", status=OrderStatus.PROCESSING
    )
    make_parcel(session, order=order)
    result = can_change(session, customer_id=customer.id, order_number="104233")
    assert result.reason == "already_shipped"


def test_relay_point_order_address_cannot_be_changed_but_can_be_cancelled(
    session: Session,
) -> None:
    customer = make_customer(session)
    make_detailed_order(
        session,
        customer=customer,
        number="104233",
        status=OrderStatus.PROCESSING,
        method=ShippingMethod.RELAY,
        relay_point="Tabac-Presse du Centre, 69003 Lyon",
    )
    address = can_change(
        session, customer_id=customer.id, order_number="104233", purpose="address"
    )
    cancel = can_change(session, customer_id=customer.id, order_number="104233")
    assert address.reason == "relay_point"
    assert cancel.allowed and cancel.refund_amount == Decimal("30.70")


def test_address_in_another_country_is_refused(session: Session) -> None:
    customer = make_customer(session)
    make_detailed_order(
        session, customer=customer, number="104233", status=OrderStatus.PROCESSING
    )
    result = change_address(
        session,
        customer_id=customer.id,
        order_number="104233",
        address=NewAddress(
            line1="rue Neuve 4", postcode="1000", city="Bruxelles", country="BE"
        ),
        actor="bot",
        now=NOW,
    )
    assert result.reason == "other_country"


def test_low_carbon_order_cannot_move_to_a_city_without_bike_courier(
    session: Session,
) -> None:
    customer = make_customer(session)
    make_detailed_order(
        session,
        customer=customer,
        number="104233",
        status=OrderStatus.PROCESSING,
        method=ShippingMethod.LOW_CARBON,
    )
    refused = change_address(
        session,
        customer_id=customer.id,
        order_number="104233",
        address=NewAddress(line1="3 rue de Siam", postcode="29200", city="Brest"),
        actor="bot",
        now=NOW,
    )
    allowed = change_address(
        session,
        customer_id=customer.id,
        order_number="104233",
        address=HOME,
        actor="bot",
        now=NOW,
    )
    assert refused.reason == "low_carbon_unavailable"
    assert allowed.allowed


def test_invalid_address_on_a_changeable_order_names_the_field(
    session: Session,
) -> None:
    customer = make_customer(session)
    make_detailed_order(
        session, customer=customer, number="104233", status=OrderStatus.PROCESSING
    )
    with pytest.raises(AddressInvalid) as error:
        change_address(
            session,
            customer_id=customer.id,
            order_number="104233",
            address=HOME.model_copy(update={"postcode": "690"}),
            actor="bot",
            now=NOW,
        )
    assert error.value.field == "postcode"


def test_changes_to_someone_elses_order_need_proof(session: Session) -> None:
    owner = make_customer(session)
    other = make_customer(session, email="someone.else@example.fr")
    make_detailed_order(
        session, customer=owner, number="104233", status=OrderStatus.PROCESSING
    )
    with pytest.raises(IdentityNotProven):
        can_change(session, customer_id=other.id, order_number="104233")
    with pytest.raises(IdentityNotProven):
        change_address(
            session,
            customer_id=other.id,
            order_number="104233",
            address=HOME,
            actor="bot",
            now=NOW,
        )
    with pytest.raises(IdentityNotProven):
        cancel_order(
            session, customer_id=other.id, order_number="104233", actor="bot", now=NOW
        )
    with pytest.raises(IdentityNotProven):
        cancel_order(
            session, customer_id=owner.id, order_number="999999", actor="bot", now=NOW
        )


# -- cancellation --------------------------------------------------------------------


def test_cancel_creates_a_pending_refund_of_the_whole_total(session: Session) -> None:
    customer = make_customer(session)
    order = make_detailed_order(
        session,
        customer=customer,
        number="104233",
        status=OrderStatus.PROCESSING,
        total=Decimal("57.80"),
    )
    preview = can_change(session, customer_id=customer.id, order_number="104233")
    assert preview.allowed and preview.refund_amount == Decimal("57.80")
    result = cancel_order(
        session, customer_id=customer.id, order_number="104233", actor="bot", now=NOW
    )
    assert result.allowed
    assert result.status is OrderStatus.CANCELLED
    assert result.refund_amount == Decimal("57.80")
    session.refresh(order)
    assert order.status is OrderStatus.CANCELLED
    assert order.cancelled_at == NOW
    [refund] = _refunds(session, order)
    assert refund.amount == Decimal("57.80")
    assert refund.status is RefundStatus.PENDING
    assert refund.method == "original_payment"
    assert refund.requested_at == NOW
    [entry] = _audit(session, "order_cancelled")
    assert entry.entity_id == "104233" and entry.actor == "bot"


def test_cancelling_twice_is_refused_and_refunds_once(session: Session) -> None:
    customer = make_customer(session)
    order = make_detailed_order(
        session, customer=customer, number="104233", status=OrderStatus.PROCESSING
    )
    cancel_order(
        session, customer_id=customer.id, order_number="104233", actor="bot", now=NOW
    )
    again = cancel_order(
        session,
        customer_id=customer.id,
        order_number="104233",
        actor="bot",
        now=NOW + timedelta(minutes=1),
    )
    assert (again.allowed, again.reason) == (False, "already_cancelled")
    assert again.refund_amount == Decimal("30.70")  # the refund already on its way
    assert len(_refunds(session, order)) == 1
    assert len(_audit(session, "order_cancelled")) == 1


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (OrderStatus.SHIPPED, "already_shipped"),
        (OrderStatus.OUT_FOR_DELIVERY, "already_shipped"),
        (OrderStatus.DELIVERED, "delivered"),
        (OrderStatus.REFUNDED, "delivered"),
        (OrderStatus.LOST, "lost"),
    ],
)
def test_cancel_is_refused_once_shipped_and_nothing_is_created(
    session: Session, status: OrderStatus, reason: str
) -> None:
    customer = make_customer(session)
    order = make_detailed_order(
        session, customer=customer, number="104233", status=status
    )
    result = cancel_order(
        session, customer_id=customer.id, order_number="104233", actor="bot", now=NOW
    )
    assert (result.allowed, result.reason) == (False, reason)
    assert result.refund_amount is None
    session.refresh(order)
    assert order.status is status
    assert _refunds(session, order) == []
