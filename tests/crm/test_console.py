import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.conversations.console import (
    MAX_TEXT_CHARS,
    accept_handoff,
    add_note,
    agent_queue,
    agent_reply,
    assign_handoff,
    close_conversation,
    conversation_detail,
    list_agents,
    release_to_bot,
)
from crm.conversations.messages import conversation_messages, record_message, routing
from crm.conversations.models import (
    Author,
    ConversationStatus,
    Handoff,
    HandoffStatus,
    Message,
)
from crm.db import make_engine
from crm.errors import (
    ConversationNotFound,
    HandoffNotFound,
    HandoffTaken,
    InvalidInput,
    NotYourConversation,
    UserNotFound,
)
from crm.migrate import upgrade_to_head
from crm.staff.models import AuditEntry, Role
from tests.factories import make_customer, make_handoff, make_staff

REQUESTED = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
NOW = REQUESTED + timedelta(minutes=4)


def _audit(session: Session, actor: str) -> list[str]:
    return list(
        session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.actor == actor)
            .order_by(AuditEntry.id)
        )
    )


# -- the queue ---------------------------------------------------------------------


def test_queue_shows_live_chats_longest_first_then_tickets(session: Session) -> None:
    claire = make_staff(session)
    customer = make_customer(session)
    make_handoff(session, sender_id="w-late", requested_at=REQUESTED)
    make_handoff(
        session,
        sender_id="w-early",
        customer=customer,
        requested_at=REQUESTED - timedelta(minutes=2),
    )
    make_handoff(
        session,
        sender_id="w-ticket",
        status=HandoffStatus.TICKET,
        requested_at=REQUESTED - timedelta(hours=12),
    )

    queue = agent_queue(session, agent_id=claire.id, now=NOW)

    assert [i.sender_id for i in queue.waiting] == ["w-early", "w-late", "w-ticket"]
    early = queue.waiting[0]
    assert early.customer_name == "Camille Martin"
    assert early.waiting_seconds == 6 * 60
    assert (early.ticket, queue.waiting[2].ticket) == (False, True)
    assert queue.mine == ()


def test_an_accepted_chat_leaves_the_line_for_its_agents_own_list(
    session: Session,
) -> None:
    claire, hugo = make_staff(session), make_staff(session, first_name="Hugo")
    handoff = make_handoff(session, requested_at=REQUESTED)

    accept_handoff(session, handoff_id=handoff.id, agent_id=claire.id, now=NOW)

    hers = agent_queue(session, agent_id=claire.id, now=NOW)
    his = agent_queue(session, agent_id=hugo.id, now=NOW)
    assert hers.waiting == () and his.waiting == ()
    [mine] = hers.mine
    assert (mine.status, mine.agent_name) == (HandoffStatus.ACCEPTED, "Claire")
    assert his.mine == ()


def test_the_assign_list_names_the_active_agents_only(session: Session) -> None:
    make_staff(session, first_name="Zoé", role=Role.ADMIN)
    make_staff(session, first_name="Claire")
    make_staff(session, first_name="Olivier", role=Role.OPS)
    make_staff(session, first_name="Ancien", active=False)

    assert [a.first_name for a in list_agents(session)] == ["Claire", "Zoé"]


# -- taking a chat -----------------------------------------------------------------


def test_accepting_hands_the_chat_to_the_agent(session: Session) -> None:
    claire = make_staff(session)
    handoff = make_handoff(session, sender_id="w-take", requested_at=REQUESTED)

    detail = accept_handoff(session, handoff_id=handoff.id, agent_id=claire.id, now=NOW)

    assert detail.status is ConversationStatus.AGENT
    assert detail.handoff is not None
    assert (detail.handoff.status, detail.handoff.agent_name) == (
        HandoffStatus.ACCEPTED,
        "Claire",
    )
    assert detail.handoff.accepted_at == NOW
    assert detail.handoff.packet["summary"] == "tracking, parcel late"
    assert routing(session, sender_id="w-take").responder == "agent"
    assert _audit(session, f"agent:{claire.id}") == ["handoff_accepted"]


