"""Demo support history: proactive delay notices, chats about orders, handoffs.

Customers write when something goes wrong, so contacts follow each order's
story: a late parcel makes a where-is-my-order chat likely (less so when the
shop warned first, which is what the dashboard's notice KPI measures), a
broken item a problem report, a return a question. A quarter of the chats
reach a person; outside the team's hours (`config/support.yml`) they wait
for the next opening, so evening and weekend waits are long, as in real life.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from crm.clock import SHOP_TZ
from crm.conversations.hours import SupportHours, is_open, next_opening
from crm.demo.rows import Draft
from crm.orders.models import OrderStatus
from crm.shipping.calendar import LocalTime
from crm.shipping.models import TrackingCode

Row = dict[str, Any]
NOTICES_SINCE_DAYS = 120  # proactive delay notices went live four months ago
NOTICE_COVERAGE = 0.92  # some "delayed" scans reach the shop too late to warn
CHAT_CSAT_RATE = 0.15  # chats whose end-of-chat question was answered

# Why the bot handed over, as `actions/handoff.py` and its callers name it.
_LATE = (("complaint", 45), ("customer_request", 40), ("misunderstood", 10))
_LOST = (("lost_parcel", 85), ("complaint", 15))
_PROBLEM = (("customer_request", 50), ("complaint", 35), ("misunderstood", 15))
_RETURN = (("customer_request", 45), ("policy_unsure", 40), ("misunderstood", 15))
_REFUND = (("refund_overdue", 70), ("customer_request", 30))
_CHANGE = (("customer_request", 70), ("misunderstood", 20), ("identity_locked", 10))
_WISMO = (("customer_request", 60), ("misunderstood", 25), ("identity_locked", 15))
_MISSING = (("problem_missing_item", 60), ("problem_not_received", 40))

# When customers open the chat (Paris time): evenings too, nights hardly.
_HOURS = tuple(range(24))
_HOUR_WEIGHTS = (1, 1, 0, 0, 0, 0, 1, 2, 4, 7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 9, 8, 5, 2)


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What support and surveys need to know about one order, once decided."""

    order_id: int
    number: str
    customer_id: int
    language: str
    draft: Draft
    delay_seen: datetime | None  # the carrier's "delayed" scan, if seen by now
    stockout: bool  # something was ordered while its shelf was empty
    late_days: int  # calendar days delivered after the promise (0: on time, or not)

    @classmethod
    def of(
        cls, draft: Draft, *, order_id: int, number: str, english: bool
    ) -> OrderFacts:
        """Gather the facts, finding when the order was known to be late."""
        fate = draft.fate
        seen = next((e.at for e in fate.events if e.code is TrackingCode.DELAYED), None)
        late = 0
        if fate.delivered is not None:
            late = max(0, (fate.delivered.date() - fate.promised).days)
        return cls(
            order_id=order_id,
            number=number,
            customer_id=draft.customer_id,
            language="en" if english else "fr",
            draft=draft,
            delay_seen=seen,
            stockout=not all(in_stock for _, _, in_stock in draft.lines),
            late_days=late,
        )


@dataclass(frozen=True, slots=True)
class Contact:
    """A chat about an order, as the survey of that order sees it."""

    conversation_id: int
    started: datetime  # UTC, as stored
    ended: datetime
    resolved_by: str  # "bot" or "agent"
    complaint: bool = False  # handed over for a reason that holds surveys back
    slow_reply: bool = False  # a person answered over an hour after the request


@dataclass(frozen=True, slots=True)
class _Plan:
    """A chat to write: its topics, the window it starts in, its handoff odds."""

    topics: tuple[str, ...]
    start: datetime
    end: datetime
    handoff: float
    reasons: tuple[tuple[str, int], ...]


