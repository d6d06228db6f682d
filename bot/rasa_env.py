"""Environment for `rasa run`: the variables `endpoints.yml` reads.

Rasa keeps its conversations (the `events` table of its SQL tracker store) in
the store's own database, so one backup holds orders and the chats about them.
Rasa's venv has SQLAlchemy 1.4 and psycopg2, not the app's driver, so the
store's URL is taken apart into the fields Rasa's SQLTrackerStore wants.
"""

from __future__ import annotations

from sqlalchemy.engine import make_url

from bot.training import QUIET_LOG_ENV

# Backend name -> dialect Rasa's SQLAlchemy 1.4 loads with its own default driver
# (psycopg2 for PostgreSQL, whatever "+driver" the app's URL names). "postgres"
# is the scheme Heroku-style DATABASE_URLs use and SQLAlchemy no longer accepts.
_RASA_DIALECTS = {"postgresql": "postgresql", "postgres": "postgresql"}


def rasa_environment(database_url: str, action_server_url: str) -> dict[str, str]:
    """The environment variables `endpoints.yml` expands, plus quiet logging.

    The port travels inside `SHOPDESK_TRACKER_HOST` ("host:5432"): Rasa 3.6
    refuses an empty `port` value, which SQLite has, but splits a port off the
    host itself. Empty host and user name are fine for SQLite.
    """
    url = make_url(database_url)
    backend = url.drivername.split("+")[0]
    dialect = _RASA_DIALECTS.get(backend, backend)
    host = url.host or ""
    if host and ":" in host:  # an IPv6 address
        host = f"[{host}]"
    if host and url.port is not None:
        host = f"{host}:{url.port}"
    return {
        "SHOPDESK_ACTION_WEBHOOK_URL": action_server_url,
        "SHOPDESK_TRACKER_DIALECT": dialect,
        "SHOPDESK_TRACKER_HOST": host,
        "SHOPDESK_TRACKER_DB": url.database or "",
        "SHOPDESK_TRACKER_USERNAME": url.username or "",
        "SHOPDESK_TRACKER_PASSWORD": url.password or "",
        **QUIET_LOG_ENV,
    }
