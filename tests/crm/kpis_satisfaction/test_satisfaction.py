from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from crm.kpis.filters import DateRange
from crm.kpis.satisfaction import (
    nps_score,
    satisfaction_by_carrier,
    satisfaction_by_category,
    satisfaction_by_channel,
    satisfaction_by_language,
    satisfaction_overview,
    topic_stats,
    weekly_satisfaction,
)
from crm.surveys.models import SurveyChannel
from tests.crm.kpis_satisfaction.fixtures import (
    MONDAY,
    NOON,
    make_answer,
    make_customer,
    make_invitation,
    make_order,
    make_product,
)

WEEK = DateRange(start=MONDAY, end=MONDAY + timedelta(days=6))


def test_five_answers_give_the_figures_computed_by_hand(session: Session) -> None:
    for csat, nps, ces in [(5, 10, 1), (4, 9, 2), (4, 9, 3), (3, 6, 5), (1, 0, 7)]:
        make_answer(session, csat=csat, nps=nps, ces=ces)

    figures = satisfaction_overview(session, period=WEEK).figures

    assert figures.answers == 5
    assert (figures.csat.numerator, figures.csat.denominator) == (3, 5)
    assert figures.csat.value == 0.6
    # 3 promoters, 0 passives, 2 detractors: 60 % - 40 % = 20
    assert (figures.nps.promoters, figures.nps.passives) == (3, 0)
    assert (figures.nps.detractors, figures.nps.answered) == (2, 5)
    assert figures.nps.score == 20
    assert (figures.ces.total, figures.ces.answered) == (18, 5)
    assert figures.ces.average == 3.6


def test_nps_6_is_a_detractor_7_and_8_passives_9_a_promoter(session: Session) -> None:
    for score in (6, 7, 8, 9):
        make_answer(session, nps=score)

    nps = satisfaction_overview(session, period=WEEK).figures.nps

    assert (nps.detractors, nps.passives, nps.promoters) == (1, 2, 1)
    assert nps.score == 0


def test_csat_4_counts_as_satisfied_and_3_does_not(session: Session) -> None:
    make_answer(session, csat=4)
    make_answer(session, csat=3)

    csat = satisfaction_overview(session, period=WEEK).figures.csat

    assert (csat.numerator, csat.denominator) == (1, 2)


def test_a_score_left_blank_counts_only_in_the_answers(session: Session) -> None:
    make_answer(session, csat=5)  # a chat-end form: CSAT only
    make_answer(session, csat=2, nps=10, ces=4)

    figures = satisfaction_overview(session, period=WEEK).figures

    assert figures.answers == 2
    assert figures.csat.denominator == 2
    assert (figures.nps.answered, figures.nps.score) == (1, 100)
    assert (figures.ces.answered, figures.ces.average) == (1, 4.0)


def test_nps_rounds_half_away_from_zero() -> None:
    assert nps_score(1, 0, 8) == 13  # 12.5
    assert nps_score(0, 1, 8) == -13  # -12.5
    assert nps_score(1, 0, 3) == 33  # 33.33
    assert nps_score(2, 0, 3) == 67  # 66.67
    assert nps_score(0, 0, 0) is None


def test_an_empty_period_gives_none_not_an_error(session: Session) -> None:
    overview = satisfaction_overview(session, period=WEEK)

    assert overview.figures.answers == 0
    assert overview.figures.csat.value is None
    assert overview.figures.nps.score is None
    assert overview.figures.ces.average is None
    assert overview.response_rate.value is None
    assert satisfaction_by_carrier(session, period=WEEK) == []
    assert satisfaction_by_category(session, period=WEEK) == []
    assert topic_stats(session, period=WEEK) == []
    weeks = weekly_satisfaction(session, period=WEEK)
    assert [(w.week, w.figures.answers, w.figures.csat.value) for w in weeks] == [
        (MONDAY, 0, None)
    ]


