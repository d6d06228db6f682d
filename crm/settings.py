"""Settings of the order/CRM store, read from `SHOPDESK_*` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"


def default_database_url() -> str:
    """SQLite under `var/`: the zero set-up store that `make run` seeds."""
    return f"sqlite:///{VAR_DIR / 'shopdesk.db'}"


class StoreSettings(BaseSettings):
    """Where the store lives; the only place besides the hub's settings that reads env.

    `DATABASE_URL` (without prefix) is honoured too, because that is the name
    every PaaS and every PostgreSQL tutorial uses. The project's `.env` is
    read wherever the command is started from.
    """

    model_config = SettingsConfigDict(
        env_prefix="SHOPDESK_", env_file=PROJECT_ROOT / ".env", extra="ignore"
    )

    database_url: str = Field(
        default_factory=default_database_url,
        validation_alias=AliasChoices("SHOPDESK_DATABASE_URL", "DATABASE_URL"),
        description="SQLAlchemy URL of the store; SQLite file under var/ by default.",
    )
    sql_echo: bool = Field(default=False, description="Log every SQL statement.")
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Address customers reach the hub at: the start of the links "
        "the bot gives (return labels).",
    )

    event_payload_days: int = Field(
        default=90,
        ge=0,
        description="Days the events API keeps each event's content (customers' "
        "names and addresses) before erasing it; its id and digest stay. 0: keep.",
    )

    @property
    def is_sqlite(self) -> bool:
        """Whether the store is an SQLite file (no server, one writer at a time)."""
        return self.database_url.startswith("sqlite")
