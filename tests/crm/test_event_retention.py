"""Events forget their customers' personal data after the retention period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.errors import EventRefused
from crm.events.models import InboundEvent
from crm.events.retention import forget_old_payloads
from crm.imports.schemas import ImportKind
from tests.crm.test_events import NOW, apply, placed
from tests.crm.test_imports import catalogue as catalogue
from tests.crm.test_imports import errors, order_row, run, write
from tests.factories import make_product


def _placed_event(session: Session) -> InboundEvent:
    make_product(session, sku="ECO-CUP-01")
    make_product(session, sku="ECO-BAG-02")
    apply(session, "order_placed", "evt-old", **placed())
    event = session.scalars(select(InboundEvent)).one()
    assert event.payload is not None and "Durand" in str(event.payload)
    return event


def test_a_payload_past_the_retention_is_erased_and_its_digest_kept(
    session: Session,
) -> None:
    event = _placed_event(session)

    assert forget_old_payloads(session, now=NOW + timedelta(days=89), keep_days=90) == 0
    assert forget_old_payloads(session, now=NOW + timedelta(days=91), keep_days=90) == 1

    session.expire_all()
    assert event.payload is None
    assert event.payload_sha256 is not None and len(event.payload_sha256) == 64
    assert "Durand" not in str(event.result)
    assert forget_old_payloads(session, now=NOW + timedelta(days=92), keep_days=90) == 0


def test_zero_days_keeps_payloads_for_ever(session: Session) -> None:
    event = _placed_event(session)

    assert forget_old_payloads(session, now=NOW + timedelta(days=900), keep_days=0) == 0
    assert event.payload is not None


def test_a_retry_after_the_erasure_is_still_recognised(session: Session) -> None:
    _placed_event(session)
    forget_old_payloads(session, now=NOW + timedelta(days=91), keep_days=90)

    again = apply(session, "order_placed", "evt-old", **placed())
    assert again.duplicate and again.outcome == "order_created"

    with pytest.raises(EventRefused, match="give each event its own id"):
        apply(session, "order_placed", "evt-old", **placed(order_number="204234"))


def test_rows_kept_before_digests_existed_get_one_when_erased(
    session: Session,
) -> None:
    event = _placed_event(session)
    event.payload_sha256 = None  # as migrated from an older store
    session.flush()

    forget_old_payloads(session, now=NOW + timedelta(days=91), keep_days=90)

    assert apply(session, "order_placed", "evt-old", **placed()).duplicate


@pytest.mark.usefixtures("catalogue")
def test_an_import_run_again_after_the_erasure_still_knows_its_rows(
    session: Session, tmp_path: Path
) -> None:
    run(session, ImportKind.ORDERS, write(tmp_path, [order_row()]))
    forget_old_payloads(session, now=datetime.now(tz=UTC), keep_days=1)

    again = run(session, ImportKind.ORDERS, write(tmp_path, [order_row()]))
    changed = run(session, ImportKind.ORDERS, write(tmp_path, [order_row(total="40")]))

    assert (again.already_rows, again.imported_rows) == (1, 0)
    assert errors(changed) == [
        "line 2: imported before with other values: the store keeps the first import"
    ]
