"""Problem-report data that leaves `crm`: the items to pick, and the decision."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from crm.orders.models import OrderStatus
from crm.problems.models import ProblemKind, ProblemReason
from crm.returns.schemas import NotDeliveredHint, ReturnCreated

ProblemDecision = Literal["return_opened", "handoff", "not_delivered_yet"]
"""What the bot does next: give the return label, hand the chat to a person,
or give the tracking (the order has not arrived, so nothing is recorded)."""


class ProblemLine(BaseModel):
    """One item of the order, for the bot to offer as a button.

    `exchange_available` says whether "the same item again" may be offered
    instead of a refund for a damaged, faulty or wrong item (the policy
    offers it for those reasons and one is in stock today); the return
    service checks it again for the quantity chosen.
    """

    model_config = ConfigDict(frozen=True)

    sku: str
    name_fr: str
    name_en: str
    quantity: int
    exchange_available: bool


class ProblemOrder(BaseModel):
    """A verified customer's order as a problem report needs it.

    `delivered_on` is None while the order has not arrived: the bot then
    gives the tracking instead of asking which item (`hint` says what else
    to offer, as for returns).
    """

    model_config = ConfigDict(frozen=True)

    order_number: str
    status: OrderStatus
    delivered_on: date | None
    hint: NotDeliveredHint | None = None
    lines: tuple[ProblemLine, ...]


class ProblemOutcome(BaseModel):
    """What the store decided about one report, and why (`reason`).

    - `return_opened`: `opened_return` holds the RMA, the free label's link
      (`label_path`, for this customer's eyes only) and the next steps;
    - `handoff`: a person takes over; `reason` tells the customer why;
    - `not_delivered_yet`: nothing was recorded (`report_id` None); the bot
      gives the tracking, `hint` what else to offer.

    `sku`, the names and `quantity` are None for `not_received` (the whole
    parcel) and for an order not delivered yet reported as not received.
    """

    model_config = ConfigDict(frozen=True)

    decision: ProblemDecision
    reason: ProblemReason
    kind: ProblemKind
    order_number: str
    order_status: OrderStatus
    sku: str | None = None
    name_fr: str | None = None
    name_en: str | None = None
    quantity: int | None = None
    report_id: int | None = None
    hint: NotDeliveredHint | None = None
    opened_return: ReturnCreated | None = None
