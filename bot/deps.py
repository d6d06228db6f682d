"""FastAPI dependencies shared by the hub's routes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from crm.db import session_scope


def get_session(request: Request) -> Iterator[Session]:
    """One store session per request: committed if the route succeeds, else rolled back.

    The route owns the transaction (services only flush), so the commit
    happens here, once, after the route returned.
    """
    factory: sessionmaker[Session] = request.app.state.session_factory
    with session_scope(factory) as session:
        yield session


# scope="function": commit before the response is sent, so that a failed
# commit is a 500 and never a 200 for a change that was not saved.
DbSession = Annotated[Session, Depends(get_session, scope="function")]
