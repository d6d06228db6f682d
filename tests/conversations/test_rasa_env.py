"""The tracker store settings derived from the store's URL (see endpoints.yml)."""

from __future__ import annotations

import re
from pathlib import Path

from bot.rasa_env import rasa_environment
from bot.training import model_fingerprint, trained_model_path

ACTIONS = "http://127.0.0.1:5055/webhook"


def test_sqlite_store_gives_a_file_and_no_server() -> None:
    env = rasa_environment("sqlite:////srv/shopdesk/var/shopdesk.db", ACTIONS)

    assert env["SHOPDESK_TRACKER_DIALECT"] == "sqlite"
    assert env["SHOPDESK_TRACKER_DB"] == "/srv/shopdesk/var/shopdesk.db"
    assert env["SHOPDESK_TRACKER_HOST"] == ""
    assert env["SHOPDESK_TRACKER_USERNAME"] == ""
    assert env["SHOPDESK_ACTION_WEBHOOK_URL"] == ACTIONS
    assert env["SQLALCHEMY_SILENCE_UBER_WARNING"] == "1"


def test_postgresql_store_uses_rasa_default_driver_and_keeps_the_port() -> None:
    env = rasa_environment(
        "postgresql+psycopg://shop:p%40ss@db.internal:5433/shopdesk", ACTIONS
    )

    assert env["SHOPDESK_TRACKER_DIALECT"] == "postgresql"
    assert env["SHOPDESK_TRACKER_HOST"] == "db.internal:5433"
    assert env["SHOPDESK_TRACKER_DB"] == "shopdesk"
    assert env["SHOPDESK_TRACKER_USERNAME"] == "shop"
    assert env["SHOPDESK_TRACKER_PASSWORD"] == "p@ss"


def test_heroku_style_postgres_url_is_read_as_postgresql() -> None:
    env = rasa_environment("postgres://postgres@127.0.0.1:5432/shopdesk", ACTIONS)

    assert env["SHOPDESK_TRACKER_DIALECT"] == "postgresql"
    assert env["SHOPDESK_TRACKER_HOST"] == "127.0.0.1:5432"
    assert env["SHOPDESK_TRACKER_PASSWORD"] == ""


def test_every_variable_endpoints_yml_reads_is_provided() -> None:
    text = (Path(__file__).parents[2] / "endpoints.yml").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    read = set(re.findall(r"\$\{(\w+)\}", "\n".join(lines)))
    env = rasa_environment("sqlite:////tmp/x.db", ACTIONS)

    assert read == {name for name in env if name.startswith("SHOPDESK_")}


def test_model_name_follows_its_inputs(tmp_path: Path) -> None:
    (tmp_path / "data" / "nlu" / "fr").mkdir(parents=True)
    (tmp_path / "config.yml").write_text("pipeline: []\n")
    example = tmp_path / "data" / "nlu" / "fr" / "smalltalk.yml"
    example.write_text("nlu: []\n")
    before = model_fingerprint(tmp_path)

    assert trained_model_path(tmp_path).name == f"shopdesk-{before[:12]}.tar.gz"
    assert model_fingerprint(tmp_path) == before

    example.rename(tmp_path / "data" / "nlu" / "fr" / "greetings.yml")
    assert model_fingerprint(tmp_path) != before