def test_the_period_follows_paris_days(session: Session) -> None:
    # Sunday 23:59 in Paris: before the period; Monday 00:30 in Paris: in it.
    make_answer(session, csat=1, submitted_at=datetime(2026, 11, 1, 22, 59, tzinfo=UTC))
    make_answer(session, csat=5, submitted_at=datetime(2026, 11, 1, 23, 30, tzinfo=UTC))
    # Sunday 23:59 in Paris at the end: in; Monday 00:00 after: out.
    make_answer(session, csat=4, submitted_at=datetime(2026, 11, 8, 22, 59, tzinfo=UTC))
    make_answer(session, csat=2, submitted_at=datetime(2026, 11, 8, 23, 0, tzinfo=UTC))

    csat = satisfaction_overview(session, period=WEEK).figures.csat

    assert (csat.numerator, csat.denominator) == (2, 2)


def test_response_rate_follows_the_invitations_sent_in_the_period(
    session: Session,
) -> None:
    customer = make_customer(session)
    sent = [
        make_invitation(
            session,
            order=make_order(session, customer=customer, number=f"50000{i}"),
            sent_at=NOON + timedelta(hours=i),
            token=f"tok-{i}",
        )
        for i in range(4)
    ]
    make_answer(session, csat=5, invitation=sent[0])
    earlier = make_invitation(
        session,
        order=make_order(session, customer=customer, number="500010"),
        sent_at=NOON - timedelta(days=10),
        token="tok-earlier",
    )
    make_answer(session, csat=5, invitation=earlier)  # answered now, sent before
    make_invitation(
        session,
        order=make_order(session, customer=customer, number="500011"),
        sent_at=None,
        token="tok-scheduled",
    )

    response_rate = satisfaction_overview(session, period=WEEK).response_rate

    assert (response_rate.numerator, response_rate.denominator) == (1, 4)
    assert response_rate.value == 0.25


def test_weekly_series_lists_every_paris_week_even_without_answers(
    session: Session,
) -> None:
    period = DateRange(start=MONDAY, end=MONDAY + timedelta(days=20))
    make_answer(session, csat=5, nps=10, ces=2)
    make_answer(session, csat=1, nps=0, ces=6)
    # Sunday 23:30 UTC is Monday 00:30 in Paris: the third week, not the second.
    make_answer(
        session, csat=4, nps=8, submitted_at=datetime(2026, 11, 15, 23, 30, tzinfo=UTC)
    )

    weeks = weekly_satisfaction(session, period=period)

    assert [w.week for w in weeks] == [
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
    ]
    first, second, third = (w.figures for w in weeks)
    assert (first.answers, first.csat.value, first.nps.score) == (2, 0.5, 0)
    assert first.ces.average == 4.0
    assert (second.answers, second.csat.value, second.nps.score) == (0, None, None)
    assert (third.answers, third.csat.value, third.nps.score) == (1, 1.0, 0)


def test_breakdown_by_carrier_keeps_answers_without_one(session: Session) -> None:
    make_answer(session, csat=5, nps=10, carrier="colissimo")
    make_answer(session, csat=2, nps=3, carrier="colissimo")
    make_answer(session, csat=1, nps=0, carrier="dhl")
    make_answer(session, csat=5, channel=SurveyChannel.CHAT_END)

    slices = satisfaction_by_carrier(session, period=WEEK)

    assert [(s.key, s.label, s.figures.answers) for s in slices] == [
        ("colissimo", "colissimo", 2),
        ("dhl", "dhl", 1),
        (None, "unknown", 1),
    ]
    assert slices[0].figures.nps.score == 0
    assert slices[1].figures.csat.value == 0.0


def test_breakdown_by_category_counts_an_answer_once_per_category(
    session: Session,
) -> None:
    customer = make_customer(session)
    pan = make_product(session, sku="PAN", category="kitchen")
    spoon = make_product(session, sku="SPOON", category="kitchen")
    towel = make_product(session, sku="TOWEL", category="bath")
    basket = make_order(
        session,
        customer=customer,
        number="600001",
        lines=[(pan, 1, True), (spoon, 3, True), (towel, 1, True)],
    )
    single = make_order(
        session, customer=customer, number="600002", lines=[(pan, 1, True)]
    )
    make_answer(session, csat=5, nps=10, order=basket)
    make_answer(session, csat=1, nps=2, order=single)
    make_answer(session, csat=3, channel=SurveyChannel.CHAT_END)  # no order

    slices = {s.key: s.figures for s in satisfaction_by_category(session, period=WEEK)}

    assert set(slices) == {"kitchen", "bath"}
    assert slices["kitchen"].answers == 2
    assert (slices["kitchen"].csat.numerator, slices["kitchen"].nps.score) == (1, 0)
    assert slices["bath"].answers == 1
    assert slices["bath"].nps.score == 100


