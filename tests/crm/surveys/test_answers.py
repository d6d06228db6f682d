"""Answers by link: stored once, linked to the order, refused when late or twice."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.customers.models import Language
from crm.errors import InvalidInput, SurveyAnswered, SurveyExpired, SurveyNotFound
from crm.orders.models import Order
from crm.surveys.answers import (
    claim_chat_csat_question,
    open_survey,
    record_chat_csat,
    submit_survey,
)
from crm.surveys.invitations import (
    find_pending_survey,
    opt_out_of_surveys,
    release_due_invitations,
)
from crm.surveys.models import (
    InvitationStatus,
    SurveyChannel,
    SurveyInvitation,
    SurveyResponse,
)
from crm.surveys.schemas import SurveyAnswers
from tests.crm.surveys.helpers import DELIVERED, deliver, invitation_of, shipped_order
from tests.factories import make_handoff, make_staff

SENT = DELIVERED + timedelta(days=2, hours=1)
GOOD = SurveyAnswers(csat=5, nps=9, ces=6, comment="  Parfait, merci  ")


def sent_survey(
    session: Session, number: str = "304233", language: Language = Language.FR
) -> tuple[Order, SurveyInvitation]:
    order = shipped_order(session, number=number, language=language)
    deliver(session, order)
    release_due_invitations(session, now=SENT)
    invitation = invitation_of(session, order)
    assert invitation is not None
    return order, invitation


def test_link_opens_the_order_in_the_customers_language(session: Session) -> None:
    order, invitation = sent_survey(session, language=Language.EN)
    page = open_survey(session, token_id=invitation.token_id, now=SENT)
    assert page.state == "open"
    assert page.language == "en"
    assert page.order_number == order.number
    assert page.delivered_on == DELIVERED.date()
    assert page.products and page.products[0].name == order.lines[0].product.name_en


def test_unknown_link_is_not_found(session: Session) -> None:
    with pytest.raises(SurveyNotFound):
        open_survey(session, token_id="forged-token", now=SENT)


def test_link_of_an_invitation_never_sent_is_not_found(session: Session) -> None:
    order = shipped_order(session)
    deliver(session, order)
    invitation = invitation_of(session, order)
    assert invitation is not None
    with pytest.raises(SurveyNotFound):
        open_survey(session, token_id=invitation.token_id, now=SENT)


def test_answers_are_stored_with_order_carrier_and_language(session: Session) -> None:
    order, invitation = sent_survey(session)
    recorded = submit_survey(
        session, token_id=invitation.token_id, answers=GOOD, now=SENT
    )
    response = session.get_one(SurveyResponse, recorded.response_id)
    assert (response.csat, response.nps, response.ces) == (5, 9, 6)
    assert response.comment == "Parfait, merci"
    assert response.order_id == order.id
    assert response.carrier == "colissimo"
    assert response.language == "fr"
    assert response.channel is SurveyChannel.EMAIL
    assert response.topics is None  # waiting for the tagger
    assert invitation.status is InvitationStatus.ANSWERED
    assert not recorded.detractor


def test_second_submission_is_refused_and_changes_nothing(session: Session) -> None:
    _, invitation = sent_survey(session)
    submit_survey(session, token_id=invitation.token_id, answers=GOOD, now=SENT)
    with pytest.raises(SurveyAnswered):
        submit_survey(
            session,
            token_id=invitation.token_id,
            answers=SurveyAnswers(csat=1, nps=0),
            now=SENT + timedelta(minutes=1),
        )
    stored = session.scalars(
        select(SurveyResponse).where(SurveyResponse.invitation_id == invitation.id)
    ).all()
    assert [(r.csat, r.nps) for r in stored] == [(5, 9)]
    page = open_survey(session, token_id=invitation.token_id, now=SENT)
    assert page.state == "answered"


def test_expired_link_is_refused(session: Session) -> None:
    _, invitation = sent_survey(session)
    late = invitation.expires_at
    assert open_survey(session, token_id=invitation.token_id, now=late).state == (
        "expired"
    )
    with pytest.raises(SurveyExpired):
        submit_survey(session, token_id=invitation.token_id, answers=GOOD, now=late)


def test_last_second_before_expiry_is_accepted(session: Session) -> None:
    _, invitation = sent_survey(session)
    just_in_time = invitation.expires_at - timedelta(seconds=1)
    recorded = submit_survey(
        session, token_id=invitation.token_id, answers=GOOD, now=just_in_time
    )
    assert recorded.response_id


def test_empty_form_is_refused(session: Session) -> None:
    _, invitation = sent_survey(session)
    with pytest.raises(InvalidInput):
        submit_survey(
            session,
            token_id=invitation.token_id,
            answers=SurveyAnswers(comment="   "),
            now=SENT,
        )
    assert invitation.status is InvitationStatus.SENT


def test_comment_over_the_limit_is_refused_with_its_length(session: Session) -> None:
    _, invitation = sent_survey(session)
    with pytest.raises(InvalidInput, match="2000"):
        submit_survey(
            session,
            token_id=invitation.token_id,
            answers=SurveyAnswers(csat=4, comment="x" * 2001),
            now=SENT,
        )


@pytest.mark.parametrize(
    ("nps", "csat", "detractor"),
    [(6, 5, True), (7, 5, False), (9, 2, True), (None, 3, False)],
)
def test_detractor_is_nps_six_or_less_or_two_stars(
    session: Session, nps: int | None, csat: int, detractor: bool
) -> None:
    _, invitation = sent_survey(session)
    recorded = submit_survey(
        session,
        token_id=invitation.token_id,
        answers=SurveyAnswers(csat=csat, nps=nps),
        now=SENT,
    )
    assert recorded.detractor is detractor


def test_opt_out_stops_future_invitations(session: Session) -> None:
    order, invitation = sent_survey(session)
    later = shipped_order(session, number="304234", customer=order.customer)
    deliver(session, later)
    pending = invitation_of(session, later)
    assert pending is not None
    language = opt_out_of_surveys(
        session, token_id=invitation.token_id, now=datetime.now(tz=SENT.tzinfo)
    )
    assert language == "fr"
    assert order.customer.survey_opt_out
    assert pending.status is InvitationStatus.CANCELLED


def test_chat_csat_is_recorded_once_with_the_agent_flag(session: Session) -> None:
    agent = make_staff(session)
    handoff = make_handoff(session, sender_id="w-csat-1", agent=agent)
    recorded = record_chat_csat(session, sender_id="w-csat-1", csat=4, now=SENT)
    response = session.get_one(SurveyResponse, recorded.response_id)
    assert response.conversation_id == handoff.conversation_id
    assert response.channel is SurveyChannel.CHAT_END
    assert response.resolution == "agent"
    assert response.handled_by_agent is True
    with pytest.raises(SurveyAnswered):
        record_chat_csat(session, sender_id="w-csat-1", csat=1, now=SENT)


def test_the_chat_rating_is_asked_once_per_conversation(session: Session) -> None:
    make_handoff(session, sender_id="w-csat-ask")

    first = claim_chat_csat_question(session, sender_id="w-csat-ask", now=SENT)
    second = claim_chat_csat_question(session, sender_id="w-csat-ask", now=SENT)

    assert (first, second) == (True, False)
    assert not claim_chat_csat_question(session, sender_id="w-unknown", now=SENT)


def test_the_chat_offers_the_survey_of_the_order_it_talked_about(
    session: Session,
) -> None:
    first = shipped_order(session, number="304301")
    second = shipped_order(session, number="304302", customer=first.customer)
    deliver(session, first)
    deliver(session, second)
    release_due_invitations(session, now=SENT)
    later = invitation_of(session, second)
    assert later is not None
    later.sent_at = SENT + timedelta(minutes=5)  # the latest sent
    session.flush()
    customer_id = first.customer_id

    latest = find_pending_survey(session, customer_id=customer_id, now=SENT)
    about_first = find_pending_survey(
        session, customer_id=customer_id, now=SENT, order_number="304301"
    )
    about_other = find_pending_survey(
        session, customer_id=customer_id, now=SENT, order_number="999999"
    )

    assert latest is not None and latest.order_number == "304302"
    assert about_first is not None and about_first.order_number == "304301"
    assert about_other is not None and about_other.order_number == "304302"
