from datetime import date, timedelta

from sqlalchemy.orm import Session

from crm.kpis.filters import DateRange
from crm.kpis.schemas import Rate, ResponseMinutes
from crm.kpis.support import (
    containment,
    first_response_time,
    notice_effect,
    where_is_my_order_contacts,
)
from crm.orders.models import Order
from tests.crm.kpis.fixtures import (
    NOVEMBER,
    WEEK_1,
    WEEK_2,
    agent,
    chat,
    customer,
    four_orders,
    hand_off,
    notice,
    order,
    parcel,
    topic,
    utc,
)

QUIET = DateRange(start=date(2026, 12, 1), end=date(2026, 12, 6))


def five_chats(session: Session) -> None:
    """Five conversations started on Paris days of the range, two handed off."""
    chat(session, sender_id="c1", started_at=utc(2, 10))
    second = chat(session, sender_id="c2", started_at=utc(3, 10))
    third = chat(session, sender_id="c3", started_at=utc(10, 10))
    chat(session, sender_id="c4", started_at=utc(11, 10))
    chat(session, sender_id="c6", started_at=utc(1, 23, 30))  # 2 Nov in Paris
    after = chat(session, sender_id="c5", started_at=utc(15, 23, 30))  # 16 Nov
    hand_off(session, conversation=second)
    hand_off(session, conversation=third)
    hand_off(session, conversation=third, reason="refund_dispute")
    hand_off(session, conversation=after)


# -- containment and handoffs --------------------------------------------------


def test_containment_is_conversations_never_handed_off(session: Session) -> None:
    five_chats(session)

    result = containment(session, period=NOVEMBER)

    assert result.conversations == 5
    assert result.contained == Rate(numerator=3, denominator=5)


def test_handoff_rate_counts_each_handoff_by_reason(session: Session) -> None:
    five_chats(session)

    result = containment(session, period=NOVEMBER)

    assert [
        (r.reason, r.rate.numerator, r.rate.denominator)
        for r in result.handoffs_by_reason
    ] == [
        ("customer_request", 2, 5),
        ("refund_dispute", 1, 5),
    ]


def test_weekly_series_gives_conversations_and_containment(session: Session) -> None:
    five_chats(session)

    result = containment(session, period=NOVEMBER)

    assert [(w.week, w.rate.numerator, w.rate.denominator) for w in result.weekly] == [
        (WEEK_1, 2, 3),
        (WEEK_2, 1, 2),
    ]


def test_containment_is_none_without_conversations(session: Session) -> None:
    five_chats(session)

    result = containment(session, period=QUIET)

    assert result.conversations == 0
    assert result.contained.value is None
    assert result.handoffs_by_reason == ()


# -- where-is-my-order contacts ------------------------------------------------


def test_where_is_my_order_contacts_are_counted_per_100_orders(
    session: Session,
) -> None:
    week = four_orders(session)  # placed 2 and 9 November
    before = chat(session, sender_id="w1", started_at=utc(31, 20, month=10))
    topic(session, conversation=before, first_at=utc(4, 9), about=week.a)
    other = chat(session, sender_id="w2", started_at=utc(5, 9))
    topic(session, conversation=other, first_at=utc(5, 9), name="return")
    late = chat(session, sender_id="w3", started_at=utc(15, 23, 10))
    topic(session, conversation=late, first_at=utc(15, 23, 15))  # 16 Nov in Paris

    result = where_is_my_order_contacts(session, period=NOVEMBER)

    assert (result.contacts, result.orders) == (1, 4)
    assert result.per_100_orders == 25.0


def test_contacts_per_100_orders_is_none_without_orders(session: Session) -> None:
    result = where_is_my_order_contacts(session, period=QUIET)

    assert (result.contacts, result.orders, result.per_100_orders) == (0, 0, None)


# -- agents' first response ----------------------------------------------------


def answered_handoffs(session: Session) -> None:
    """Alice answers in 4, 10 and 60 minutes; Bruno in 2 and 6."""
    alice = agent(session, name="Alice")
    bruno = agent(session, name="Bruno")
    waits = [(alice, 4), (alice, 60), (alice, 10), (bruno, 6), (bruno, 2)]
    for n, (person, minutes) in enumerate(waits):
        conversation = chat(session, sender_id=f"h{n}", started_at=utc(3 + n, 9))
        hand_off(
            session,
            conversation=conversation,
            agent=person,
            answered_after=timedelta(minutes=minutes),
        )
    waiting = chat(session, sender_id="h-wait", started_at=utc(12, 9))
    hand_off(session, conversation=waiting, agent=bruno)
    outside = chat(session, sender_id="h-out", started_at=utc(15, 22, 50))
    hand_off(
        session,
        conversation=outside,
        agent=bruno,
        requested_at=utc(15, 23, 5),  # 16 Nov in Paris
        answered_after=timedelta(minutes=1),
    )


