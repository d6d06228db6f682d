"""Turn decided orders into table rows with explicit ids (no RETURNING needed).

Ids come from counters, so rows of every table can be written in bulk and
children can point at parents written in the same chunk.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from crm.demo.carriers import (
    FEE_CENTS,
    FREE_SHIPPING_FROM_CENTS,
    LABEL_FEE_CENTS,
    SORTING_CENTRES,
    WAREHOUSE,
    carrier_cost_cents,
    describe,
    tracking_number,
)
from crm.demo.catalog_data import NON_RETURNABLE, PRODUCTS
from crm.demo.people import RELAY_SHOPS, Town
from crm.demo.timeline import Event, Fate
from crm.orders.models import ShippingMethod
from crm.returns.models import Resolution
from crm.shipping.calendar import LocalTime
from crm.shipping.models import Carrier

Row = dict[str, Any]
ORDER_TABLES = (
    "orders",
    "order_lines",
    "shipments",
    "tracking_events",
    "returns",
    "return_lines",
    "refunds",
    "proactive_notices",
    "conversations",
    "conversation_topics",
    "handoffs",
    "survey_invitations",
    "survey_responses",
    "survey_response_topics",
)
"""Tables an order chunk fills, parents before children (insert order)."""

_PRICE_CENTS = [int(Decimal(p.price) * 100) for p in PRODUCTS]
_PRICES = [Decimal(p.price) for p in PRODUCTS]
_RETURNABLE = [p.category not in NON_RETURNABLE for p in PRODUCTS]


def cents(amount: int) -> Decimal:
    """Euros as an exact Decimal from integer cents (no float on the way)."""
    return Decimal(amount).scaleb(-2)


def shipping_fee_cents(subtotal: int, method: ShippingMethod, abroad: bool) -> int:
    """Delivery fee: free from 49 EUR except express (shop policy)."""
    if method is not ShippingMethod.EXPRESS and subtotal >= FREE_SHIPPING_FROM_CENTS:
        return 0
    return FEE_CENTS[(abroad, method)]


@dataclass(slots=True)
class Draft:
    """An order decided but not yet written: who, what, where, and its fate."""

    placed: datetime
    customer_id: int
    ship_name: str
    line1: str
    line2: str | None
    town: Town
    method: ShippingMethod
    carrier: Carrier
    lines: list[tuple[int, int, bool]]  # product index, quantity, in stock
    fate: Fate


class RowWriter:
    """Accumulates one chunk of rows per table and numbers them."""

    def __init__(self, tracking_offset: int, local: LocalTime) -> None:
        self.offset = tracking_offset
        self.local = local
        self.line_id = self.shipment_id = self.event_id = 0
        self.return_id = self.return_line_id = self.refund_id = 0
        self.chunk: dict[str, list[Row]] = {t: [] for t in ORDER_TABLES}

    def start_chunk(self) -> None:
        """Forget the rows handed out; ids keep counting."""
        self.chunk = {t: [] for t in ORDER_TABLES}

    def take_chunk(self) -> dict[str, list[Row]]:
        """The rows accumulated since `start_chunk`, by table."""
        return self.chunk

    def order(
        self, rng: random.Random, draft: Draft, *, order_id: int, number: str
    ) -> None:
        """Add the rows of one order: the order, its lines, parcels and returns."""
        fate, town, utc = draft.fate, draft.town, self.local.to_utc
        abroad = town.country != "FR"
        subtotal = sum(_PRICE_CENTS[p] * q for p, q, _ in draft.lines)
        fee = shipping_fee_cents(subtotal, draft.method, abroad)
        relay_point = None
        if draft.method is ShippingMethod.RELAY:
            relay_point = (
                f"{rng.choice(RELAY_SHOPS)}, {town.postcode} {town.city}"
                f" (Point Relais {rng.randrange(10**6):06d})"
            )
        self.chunk["orders"].append(
            {
                "id": order_id,
                "number": number,
                "customer_id": draft.customer_id,
                "placed_at": utc(draft.placed),
                "status": fate.status.value,
                "shipping_method": draft.method.value,
                "promised_delivery_date": fate.promised,
                "ship_name": draft.ship_name,
                "ship_line1": draft.line1,
                "ship_line2": draft.line2,
                "ship_postcode": town.postcode,
                "ship_city": town.city,
                "ship_country": town.country,
                "relay_point": relay_point,
                "subtotal": cents(subtotal),
                "shipping_fee": cents(fee),
                "total": cents(subtotal + fee),
                "currency": "EUR",
                "cancelled_at": utc(fate.cancelled) if fate.cancelled else None,
                "updated_at": utc(fate.updated),
            }
        )
        lines = self.chunk["order_lines"]
        line_ids: list[tuple[int, int, int]] = []
        for product, quantity, in_stock in draft.lines:
            self.line_id += 1
            line_ids.append((self.line_id, product, quantity))
            lines.append(
                {
                    "id": self.line_id,
                    "order_id": order_id,
                    "product_id": product + 1,
                    "quantity": quantity,
                    "unit_price": _PRICES[product],
                    "in_stock_at_order": in_stock,
                }
            )
        if fate.cancelled is not None:
            self._refund(
                order_id, None, subtotal + fee, fate.cancelled, fate.refund_issued
            )
        if fate.shipped is not None:
            self._shipment(
                rng,
                order_id,
                draft,
                direction="outbound",
                carrier=draft.carrier,
                events=fate.events,
                cost=carrier_cost_cents(
                    draft.carrier, len(draft.lines), abroad, rng.randint(-40, 40)
                ),
                shipped=fate.shipped,
                estimated=fate.estimated,
                delivered=fate.delivered,
            )
        if fate.ret is not None:
            self._return(rng, order_id, draft, line_ids)

    def _return(
        self,
        rng: random.Random,
        order_id: int,
        draft: Draft,
        line_ids: list[tuple[int, int, int]],
    ) -> None:
        """The RMA, what comes back, its parcel and the refund owed."""
        ret = draft.fate.ret
        assert ret is not None
        utc = self.local.to_utc
        self.return_id += 1
        label_fee = 0 if ret.shop_at_fault else LABEL_FEE_CENTS
        self.chunk["returns"].append(
            {
                "id": self.return_id,
                "rma_number": f"RMA-{ret.created.year}-{self.return_id:06d}",
                "order_id": order_id,
                "reason": ret.reason.value,
                "resolution": ret.resolution.value,
                "status": ret.status.value,
                "label_fee": cents(label_fee),
                "label_path": None,
                "label_token": None,  # no link: demo returns were never shown
                "comment": None,
                "created_at": utc(ret.created),
                "received_at": utc(ret.received) if ret.received else None,
                "closed_at": utc(ret.closed) if ret.closed else None,
            }
        )
        candidates = [line for line in line_ids if _RETURNABLE[line[1]]]
        chosen = [line for line in candidates if rng.random() < 0.6] or candidates[:1]
        value = 0
        for line_id, product, quantity in chosen:
            self.return_line_id += 1
            back = rng.randint(1, quantity)
            value += _PRICE_CENTS[product] * back
            self.chunk["return_lines"].append(
                {
                    "id": self.return_line_id,
                    "return_id": self.return_id,
                    "order_line_id": line_id,
                    "quantity": back,
                }
            )
        if ret.resolution is Resolution.REFUND:
            issued = ret.closed
            amount = max(0, value - label_fee)
            self._refund(order_id, self.return_id, amount, ret.created, issued)
        carrier = (
            Carrier.MONDIAL_RELAY
            if draft.method is ShippingMethod.RELAY
            else Carrier.COLISSIMO
        )
        abroad = draft.town.country != "FR"
        self._shipment(
            rng,
            order_id,
            draft,
            direction="return",
            carrier=carrier,
            events=ret.events,
            cost=carrier_cost_cents(carrier, 1, abroad, rng.randint(-30, 30)),
            shipped=ret.shipped,
            estimated=(ret.shipped + timedelta(days=3)).date() if ret.shipped else None,
            delivered=ret.received,
        )

    def _refund(
        self,
        order_id: int,
        return_id: int | None,
        amount: int,
        requested: datetime,
        issued: datetime | None,
    ) -> None:
        """Money owed back: `issued` once paid, `pending` until then."""
        self.refund_id += 1
        self.chunk["refunds"].append(
            {
                "id": self.refund_id,
                "order_id": order_id,
                "return_id": return_id,
                "amount": cents(amount),
                "status": "issued" if issued else "pending",
                "method": "original_payment",
                "requested_at": self.local.to_utc(requested),
                "issued_at": self.local.to_utc(issued) if issued else None,
            }
        )

    def _shipment(
        self,
        rng: random.Random,
        order_id: int,
        draft: Draft,
        *,
        direction: str,
        carrier: Carrier,
        events: list[Event],
        cost: int,
        shipped: datetime | None,
        estimated: date | None,
        delivered: datetime | None,
    ) -> None:
        """One parcel and its scans, located in French place names."""
        utc = self.local.to_utc
        self.shipment_id += 1
        self.chunk["shipments"].append(
            {
                "id": self.shipment_id,
                "order_id": order_id,
                "direction": direction,
                "carrier": carrier.value,
                "tracking_number": tracking_number(
                    carrier, self.shipment_id, self.offset
                ),
                "carrier_cost": cents(cost),
                "shipped_at": utc(shipped) if shipped else None,
                "estimated_delivery": estimated,
                "delivered_at": utc(delivered) if delivered else None,
            }
        )
        town = draft.town
        places = {
            "origin": WAREHOUSE,
            "sort": rng.choice(SORTING_CENTRES[carrier]),
            "hub": f"Agence de {town.city}",
            "dest": f"{town.postcode} {town.city}",
            "relay": f"Point Relais, {town.postcode} {town.city}",
        }
        rows = self.chunk["tracking_events"]
        for event in events:
            self.event_id += 1
            rows.append(
                {
                    "id": self.event_id,
                    "shipment_id": self.shipment_id,
                    "occurred_at": utc(event.at),
                    "location": places[event.place],
                    "code": event.code.value,
                    "description": describe(carrier, event.code),
                }
            )
