"""Whether the store answers, for the hub's `/healthz`."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from crm.errors import StoreUnavailable
from crm.orders.models import Order


def check_store(session: Session) -> int:
    """Run a trivial query and count orders; raise if the database is unreachable.

    Counting orders (indexed primary key) tells the operator whether the demo
    store was seeded, not only whether the server answers.

    Raises:
        StoreUnavailable: the database cannot be reached or is not migrated.
    """
    try:
        session.execute(text("SELECT 1"))
        return int(session.scalar(select(func.count(Order.id))) or 0)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc)
        raise StoreUnavailable(reason.splitlines()[0][:200]) from exc
