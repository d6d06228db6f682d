"""The hub's FastAPI application, built by a factory (`uvicorn --factory`).

A factory rather than a module-level `app`: settings are read when the app
is built, so tests build one per database and importing the module reads
no environment.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import socketio
from fastapi import FastAPI

import crm.all_models  # noqa: F401  (mappers name each other: import every table)
from bot.auth import install_sessions
from bot.errors import install_error_handlers
from bot.logs import configure_logging
from bot.mail.mailer import mailer_loop
from bot.rasa_client import RasaClient
from bot.relay import Relay
from bot.routes import (
    console_actions,
    console_api,
    events_api,
    health,
    ops_api,
    ops_pages,
    pages,
    returns,
    surveys,
)
from bot.settings import HubSettings, load_hub_settings
from bot.socket_server import new_server, register_handlers
from crm.db import make_engine, make_session_factory
from crm.staff.throttle import LoginThrottle


def create_app(settings: HubSettings | None = None) -> FastAPI:
    """Build the hub: store engine and sessions on `app.state`, routes, error replies.

    Raises:
        SettingsError: no settings were given and the environment lacks one
            (the secret key, most often); the message names the variable.
    """
    settings = settings or load_hub_settings()
    configure_logging(settings.log_level)
    engine = make_engine(settings.database_url, echo=settings.sql_echo)
    session_factory = make_session_factory(engine)
    sio = new_server(settings)
    rasa = RasaClient(settings.rasa_url, timeout=settings.rasa_timeout)
    relay = Relay(
        sio=sio,
        rasa=rasa,
        session_factory=session_factory,
        support_email=settings.support_email,
    )
    register_handlers(sio, relay, settings, session_factory)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        mailer = (
            asyncio.create_task(mailer_loop(session_factory, settings))
            if settings.mail_interval > 0
            else None
        )
        yield
        if mailer is not None:
            mailer.cancel()
            with suppress(asyncio.CancelledError):
                await mailer
        await rasa.close()
        engine.dispose()  # close pooled connections so PostgreSQL sees us leave

    app = FastAPI(title="shopdesk hub", lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = session_factory
    app.state.relay = relay
    app.state.login_throttle = LoginThrottle()
    install_error_handlers(app)
    install_sessions(app, settings)
    app.include_router(health.router)
    app.include_router(returns.router)
    app.include_router(surveys.router)
    app.include_router(events_api.router)
    app.include_router(console_api.router)
    app.include_router(console_actions.router)
    app.include_router(ops_api.router)
    app.include_router(ops_pages.router)
    app.include_router(pages.router)
    pages.mount_static(app)
    # The widget and the console connect to /socket.io/ on the hub itself.
    app.mount("/socket.io", socketio.ASGIApp(sio, socketio_path="socket.io"))
    return app
