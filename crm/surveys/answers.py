"""Storing survey answers, from the e-mail link, the widget, or the end of a chat.

Every answer is linked to what it judges: the order (and through it the
products), the carrier that delivered it (a snapshot), the language, the
channel, and whether a person or the bot handled the customer's contact.
A second answer to the same survey is refused; the first one stands.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm.catalog.models import Product
from crm.conversations.models import Conversation, ConversationTopic, Handoff
from crm.customers.models import Customer
from crm.errors import (
    ConversationNotFound,
    InvalidInput,
    SurveyAnswered,
    SurveyExpired,
)
from crm.orders.models import Order, OrderLine
from crm.shipping.models import Shipment, ShipmentDirection
from crm.surveys.invitations import sent_invitation
from crm.surveys.models import (
    InvitationStatus,
    SurveyChannel,
    SurveyInvitation,
    SurveyResponse,
)
from crm.surveys.policy import SurveyPolicy, survey_policy
from crm.surveys.schemas import (
    SurveyAnswers,
    SurveyPage,
    SurveyProduct,
    SurveyRecorded,
    SurveyState,
)

DETRACTOR_NPS = 6  # 0-6: detractors, 7-8 passives, 9-10 promoters (Bain's NPS)
UNHAPPY_CSAT = 2  # 1-2 stars


def is_detractor(answers: SurveyAnswers) -> bool:
    """Whether the answers call for a follow-up (low NPS or low stars)."""
    return (answers.nps is not None and answers.nps <= DETRACTOR_NPS) or (
        answers.csat is not None and answers.csat <= UNHAPPY_CSAT
    )


def _state(invitation: SurveyInvitation, now: datetime) -> SurveyState:
    if invitation.status is InvitationStatus.ANSWERED:
        return "answered"
    if invitation.status is InvitationStatus.EXPIRED or now >= invitation.expires_at:
        return "expired"
    return "open"


def open_survey(
    session: Session,
    *,
    token_id: str,
    now: datetime,
    policy: SurveyPolicy | None = None,
) -> SurveyPage:
    """What the page behind a survey link shows: the order, or why not.

    Raises:
        SurveyNotFound: the link names no invitation that was sent.
    """
    policy = policy or survey_policy()
    invitation = sent_invitation(session, token_id)
    order = session.get_one(Order, invitation.order_id)
    customer = session.get_one(Customer, invitation.customer_id)
    language = customer.language.value
    lines = session.execute(
        select(Product.name_fr, Product.name_en, OrderLine.quantity)
        .join(Product, Product.id == OrderLine.product_id)
        .where(OrderLine.order_id == order.id)
        .order_by(OrderLine.id)
    ).all()
    delivered = session.scalar(
        select(Shipment.delivered_at)
        .where(
            Shipment.order_id == order.id,
            Shipment.direction == ShipmentDirection.OUTBOUND,
            Shipment.delivered_at.is_not(None),
        )
        .order_by(Shipment.delivered_at.desc())
        .limit(1)
    )
    return SurveyPage(
        state=_state(invitation, now),
        language=language,
        first_name=customer.first_name,
        order_number=order.number,
        delivered_on=delivered.date() if delivered else None,
        products=tuple(
            SurveyProduct(name=fr if language == "fr" else en, quantity=qty)
            for fr, en, qty in lines
        ),
        expires_at=invitation.expires_at,
        comment_max_length=policy.comment_max_length,
    )


def _carrier(session: Session, order_id: int) -> str | None:
    carrier = session.scalar(
        select(Shipment.carrier)
        .where(
            Shipment.order_id == order_id,
            Shipment.direction == ShipmentDirection.OUTBOUND,
        )
        .order_by(Shipment.id.desc())
        .limit(1)
    )
    return None if carrier is None else str(carrier.value)


def _order_resolution(session: Session, order_id: int) -> str | None:
    """Who handled chats about the order: "agent", "bot", or None (no chat)."""
    chats = select(ConversationTopic.conversation_id).where(
        ConversationTopic.order_id == order_id
    )
    if not session.scalar(select(exists(chats))):
        return None
    person = session.scalar(select(exists().where(Handoff.conversation_id.in_(chats))))
    return "agent" if person else "bot"


def _checked(answers: SurveyAnswers, policy: SurveyPolicy) -> SurveyAnswers:
    if answers.is_empty:
        raise InvalidInput("no answer given: pick at least one score or write a word")
    if answers.comment and len(answers.comment) > policy.comment_max_length:
        raise InvalidInput(
            f"comment: at most {policy.comment_max_length} characters, "
            f"got {len(answers.comment)}"
        )
    return answers


def submit_survey(
    session: Session,
    *,
    token_id: str,
    answers: SurveyAnswers,
    now: datetime,
    channel: SurveyChannel = SurveyChannel.EMAIL,
    policy: SurveyPolicy | None = None,
) -> SurveyRecorded:
    """Store the answers to an invitation (from its page or the widget).

    The invitation row is locked and the answer's `invitation_id` is
    unique, so two submissions at once store one; the comment is tagged
    with topics later, by the mailer pass (the model is slow to load).

    Raises:
        SurveyNotFound: the link names no sent invitation.
        SurveyExpired: the link is past its date.
        SurveyAnswered: answered before; nothing is changed.
        InvalidInput: nothing answered, or the comment is too long.
    """
    policy = policy or survey_policy()
    answers = _checked(answers, policy)
    invitation = sent_invitation(session, token_id)
    session.refresh(invitation, with_for_update=True)
    state = _state(invitation, now)
    if state == "answered":
        raise SurveyAnswered("this survey was answered already: thank you")
    if state == "expired":
        raise SurveyExpired("this survey link has expired")
    customer = session.get_one(Customer, invitation.customer_id)
    response = SurveyResponse(
        invitation_id=invitation.id,
        order_id=invitation.order_id,
        customer_id=customer.id,
        channel=channel,
        language=customer.language.value,
        carrier=_carrier(session, invitation.order_id),
        resolution=_order_resolution(session, invitation.order_id),
        submitted_at=now,
        **_scores(answers),
    )
    response.handled_by_agent = response.resolution == "agent"
    invitation.status = InvitationStatus.ANSWERED
    try:
        with session.begin_nested():
            session.add(response)
            session.flush()
    except IntegrityError:
        raise SurveyAnswered("this survey was answered already: thank you") from None
    order = session.get_one(Order, invitation.order_id)
    return SurveyRecorded(
        response_id=response.id,
        order_number=order.number,
        language=response.language,
        detractor=is_detractor(answers),
    )


def _scores(answers: SurveyAnswers) -> dict[str, object]:
    """The answer's columns, `topics` NULL ("to tag") only if there is a comment."""
    comment = answers.comment or None
    values: dict[str, object] = {
        "csat": answers.csat,
        "nps": answers.nps,
        "ces": answers.ces,
        "comment": comment,
    }
    if comment is None:
        values["topics"] = []
    return values


