"""Demo survey history: invitations, answers, comments and their topics."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from crm.clock import SHOP_TZ
from crm.conversations.models import ConversationTopic, Handoff
from crm.customers.models import Customer
from crm.demo.comment_bank import SITUATIONS, all_comments, comments
from crm.demo.generator import DemoGenerator
from crm.demo.seed import seed_store
from crm.demo.surveys import bank_topics
from crm.surveys.models import SurveyInvitation, SurveyResponse, SurveyResponseTopic
from crm.surveys.policy import survey_policy
from tests.crm.test_demo_seed import migrated_factory

ANCHOR = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 11, tzinfo=UTC)  # noon in Paris
ORDERS = 6_000
DELIVERED = {"delivered", "return_requested", "returned", "refunded"}
Tables = dict[str, list[dict[str, Any]]]
SURVEY_TABLES = ("survey_invitations", "survey_responses", "survey_response_topics")


def generate(orders: int, *, seed: int = 5, size: int = 5_000) -> Tables:
    generator = DemoGenerator(orders=orders, customers=None, seed=seed, anchor=ANCHOR)
    tables: Tables = {"customers": []}
    for chunk in generator.customer_chunks(10_000):
        tables["customers"] += chunk
    for chunk in generator.order_chunks(size):
        for name, rows in chunk.items():
            tables.setdefault(name, []).extend(rows)
    return tables


@pytest.fixture(scope="module")
def store() -> Tables:
    return generate(ORDERS)


def delivered_at(tables: Tables) -> dict[int, datetime]:
    return {
        s["order_id"]: s["delivered_at"]
        for s in tables["shipments"]
        if s["direction"] == "outbound" and s["delivered_at"] is not None
    }


def order_answers(tables: Tables) -> list[dict[str, Any]]:
    return [r for r in tables["survey_responses"] if r["invitation_id"] is not None]


def satisfied(answers: list[dict[str, Any]]) -> float:
    return sum(a["csat"] >= 4 for a in answers) / len(answers)


def test_same_seed_gives_the_same_survey_rows_whatever_the_chunk_size() -> None:
    first, again = generate(700, size=700), generate(700, size=97)
    other = generate(700, seed=6)
    for name in SURVEY_TABLES:
        assert first[name] == again[name], name
    assert first["survey_responses"] != other["survey_responses"]


def test_one_invitation_per_delivered_order_none_for_customers_who_opted_out(
    store: Tables,
) -> None:
    opted_out = {c["id"] for c in store["customers"] if c["survey_opt_out"]}
    delivered = {o["id"] for o in store["orders"] if o["status"] in DELIVERED}
    expected = {
        o["id"]
        for o in store["orders"]
        if o["id"] in delivered and o["customer_id"] not in opted_out
    }
    invitations = store["survey_invitations"]
    assert opted_out
    assert [i["order_id"] for i in invitations] == sorted(expected)
    assert not {i["customer_id"] for i in invitations} & opted_out
    answered_by = {r["customer_id"] for r in store["survey_responses"]}
    assert not answered_by & opted_out
    tokens = [i["token_id"] for i in invitations]
    assert len(set(tokens)) == len(tokens)
    assert all(len(t) >= 32 for t in tokens)


def test_invitations_follow_delivery_and_answers_come_within_the_link_life(
    store: Tables,
) -> None:
    delivered = delivered_at(store)
    invitations = {i["id"]: i for i in store["survey_invitations"]}
    for invitation in invitations.values():
        scheduled = delivered[invitation["order_id"]] + timedelta(days=2)
        assert invitation["scheduled_for"] == scheduled
        if invitation["status"] in ("scheduled", "cancelled"):
            assert invitation["sent_at"] is None
            assert invitation["expires_at"] == scheduled + timedelta(days=30)
            if invitation["status"] == "scheduled":
                assert scheduled > NOW - timedelta(hours=1)
            continue
        sent = invitation["sent_at"]
        assert scheduled < sent <= NOW
        assert invitation["expires_at"] == sent + timedelta(days=30)
        if invitation["status"] != "answered":
            expired = invitation["expires_at"] <= NOW
            assert invitation["status"] == ("expired" if expired else "sent")
    answered = {r["invitation_id"] for r in order_answers(store)}
    assert answered == {
        i for i, inv in invitations.items() if inv["status"] == "answered"
    }
    for answer in order_answers(store):
        invitation = invitations[answer["invitation_id"]]
        assert answer["order_id"] == invitation["order_id"]
        assert delivered[answer["order_id"]] < answer["submitted_at"] <= NOW
        sent = invitation["sent_at"]
        assert sent < answer["submitted_at"] < invitation["expires_at"]


def test_invitations_due_during_a_complaint_are_cancelled(store: Tables) -> None:
    complaints = survey_policy().complaint_reasons
    handoffs = {h["conversation_id"]: h for h in store["handoffs"]}
    open_complaint: dict[int, list[tuple[datetime, datetime]]] = {}
    for topic in store["conversation_topics"]:
        handoff = handoffs.get(topic["conversation_id"])
        if handoff is not None and handoff["reason"] in complaints:
            span = (handoff["requested_at"], handoff["closed_at"])
            open_complaint.setdefault(topic["order_id"], []).append(span)
    for invitation in store["survey_invitations"]:
        spans = open_complaint.get(invitation["order_id"], [])
        sent = invitation["sent_at"]
        if invitation["status"] == "cancelled":
            due = invitation["scheduled_for"] + timedelta(minutes=15)
            late = timedelta(minutes=30)  # the chat began before the handoff
            assert any(
                start - late <= due and due - late <= end for start, end in spans
            )
        elif sent is not None:
            assert not any(start <= sent <= end for start, end in spans)


def test_about_a_quarter_answer_mostly_happy_a_third_with_a_comment(
    store: Tables,
) -> None:
    answers = order_answers(store)
    share = len(answers) / len(store["survey_invitations"])
    assert 0.19 <= share <= 0.29
    assert 0.78 <= satisfied(answers) <= 0.88
    channels = Counter(a["channel"] for a in answers)
    assert channels["email"] > 4 * channels["widget"] > 0
    commented = [a for a in answers if a["comment"]]
    assert 0.28 <= len(commented) / len(answers) <= 0.42
    for answer in answers:
        assert answer["nps"] is None or 0 <= answer["nps"] <= 10
        assert answer["ces"] is None or 1 <= answer["ces"] <= 7
    promoters = [a for a in answers if a["nps"] is not None and a["nps"] >= 9]
    assert sum(a["csat"] == 5 for a in promoters) / len(promoters) > 0.7


def test_late_deliveries_and_broken_items_lower_the_scores(store: Tables) -> None:
    delivered = delivered_at(store)
    orders = {o["id"]: o for o in store["orders"]}
    damaged = {
        r["order_id"] for r in store["returns"] if r["reason"] in ("damaged", "faulty")
    }
    late, fine = [], []
    for answer in order_answers(store):
        order = orders[answer["order_id"]]
        day = delivered[order["id"]].astimezone(SHOP_TZ).date()
        troubled = day > order["promised_delivery_date"] or order["id"] in damaged
        (late if troubled else fine).append(answer)
    assert len(late) > 50
    assert satisfied(late) < satisfied(fine) - 0.2


def test_answers_snapshot_the_carrier_language_and_who_resolved_the_chat(
    store: Tables,
) -> None:
    carriers = {
        s["order_id"]: s["carrier"]
        for s in store["shipments"]
        if s["direction"] == "outbound"
    }
    language = {c["id"]: c["language"] for c in store["customers"]}
    chats = {c["id"]: c for c in store["conversations"]}
    about: dict[int, list[int]] = {}
    for topic in store["conversation_topics"]:
        about.setdefault(topic["order_id"], []).append(topic["conversation_id"])
    for answer in store["survey_responses"]:
        assert answer["carrier"] == carriers.get(answer["order_id"])
        assert answer["language"] == language[answer["customer_id"]]
        before = [
            chats[c]
            for c in set(about.get(answer["order_id"], []))
            if chats[c]["started_at"] <= answer["submitted_at"]
        ]
        if answer["channel"] == "chat_end":
            expected = chats[answer["conversation_id"]]["resolved_by"]
        elif not before:
            expected = None
        else:
            agent = any(c["resolved_by"] == "agent" for c in before)
            expected = "agent" if agent else "bot"
        assert answer["resolution"] == expected
        assert answer["handled_by_agent"] == (expected == "agent")
    assert Counter(a["resolution"] for a in order_answers(store))["agent"] > 0


def test_comments_come_from_the_bank_in_the_customer_language(
    store: Tables,
) -> None:
    bank = {
        language: {
            text
            for situation in SITUATIONS
            for mood in ("good", "mixed", "bad")
            for text in comments(language, situation, mood)
        }
        for language in ("fr", "en")
    }
    happy = {
        text for situation in SITUATIONS for text in comments("fr", situation, "good")
    } | {text for situation in SITUATIONS for text in comments("en", situation, "good")}
    said = [a for a in store["survey_responses"] if a["comment"]]
    assert {a["language"] for a in said} == {"fr", "en"}
    for answer in said:
        assert answer["comment"] in bank[answer["language"]]
        if answer["csat"] <= 2:
            assert answer["comment"] not in happy
    assert len({a["comment"] for a in said}) > 100


def test_every_topic_row_belongs_to_a_commented_answer_and_matches_its_list(
    store: Tables,
) -> None:
    answers = {a["id"]: a for a in store["survey_responses"]}
    rows: dict[int, dict[str, float]] = {}
    for row in store["survey_response_topics"]:
        assert answers[row["response_id"]]["comment"]
        rows.setdefault(row["response_id"], {})[row["topic"]] = row["score"]
    assert rows
    for answer in answers.values():
        assert answer["topics"] == sorted(rows.get(answer["id"], {}))
        if answer["comment"]:
            assert dict(bank_topics()[answer["comment"]]) == rows.get(answer["id"], {})


def test_comment_bank_speaks_both_languages_by_situation() -> None:
    for language in ("fr", "en"):
        texts = {
            text
            for situation in SITUATIONS
            for mood in ("good", "mixed", "bad")
            for text in comments(language, situation, mood)
        }
        assert len(texts) >= 80, language
        for situation in SITUATIONS:
            assert any(
                comments(language, situation, mood) for mood in ("good", "mixed", "bad")
            ), (language, situation)
    assert len(all_comments()) == len(set(all_comments()))


@pytest.fixture
def factory(empty_database_url: str):
    with migrated_factory(empty_database_url) as factory:
        yield factory


def test_seeded_store_holds_surveys_consistent_with_orders_and_chats(
    factory: sessionmaker[Session],
) -> None:
    report = seed_store(factory, orders=1_500, seed=4, anchor=ANCHOR)
    with factory() as session:
        for model, table in (
            (SurveyInvitation, "survey_invitations"),
            (SurveyResponse, "survey_responses"),
            (SurveyResponseTopic, "survey_response_topics"),
        ):
            count = session.scalar(select(func.count()).select_from(model))
            assert count == report.rows[table] > 0, table
        assert report.feedback["comments"] == session.scalar(
            select(func.count(SurveyResponse.comment))
        )
        opted_out = session.scalar(
            select(func.count())
            .select_from(SurveyInvitation)
            .join(Customer, Customer.id == SurveyInvitation.customer_id)
            .where(Customer.survey_opt_out.is_(True))
        )
        assert opted_out == 0
        answer = session.scalars(
            select(SurveyResponse)
            .where(SurveyResponse.resolution == "agent")
            .order_by(SurveyResponse.id)
        ).first()
        assert answer is not None and answer.order_id is not None
        handed = session.scalar(
            select(func.count())
            .select_from(Handoff)
            .join(
                ConversationTopic,
                ConversationTopic.conversation_id == Handoff.conversation_id,
            )
            .where(ConversationTopic.order_id == answer.order_id)
        )
        assert handed
        tagged = session.scalars(
            select(SurveyResponse).where(SurveyResponse.comment.is_not(None))
        ).first()
        assert tagged is not None and tagged.topics is not None
