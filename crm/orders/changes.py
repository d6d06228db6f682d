"""Changing an order before it ships: a new delivery address, or cancelling it.

Both are possible only while the warehouse still holds the parcel; after
that, the carrier has it and a return is the way. Every change is recorded
in the audit log: a parcel sent to the wrong address is a dispute, and the
log says who changed it, when, from what.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.customers.identity import owned_order
from crm.errors import AddressInvalid
from crm.orders.models import Order, OrderStatus, ShippingMethod
from crm.orders.schemas import ChangeRefusal, ChangeResult, NewAddress
from crm.returns.models import Refund, RefundStatus
from crm.shipping.models import Shipment, ShipmentDirection
from crm.shipping.options import (
    DeliveryOptions,
    country_code,
    is_low_carbon_available,
    load_delivery_options,
)
from crm.staff.service import record_audit

__all__ = [
    "ChangeResult",
    "NewAddress",
    "can_change",
    "cancel_order",
    "change_address",
    "validate_address",
]

_STATUS_REFUSAL: dict[OrderStatus, ChangeRefusal] = {
    OrderStatus.SHIPPED: "already_shipped",
    OrderStatus.IN_TRANSIT: "already_shipped",
    OrderStatus.OUT_FOR_DELIVERY: "already_shipped",
    OrderStatus.DELAYED: "already_shipped",
    OrderStatus.DELIVERED: "delivered",
    OrderStatus.RETURN_REQUESTED: "delivered",
    OrderStatus.RETURNED: "delivered",
    OrderStatus.REFUNDED: "delivered",
    OrderStatus.LOST: "lost",
    OrderStatus.CANCELLED: "cancelled",
}

# Postcode formats of the countries the shop could serve (the served ones
# come from config/delivery_options.yml); others only need to look like one.
_POSTCODES: dict[str, re.Pattern[str]] = {
    "FR": re.compile(r"\d{5}"),
    "DE": re.compile(r"\d{5}"),
    "BE": re.compile(r"\d{4}"),
    "CH": re.compile(r"\d{4}"),
    "LU": re.compile(r"(?:L-?)?(\d{4})"),
    "GB": re.compile(r"([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})"),
}
_POSTCODE_EXAMPLES = {
    "FR": "five digits, like 69003",
    "DE": "five digits, like 10115",
    "BE": "four digits, like 1050",
    "CH": "four digits, like 1201",
    "LU": "four digits, like 1611",
    "GB": "a UK postcode, like SW1A 1AA",
}
_ANY_POSTCODE = re.compile(r"[A-Z0-9][A-Z0-9 -]{1,9}")
_LETTER = re.compile(r"[^\W\d_]")
_CITY = re.compile(r"[^\W\d_]+(?:[ '\u2019.-]+[^\W\d_]+)*\.?")
_LINE_MAX, _CITY_MAX = 160, 80  # the orders table's column sizes


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _postcode(country: str, raw: str) -> str:
    """The postcode written the way the country writes it, or AddressInvalid."""
    compact = raw.replace(" ", "").upper()
    pattern = _POSTCODES.get(country)
    if pattern is None:
        spaced = _clean(raw).upper()
        if _ANY_POSTCODE.fullmatch(spaced):
            return spaced
        raise AddressInvalid("postcode", f"'{raw}' is not a postcode")
    match = pattern.fullmatch(compact)
    if match is None:
        raise AddressInvalid(
            "postcode",
            f"'{raw}' is not a postcode for {country}: {_POSTCODE_EXAMPLES[country]}",
        )
    if country == "GB":
        return f"{match.group(1)} {match.group(2)}"
    return match.group(1) if match.groups() else compact


def validate_address(
    raw: NewAddress, *, options: DeliveryOptions | None = None
) -> NewAddress:
    """Check a new delivery address field by field and return it tidied up.

    Fields are checked country first (it decides the postcode format), then
    postcode, street and city; the error names the first wrong field so
    that the bot asks again for that part only.

    Raises:
        AddressInvalid: a field is empty or malformed, or the shop does not
            deliver to the country; `field` names it.
    """
    options = options or load_delivery_options()
    country = country_code(options, raw.country)
    if country is None:
        served = ", ".join(c.code for c in options.countries)
        raise AddressInvalid(
            "country", f"we do not deliver to '{raw.country}' (only to {served})"
        )
    postcode = _postcode(country, raw.postcode)
    line1 = _clean(raw.line1)
    if len(_LETTER.findall(line1)) < 2:
        raise AddressInvalid(
            "line1", "the street is missing: give the number and the street name"
        )
    if len(line1) > _LINE_MAX:
        raise AddressInvalid("line1", f"the street is longer than {_LINE_MAX} letters")
    line2 = _clean(raw.line2) or None
    if line2 is not None and len(line2) > _LINE_MAX:
        raise AddressInvalid(
            "line2", f"the address complement is longer than {_LINE_MAX} letters"
        )
    city = _clean(raw.city)
    if not _CITY.fullmatch(city) or len(_LETTER.findall(city)) < 2:
        raise AddressInvalid("city", f"'{raw.city}' is not a city name (letters only)")
    if len(city) > _CITY_MAX:
        raise AddressInvalid("city", f"the city is longer than {_CITY_MAX} letters")
    return NewAddress(
        line1=line1, line2=line2, postcode=postcode, city=city, country=country
    )


def _shipped(session: Session, order: Order) -> bool:
    """Whether a parcel was handed to a carrier, whatever the status says."""
    count = session.scalar(
        select(func.count(Shipment.id)).where(
            Shipment.order_id == order.id,
            Shipment.direction == ShipmentDirection.OUTBOUND,
            Shipment.shipped_at.is_not(None),
        )
    )
    return bool(count)


def _refusal(session: Session, order: Order) -> ChangeRefusal | None:
    """Why the order can no longer change, from its status (None: it can)."""
    refusal = _STATUS_REFUSAL.get(order.status)
    if refusal is None and _shipped(session, order):
        refusal = "already_shipped"
    return refusal


def _result(
    order: Order,
    *,
    reason: ChangeRefusal | None = None,
    refund: Decimal | None = None,
    address: NewAddress | None = None,
) -> ChangeResult:
    return ChangeResult(
        allowed=reason is None,
        reason=reason,
        order_number=order.number,
        status=order.status,
        refund_amount=refund,
        currency=order.currency,
        address=address,
    )


def can_change(
    session: Session,
    *,
    customer_id: int | None,
    order_number: str,
    purpose: Literal["cancel", "address"] = "cancel",
) -> ChangeResult:
    """Preview whether an order can still be re-addressed or cancelled.

    The bot asks before collecting an address or a confirmation, so that a
    customer is not walked through a change that will be refused. Only an
    order the warehouse still holds can change; a relay-point order is
    delivered to the relay point, so its address cannot be changed here.
    `refund_amount` is what a cancellation would refund.

    Raises:
        InvalidInput: the order number has no six digits.
        IdentityNotProven: no verified customer, or not their order.
    """
    order = owned_order(session, customer_id=customer_id, order_number=order_number)
    reason = _refusal(session, order)
    if reason is None and purpose == "address" and order.relay_point is not None:
        reason = "relay_point"
    refund = order.total if reason is None and purpose == "cancel" else None
    return _result(order, reason=reason, refund=refund)


def _address_of(order: Order) -> dict[str, str | None]:
    return {
        "line1": order.ship_line1,
        "line2": order.ship_line2,
        "postcode": order.ship_postcode,
        "city": order.ship_city,
        "country": order.ship_country,
    }


def change_address(
    session: Session,
    *,
    customer_id: int | None,
    order_number: str,
    address: NewAddress,
    actor: str,
    now: datetime,
    options: DeliveryOptions | None = None,
) -> ChangeResult:
    """Send a not-yet-shipped order to a new address, and record who did it.

    Refused (a result with a reason) once shipped, for relay-point orders,
    for another country (fee and delivery time depend on it: an agent
    re-prices it) and, for low-carbon delivery, for a city without a bike
    courier. The audit entry keeps the old and the new address (the audit
    log is where disputes are settled); nothing is logged, addresses are
    personal data.

    Raises:
        InvalidInput: the order number has no six digits.
        IdentityNotProven: no verified customer, or not their order.
        AddressInvalid: a field of the address is wrong; `field` says which.
    """
    options = options or load_delivery_options()
    order = owned_order(
        session, customer_id=customer_id, order_number=order_number, lock=True
    )
    reason = _refusal(session, order)
    if reason is None and order.relay_point is not None:
        reason = "relay_point"
    if reason is not None:
        return _result(order, reason=reason)
    new = validate_address(address, options=options)
    if new.country != order.ship_country:
        return _result(order, reason="other_country")
    if order.shipping_method is ShippingMethod.LOW_CARBON and not (
        is_low_carbon_available(options, new.city)
    ):
        return _result(order, reason="low_carbon_unavailable")
    old = _address_of(order)
    order.ship_line1, order.ship_line2 = new.line1, new.line2
    order.ship_postcode, order.ship_city = new.postcode, new.city
    order.updated_at = now
    session.flush()
    record_audit(
        session,
        actor=actor,
        action="order_address_changed",
        entity="order",
        entity_id=order.number,
        details={"old": old, "new": _address_of(order)},
        now=now,
    )
    return _result(order, address=new)


def _cancellation_refund(session: Session, order: Order) -> Decimal | None:
    """What an earlier cancellation refunds (refunds not tied to a return)."""
    return session.scalar(
        select(func.sum(Refund.amount)).where(
            Refund.order_id == order.id, Refund.return_id.is_(None)
        )
    )


def cancel_order(
    session: Session,
    *,
    customer_id: int | None,
    order_number: str,
    actor: str,
    now: datetime,
) -> ChangeResult:
    """Cancel an order the warehouse still holds, and record the refund due.

    The whole total (delivery included: nothing was delivered) is refunded
    to the original payment; the refund is `pending` until the payment
    provider confirms. Cancelling twice (a repeated "yes", a retried request)
    refuses with `already_cancelled` and creates nothing; the row lock makes
    that hold for two requests at once on PostgreSQL. After shipping, a
    return is the way (`already_shipped`).

    Raises:
        InvalidInput: the order number has no six digits.
        IdentityNotProven: no verified customer, or not their order.
    """
    order = owned_order(
        session, customer_id=customer_id, order_number=order_number, lock=True
    )
    if order.status is OrderStatus.CANCELLED:
        return _result(
            order,
            reason="already_cancelled",
            refund=_cancellation_refund(session, order),
        )
    reason = _refusal(session, order)
    if reason is not None:
        return _result(order, reason=reason)
    order.status = OrderStatus.CANCELLED
    order.cancelled_at = order.updated_at = now
    session.add(
        Refund(
            order_id=order.id,
            return_id=None,
            amount=order.total,
            status=RefundStatus.PENDING,
            method="original_payment",
            requested_at=now,
        )
    )
    session.flush()
    record_audit(
        session,
        actor=actor,
        action="order_cancelled",
        entity="order",
        entity_id=order.number,
        details={"refund": str(order.total), "currency": order.currency},
        now=now,
    )
    return _result(order, refund=order.total)