def test_a_second_agent_cannot_take_a_chat_already_taken(session: Session) -> None:
    claire, hugo = make_staff(session), make_staff(session, first_name="Hugo")
    handoff = make_handoff(session, requested_at=REQUESTED)
    accept_handoff(session, handoff_id=handoff.id, agent_id=claire.id, now=NOW)

    with pytest.raises(HandoffTaken, match="Claire"):
        accept_handoff(session, handoff_id=handoff.id, agent_id=hugo.id, now=NOW)

    session.refresh(handoff)
    assert handoff.agent_id == claire.id
    assert _audit(session, f"agent:{hugo.id}") == []


def test_accepting_ones_own_chat_again_changes_nothing(session: Session) -> None:
    claire = make_staff(session)
    handoff = make_handoff(session, requested_at=REQUESTED)
    accept_handoff(session, handoff_id=handoff.id, agent_id=claire.id, now=NOW)

    again = accept_handoff(
        session,
        handoff_id=handoff.id,
        agent_id=claire.id,
        now=NOW + timedelta(minutes=1),
    )

    assert again.handoff is not None and again.handoff.accepted_at == NOW
    assert _audit(session, f"agent:{claire.id}") == ["handoff_accepted"]


@pytest.mark.parametrize(
    "status", [HandoffStatus.CLOSED, HandoffStatus.RETURNED_TO_BOT]
)
def test_a_finished_or_unknown_handoff_cannot_be_taken(
    session: Session, status: HandoffStatus
) -> None:
    claire = make_staff(session)
    handoff = make_handoff(session, status=status)

    with pytest.raises(HandoffNotFound):
        accept_handoff(session, handoff_id=handoff.id, agent_id=claire.id, now=NOW)
    with pytest.raises(HandoffNotFound):
        accept_handoff(session, handoff_id=handoff.id + 99, agent_id=claire.id, now=NOW)


def test_a_waiting_chat_can_be_given_to_a_colleague(session: Session) -> None:
    claire, hugo = make_staff(session), make_staff(session, first_name="Hugo")
    handoff = make_handoff(session, requested_at=REQUESTED)

    detail = assign_handoff(
        session,
        handoff_id=handoff.id,
        agent_id=hugo.id,
        by_agent_id=claire.id,
        now=NOW,
    )

    assert detail.handoff is not None and detail.handoff.agent_name == "Hugo"
    assert [i.sender_id for i in agent_queue(session, agent_id=hugo.id, now=NOW).mine]
    assert _audit(session, f"agent:{claire.id}") == ["handoff_assigned"]


def test_a_held_chat_moves_only_by_its_holder_or_an_admin(session: Session) -> None:
    claire, hugo = make_staff(session), make_staff(session, first_name="Hugo")
    zoe = make_staff(session, first_name="Zoé", role=Role.ADMIN)
    handoff = make_handoff(session, status=HandoffStatus.ACCEPTED, agent=claire)

    with pytest.raises(HandoffTaken):
        assign_handoff(
            session,
            handoff_id=handoff.id,
            agent_id=hugo.id,
            by_agent_id=hugo.id,
            now=NOW,
        )
    by_admin = assign_handoff(
        session, handoff_id=handoff.id, agent_id=hugo.id, by_agent_id=zoe.id, now=NOW
    )

    assert by_admin.handoff is not None and by_admin.handoff.agent_id == hugo.id


def test_a_chat_cannot_be_given_to_ops_or_a_former_agent(session: Session) -> None:
    claire = make_staff(session)
    ops = make_staff(session, first_name="Olivier", role=Role.OPS)
    gone = make_staff(session, first_name="Ancien", active=False)
    handoff = make_handoff(session)

    for target in (ops, gone):
        with pytest.raises(UserNotFound):
            assign_handoff(
                session,
                handoff_id=handoff.id,
                agent_id=target.id,
                by_agent_id=claire.id,
                now=NOW,
            )


# -- in the chat -------------------------------------------------------------------


