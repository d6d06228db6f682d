"""/ops: the page sends its script the names of the codes its data carries.

The sections' JSON and CSV say "mondial_relay", "delivery_delay",
"customer_request"; the page's catalogue (`#ops-texts`) says what a person
reads in the page's language, which the script shows instead (ops.js,
`named`), the code itself when a name is missing.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, get_args

import pytest
from fastapi import FastAPI

from bot.messages import LANGUAGES, MESSAGES
from bot.routes import ops_pages
from bot.routes.ops_pages import ops_texts
from crm.demo.catalog_data import PRODUCTS
from crm.kpis.alerts import AlertKind
from crm.kpis.follow_up import FOLLOW_UP_REASON
from crm.problems.models import ProblemReason
from crm.returns.models import ReturnReason
from crm.shipping.models import Carrier
from crm.staff.models import Role
from crm.surveys.models import SurveyChannel, SurveyResponse
from crm.surveys.topic_config import SurveyTopicsError, load_topics
from tests.bot.test_ops_api import app as app
from tests.bot.test_ops_api import logged_in

TEXTS = re.compile(r'<script type="application/json" id="ops-texts">(.*?)</script>')
# Why a chat goes to a person: the bot's own reasons (actions/handoff.py,
# actions/orders.py), the problem reports it cannot settle, the ops follow-up.
HANDOFF_REASONS = (
    "customer_request",
    "misunderstood",
    "identity_locked",
    "policy_unsure",
    "refund_overdue",
    "lost_parcel",
    "complaint",
    FOLLOW_UP_REASON,
    *(
        f"problem_{reason.value}"
        for reason in ProblemReason
        if reason not in (ProblemReason.RETURNABLE, ProblemReason.NOT_DELIVERED)
    ),
)
# Every code the dashboard shows, under the prefix its name has in the catalogue.
CODES = (
    *(f"carrier_{carrier.value}" for carrier in Carrier),
    *sorted({f"category_{product.category}" for product in PRODUCTS}),
    *(f"channel_{channel.value}" for channel in SurveyChannel),
    "resolution_bot",
    "resolution_agent",
    *(f"language_{language}" for language in LANGUAGES),
    *(f"handoff_{reason}" for reason in HANDOFF_REASONS),
    *(f"reason_{reason.value}" for reason in ReturnReason),
    *(f"ops_alert_{kind}" for kind in get_args(AlertKind)),
)


def page_texts(app: FastAPI, language: str) -> dict[str, Any]:
    """The catalogue the /ops page gives its script, as the browser gets it."""
    page = logged_in(app, Role.OPS).get(f"/ops?lang={language}")
    assert page.status_code == 200
    found = TEXTS.search(page.text)
    assert found, "the page has no #ops-texts catalogue"
    texts: dict[str, Any] = json.loads(found.group(1))
    return texts


def test_the_french_page_names_carriers_topics_and_reasons(app: FastAPI) -> None:
    texts = page_texts(app, "fr")

    assert texts["carrier_mondial_relay"] == "Mondial Relay"
    assert texts["carrier_colissimo"] == "Colissimo"
    assert texts["topic_delivery_delay"] == "Délai de livraison"
    assert texts["topic_size_fit"] == "Taille et dimensions"
    assert texts["handoff_customer_request"] == "demande du client"
    assert texts["category_kitchen"] == "Cuisine"
    assert texts["channel_chat_end"] == "Fin de chat"
    assert texts["resolution_bot"] == "résolu par le bot"
    assert texts["language_fr"] == "Français"
    assert texts["reason_size_fit"] == "taille ou format"
    assert "mondial_relay" not in texts.values()


def test_the_english_page_has_the_same_names_in_english(app: FastAPI) -> None:
    french, english = page_texts(app, "fr"), page_texts(app, "en")

    assert set(english) == set(french)
    assert english["carrier_mondial_relay"] == "Mondial Relay"
    assert english["topic_delivery_delay"] == "Delivery time"
    assert english["handoff_customer_request"] == "customer asked"
    assert english["category_kitchen"] == "Kitchen"
    assert english["language_fr"] == "French"
    assert english["channel_email"] == "E-mail link"


@pytest.mark.parametrize("key", CODES)
def test_every_code_on_the_dashboard_has_a_name_in_both_languages(key: str) -> None:
    assert set(MESSAGES.get(key, {})) == set(LANGUAGES), key
    for language in LANGUAGES:
        name = ops_texts(language)[key]
        assert name.strip(), (key, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_survey_topic_is_named_from_the_topics_file(language: str) -> None:
    texts = ops_texts(language)
    for topic, definition in load_topics().topics.items():
        assert texts[f"topic_{topic}"] == definition.label[language]


def test_a_broken_topics_file_leaves_topics_as_codes_not_a_broken_page(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise SurveyTopicsError("config/survey_topics.yml: topics: give a label")

    monkeypatch.setattr(ops_pages, "load_topics", broken)
    texts = page_texts(app, "fr")

    assert not [key for key in texts if key.startswith("topic_")]
    assert texts["carrier_mondial_relay"] == "Mondial Relay"


@pytest.fixture
def mondial_relay_answer(app: FastAPI) -> Iterator[None]:
    """One answer about a Mondial Relay parcel, alone in March 2002."""
    with app.state.session_factory() as session:
        answer = SurveyResponse(
            channel=SurveyChannel.EMAIL,
            language="fr",
            csat=5,
            carrier=Carrier.MONDIAL_RELAY.value,
            submitted_at=datetime(2002, 3, 5, 12, tzinfo=UTC),
        )
        session.add(answer)
        session.commit()
        yield
        session.delete(answer)
        session.commit()


@pytest.mark.usefixtures("mondial_relay_answer")
def test_csv_exports_keep_the_codes_for_spreadsheets(app: FastAPI) -> None:
    client = logged_in(app, Role.OPS)
    reply = client.get(
        "/ops/api/breakdowns/by_carrier.csv?start=2002-03-01&end=2002-03-31"
    )
    assert reply.status_code == 200
    rows = list(csv.DictReader(io.StringIO(reply.text.removeprefix("\ufeff"))))
    assert [(row["key"], row["label"]) for row in rows] == [
        ("mondial_relay", "mondial_relay")
    ]