def claim_chat_csat_question(
    session: Session, *, sender_id: str, now: datetime
) -> bool:
    """Whether the caller is the one to ask this chat's end-of-chat rating.

    True once per conversation: one UPDATE that only a conversation never
    asked can pass, so two hub processes (or a restarted one) never ask the
    same customer twice. False too for a chat the store does not know.
    """
    claimed: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(Conversation)
        .where(
            Conversation.sender_id == sender_id, Conversation.csat_asked_at.is_(None)
        )
        .values(csat_asked_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(claimed.rowcount)


def record_chat_csat(
    session: Session, *, sender_id: str, csat: int, now: datetime
) -> SurveyRecorded:
    """Store the one-question CSAT asked when a support conversation ends.

    Linked to the conversation, to whether a person handled it, and to the
    order the conversation was about (the latest one it named), so that
    "bot-resolved" and "agent-resolved" satisfaction can be compared.

    Raises:
        ConversationNotFound: no conversation with that widget session.
        SurveyAnswered: this conversation was rated already.
        InvalidInput: the score is not 1 to 5.
    """
    if not 1 <= csat <= 5:
        raise InvalidInput("csat: a score from 1 to 5")
    conversation = session.scalar(
        select(Conversation).where(Conversation.sender_id == sender_id)
    )
    if conversation is None:
        raise ConversationNotFound("no conversation for this chat session")
    rated = session.scalar(
        select(
            exists().where(
                SurveyResponse.conversation_id == conversation.id,
                SurveyResponse.channel == SurveyChannel.CHAT_END,
            )
        )
    )
    if rated:
        raise SurveyAnswered("this conversation was rated already: thank you")
    person = session.scalar(
        select(
            exists().where(
                Handoff.conversation_id == conversation.id,
                Handoff.agent_id.is_not(None),
            )
        )
    )
    order_id = session.scalar(
        select(ConversationTopic.order_id)
        .where(
            ConversationTopic.conversation_id == conversation.id,
            ConversationTopic.order_id.is_not(None),
        )
        .order_by(ConversationTopic.first_at.desc())
        .limit(1)
    )
    response = SurveyResponse(
        conversation_id=conversation.id,
        order_id=order_id,
        customer_id=conversation.customer_id,
        channel=SurveyChannel.CHAT_END,
        language=conversation.language,
        csat=csat,
        topics=[],
        carrier=_carrier(session, order_id) if order_id else None,
        resolution="agent" if person else "bot",
        handled_by_agent=bool(person),
        submitted_at=now,
    )
    session.add(response)
    session.flush()
    number = session.scalar(select(Order.number).where(Order.id == order_id))
    return SurveyRecorded(
        response_id=response.id,
        order_number=number,
        language=conversation.language,
        detractor=csat <= UNHAPPY_CSAT,
    )