def test_the_holders_reply_reaches_the_transcript_under_their_name(
    session: Session,
) -> None:
    claire = make_staff(session)
    handoff = make_handoff(session, sender_id="w-reply", requested_at=REQUESTED)
    accept_handoff(session, handoff_id=handoff.id, agent_id=claire.id, now=NOW)

    reply = agent_reply(
        session,
        sender_id="w-reply",
        agent_id=claire.id,
        text="  Bonjour, je regarde votre commande.  ",
        now=NOW + timedelta(minutes=1),
    )
    agent_reply(
        session,
        sender_id="w-reply",
        agent_id=claire.id,
        text="C'est bon !",
        now=NOW + timedelta(minutes=3),
    )

    assert (reply.author, reply.agent_name, reply.text) == (
        "agent",
        "Claire",
        "Bonjour, je regarde votre commande.",
    )
    messages = conversation_detail(session, sender_id="w-reply").messages
    assert [(m.author, m.agent_name) for m in messages] == [
        ("agent", "Claire"),
        ("agent", "Claire"),
    ]
    session.refresh(handoff)
    assert handoff.first_response_at == NOW + timedelta(minutes=1)
    assert _audit(session, f"agent:{claire.id}").count("agent_replied") == 2


def test_only_the_holder_may_reply(session: Session) -> None:
    claire, hugo = make_staff(session), make_staff(session, first_name="Hugo")
    make_handoff(
        session, sender_id="w-mine", status=HandoffStatus.ACCEPTED, agent=claire
    )
    make_handoff(session, sender_id="w-nobody")

    with pytest.raises(NotYourConversation):
        agent_reply(session, sender_id="w-mine", agent_id=hugo.id, text="Hi", now=NOW)
    with pytest.raises(NotYourConversation):
        agent_reply(
            session, sender_id="w-nobody", agent_id=claire.id, text="Hi", now=NOW
        )
    with pytest.raises(ConversationNotFound):
        agent_reply(session, sender_id="w-none", agent_id=claire.id, text="Hi", now=NOW)

    assert session.scalars(select(Message)).all() == []


@pytest.mark.parametrize(
    ("text", "message"),
    [("   \n ", "empty"), ("x" * (MAX_TEXT_CHARS + 1), str(MAX_TEXT_CHARS))],
)
def test_an_empty_or_overlong_reply_is_refused(
    session: Session, text: str, message: str
) -> None:
    claire = make_staff(session)
    make_handoff(
        session, sender_id="w-len", status=HandoffStatus.ACCEPTED, agent=claire
    )

    with pytest.raises(InvalidInput, match=message):
        agent_reply(session, sender_id="w-len", agent_id=claire.id, text=text, now=NOW)
    with pytest.raises(InvalidInput, match=message):
        add_note(session, sender_id="w-len", agent_id=claire.id, text=text, now=NOW)


def test_a_private_note_never_reaches_the_transcript(session: Session) -> None:
    claire, hugo = make_staff(session), make_staff(session, first_name="Hugo")
    make_handoff(
        session, sender_id="w-note", status=HandoffStatus.ACCEPTED, agent=claire
    )
    record_message(
        session,
        sender_id="w-note",
        author=Author.CUSTOMER,
        text="Mon colis est en retard",
        now=NOW,
    )

    note = add_note(
        session,
        sender_id="w-note",
        agent_id=hugo.id,
        text="Client déjà remboursé une fois, voir ticket",
        now=NOW + timedelta(minutes=1),
    )

    detail = conversation_detail(session, sender_id="w-note")
    assert [(n.agent_name, n.text) for n in detail.notes] == [
        ("Hugo", "Client déjà remboursé une fois, voir ticket")
    ]
    assert note.agent_name == "Hugo"
    assert [m.text for m in detail.messages] == ["Mon colis est en retard"]
    transcript = conversation_messages(session, sender_id="w-note")
    assert all("remboursé" not in m.text for m in transcript)
    assert _audit(session, f"agent:{hugo.id}") == ["note_added"]