class SupportWriter:
    """Adds one order's notices, chats, topics and handoffs to the current chunk."""

    def __init__(
        self,
        rng: random.Random,
        local: LocalTime,
        now: datetime,
        *,
        salt: str,
        hours: SupportHours,
        complaints: frozenset[str] = frozenset(),
        agents: Sequence[int] = (),
    ) -> None:
        self.rng = rng
        self.local = local
        self.now = now
        self.salt = salt
        self.hours = hours
        self.complaints = complaints
        self.agents = tuple(agents)
        self.notices_since = now - timedelta(days=NOTICES_SINCE_DAYS)
        self.notice_id = self.conversation_id = self.handoff_id = 0
        self.counts: Counter[str] = Counter()

    def order(self, chunk: dict[str, list[Row]], facts: OrderFacts) -> list[Contact]:
        """Write the order's support history; return its chats, oldest plan first."""
        notice = self._notice(chunk, facts)
        contacts = []
        for plan in self._plans(facts, noticed=notice is not None):
            contact = self._conversation(chunk, facts, plan)
            if contact is None:
                continue
            contacts.append(contact)
            if (
                notice is not None
                and notice["shown_in_chat_at"] is None
                and "where_is_my_order" in plan.topics
            ):
                notice["shown_in_chat_at"] = contact.started
        return contacts

    # -- delay notices ------------------------------------------------------------

    def _notice(self, chunk: dict[str, list[Row]], facts: OrderFacts) -> Row | None:
        """Warn the customer of a late parcel, once the carrier's scan says so."""
        seen = facts.delay_seen
        if seen is None or seen < self.notices_since:
            return None
        rng = self.rng
        if rng.random() >= NOTICE_COVERAGE:
            return None
        created = seen + timedelta(minutes=rng.randint(5, 45))  # the 15-min pass
        if created > self.now:
            return None
        emailed = created + timedelta(minutes=rng.randint(1, 8))
        fate = facts.draft.fate
        self.notice_id += 1
        utc = self.local.to_utc
        row: Row = {
            "id": self.notice_id,
            "order_id": facts.order_id,
            "customer_id": facts.customer_id,
            "promised_on": fate.promised,
            "expected_on": None if fate.status is OrderStatus.LOST else fate.estimated,
            "reason": "late_scan",
            "created_at": utc(created),
            "emailed_at": utc(emailed) if emailed <= self.now else None,
            "shown_in_chat_at": None,
        }
        chunk["proactive_notices"].append(row)
        return row

    # -- what the customer writes about --------------------------------------------

    def _plans(self, facts: OrderFacts, *, noticed: bool) -> list[_Plan]:
        """The chats this order's story calls for (none for most orders)."""
        rng, now = self.rng, self.now
        fate = facts.draft.fate
        placed = facts.draft.placed
        plans: list[_Plan] = []
        draw = rng.random()
        if fate.status is OrderStatus.LOST:
            seen = facts.delay_seen or placed + timedelta(days=4)
            if draw < 0.65:
                topics: tuple[str, ...] = ("where_is_my_order", "problem_report")
                end = min(now, seen + timedelta(days=18))
                plans.append(_Plan(topics, seen, end, 0.8, _LOST))
        elif facts.delay_seen is not None:
            if draw < (0.10 if noticed else 0.27):
                end = fate.delivered or now
                plans.append(
                    _Plan(("where_is_my_order",), facts.delay_seen, end, 0.28, _LATE)
                )
        elif fate.cancelled is not None:
            if draw < 0.3:
                topics = ("order_change", "refund") if draw < 0.1 else ("order_change",)
                start = fate.cancelled - timedelta(minutes=rng.randint(4, 20))
                end = fate.cancelled - timedelta(minutes=2)
                plans.append(_Plan(topics, start, end, 0.12, _CHANGE))
        elif fate.delivered is None:
            if draw < (0.12 if facts.stockout else 0.05):
                start = placed + timedelta(days=1)
                plans.append(_Plan(("where_is_my_order",), start, now, 0.1, _WISMO))
        else:
            plan = self._delivered_plan(facts, draw)
            if plan is not None:
                plans.append(plan)
        plans += self._return_plans(facts)
        return plans

    def _delivered_plan(self, facts: OrderFacts, draw: float) -> _Plan | None:
        """A chat about an order delivered on time: impatience, a change, a doubt."""
        fate = facts.draft.fate
        placed = facts.draft.placed
        delivered = fate.delivered
        assert delivered is not None and fate.shipped is not None
        if draw >= (0.10 if facts.stockout else 0.017):
            return None
        kind = self.rng.random()
        if kind < 0.7 or facts.stockout:
            start = placed + timedelta(days=1)
            return _Plan(("where_is_my_order",), start, delivered, 0.15, _WISMO)
        if kind < 0.85:
            return _Plan(("order_change",), placed, fate.shipped, 0.15, _CHANGE)
        week = delivered + timedelta(days=7)
        if kind < 0.95:
            return _Plan(("problem_report",), delivered, week, 0.9, _MISSING)
        return _Plan(("return",), delivered, week, 0.2, _RETURN)

    def _return_plans(self, facts: OrderFacts) -> list[_Plan]:
        """The return opened in chat, and sometimes a refund chased later."""
        ret = facts.draft.fate.ret
        if ret is None:
            return []
        rng = self.rng
        plans = []
        at_fault = ret.shop_at_fault
        if rng.random() < (0.5 if at_fault else 0.28):
            topics = ("problem_report", "return") if at_fault else ("return",)
            start = ret.created - timedelta(minutes=rng.randint(6, 15))
            end = ret.created - timedelta(minutes=2)
            odds, reasons = (0.25, _PROBLEM) if at_fault else (0.12, _RETURN)
            plans.append(_Plan(topics, start, end, odds, reasons))
        if ret.received is not None and rng.random() < 0.12:
            start = ret.received + timedelta(days=1)
            end = max(ret.closed or self.now, start + timedelta(hours=1))
            plans.append(_Plan(("refund",), start, end, 0.35, _REFUND))
        return plans

    # -- the chat and its handoff -----------------------------------------------------

    def _conversation(
        self, chunk: dict[str, list[Row]], facts: OrderFacts, plan: _Plan
    ) -> Contact | None:
        """Write one closed chat with its topics and maybe a handoff to a person."""
        rng = self.rng
        started = _moment(rng, plan.start, plan.end)
        ended = started + timedelta(minutes=rng.uniform(1.5, 9))
        handed = rng.random() < plan.handoff
        reason = rng.choices(
            [r for r, _ in plan.reasons], [w for _, w in plan.reasons]
        )[0]
        times = self._handoff_times(started) if handed else None
        if times is not None and times[-1] > self.now:
            times = None  # demo chats are all over by "now": the bot saw it through
        if times is not None:
            ended = times[-1]
        if ended > self.now:
            return None
        self.conversation_id += 1
        cid = self.conversation_id
        utc = self.local.to_utc
        digest = hashlib.blake2b(f"{self.salt}:chat:{cid}".encode(), digest_size=16)
        resolved_by = "agent" if times is not None else "bot"
        chunk["conversations"].append(
            {
                "id": cid,
                "sender_id": digest.hexdigest(),  # the widget's uuid4().hex form
                "customer_id": facts.customer_id,
                "language": facts.language,
                "channel": "widget",
                "status": "closed",
                "started_at": utc(started),
                "ended_at": utc(ended),
                "resolved_by": resolved_by,
                "csat_asked_at": utc(ended),  # the hub asks at every chat's end
            }
        )
        at = started
        for topic in plan.topics:
            at += timedelta(seconds=rng.randint(20, 150))
            chunk["conversation_topics"].append(
                {
                    "conversation_id": cid,
                    "topic": topic,
                    "order_id": facts.order_id,
                    "first_at": utc(at),
                }
            )
            self.counts[f"topic_{topic}"] += 1
        if times is not None:
            self._handoff(chunk, facts, cid, reason, plan.topics[0], times)
        self.counts[f"resolved_by_{resolved_by}"] += 1
        complaint = times is not None and reason in self.complaints
        slow = times is not None and times[2] - times[0] > timedelta(hours=1)
        return Contact(cid, utc(started), utc(ended), resolved_by, complaint, slow)

    def _handoff_times(
        self, started: datetime
    ) -> tuple[datetime, datetime, datetime, datetime] | None:
        """Requested, accepted, first answer, closed: a person's side of a chat.

        A short wait while the team is in (longer late in the day and on
        Saturdays), the next opening otherwise. None when the team does not
        open in the next two weeks.
        """
        rng = self.rng
        requested = started + timedelta(minutes=rng.uniform(1.5, 7))
        if is_open(self.hours, self.local.to_utc(requested)):
            busy = requested.hour >= 16 or requested.weekday() == 5
            wait = 0.5 + rng.expovariate(1 / (9.0 if busy else 3.0))
            accepted = requested + timedelta(minutes=wait)
            first = accepted + timedelta(minutes=rng.uniform(0.3, 2.5))
            closed = first + timedelta(minutes=rng.uniform(4, 35))
        else:
            opening = next_opening(self.hours, self.local.to_utc(requested))
            if opening is None:
                return None
            local_opening = opening.astimezone(SHOP_TZ).replace(tzinfo=None)
            backlog = 2 + rng.expovariate(1 / 40)  # the night's tickets first
            accepted = local_opening + timedelta(minutes=backlog)
            first = accepted + timedelta(minutes=rng.uniform(1, 6))
            closed = first + timedelta(minutes=rng.uniform(5, 90))
        return requested, accepted, first, closed

    def _handoff(
        self,
        chunk: dict[str, list[Row]],
        facts: OrderFacts,
        conversation_id: int,
        reason: str,
        goal: str,
        times: tuple[datetime, datetime, datetime, datetime],
    ) -> None:
        """The handoff row, with the packet the bot would have prepared."""
        requested, accepted, first, closed = times
        pick = self.rng.random()  # drawn even without staff: same data either way
        agent = self.agents[int(pick * len(self.agents))] if self.agents else None
        self.handoff_id += 1
        utc = self.local.to_utc
        number = facts.number
        chunk["handoffs"].append(
            {
                "id": self.handoff_id,
                "conversation_id": conversation_id,
                "reason": reason,
                "status": "closed",
                "packet": {
                    "reason": reason,
                    "language": facts.language,
                    "customer_id": facts.customer_id,
                    "orders": [number],
                    "slots": {"goal": goal, "verified_order_number": number},
                    "summary": (
                        f"Handed over: {reason}. Came for: {goal}. Identity: "
                        f"customer {facts.customer_id} verified. Orders: {number}."
                    ),
                    "transcript": [],
                },
                "requested_at": utc(requested),
                "accepted_at": utc(accepted),
                "first_response_at": utc(first),
                "closed_at": utc(closed),
                "agent_id": agent,
            }
        )
        self.counts[f"handoff_{reason}"] += 1


def _moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A time in [start, end] when people chat (few at night), uniform if short."""
    span = (end - start).total_seconds()
    if span <= 6 * 3600:
        return start + timedelta(seconds=rng.random() * max(0.0, span))
    day: date = (start + timedelta(seconds=rng.random() * span)).date()
    hour = rng.choices(_HOURS, _HOUR_WEIGHTS)[0]
    at = datetime.combine(day, time(hour, rng.randrange(60)))
    if start <= at <= end:
        return at
    return start + timedelta(seconds=rng.random() * span)
