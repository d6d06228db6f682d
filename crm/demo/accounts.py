"""Ready-made demo identities: per order status, what a customer would quote."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.customers.models import Customer
from crm.demo.schemas import DemoAccount
from crm.orders.models import Order, OrderStatus
from crm.shipping.models import Shipment, ShipmentDirection


def list_demo_accounts(session: Session, *, per_status: int = 3) -> list[DemoAccount]:
    """List a few orders of every status with the facts that prove ownership.

    The most recent orders of each status are chosen (highest ids, fixed for a
    given seed and anchor): a recently delivered parcel can still be returned,
    which makes a better demo than one from 18 months ago. The postcode is
    the one on the order, which is what the bot checks against. One indexed
    query per status (`ix_orders_status`, ordered by id) keeps this instant
    on a million orders.
    """
    picked: list[tuple[Order, Customer]] = []
    for status in OrderStatus:
        for order, customer in session.execute(
            select(Order, Customer)
            .join(Customer, Customer.id == Order.customer_id)
            .where(Order.status == status)
            .order_by(Order.id.desc())
            .limit(per_status)
        ):
            picked.append((order, customer))
    parcels: dict[int, Shipment] = {}
    if picked:
        shipments = session.scalars(
            select(Shipment)
            .where(
                Shipment.order_id.in_([order.id for order, _ in picked]),
                Shipment.direction == ShipmentDirection.OUTBOUND,
            )
            .order_by(Shipment.id)
        )
        for shipment in shipments:
            parcels.setdefault(shipment.order_id, shipment)
    accounts = []
    for order, customer in picked:
        parcel = parcels.get(order.id)
        accounts.append(
            DemoAccount(
                order_number=order.number,
                status=order.status,
                email=customer.email,
                postcode=order.ship_postcode,
                language=customer.language,
                customer_name=f"{customer.first_name} {customer.last_name}",
                placed_at=order.placed_at,
                promised_delivery_date=order.promised_delivery_date,
                carrier=parcel.carrier if parcel else None,
                tracking_number=parcel.tracking_number if parcel else None,
            )
        )
    return accounts
