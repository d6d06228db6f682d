from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.conversations.hours import (
    SupportHours,
    expected_wait_minutes,
    is_open,
    load_support_hours,
    next_opening,
)
from crm.conversations.models import Conversation, ConversationStatus, HandoffStatus
from crm.conversations.schemas import HandoffPacket, TranscriptLine
from crm.conversations.service import open_handoff, set_ticket_contact, waiting_queue
from crm.errors import HandoffNotFound, InvalidInput
from crm.staff.models import AuditEntry

HOURS = SupportHours(
    hours={
        "monday": (time(9), time(18)),
        "tuesday": (time(9), time(18)),
        "wednesday": (time(9), time(18)),
        "thursday": (time(9), time(18)),
        "friday": (time(9), time(17)),
        "saturday": (time(10), time(13)),
        "sunday": None,
    },
    minimum_wait_minutes=2,
    minutes_per_waiting_customer=4,
)
MONDAY_10 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # 10:00 in Paris
SUNDAY_NOON = datetime(2026, 11, 29, 11, 0, tzinfo=UTC)


def packet(reason: str = "customer_request", **extra: object) -> HandoffPacket:
    return HandoffPacket(
        reason=reason,
        language="fr",
        orders=("104233",),
        slots={"order_number": "104233"},
        summary="tracking, identity verified, parcel lost",
        transcript=(
            TranscriptLine(author="customer", text="où est ma commande ?"),
            TranscriptLine(author="bot", text="Quel est le numéro de commande ?"),
        ),
        **extra,  # type: ignore[arg-type]
    )


def test_the_shop_hours_file_is_read() -> None:
    hours = load_support_hours()

    assert hours.span(date(2026, 11, 30)) is not None  # a Monday
    assert hours.span(date(2026, 12, 25)) is None  # Christmas


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (MONDAY_10, True),
        (datetime(2026, 11, 30, 7, 59, tzinfo=UTC), False),  # 08:59 Paris
        (datetime(2026, 11, 30, 17, 0, tzinfo=UTC), False),  # 18:00 Paris: closed
        (datetime(2026, 11, 28, 10, 0, tzinfo=UTC), True),  # Saturday 11:00
        (SUNDAY_NOON, False),
        (datetime(2026, 12, 25, 10, 0, tzinfo=UTC), False),  # Christmas, a Friday
    ],
)
def test_open_hours_follow_the_paris_clock_and_holidays(
    moment: datetime, open_: bool
) -> None:
    assert is_open(HOURS, moment) is open_


def test_next_opening_skips_the_closed_days() -> None:
    reopens = next_opening(HOURS, SUNDAY_NOON)

    assert reopens is not None
    assert reopens.date() == date(2026, 11, 30)
    assert reopens.time() == time(9)


def test_the_wait_grows_with_the_queue() -> None:
    assert expected_wait_minutes(HOURS, 0) == 2
    assert expected_wait_minutes(HOURS, 3) == 12


def test_a_handoff_in_hours_joins_the_queue_with_its_packet(session: Session) -> None:
    view = open_handoff(
        session, sender_id="w-1", packet=packet(), now=MONDAY_10, hours=HOURS
    )

    assert view.status is HandoffStatus.WAITING
    assert not view.ticket
    assert view.expected_wait_minutes == 2
    conversation = session.scalars(
        select(Conversation).where(Conversation.sender_id == "w-1")
    ).one()
    assert conversation.status is ConversationStatus.WAITING
    [entry] = waiting_queue(session, now=MONDAY_10.replace(minute=5))
    assert (entry.sender_id, entry.reason, entry.waiting_seconds) == (
        "w-1",
        "customer_request",
        300,
    )
    audit = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "handoff_requested")
    ).all()
    assert [a.entity_id for a in audit] == ["w-1"]


def test_asking_twice_keeps_one_place_in_the_queue(session: Session) -> None:
    first = open_handoff(
        session, sender_id="w-2", packet=packet(), now=MONDAY_10, hours=HOURS
    )
    again = open_handoff(
        session,
        sender_id="w-2",
        packet=packet("misunderstood"),
        now=MONDAY_10,
        hours=HOURS,
    )

    assert again.id == first.id
    assert again.already_open
    assert len(waiting_queue(session, now=MONDAY_10)) == 1


def test_later_customers_are_told_a_longer_wait(session: Session) -> None:
    for n in range(3):
        open_handoff(
            session, sender_id=f"w-q{n}", packet=packet(), now=MONDAY_10, hours=HOURS
        )
    fourth = open_handoff(
        session, sender_id="w-q3", packet=packet(), now=MONDAY_10, hours=HOURS
    )

    assert fourth.expected_wait_minutes == 12
    assert [e.sender_id for e in waiting_queue(session, now=MONDAY_10)] == [
        "w-q0",
        "w-q1",
        "w-q2",
        "w-q3",
    ]


def test_outside_hours_a_ticket_says_when_the_team_is_back(session: Session) -> None:
    view = open_handoff(
        session,
        sender_id="w-3",
        packet=packet("lost_parcel"),
        now=SUNDAY_NOON,
        hours=HOURS,
    )

    assert view.ticket
    assert view.status is HandoffStatus.TICKET
    assert view.expected_wait_minutes is None
    assert view.reopens_at is not None
    assert view.reopens_at.date() == date(2026, 11, 30)
    [entry] = waiting_queue(session, now=SUNDAY_NOON)
    assert entry.ticket


def test_a_handoff_needs_a_conversation(session: Session) -> None:
    with pytest.raises(InvalidInput):
        open_handoff(
            session, sender_id=" ", packet=packet(), now=MONDAY_10, hours=HOURS
        )


def test_the_contact_email_of_a_ticket_is_checked_and_kept(session: Session) -> None:
    open_handoff(
        session, sender_id="w-t1", packet=packet(), now=SUNDAY_NOON, hours=HOURS
    )
    with pytest.raises(InvalidInput):
        set_ticket_contact(
            session, sender_id="w-t1", email="camille at gmail", now=SUNDAY_NOON
        )
    kept = set_ticket_contact(
        session, sender_id="w-t1", email=" Camille@Example.FR ", now=SUNDAY_NOON
    )
    assert kept == "camille@example.fr"
    assert waiting_queue(session, now=SUNDAY_NOON)  # still a ticket in the queue


def test_no_contact_email_without_a_ticket(session: Session) -> None:
    open_handoff(session, sender_id="w-t2", packet=packet(), now=MONDAY_10, hours=HOURS)
    with pytest.raises(HandoffNotFound):
        set_ticket_contact(
            session, sender_id="w-t2", email="camille@example.fr", now=MONDAY_10
        )