def test_breakdown_by_language(session: Session) -> None:
    make_answer(session, csat=5, language="fr")
    make_answer(session, csat=1, language="fr")
    make_answer(session, csat=4, language="en")

    slices = satisfaction_by_language(session, period=WEEK)

    assert [(s.key, s.figures.answers, s.figures.csat.numerator) for s in slices] == [
        ("fr", 2, 1),
        ("en", 1, 1),
    ]


def test_breakdown_by_resolution_channel_names_channel_and_resolver(
    session: Session,
) -> None:
    make_answer(session, csat=5, channel=SurveyChannel.EMAIL)
    make_answer(session, csat=4, channel=SurveyChannel.EMAIL)
    make_answer(session, csat=2, channel=SurveyChannel.WIDGET)
    make_answer(session, csat=5, channel=SurveyChannel.CHAT_END, resolution="bot")
    make_answer(session, csat=1, channel=SurveyChannel.CHAT_END, resolution="agent")
    make_answer(session, csat=3, channel=SurveyChannel.CHAT_END, resolution="agent")

    slices = satisfaction_by_channel(session, period=WEEK)

    assert [(s.label, s.key, s.figures.answers) for s in slices] == [
        ("chat · agent", "chat_end:agent", 2),
        ("email", "email:", 2),
        ("chat · bot", "chat_end:bot", 1),
        ("widget", "widget:", 1),
    ]
    assert slices[0].figures.csat.value == 0.0


def test_topics_count_share_negative_and_show_three_recent_comments(
    session: Session,
) -> None:
    for hour, (csat, nps, comment, language) in enumerate(
        [
            (1, 8, "Colis en retard", "fr"),  # negative by CSAT
            (4, 6, "Late again", "en"),  # negative by NPS (6)
            (3, 7, "   ", "fr"),  # blank comment: never an example
            (5, 10, "Arrivé à temps finalement", "fr"),
            (4, 9, "Fine in the end", "en"),
        ]
    ):
        make_answer(
            session,
            csat=csat,
            nps=nps,
            comment=comment,
            language=language,
            topics=["delivery_delay"],
            submitted_at=NOON + timedelta(hours=hour),
        )
    make_answer(
        session, csat=5, nps=10, comment="Super emballage", topics=["packaging"]
    )

    stats = topic_stats(session, period=WEEK)

    assert [(s.topic, s.answers) for s in stats] == [
        ("delivery_delay", 5),
        ("packaging", 1),
    ]
    delay = stats[0]
    assert (delay.negative.numerator, delay.negative.denominator) == (2, 5)
    assert [(e.comment, e.language) for e in delay.examples] == [
        ("Fine in the end", "en"),
        ("Arrivé à temps finalement", "fr"),
        ("Late again", "en"),
    ]
    assert stats[1].negative.value == 0.0
    assert [e.comment for e in stats[1].examples] == ["Super emballage"]


def test_the_same_comment_from_two_customers_is_one_example(session: Session) -> None:
    for hours, comment in (
        (1, "Colis arrivé en retard"),
        (2, "Trop long"),
        (3, "Trop long"),
    ):
        make_answer(
            session,
            csat=2,
            comment=comment,
            topics=("delivery_delay",),
            submitted_at=NOON + timedelta(hours=hours),
        )

    (delay,) = topic_stats(session, period=WEEK)

    assert delay.answers == 3
    assert [e.comment for e in delay.examples] == [
        "Trop long",
        "Colis arrivé en retard",
    ]