def test_releasing_puts_the_bot_back_in_charge(session: Session) -> None:
    claire = make_staff(session)
    handoff = make_handoff(session, sender_id="w-back", requested_at=REQUESTED)
    accept_handoff(session, handoff_id=handoff.id, agent_id=claire.id, now=NOW)

    detail = release_to_bot(session, sender_id="w-back", agent_id=claire.id, now=NOW)

    assert detail.status is ConversationStatus.BOT
    assert detail.handoff is not None
    assert detail.handoff.status is HandoffStatus.RETURNED_TO_BOT
    assert routing(session, sender_id="w-back").responder == "bot"
    assert agent_queue(session, agent_id=claire.id, now=NOW).mine == ()
    with pytest.raises(NotYourConversation):
        agent_reply(session, sender_id="w-back", agent_id=claire.id, text="?", now=NOW)


def test_a_colleague_cannot_release_or_close_a_held_chat(session: Session) -> None:
    claire, hugo = make_staff(session), make_staff(session, first_name="Hugo")
    make_handoff(
        session, sender_id="w-held", status=HandoffStatus.ACCEPTED, agent=claire
    )

    with pytest.raises(NotYourConversation):
        release_to_bot(session, sender_id="w-held", agent_id=hugo.id, now=NOW)
    with pytest.raises(NotYourConversation):
        close_conversation(session, sender_id="w-held", agent_id=hugo.id, now=NOW)

    assert routing(session, sender_id="w-held").responder == "agent"


def test_closing_ends_the_chat_as_resolved_by_a_person(session: Session) -> None:
    claire = make_staff(session)
    handoff = make_handoff(
        session, sender_id="w-end", status=HandoffStatus.ACCEPTED, agent=claire
    )

    detail = close_conversation(session, sender_id="w-end", agent_id=claire.id, now=NOW)

    assert detail.status is ConversationStatus.CLOSED
    session.refresh(handoff)
    assert (handoff.status, handoff.closed_at) == (HandoffStatus.CLOSED, NOW)
    assert _audit(session, f"agent:{claire.id}") == ["conversation_closed"]
    with pytest.raises(HandoffNotFound):
        close_conversation(session, sender_id="w-end", agent_id=claire.id, now=NOW)


def test_a_waiting_ticket_can_be_closed_by_any_agent(session: Session) -> None:
    hugo = make_staff(session, first_name="Hugo")
    make_handoff(session, sender_id="w-mail", status=HandoffStatus.TICKET)

    detail = close_conversation(session, sender_id="w-mail", agent_id=hugo.id, now=NOW)

    assert detail.status is ConversationStatus.CLOSED
    assert session.scalars(select(Handoff.status)).all() == [HandoffStatus.CLOSED]


def test_an_unknown_conversation_is_not_found(session: Session) -> None:
    with pytest.raises(ConversationNotFound):
        conversation_detail(session, sender_id="w-nowhere")


def test_two_agents_clicking_at_once_get_one_owner(empty_database_url: str) -> None:
    """A real race, committed, on two connections: one wins, one is told."""
    upgrade_to_head(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with Session(engine) as setup:
            agents = [make_staff(setup), make_staff(setup, first_name="Hugo")]
            handoff_id = make_handoff(setup).id
            agent_ids = [a.id for a in agents]
            setup.commit()
        outcome: dict[int, str] = {}
        start = threading.Barrier(2)

        def click(agent_id: int) -> None:
            with Session(engine) as db:
                start.wait()
                try:
                    accept_handoff(
                        db, handoff_id=handoff_id, agent_id=agent_id, now=NOW
                    )
                    time.sleep(0.2)  # hold the claim while the other one tries
                    db.commit()
                    outcome[agent_id] = "accepted"
                except HandoffTaken:
                    db.rollback()
                    outcome[agent_id] = "taken"

        threads = [threading.Thread(target=click, args=(i,)) for i in agent_ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with Session(engine) as check:
            owner = check.scalar(select(Handoff.agent_id))
    finally:
        engine.dispose()
    assert sorted(outcome.values()) == ["accepted", "taken"]
    assert outcome[owner or 0] == "accepted"
