"""From delivery to answers: the e-mail, its signed link, the page, one answer only."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from crm.customers.models import Customer, Language
from crm.orders.models import Order
from crm.surveys.models import SurveyResponse
from tests.bot.survey_hub import SurveyHub, delivered_order, now, survey_link
from tests.bot.survey_hub import survey_hub as survey_hub


def invited(hub: SurveyHub, number: str, language: Language = Language.FR) -> str:
    """Deliver an order 3 days ago, run the mailer; return the e-mail's link."""
    _, address = delivered_order(
        hub, number=number, delivered_at=now() - timedelta(days=3), language=language
    )
    report = hub.mailer_pass(now())
    assert report.invitations_released >= 1
    (mail,) = hub.email_to(address)
    return survey_link(mail)


def responses(hub: SurveyHub, number: str) -> list[SurveyResponse]:
    with hub.factory() as session:
        return list(
            session.scalars(
                select(SurveyResponse)
                .join(Order, Order.id == SurveyResponse.order_id)
                .where(Order.number == number)
            )
        )


def test_invitation_email_is_in_the_customers_language(survey_hub: SurveyHub) -> None:
    _, address = delivered_order(
        survey_hub,
        number="500001",
        delivered_at=now() - timedelta(days=3),
        language=Language.EN,
    )
    survey_hub.mailer_pass(now())
    (mail,) = survey_hub.email_to(address)
    assert mail["Subject"] == "Your order 500001: how did it go?"
    assert mail["List-Unsubscribe"].startswith("<http://shop.test/s/")
    assert "/opt-out>" in mail["List-Unsubscribe"]
    body = mail.get_body(("plain",))
    assert body is not None
    assert "Hello Camille" in body.get_content()


def test_no_email_before_the_two_days(survey_hub: SurveyHub) -> None:
    _, address = delivered_order(
        survey_hub, number="500002", delivered_at=now() - timedelta(days=1)
    )
    report = survey_hub.mailer_pass(now())
    assert report.invitations_released == 0
    assert survey_hub.email_to(address) == []


def test_link_opens_the_form_for_that_order(survey_hub: SurveyHub) -> None:
    link = invited(survey_hub, "500003")
    page = survey_hub.client.get(link)
    assert page.status_code == 200
    assert "Votre avis sur la commande 500003" in page.text
    assert 'name="csat"' in page.text
    assert 'name="nps"' in page.text
    assert 'name="ces"' in page.text
    assert page.headers["cache-control"] == "private, no-store"


def test_answers_are_stored_once_and_a_second_send_is_refused(
    survey_hub: SurveyHub,
) -> None:
    link = invited(survey_hub, "500004")
    sent = survey_hub.client.post(
        link, data={"csat": "5", "nps": "9", "ces": "6", "comment": "Top, merci"}
    )
    assert sent.status_code == 200
    assert "Merci !" in sent.text
    again = survey_hub.client.post(link, data={"csat": "1", "nps": "0"})
    assert again.status_code == 409
    assert "déjà reçu vos réponses" in again.text
    stored = responses(survey_hub, "500004")
    assert [(r.csat, r.nps, r.ces, r.comment) for r in stored] == [
        (5, 9, 6, "Top, merci")
    ]
    reopened = survey_hub.client.get(link)
    assert reopened.status_code == 409
    assert "Top, merci" not in reopened.text


def test_low_scores_are_told_someone_may_get_back(survey_hub: SurveyHub) -> None:
    link = invited(survey_hub, "500005")
    sent = survey_hub.client.post(link, data={"csat": "1", "nps": "2"})
    assert "désolés" in sent.text


def test_altered_link_is_not_valid_and_changes_nothing(survey_hub: SurveyHub) -> None:
    link = invited(survey_hub, "500006")
    forged = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    assert survey_hub.client.get(forged).status_code == 404
    refused = survey_hub.client.post(forged, data={"csat": "5"})
    assert refused.status_code == 404
    assert "pas valide" in refused.text
    assert responses(survey_hub, "500006") == []


def test_empty_form_comes_back_with_a_message(survey_hub: SurveyHub) -> None:
    link = invited(survey_hub, "500007")
    refused = survey_hub.client.post(link, data={"comment": "   "})
    assert refused.status_code == 422
    assert "Rien n&#39;a été rempli" in refused.text
    assert responses(survey_hub, "500007") == []


def test_too_long_comment_is_kept_in_the_box(survey_hub: SurveyHub) -> None:
    link = invited(survey_hub, "500008")
    comment = "Le colis était abîmé. " * 100  # 2,200 characters
    refused = survey_hub.client.post(link, data={"csat": "2", "comment": comment})
    assert refused.status_code == 422
    assert "2000 au plus" in refused.text
    assert "Le colis était abîmé." in refused.text
    assert 'value="2" checked' in refused.text
    assert responses(survey_hub, "500008") == []


def test_expired_link_says_so(survey_hub: SurveyHub) -> None:
    _, address = delivered_order(
        survey_hub, number="500009", delivered_at=now() - timedelta(days=45)
    )
    survey_hub.mailer_pass(now() - timedelta(days=42))  # sent 42 days ago
    (mail,) = survey_hub.email_to(address)
    page = survey_hub.client.get(survey_link(mail))
    assert page.status_code == 410
    assert "expiré" in page.text


def test_opt_out_asks_for_the_click_then_stops_surveys(survey_hub: SurveyHub) -> None:
    link = invited(survey_hub, "500010")
    asked = survey_hub.client.get(f"{link}/opt-out")
    assert asked.status_code == 200
    with survey_hub.factory() as session:
        customer = session.scalars(
            select(Customer).where(Customer.email == "client500010@example.fr")
        ).one()
        assert not customer.survey_opt_out  # a GET changes nothing
    done = survey_hub.client.post(f"{link}/opt-out")
    assert "ne recevrez plus de questionnaires" in done.text
    with survey_hub.factory() as session:
        customer = session.scalars(
            select(Customer).where(Customer.email == "client500010@example.fr")
        ).one()
        assert customer.survey_opt_out
