"""`shopdesk surveys retag`: past comments tagged again with today's topics."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import app
from crm.db import make_engine, make_session_factory
from crm.migrate import upgrade_to_head
from crm.surveys.models import SurveyResponse, SurveyResponseTopic
from tests.crm.kpis_satisfaction.fixtures import make_answer

OLD = datetime(2026, 10, 2, 10, 0, tzinfo=UTC)
NEW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Two comments tagged under old settings with a topic they do not have."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        for at in (OLD, NEW):
            answer = make_answer(
                session,
                csat=2,
                comment="Colis arrivé avec cinq jours de retard, aucune nouvelle",
                topics=("price",),  # what an old topics file said
                submitted_at=at,
            )
            answer.topics = ["price"]
    engine.dispose()
    monkeypatch.setenv("SHOPDESK_DATABASE_URL", url)
    return url


def topics_by_day(url: str) -> dict[datetime, list[str]]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            rows = session.execute(
                select(SurveyResponse.submitted_at, SurveyResponseTopic.topic)
                .join(SurveyResponseTopic)
                .order_by(SurveyResponseTopic.topic)
            ).all()
    finally:
        engine.dispose()
    found: dict[datetime, list[str]] = {}
    for at, topic in rows:
        found.setdefault(at.astimezone(UTC), []).append(topic)
    return found


def test_retag_since_a_day_replaces_only_those_comments_topics(store: str) -> None:
    result = CliRunner().invoke(app, ["surveys", "retag", "--since", "2026-11-01"])

    assert result.exit_code == 0, result.output
    assert "comments tagged again: 1 of 1" in result.output
    found = topics_by_day(store)
    assert found[OLD] == ["price"]  # before --since: untouched
    assert "delivery_delay" in found[NEW] and "price" not in found[NEW]


def test_a_day_that_is_not_one_is_refused_and_changes_nothing(store: str) -> None:
    result = CliRunner().invoke(app, ["surveys", "retag", "--since", "1er novembre"])

    assert result.exit_code == 2
    assert "is not a day like 2026-11-01" in result.output
    assert topics_by_day(store)[NEW] == ["price"]
