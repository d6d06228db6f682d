"""Support KPIs of the ops dashboard: containment, handoffs, contacts, agents.

The questions ops ask of the bot: how many chats did it finish alone, why
did the others go to people, how often do customers ask where their order
is, how fast did agents answer, and does telling customers first spare
them the question.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select, union
from sqlalchemy.orm import Session

from crm.conversations.models import Conversation, ConversationTopic, Handoff
from crm.conversations.topics import WHERE_IS_MY_ORDER
from crm.kpis.cohorts import within
from crm.kpis.counts import count_if, rate, rollup, weekly_rates
from crm.kpis.elapsed import in_units, seconds_between, spread
from crm.kpis.filters import DateRange, on_days
from crm.kpis.local_time import local_week
from crm.kpis.rollup_build import refresh_rollups
from crm.kpis.rollup_models import LateDelivery
from crm.kpis.schemas import (
    AgentResponse,
    ContactRate,
    Containment,
    FirstResponseTime,
    NoticeEffect,
    ReasonRate,
    ResponseMinutes,
)
from crm.notices.models import ProactiveNotice
from crm.orders.models import Order
from crm.staff.models import StaffUser

MINUTE = 60


def containment(session: Session, *, period: DateRange) -> Containment:
    """Conversations started in the range, and the share never handed to people.

    A conversation handed off and given back to the bot is not contained:
    a person had to look at it. Handoff rates are handoffs per
    conversation by reason (a chat handed off twice counts twice), so the
    reasons show where agents' time goes.
    """
    handed_off = exists().where(Handoff.conversation_id == Conversation.id)
    started = (
        select(
            local_week(Conversation.started_at).label("week"),
            case((handed_off, 0), else_=1).label("contained"),
        )
        .where(within(Conversation.started_at, period))
        .cte("started")
    )
    found = rollup(
        session,
        started,
        measures=(func.sum(started.c.contained), func.count()),
        keys=(started.c.week,),
    )
    (by_week,) = found.by_key
    contained, conversations = found.overall
    handoffs = func.count(Handoff.id)
    by_reason = session.execute(
        select(Handoff.reason, handoffs)
        .join(Conversation, Conversation.id == Handoff.conversation_id)
        .where(within(Conversation.started_at, period))
        .group_by(Handoff.reason)
        .order_by(handoffs.desc(), Handoff.reason)
    ).all()
    return Containment(
        conversations=conversations,
        contained=rate(contained, conversations),
        handoffs_by_reason=tuple(
            ReasonRate(reason=reason, rate=rate(count, conversations))
            for reason, count in by_reason
        ),
        weekly=weekly_rates(
            {week: rate(*figures) for week, figures in by_week.items()}, period
        ),
    )


def where_is_my_order_contacts(session: Session, *, period: DateRange) -> ContactRate:
    """Where-is-my-order conversations per 100 orders placed, both in the range.

    The e-commerce benchmark for delivery communication: it should fall as
    tracking e-mails and proactive notices improve. A conversation counts
    when its where-is-my-order topic first came up in the range.
    """
    contacts = (
        select(func.count())
        .select_from(ConversationTopic)
        .where(
            ConversationTopic.topic == WHERE_IS_MY_ORDER,
            within(ConversationTopic.first_at, period),
        )
        .scalar_subquery()
    )
    orders = (
        select(func.count())
        .select_from(Order)
        .where(within(Order.placed_at, period))
        .scalar_subquery()
    )
    found, placed = session.execute(select(contacts, orders)).one()
    return ContactRate(contacts=found, orders=placed)


def first_response_time(session: Session, *, period: DateRange) -> FirstResponseTime:
    """Minutes from handoff requested to the agent's first message, by agent.

    Handoffs requested in the range and answered; average and median,
    because one ticket answered the next morning drags the average far
    from what most customers lived. Waiting handoffs are left out here
    (the queue page shows them). By agent: the agent who took the handoff.
    """
    answered = (
        select(
            Handoff.agent_id,
            seconds_between(Handoff.requested_at, Handoff.first_response_at).label(
                "seconds"
            ),
        )
        .where(
            within(Handoff.requested_at, period),
            Handoff.first_response_at.is_not(None),
        )
        .subquery("answered")
    )
    overall = session.execute(spread(answered)).one_or_none()
    per_agent = spread(answered, key="agent_id").subquery("per_agent")
    by_agent = session.execute(
        select(
            StaffUser.id,
            StaffUser.first_name,
            per_agent.c.total,
            per_agent.c.mean,
            per_agent.c.median,
        )
        .join(per_agent, per_agent.c.agent_id == StaffUser.id)
        .order_by(per_agent.c.median, StaffUser.first_name, StaffUser.id)
    ).all()
    return FirstResponseTime(
        overall=_minutes(overall),
        by_agent=tuple(
            AgentResponse(agent_id=agent_id, agent_name=name, minutes=_minutes(figures))
            for agent_id, name, *figures in by_agent
        ),
    )


def _minutes(figures: Any) -> ResponseMinutes:
    """`(total, mean, median)` in seconds as minutes; NULLs: nothing answered."""
    if figures is None or figures[0] is None:
        return ResponseMinutes(answered=0, average_minutes=None, median_minutes=None)
    total, mean, median = figures
    return ResponseMinutes(
        answered=int(total),
        average_minutes=in_units(mean, MINUTE),
        median_minutes=in_units(median, MINUTE),
    )


def notice_effect(session: Session, *, period: DateRange) -> NoticeEffect:
    """Late orders whose customer asked where the order was: told first or not.

    Late orders of the range: delivered in it after the promised Paris day,
    or with a proactive notice created in it (still on the way, or given
    up). An order counts as notified when a notice was e-mailed or shown
    in the chat before its first where-is-my-order conversation (or with
    none); told only after asking, it counts as not notified, since the
    notice could not have spared that question. Conversations count when
    their topic names the order (`ConversationTopic.order_id`): a chat
    that never identified the order cannot be tied to it. The orders
    delivered late come from their rollup (`LateDelivery`).
    """
    refresh_rollups(session)
    late_delivered = select(LateDelivery.order_id).where(
        on_days(LateDelivery.day, period)
    )
    noticed = select(ProactiveNotice.order_id).where(
        within(ProactiveNotice.created_at, period)
    )
    late = union(late_delivered, noticed).cte("late_orders")
    told = case(
        (ProactiveNotice.emailed_at.is_(None), ProactiveNotice.shown_in_chat_at),
        (ProactiveNotice.shown_in_chat_at.is_(None), ProactiveNotice.emailed_at),
        (
            ProactiveNotice.emailed_at < ProactiveNotice.shown_in_chat_at,
            ProactiveNotice.emailed_at,
        ),
        else_=ProactiveNotice.shown_in_chat_at,
    )
    # Grouped subqueries joined to the late orders, not correlated scalar
    # subqueries: PostgreSQL would run those once per mention in the CASEs.
    first_told = (
        select(ProactiveNotice.order_id, func.min(told).label("at"))
        .join(late, late.c.order_id == ProactiveNotice.order_id)
        .group_by(ProactiveNotice.order_id)
        .subquery("first_told")
    )
    first_asked = (
        select(
            ConversationTopic.order_id, func.min(ConversationTopic.first_at).label("at")
        )
        .join(late, late.c.order_id == ConversationTopic.order_id)
        .where(ConversationTopic.topic == WHERE_IS_MY_ORDER)
        .group_by(ConversationTopic.order_id)
        .subquery("first_asked")
    )
    per_order = (
        select(first_told.c.at.label("told_at"), first_asked.c.at.label("asked_at"))
        .select_from(late)
        .outerjoin(first_told, first_told.c.order_id == late.c.order_id)
        .outerjoin(first_asked, first_asked.c.order_id == late.c.order_id)
        .subquery("per_order")
    )
    notified = and_(
        per_order.c.told_at.is_not(None),
        or_(
            per_order.c.asked_at.is_(None),
            per_order.c.told_at < per_order.c.asked_at,
        ),
    )
    asked = per_order.c.asked_at.is_not(None)
    row = session.execute(
        select(
            count_if(notified & asked),
            count_if(notified),
            count_if(~notified & asked),
            func.count(),
        )
    ).one()
    notified_asked, notified_orders, other_asked, late_orders = (
        int(value) for value in row
    )
    return NoticeEffect(
        late_orders=late_orders,
        notified=rate(notified_asked, notified_orders),
        not_notified=rate(other_asked, late_orders - notified_orders),
    )
