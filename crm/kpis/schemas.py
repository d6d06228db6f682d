"""Dashboard figures that leave `crm`: each rate with the counts behind it.

The dashboard shows "42 of 50" next to every percentage: a rate over five
orders must not look as solid as one over five thousand. So every rate
carries its numerator and denominator, and its value is None (not 0, not
a division error) when there is nothing to divide by.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, ConfigDict, computed_field

from crm.returns.models import ReturnReason
from crm.shipping.models import Carrier

CENT = Decimal("0.01")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Rate(_Frozen):
    """`numerator` of `denominator`, e.g. 42 orders on time of 50 delivered."""

    numerator: int
    denominator: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def value(self) -> float | None:
        """The share (0 to 1), None when the denominator is 0."""
        if self.denominator == 0:
            return None
        return self.numerator / self.denominator


class WeeklyRate(_Frozen):
    """A rate over one Paris week; `week` is its Monday.

    The first and last weeks may be cut by the range: they hold only the
    range's days.
    """

    week: date
    rate: Rate


class CarrierRate(_Frozen):
    """A rate over one carrier's parcels."""

    carrier: Carrier
    rate: Rate


class OnTimeDelivery(_Frozen):
    """Orders delivered on or before the promised day, of orders delivered."""

    overall: Rate
    by_carrier: tuple[CarrierRate, ...]
    weekly: tuple[WeeklyRate, ...]


class AverageHours(_Frozen):
    """An average duration in hours (one decimal) over `orders` orders."""

    orders: int
    average_hours: float | None


class WeeklyHours(_Frozen):
    """An average duration in hours over the orders of one Paris week."""

    week: date
    orders: int
    average_hours: float | None


class PreparationTime(_Frozen):
    """From order placed to first parcel handed to the carrier."""

    overall: AverageHours
    weekly: tuple[WeeklyHours, ...]


class CarrierDays(_Frozen):
    """A carrier's average transit time in days (one decimal)."""

    carrier: Carrier
    deliveries: int
    average_days: float | None


class DeliveryTime(_Frozen):
    """From parcel handed to the carrier to parcel delivered."""

    deliveries: int
    average_days: float | None
    by_carrier: tuple[CarrierDays, ...]


class ReasonUnits(_Frozen):
    """How many units came back for one reason."""

    reason: ReturnReason
    units: int


class ProductRate(_Frozen):
    """A rate for one product, named in both languages."""

    sku: str
    name_fr: str
    name_en: str
    rate: Rate


class ProductReturns(ProductRate):
    """A product's return rate and its most frequent reasons, most first."""

    reasons: tuple[ReasonUnits, ...]


class ReturnRates(_Frozen):
    """Units returned of units delivered; products with at least `min_units`."""

    overall: Rate
    min_units: int
    products: tuple[ProductReturns, ...]


class StockOutRates(_Frozen):
    """Order lines taken while out of stock, of all order lines."""

    overall: Rate
    weekly: tuple[WeeklyRate, ...]
    products: tuple[ProductRate, ...]


class CostPerOrder(_Frozen):
    """What carriers charged, outbound and for returns, per order shipped."""

    orders: int
    outbound_cost: Decimal
    return_cost: Decimal

    @computed_field  # type: ignore[prop-decorator]
    @property
    def outbound_per_order(self) -> Decimal | None:
        """Outbound cost per order, to the cent; None without orders."""
        return _per_order(self.outbound_cost, self.orders)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def return_per_order(self) -> Decimal | None:
        """Return parcels' cost per order shipped, to the cent."""
        return _per_order(self.return_cost, self.orders)


def _per_order(cost: Decimal, orders: int) -> Decimal | None:
    # Half up, as a person rounds cents (1.725 -> 1.73), not banker's rounding.
    if orders == 0:
        return None
    return (cost / orders).quantize(CENT, rounding=ROUND_HALF_UP)


class CarrierCost(_Frozen):
    """Costs per order of one carrier."""

    carrier: Carrier
    cost: CostPerOrder


class MonthlyCost(_Frozen):
    """Costs per order of one Paris month; `month` is its first day."""

    month: date
    cost: CostPerOrder


class LogisticsCost(_Frozen):
    """Carrier costs per order: overall, by carrier and by month."""

    overall: CostPerOrder
    by_carrier: tuple[CarrierCost, ...]
    monthly: tuple[MonthlyCost, ...]


class ReasonRate(_Frozen):
    """Handoffs for one reason, of all conversations started."""

    reason: str
    rate: Rate


class Containment(_Frozen):
    """Conversations the bot handled alone, and why the others went to people."""

    conversations: int
    contained: Rate
    handoffs_by_reason: tuple[ReasonRate, ...]
    weekly: tuple[WeeklyRate, ...]


class ContactRate(_Frozen):
    """Where-is-my-order conversations per 100 orders placed."""

    contacts: int
    orders: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def per_100_orders(self) -> float | None:
        """Contacts per 100 orders, None when no order was placed."""
        return None if self.orders == 0 else 100 * self.contacts / self.orders


class ResponseMinutes(_Frozen):
    """Agents' first response time in minutes (one decimal) over `answered`."""

    answered: int
    average_minutes: float | None
    median_minutes: float | None


class AgentResponse(_Frozen):
    """One agent's first response time."""

    agent_id: int
    agent_name: str
    minutes: ResponseMinutes


class FirstResponseTime(_Frozen):
    """From handoff requested to the agent's first message."""

    overall: ResponseMinutes
    by_agent: tuple[AgentResponse, ...]


class NoticeEffect(_Frozen):
    """Late orders whose customer asked where the order was, told or not first.

    `notified`: orders whose customer asked after the notice, of orders told
    before asking (or never asking); `not_notified`: orders whose customer
    asked, of the others (never told, or told only after asking).
    """

    late_orders: int
    notified: Rate
    not_notified: Rate