def test_first_response_time_has_average_and_median_minutes(
    session: Session,
) -> None:
    answered_handoffs(session)

    result = first_response_time(session, period=NOVEMBER)

    assert result.overall == ResponseMinutes(
        answered=5, average_minutes=16.4, median_minutes=6.0
    )


def test_first_response_time_per_agent_by_display_name(session: Session) -> None:
    answered_handoffs(session)

    result = first_response_time(session, period=NOVEMBER)

    assert [(a.agent_name, a.minutes) for a in result.by_agent] == [
        ("Bruno", ResponseMinutes(answered=2, average_minutes=4.0, median_minutes=4.0)),
        (
            "Alice",
            ResponseMinutes(answered=3, average_minutes=24.7, median_minutes=10.0),
        ),
    ]


def test_first_response_time_is_none_when_nobody_was_answered(
    session: Session,
) -> None:
    answered_handoffs(session)

    result = first_response_time(session, period=QUIET)

    assert result.overall == ResponseMinutes(
        answered=0, average_minutes=None, median_minutes=None
    )
    assert result.by_agent == ()


# -- proactive notices ---------------------------------------------------------


def late_order(session: Session, number: str, *, delivered: bool = True) -> Order:
    """Promised 5 Nov; delivered 6 Nov (late) unless told otherwise."""
    buyer = customer(session, email=f"{number}@example.fr")
    row = order(session, buyer=buyer, number=number, placed_at=utc(2, 9))
    parcel(
        session,
        of=row,
        tracking=f"T-{number}",
        shipped_at=utc(3, 9),
        delivered_at=utc(6, 9) if delivered else None,
    )
    return row


def ask(session: Session, about: Order, at_day: int, at_hour: int = 11) -> None:
    conversation = chat(
        session, sender_id=f"ask-{about.number}", started_at=utc(at_day, at_hour)
    )
    topic(
        session, conversation=conversation, first_at=utc(at_day, at_hour), about=about
    )


def notices_and_questions(session: Session) -> None:
    """Five late orders: two notified (one asked anyway), three not (two asked)."""
    told_then_asked = late_order(session, "600001")
    notice(
        session,
        of=told_then_asked,
        created_at=utc(4, 9),
        emailed_at=utc(4, 10),
        shown_in_chat_at=utc(5, 12),  # after the question: the e-mail counts
    )
    ask(session, told_then_asked, 5)
    told_in_chat = late_order(session, "600002")
    notice(session, of=told_in_chat, created_at=utc(4, 9), shown_in_chat_at=utc(4, 9))
    asked_untold = late_order(session, "600003")
    ask(session, asked_untold, 6)
    never_sent = late_order(session, "600004", delivered=False)
    notice(session, of=never_sent, created_at=utc(8, 9))
    told_too_late = late_order(session, "600005")
    ask(session, told_too_late, 4)
    notice(session, of=told_too_late, created_at=utc(5, 9), emailed_at=utc(5, 9))
    # Not late, or late after the range: left out even when they asked.
    on_time = order(
        session,
        buyer=customer(session, email="ok@example.fr"),
        number="600006",
        placed_at=utc(2, 9),
    )
    parcel(session, of=on_time, tracking="T-ok", delivered_at=utc(5, 22, 59))
    ask(session, on_time, 4)
    after = late_order(session, "600007", delivered=False)
    parcel(session, of=after, tracking="T-after", delivered_at=utc(15, 23, 0))
    ask(session, after, 7)


def test_notified_late_orders_are_compared_with_the_others(session: Session) -> None:
    notices_and_questions(session)

    result = notice_effect(session, period=NOVEMBER)

    assert result.late_orders == 5
    assert result.notified == Rate(numerator=1, denominator=2)
    assert result.not_notified == Rate(numerator=2, denominator=3)


def test_notice_effect_is_none_without_late_orders(session: Session) -> None:
    notices_and_questions(session)

    result = notice_effect(session, period=QUIET)

    assert result.late_orders == 0
    assert result.notified.value is None
    assert result.not_notified.value is None
