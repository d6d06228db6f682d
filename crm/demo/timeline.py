"""One order's life from checkout to "now": statuses that agree with the dates.

The simulator draws when the parcel leaves, whether it is late or lost, and
whether the customer sends something back, then cuts the story at the demo's
"now" (noon in Paris on the anchor date). The order status is read off what
has happened by then, so a delivered order always has a delivery scan and a
processing one never has a parcel.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from crm.demo.carriers import ABROAD_EXTRA_DAYS, LATE_RATE, LOST_RATE, PROMISE_DAYS
from crm.orders.models import OrderStatus, ShippingMethod
from crm.returns.models import Resolution, ReturnReason, ReturnStatus
from crm.shipping.calendar import WorkingDays
from crm.shipping.models import Carrier, TrackingCode

NOW_TIME = time(12, 0)  # the demo's "now": noon, Paris time, on the anchor date


def latest_anchor(local_now: datetime) -> date:
    """The anchor whose noon has passed: today after noon, else yesterday.

    Seeded in the morning with today's anchor, the demo would hold parcels
    delivered and answers given later today: the demo's "now" must not be
    in the future of the person trying it. `local_now` is Paris time.
    """
    today = local_now.date()
    return today if local_now.time() >= NOW_TIME else today - timedelta(days=1)


CUT_OFF_HOUR = 14  # orders after 14:00 are prepared from the next working day
CANCEL_RATE = 0.025
RETURN_RATE = 0.085  # of delivered orders that hold something returnable
LOST_AFTER_DAYS = (12, 20)  # carriers close their investigation after this

_EXTRA_PREP = (0, 1, 2, 3)
_EXTRA_PREP_WEIGHTS = (72, 20, 6, 2)
_LATE_BY = (1, 2, 3, 4)
_LATE_BY_WEIGHTS = (50, 30, 14, 6)
_REASONS = tuple(ReturnReason)
_REASON_WEIGHTS = (15, 12, 8, 30, 12, 15, 8)  # same order as ReturnReason
_SHOP_AT_FAULT = frozenset(
    {ReturnReason.DAMAGED, ReturnReason.FAULTY, ReturnReason.WRONG_ITEM}
)


@dataclass(slots=True)
class Event:
    """A scan in Paris local time; `place` says which kind of location it is."""

    at: datetime
    code: TrackingCode
    place: str  # origin | sort | hub | dest | relay


@dataclass(slots=True)
class ReturnFate:
    """How far a return got by "now"; times are Paris local, naive."""

    created: datetime
    reason: ReturnReason
    resolution: Resolution
    status: ReturnStatus
    shipped: datetime | None
    received: datetime | None
    closed: datetime | None
    events: list[Event]

    @property
    def shop_at_fault(self) -> bool:
        """Damaged, faulty or wrong items get a free label (shop policy)."""
        return self.reason in _SHOP_AT_FAULT


@dataclass(slots=True)
class Fate:
    """Everything about an order that depends on time, cut at "now"."""

    status: OrderStatus
    promised: date
    updated: datetime
    cancelled: datetime | None = None
    refund_issued: datetime | None = None
    shipped: datetime | None = None
    estimated: date | None = None
    delivered: datetime | None = None
    events: list[Event] = field(default_factory=list)
    ret: ReturnFate | None = None


@dataclass(frozen=True, slots=True)
class Force:
    """Outcomes imposed on a showcase order (None: drawn like any other)."""

    cancel: bool | None = None
    late: bool | None = None
    lost: bool | None = None
    ret: bool | None = None


NATURAL = Force()


def _at(day: date, rng: random.Random, start_min: int, end_min: int) -> datetime:
    """A random local time on `day` between two minute-of-day bounds."""
    minutes = rng.randint(start_min, end_min)
    # Naive on purpose: Paris wall-clock time, turned into UTC by LocalTime.
    midnight = datetime(day.year, day.month, day.day)  # noqa: DTZ001
    return midnight + timedelta(minutes=minutes)


def _after(previous: datetime, planned: datetime) -> datetime:
    """`planned`, or a little after `previous` if it would come first."""
    floor = previous + timedelta(minutes=25)
    return planned if planned > floor else floor


class Simulator:
    """Plays orders forward to a fixed "now" on a calendar of working days."""

    def __init__(self, now: datetime, days: WorkingDays) -> None:
        self.now = now
        self.days = days

    def run(
        self,
        rng: random.Random,
        *,
        placed: datetime,
        method: ShippingMethod,
        carrier: Carrier,
        stockout: bool,
        abroad: bool,
        returnable: bool,
        force: Force = NATURAL,
    ) -> Fate:
        """Draw an order's story and return the part that happened by "now".

        A stock-out shows a later promise at checkout (the product page said
        so), then a longer preparation; lateness comes from the carrier.
        """
        days, now = self.days, self.now
        start = placed.date()
        if not days.is_working(start) or placed.hour >= CUT_OFF_HOUR:
            start = days.next_working(start + timedelta(days=1))
        extra = (ABROAD_EXTRA_DAYS if abroad else 0) + (5 if stockout else 0)
        promised = days.add(start, PROMISE_DAYS[method] + extra)
        if stockout:
            prep = rng.randint(3, 7)
        elif method is ShippingMethod.EXPRESS:  # prepared first, same day
            prep = 0 if rng.random() < 0.95 else 1
        else:
            prep = rng.choices(_EXTRA_PREP, _EXTRA_PREP_WEIGHTS)[0]
        ship_day = days.add(start, prep)
        label = _after(placed, _at(ship_day, rng, 9 * 60, 14 * 60 + 30))
        pickup = _at(ship_day, rng, 16 * 60, 18 * 60 + 30)
        fate = Fate(status=OrderStatus.PROCESSING, promised=promised, updated=placed)

        cancel = (
            force.cancel if force.cancel is not None else rng.random() < CANCEL_RATE
        )
        if cancel:
            cancelled = placed + (pickup - placed) * rng.uniform(0.05, 0.9)
            if cancelled <= now:
                fate.status = OrderStatus.CANCELLED
                fate.cancelled = fate.updated = cancelled
                issued = cancelled + timedelta(hours=rng.randint(20, 72))
                fate.refund_issued = issued if issued <= now else None
                return fate
        if pickup > now:
            return fate  # still being prepared: no parcel yet
        self._transit(rng, fate, carrier, method, ship_day, label, pickup, force)
        if fate.status is OrderStatus.DELIVERED and returnable:
            wants = force.ret if force.ret is not None else rng.random() < RETURN_RATE
            if wants and fate.delivered is not None:
                self._return(rng, fate, fate.delivered)
        return fate

    def _transit(
        self,
        rng: random.Random,
        fate: Fate,
        carrier: Carrier,
        method: ShippingMethod,
        ship_day: date,
        label: datetime,
        pickup: datetime,
        force: Force,
    ) -> None:
        """Scans of the outbound parcel up to "now", and the status they give."""
        days, now, promised = self.days, self.now, fate.promised
        late = (
            force.late if force.late is not None else rng.random() < LATE_RATE[carrier]
        )
        lost = force.lost if force.lost is not None else rng.random() < LOST_RATE
        earliest = days.add(ship_day, 1)
        if late:
            by = rng.choices(_LATE_BY, _LATE_BY_WEIGHTS)[0]
            final = days.add(max(promised, earliest), by)
        elif earliest >= promised:
            final = earliest  # a long preparation made it late anyway
        else:
            gap = 0
            while days.add(earliest, gap + 1) <= promised:
                gap += 1
            final = days.add(earliest, rng.randint(0, gap))
        relay = method is ShippingMethod.RELAY
        t = _after(pickup, pickup + timedelta(minutes=rng.randint(360, 1200)))
        h = _after(t, _at(final, rng, 4 * 60, 6 * 60 + 30))
        if relay:
            o = _after(h, _at(final, rng, 8 * 60 + 30, 11 * 60 + 30))
            d = _after(o, o + timedelta(minutes=rng.randint(60, 480)))
        else:
            o = _after(h, _at(final, rng, 7 * 60, 8 * 60 + 45))
            latest = 12 * 60 + 59 if method is ShippingMethod.EXPRESS else 18 * 60 + 30
            d = _after(o, _at(final, rng, 9 * 60 + 30, latest))
        events = [
            Event(label, TrackingCode.LABEL_CREATED, "origin"),
            Event(pickup, TrackingCode.PICKED_UP, "origin"),
            Event(t, TrackingCode.IN_TRANSIT, "sort"),
            Event(h, TrackingCode.AT_HUB, "hub"),
        ]
        delay = None
        if d.date() > promised or lost:
            planned = _at(promised, rng, 8 * 60, 10 * 60 + 30)
            delay = Event(
                max(planned, pickup + timedelta(hours=1)), TrackingCode.DELAYED, "sort"
            )
        fate.shipped = pickup
        fate.estimated = promised
        if lost:
            kept = events[: 4 if rng.random() < 0.5 else 3]
            low, high = LOST_AFTER_DAYS
            lost_at = _at(
                kept[-1].at.date() + timedelta(days=rng.randint(low, high)),
                rng,
                10 * 60,
                16 * 60,
            )
            kept.append(Event(lost_at, TrackingCode.LOST, "sort"))
            events = kept
        else:
            last = (
                TrackingCode.AT_RELAY_POINT if relay else TrackingCode.OUT_FOR_DELIVERY
            )
            events.append(Event(o, last, "relay" if relay else "hub"))
            events.append(
                Event(d, TrackingCode.DELIVERED, "relay" if relay else "dest")
            )
        if delay is not None and delay.at < events[-1].at:
            events.append(delay)
        events.sort(key=lambda e: e.at)
        seen = [e for e in events if e.at <= now]
        fate.events = seen
        fate.updated = seen[-1].at
        codes = {e.code for e in seen}
        if TrackingCode.LOST in codes:
            fate.status = OrderStatus.LOST
        elif TrackingCode.DELIVERED in codes:
            fate.status = OrderStatus.DELIVERED
            fate.delivered = d
            fate.estimated = max(promised, d.date())
        elif TrackingCode.DELAYED in codes:
            fate.status = OrderStatus.DELAYED
            fate.estimated = d.date() if not lost else days.add(now.date(), 2)
        elif codes & {TrackingCode.OUT_FOR_DELIVERY, TrackingCode.AT_RELAY_POINT}:
            fate.status = OrderStatus.OUT_FOR_DELIVERY
        elif codes & {TrackingCode.IN_TRANSIT, TrackingCode.AT_HUB}:
            fate.status = OrderStatus.IN_TRANSIT
        else:
            fate.status = OrderStatus.SHIPPED

    def _return(self, rng: random.Random, fate: Fate, delivered: datetime) -> None:
        """A return opened within the 30-day window, followed up to "now"."""
        now = self.now
        created = _at(
            delivered.date() + timedelta(days=rng.randint(1, 27)), rng, 8 * 60, 22 * 60
        )
        if created <= delivered or created > now:
            return  # the customer has not asked (yet)
        reason = rng.choices(_REASONS, _REASON_WEIGHTS)[0]
        exchange = reason is not ReturnReason.LATE and rng.random() < 0.12
        shipped = _at(
            created.date() + timedelta(days=rng.randint(1, 6)), rng, 9 * 60, 18 * 60
        )
        moving = shipped + timedelta(minutes=rng.randint(360, 1200))
        received = _at(
            shipped.date() + timedelta(days=rng.randint(2, 5)), rng, 9 * 60, 16 * 60
        )
        closed = _at(
            received.date() + timedelta(days=rng.randint(1, 4)), rng, 10 * 60, 17 * 60
        )
        planned = [
            Event(created + timedelta(minutes=5), TrackingCode.LABEL_CREATED, "dest"),
            Event(shipped, TrackingCode.PICKED_UP, "dest"),
            Event(moving, TrackingCode.IN_TRANSIT, "sort"),
            Event(received, TrackingCode.DELIVERED, "origin"),
        ]
        ret = ReturnFate(
            created=created,
            reason=reason,
            resolution=Resolution.EXCHANGE if exchange else Resolution.REFUND,
            status=ReturnStatus.LABEL_SENT,
            shipped=None,
            received=None,
            closed=None,
            events=[e for e in planned if e.at <= now],
        )
        fate.status = OrderStatus.RETURN_REQUESTED
        fate.updated = created
        if shipped <= now:
            ret.shipped = fate.updated = shipped
            ret.status = ReturnStatus.IN_TRANSIT
        if received <= now:
            ret.received = fate.updated = received
            ret.status = ReturnStatus.RECEIVED
            fate.status = OrderStatus.RETURNED
        if closed <= now:
            ret.closed = fate.updated = closed
            if exchange:
                ret.status = ReturnStatus.EXCHANGED
            else:
                ret.status = ReturnStatus.REFUNDED
                fate.status = OrderStatus.REFUNDED
        fate.ret = ret
