"""The hub's FastAPI application, built by a factory (`uvicorn --factory`).

A factory rather than a module-level `app`: settings are read when the app
is built, so tests build one per database and importing the module reads
no environment.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import crm.all_models  # noqa: F401  (mappers name each other: import every table)
from bot.errors import install_error_handlers
from bot.logs import configure_logging
from bot.routes import health, returns
from bot.settings import HubSettings, load_hub_settings
from crm.db import make_engine, make_session_factory


def create_app(settings: HubSettings | None = None) -> FastAPI:
    """Build the hub: store engine and sessions on `app.state`, routes, error replies.

    Raises:
        SettingsError: no settings were given and the environment lacks one
            (the secret key, most often); the message names the variable.
    """
    settings = settings or load_hub_settings()
    configure_logging(settings.log_level)
    engine = make_engine(settings.database_url, echo=settings.sql_echo)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()  # close pooled connections so PostgreSQL sees us leave

    app = FastAPI(title="shopdesk hub", lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(returns.router)
    return app
