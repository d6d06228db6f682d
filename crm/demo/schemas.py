"""What the demo seeder and the demo-accounts list hand back to their callers."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from crm.customers.models import Language
from crm.orders.models import OrderStatus
from crm.shipping.models import Carrier


class SeedReport(BaseModel):
    """How much `seed_store` wrote, so the CLI can print it and tests can check it.

    Per-status counts let an operator see at a glance that every status a
    customer may ask about exists in the demo store; `feedback` counts what
    the tables do not show directly (invitations by status, answers by
    channel, comments, satisfied answers, chats by who resolved them).
    """

    model_config = ConfigDict(frozen=True)

    seed: int
    anchor: date
    rows: dict[str, int]
    order_statuses: dict[str, int]
    feedback: dict[str, int] = Field(default_factory=dict)
    elapsed_seconds: float

    @property
    def total_rows(self) -> int:
        """Rows written over every table (for a rows-per-second figure)."""
        return sum(self.rows.values())


class DemoAccount(BaseModel):
    """One demo order with what a customer gives the bot to prove it is theirs.

    Presenters and testers need ready-made identities per status; the postcode
    is the one on the order (`ship_postcode`), which is what the bot checks.
    """

    model_config = ConfigDict(frozen=True)

    order_number: str
    status: OrderStatus
    email: str
    postcode: str
    language: Language
    customer_name: str
    placed_at: datetime
    promised_delivery_date: date
    carrier: Carrier | None
    tracking_number: str | None
