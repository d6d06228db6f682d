"""Demo support history: delay notices, chats, topics and handoffs of the seed."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from statistics import median
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from crm.clock import SHOP_TZ
from crm.conversations.hours import is_open, load_support_hours
from crm.conversations.models import Conversation, ConversationTopic, Handoff
from crm.demo.generator import DemoGenerator
from crm.demo.seed import seed_store
from crm.notices.models import ProactiveNotice
from crm.orders.models import Order
from crm.staff.models import Role, StaffUser
from tests.crm.test_demo_seed import migrated_factory

ANCHOR = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 11, tzinfo=UTC)  # noon in Paris
ORDERS = 6_000
TOPICS = {"where_is_my_order", "return", "refund", "problem_report", "order_change"}
REASONS = {
    "customer_request",
    "complaint",
    "misunderstood",
    "identity_locked",
    "policy_unsure",
    "refund_overdue",
    "lost_parcel",
    "problem_missing_item",
    "problem_not_received",
}
Tables = dict[str, list[dict[str, Any]]]
SUPPORT_TABLES = (
    "proactive_notices",
    "conversations",
    "conversation_topics",
    "handoffs",
)


def generate(
    orders: int, *, seed: int = 11, size: int = 5_000, agents: tuple[int, ...] = ()
) -> Tables:
    generator = DemoGenerator(
        orders=orders, customers=None, seed=seed, anchor=ANCHOR, agents=agents
    )
    tables: Tables = {}
    for chunk in generator.order_chunks(size):
        for name, rows in chunk.items():
            tables.setdefault(name, []).extend(rows)
    return tables


@pytest.fixture(scope="module")
def store() -> Tables:
    return generate(ORDERS, agents=(3, 8))


def late_orders(tables: Tables) -> set[int]:
    """Orders delivered after their promise, or due by today and not delivered."""
    promised = {o["id"]: o["promised_delivery_date"] for o in tables["orders"]}
    late = set()
    for parcel in tables["shipments"]:
        if parcel["direction"] != "outbound":
            continue
        order = parcel["order_id"]
        if parcel["delivered_at"] is not None:
            day = parcel["delivered_at"].astimezone(SHOP_TZ).date()
            if day > promised[order]:
                late.add(order)
        elif promised[order] <= ANCHOR:  # the carrier said "delayed" this morning
            late.add(order)
    return late


def test_same_seed_gives_the_same_support_rows_whatever_the_chunk_size() -> None:
    first, again = generate(700, size=700), generate(700, size=97)
    other = generate(700, seed=12)
    for name in SUPPORT_TABLES:
        assert first[name] == again[name], name
    assert first["conversations"] != other["conversations"]


def test_about_eight_in_a_hundred_orders_lead_to_a_chat_a_quarter_to_a_person(
    store: Tables,
) -> None:
    chats, handoffs = store["conversations"], store["handoffs"]
    assert 0.06 <= len(chats) / ORDERS <= 0.10
    assert 0.18 <= len(handoffs) / len(chats) <= 0.32
    assert {c["status"] for c in chats} == {"closed"}
    by_agent = sum(c["resolved_by"] == "agent" for c in chats)
    assert by_agent == len(handoffs)
    assert len({c["sender_id"] for c in chats}) == len(chats)


def test_late_orders_lead_to_more_chats_fewer_once_the_shop_warned(
    store: Tables,
) -> None:
    late = late_orders(store)
    topics = store["conversation_topics"]
    asked = {t["order_id"] for t in topics if t["topic"] == "where_is_my_order"}
    noticed = {n["order_id"] for n in store["proactive_notices"]}
    on_time = {o["id"] for o in store["orders"]} - late
    warned, unwarned = late & noticed, late - noticed
    assert warned and unwarned
    rate = {
        name: len(group & asked) / len(group)
        for name, group in (
            ("on_time", on_time),
            ("warned", warned),
            ("unwarned", unwarned),
        )
    }
    assert rate["on_time"] < rate["warned"] < rate["unwarned"]
    assert rate["unwarned"] > 0.15


def test_topics_and_reasons_are_the_ones_the_bot_records(store: Tables) -> None:
    chats = {c["id"] for c in store["conversations"]}
    topics = store["conversation_topics"]
    assert {t["topic"] for t in topics} == TOPICS
    assert all(t["conversation_id"] in chats and t["order_id"] for t in topics)
    assert {c["id"] for c in store["conversations"]} == {
        t["conversation_id"] for t in topics
    }
    assert {h["reason"] for h in store["handoffs"]} <= REASONS
    assert Counter(h["reason"] for h in store["handoffs"])["lost_parcel"] > 0


def test_handoff_times_are_ordered_and_over_by_now(store: Tables) -> None:
    chats = {c["id"]: c for c in store["conversations"]}
    for handoff in store["handoffs"]:
        chat = chats[handoff["conversation_id"]]
        assert chat["started_at"] < handoff["requested_at"]
        assert handoff["requested_at"] <= handoff["accepted_at"]
        assert handoff["accepted_at"] <= handoff["first_response_at"]
        assert handoff["first_response_at"] <= handoff["closed_at"] <= NOW
        assert chat["ended_at"] == handoff["closed_at"]
        assert handoff["agent_id"] in (3, 8)
        assert handoff["packet"]["reason"] == handoff["reason"]
    for chat in chats.values():
        assert chat["started_at"] < chat["ended_at"] <= NOW


def test_people_answer_later_outside_opening_hours(store: Tables) -> None:
    hours = load_support_hours()
    inside, outside = [], []
    for handoff in store["handoffs"]:
        wait = handoff["first_response_at"] - handoff["requested_at"]
        group = inside if is_open(hours, handoff["requested_at"]) else outside
        group.append(wait)
    assert inside and outside
    assert median(inside) < timedelta(minutes=15)
    assert median(outside) > timedelta(hours=2)


def test_delay_notices_only_for_late_orders_of_the_last_months(
    store: Tables,
) -> None:
    late = late_orders(store)
    orders = {o["id"]: o for o in store["orders"]}
    notices = store["proactive_notices"]
    assert notices
    assert len({n["order_id"] for n in notices}) == len(notices)
    for notice in notices:
        order = orders[notice["order_id"]]
        assert notice["order_id"] in late
        assert notice["customer_id"] == order["customer_id"]
        assert notice["promised_on"] == order["promised_delivery_date"]
        assert notice["expected_on"] is None or (
            notice["expected_on"] > notice["promised_on"]
        )
        assert notice["reason"] == "late_scan"
        assert NOW - timedelta(days=121) < notice["created_at"] <= NOW
        assert order["placed_at"] < notice["created_at"]
        if notice["emailed_at"] is not None:
            assert notice["created_at"] < notice["emailed_at"] <= NOW
    recent_late = [
        o for o in late if orders[o]["placed_at"] > NOW - timedelta(days=100)
    ]
    assert len(notices) / len(recent_late) > 0.7


def test_agents_change_nothing_but_the_agent_named() -> None:
    named, anonymous = generate(900, agents=(4,)), generate(900)
    assert [h["agent_id"] for h in named["handoffs"]] == [4] * len(named["handoffs"])
    assert {h["agent_id"] for h in anonymous["handoffs"]} == {None}
    strip = [{**h, "agent_id": None} for h in named["handoffs"]]
    assert strip == anonymous["handoffs"]
    assert named["conversations"] == anonymous["conversations"]


@pytest.fixture
def factory(empty_database_url: str):
    with migrated_factory(empty_database_url) as factory:
        yield factory


def test_seeded_store_holds_support_rows_with_the_store_agents(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        session.add_all(
            StaffUser(
                email=f"{name}@example.fr",
                first_name=name,
                role=role,
                password_hash="x",
                created_at=NOW,
            )
            for name, role in (("ana", Role.AGENT), ("otto", Role.OPS))
        )
    report = seed_store(factory, orders=1_500, seed=3, anchor=ANCHOR)
    with factory() as session:
        agent = session.scalar(select(StaffUser.id).where(StaffUser.email.like("ana%")))
        for model, table in (
            (Conversation, "conversations"),
            (Handoff, "handoffs"),
            (ProactiveNotice, "proactive_notices"),
        ):
            count = session.scalar(select(func.count()).select_from(model))
            assert count == report.rows[table] > 0, table
        assert (
            session.scalar(select(func.count()).select_from(ConversationTopic))
            == (report.rows["conversation_topics"])
        )
        assert set(session.scalars(select(Handoff.agent_id))) == {agent}
        handoff = session.scalars(select(Handoff).order_by(Handoff.id)).first()
        assert handoff is not None and handoff.packet["orders"]
        strays = session.scalar(
            select(func.count())
            .select_from(ConversationTopic)
            .outerjoin(Order, Order.id == ConversationTopic.order_id)
            .where(Order.id.is_(None))
        )
        assert strays == 0
        assert report.feedback["resolved_by_agent"] == report.rows["handoffs"]
