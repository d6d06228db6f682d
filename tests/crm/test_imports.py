"""CSV history imports: same rules as the events API, once per row, bad rows named."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from crm.errors import EventRefused, InvalidInput
from crm.events.models import InboundEvent
from crm.events.schemas import parse_event
from crm.events.service import apply_event, late_orders_since
from crm.imports.csv_rows import write_rejected
from crm.imports.schemas import ImportKind, ImportReport
from crm.imports.service import import_file, open_import
from crm.orders.models import Order, OrderStatus
from crm.orders.service import get_order
from crm.shipping.models import TrackingCode
from crm.staff.models import AuditEntry
from tests.factories import (
    make_customer,
    make_detailed_order,
    make_parcel,
    make_product,
)

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import-samples"
EVENT_HEADER = [
    "type",
    "order_number",
    "tracking_number",
    "rma_number",
    "code",
    "location",
    "at",
    "amount",
]
ORDER_HEADER = [
    "order_number",
    "placed_at",
    "email",
    "first_name",
    "last_name",
    "language",
    "ship_line1",
    "ship_postcode",
    "ship_city",
    "shipping_method",
    "promised_date",
    "subtotal",
    "shipping_fee",
    "total",
    "sku",
    "quantity",
    "unit_price",
]


@pytest.fixture
def catalogue(session: Session) -> None:
    for sku in ("KIT-001", "KIT-005", "KIT-006", "CLE-001"):
        make_product(session, sku=sku)


def order_row(number: str = "204233", **changes: str) -> dict[str, str]:
    row = {
        "order_number": number,
        "placed_at": "2025-03-02T09:30:00+01:00",
        "email": f"c{number}@example.com",
        "first_name": "Léa",
        "last_name": "Durand",
        "language": "fr",
        "ship_line1": "12 rue des Lilas",
        "ship_postcode": "69003",
        "ship_city": "Lyon",
        "shipping_method": "home",
        "promised_date": "2025-03-06",
        "subtotal": "33.80",
        "shipping_fee": "4.90",
        "total": "38.70",
        "sku": "KIT-001",
        "quantity": "2",
        "unit_price": "16.90",
    }
    return row | changes


def write(
    tmp_path: Path,
    rows: list[dict[str, str]],
    *,
    header: list[str] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
    name: str = "import.csv",
) -> Path:
    columns = header or list(rows[0])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding=encoding)
    return path


def run(
    session: Session,
    kind: ImportKind,
    path: Path,
    *,
    dry_run: bool = False,
    batch_rows: int = 500,
) -> ImportReport:
    """Import through a factory on the test's connection: commits are savepoints."""
    session.flush()
    factory = sessionmaker(
        bind=session.connection(),
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
    )
    source = open_import(kind, path)
    report = import_file(
        factory, source, kind, now=NOW, dry_run=dry_run, batch_rows=batch_rows
    )
    session.expire_all()  # the import wrote through another session
    return report


def errors(report: ImportReport) -> list[str]:
    return [error.text for error in report.errors]


def count(session: Session, model: type[Any]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def import_samples(session: Session) -> list[ImportReport]:
    return [
        run(session, kind, SAMPLES / f"{kind.value}.csv")
        for kind in (ImportKind.ORDERS, ImportKind.SHIPMENTS, ImportKind.EVENTS)
    ]


def test_good_files_import_everything_and_the_store_shows_the_orders(
    session: Session, catalogue: None
) -> None:
    orders, shipments, events = import_samples(session)

    assert (orders.rows, orders.imported_rows, orders.records) == (4, 4, 3)
    assert (shipments.imported_rows, events.imported_rows) == (3, 6)
    assert orders.errors == shipments.errors == events.errors == ()
    two_lines = get_order(session, "000102")
    assert [(line.sku, line.quantity) for line in two_lines.lines] == [
        ("KIT-006", 1),
        ("KIT-005", 1),
    ]
    assert two_lines.total == Decimal("47.70")
    assert two_lines.status is OrderStatus.DELAYED
    assert two_lines.shipments[0].estimated_delivery == date(2025, 3, 7)
    delivered = get_order(session, "000101")
    assert delivered.status is OrderStatus.DELIVERED
    assert [e.code for e in delivered.shipments[0].events] == [
        TrackingCode.OUT_FOR_DELIVERY,
        TrackingCode.IN_TRANSIT,
        TrackingCode.PICKED_UP,
    ]
    relay = get_order(session, "000103")
    assert relay.status is OrderStatus.OUT_FOR_DELIVERY
    assert relay.placed_at == datetime(2025, 3, 6, 13, 12, tzinfo=UTC)  # Paris time


def test_three_bad_rows_are_reported_by_line_and_field_and_the_rest_imported(
    session: Session, catalogue: None, tmp_path: Path
) -> None:
    rows = [
        order_row("200001"),
        order_row("200002", total="12,5O"),
        order_row("200003"),
        order_row("200004", placed_at="02/03/2025 09:30"),
        order_row("200005", sku="NOPE-1"),
        order_row("200006"),
    ]

    report = run(session, ImportKind.ORDERS, write(tmp_path, rows))

    assert errors(report) == [
        'line 3: total: not a number ("12,5O")',
        "line 5: placed_at: not an ISO 8601 date and time such as "
        '2026-11-02T09:30:00+01:00 ("02/03/2025 09:30")',
        "line 6: sku: no product NOPE-1 in the catalogue",
    ]
    assert (report.imported_rows, report.rejected_rows) == (3, 3)
    numbers = set(session.scalars(select(Order.number)))
    assert {"200001", "200003", "200006"} <= numbers
    assert not {"200002", "200004", "200005"} & numbers


def test_every_error_of_a_row_is_named_at_once(
    session: Session, catalogue: None, tmp_path: Path
) -> None:
    rows = [order_row(quantity="two", email="not-an-address", ship_country="France")]

    report = run(session, ImportKind.ORDERS, write(tmp_path, rows))

    assert errors(report) == [
        'line 2: quantity: not a whole number ("two")',
        "line 2: email: not an e-mail address",
        'line 2: ship_country: not a two-letter country code such as FR ("FRANCE")',
    ]


def test_the_same_file_twice_changes_nothing_the_second_time(
    session: Session, catalogue: None
) -> None:
    import_samples(session)
    before = [count(session, m) for m in (Order, InboundEvent, AuditEntry)]

    second = import_samples(session)

    assert [r.already_rows for r in second] == [4, 3, 6]
    assert [r.imported_rows + r.rejected_rows for r in second] == [0, 0, 0]
    assert [count(session, m) for m in (Order, InboundEvent, AuditEntry)] == before


def test_a_row_changed_since_its_import_is_refused_and_the_first_import_kept(
    session: Session, catalogue: None, tmp_path: Path
) -> None:
    run(session, ImportKind.ORDERS, write(tmp_path, [order_row()]))

    changed = write(tmp_path, [order_row(total="40.00")])
    report = run(session, ImportKind.ORDERS, changed)

    assert errors(report) == [
        "line 2: imported before with other values (totals): "
        "the store keeps the first import"
    ]
    assert get_order(session, "204233").total == Decimal("38.70")


def test_semicolons_a_bom_and_decimal_commas_from_french_excel_work(
    session: Session, catalogue: None, tmp_path: Path
) -> None:
    rows = [order_row(subtotal="33,80", shipping_fee="4,9", total="38,70")]
    path = write(tmp_path, rows, delimiter=";", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbforder_number;")

    report = run(session, ImportKind.ORDERS, path)

    assert (report.delimiter, report.imported_rows, report.errors) == (";", 1, ())
    order = get_order(session, "204233")
    assert (order.total, order.lines[0].unit_price) == (
        Decimal("38.70"),
        Decimal("16.90"),
    )


def test_dry_run_reports_what_would_happen_and_changes_nothing(
    session: Session, catalogue: None, tmp_path: Path
) -> None:
    rows = [order_row("200001"), order_row("200002", sku="NOPE-1")]
    before = [count(session, m) for m in (Order, InboundEvent, AuditEntry)]

    report = run(session, ImportKind.ORDERS, write(tmp_path, rows), dry_run=True)

    assert report.dry_run
    assert (report.imported_rows, report.rejected_rows) == (1, 1)
    assert [count(session, m) for m in (Order, InboundEvent, AuditEntry)] == before


def test_rows_for_an_unknown_order_are_rejected_with_a_clear_reason(
    session: Session, tmp_path: Path
) -> None:
    rows = [
        {
            "order_number": "000999",
            "carrier": "colissimo",
            "tracking_number": "6A999",
            "shipped_at": "2025-03-03T08:00:00+01:00",
        }
    ]

    report = run(session, ImportKind.SHIPMENTS, write(tmp_path, rows))

    assert errors(report) == [
        "line 2: order_number: no order 000999 in the store: "
        "import the orders file first"
    ]


def test_a_delivery_for_a_cancelled_order_is_refused_as_the_api_refuses_it(
    session: Session, tmp_path: Path
) -> None:
    order = make_detailed_order(
        session,
        customer=make_customer(session),
        number="104233",
        status=OrderStatus.CANCELLED,
    )
    make_parcel(session, order=order, tracking_number="6A104233")
    at = "2026-11-04T12:00:00+01:00"
    rows = [{"type": "delivered", "order_number": "104233", "at": at}]

    report = run(session, ImportKind.EVENTS, write(tmp_path, rows))

    with pytest.raises(EventRefused) as api:
        body = {"type": "delivered", "id": "live-1", "occurred_at": at, "at": at}
        apply_event(session, event=parse_event(json.dumps(body | rows[0])), now=NOW)
    assert errors(report) == [f"line 2: {api.value}"]
    assert str(api.value) == "order 104233 was cancelled: it was not delivered"
    assert get_order(session, "104233").status is OrderStatus.CANCELLED


def test_imported_scans_move_the_order_as_the_live_feed_would(
    session: Session, tmp_path: Path
) -> None:
    customer = make_customer(session)
    imported, live = (
        make_detailed_order(
            session, customer=customer, number=n, status=OrderStatus.SHIPPED
        )
        for n in ("104233", "104234")
    )
    make_parcel(session, order=imported, tracking_number="6A104233")
    make_parcel(session, order=live, tracking_number="6A104234")
    scans = [
        ("in_transit", "2026-11-03T08:00:00+01:00"),
        ("delivered", "2026-11-04T12:00:00+01:00"),
        ("at_hub", "2026-11-03T20:00:00+01:00"),  # late to arrive: history only
    ]
    rows = [
        {"tracking_number": "6A104233", "code": c, "location": "Lyon", "at": at}
        for c, at in scans
    ]

    report = run(session, ImportKind.EVENTS, write(tmp_path, rows))
    for i, (code, at) in enumerate(scans):
        body = {"type": "tracking_event", "id": f"live-{i}", "occurred_at": at}
        fields = {"tracking_number": "6A104234", "code": code, "at": at}
        fields |= {"location": "Lyon", "description": code.replace("_", " ")}
        apply_event(session, event=parse_event(json.dumps(body | fields)), now=NOW)

    assert report.imported_rows == 3
    one, other = get_order(session, "104233"), get_order(session, "104234")
    assert one.status is other.status is OrderStatus.DELIVERED
    assert one.shipments[0].delivered_at == other.shipments[0].delivered_at
    assert [e.code for e in one.shipments[0].events] == [
        e.code for e in other.shipments[0].events
    ]


def test_imported_events_are_dated_when_they_happened_not_news_for_delay_notices(
    session: Session, catalogue: None
) -> None:
    import_samples(session)

    received = session.scalar(
        select(InboundEvent.received_at).where(
            InboundEvent.event_id == "import:order:000101"
        )
    )
    assert received == datetime(2025, 3, 2, 8, 30, tzinfo=UTC)
    assert late_orders_since(session, NOW - timedelta(days=30)) == []


def test_an_order_with_one_bad_line_is_rejected_whole(
    session: Session, catalogue: None, tmp_path: Path
) -> None:
    rows = [
        order_row("200001"),
        order_row("200001", sku="KIT-005", unit_price="-1"),
        order_row("200001", sku="KIT-006", total="99.00"),
    ]

    report = run(session, ImportKind.ORDERS, write(tmp_path, rows))

    assert errors(report) == [
        "line 2: not imported with order 200001: see line 3",
        'line 3: unit_price: must not be negative ("-1")',
        'line 4: total: differs from line 2 ("38.70")',
    ]
    assert report.rejected_rows == 3
    assert count(session, Order) == 0


def test_later_rows_may_leave_the_order_fields_blank_as_shopify_writes_them(
    session: Session, catalogue: None, tmp_path: Path
) -> None:
    rows = [
        order_row("200001"),
        {"order_number": "#200001", "sku": "KIT-005", "quantity": "1"}
        | {"unit_price": "12.90"},
    ]

    report = run(session, ImportKind.ORDERS, write(tmp_path, rows, header=ORDER_HEADER))

    assert (report.records, report.imported_rows) == (1, 2)
    assert len(get_order(session, "200001").lines) == 2


def test_the_rows_of_one_order_must_follow_each_other(
    session: Session, catalogue: None, tmp_path: Path
) -> None:
    rows = [order_row("200001"), order_row("200002"), order_row("200001")]

    report = run(session, ImportKind.ORDERS, write(tmp_path, rows))

    assert errors(report) == [
        "line 4: order_number: order 200001 started on line 2: "
        "the rows of one order must follow each other"
    ]
    assert report.imported_rows == 2


def test_small_batches_import_the_same_rows_around_a_bad_one(
    session: Session, catalogue: None, tmp_path: Path
) -> None:
    rows = [order_row(f"20000{i}") for i in range(1, 8)]
    rows[3] = order_row("200004", promised_date="soon")

    report = run(session, ImportKind.ORDERS, write(tmp_path, rows), batch_rows=2)

    assert (report.imported_rows, report.rejected_rows) == (6, 1)
    assert errors(report) == [
        'line 5: promised_date: not a date such as 2026-11-05 ("soon")'
    ]


def test_scans_refunds_and_returns_name_what_the_store_lacks(
    session: Session, tmp_path: Path
) -> None:
    rows = [
        {"code": "in_transit", "tracking_number": "NOPE", "location": "Lyon"},
        {"type": "return_received", "rma_number": "RMA-404"},
        {"type": "refund_issued"},
        {"type": "order_placed", "order_number": "104233"},
        {"code": "teleported", "tracking_number": "6A1", "location": "Lyon"},
    ]
    for row in rows:
        row["at"] = "2026-11-04T12:00:00Z"

    report = run(session, ImportKind.EVENTS, write(tmp_path, rows, header=EVENT_HEADER))

    assert errors(report) == [
        "line 2: tracking_number: no parcel NOPE in the store: "
        "import the shipments file first",
        "line 3: rma_number: no return RMA-404 in the store",
        "line 4: amount: missing",
        "line 5: type: order_placed events are imported from their own file",
        'line 6: code: unknown value ("teleported"): one of label_created, '
        "picked_up, in_transit, at_hub, out_for_delivery, delivered, "
        "delivery_failed, delayed, lost, at_relay_point, returned_to_sender",
    ]


def test_a_goodwill_refund_by_order_number_is_recorded(
    session: Session, tmp_path: Path
) -> None:
    make_detailed_order(
        session,
        customer=make_customer(session),
        number="104233",
        status=OrderStatus.DELIVERED,
    )
    rows = [{"type": "refund_issued", "order_number": "104233", "amount": "5,00"}]
    rows[0]["at"] = "2026-11-04T12:00:00+01:00"

    report = run(session, ImportKind.EVENTS, write(tmp_path, rows))

    assert (report.imported_rows, report.errors) == (1, ())
    payload = session.scalar(
        select(InboundEvent.result).where(InboundEvent.event_id.like("import:refund:%"))
    )
    assert payload is not None and payload["outcome"] == "refund_recorded"


def test_a_missing_column_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    row = order_row()
    del row["total"], row["sku"]
    path = write(tmp_path, [row], delimiter=";")

    with pytest.raises(InvalidInput) as refused:
        open_import(ImportKind.ORDERS, path)

    assert str(refused.value).startswith(
        'the header lacks the column(s) sku, total (delimiter ";"; it has: '
    )


def test_a_file_that_is_not_utf8_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path, [order_row(first_name="Léa")], encoding="cp1252")

    with pytest.raises(InvalidInput) as refused:
        open_import(ImportKind.ORDERS, path)

    assert 'not UTF-8 text (line 2): save it as "CSV UTF-8"' in str(refused.value)


def test_headers_are_read_whatever_their_case_and_unknown_columns_reported(
    tmp_path: Path,
) -> None:
    row = {name.replace("_", " ").title(): v for name, v in order_row().items()}
    path = write(tmp_path, [row | {"Lineitem Fulfillment Status": "fulfilled"}])

    source = open_import(ImportKind.ORDERS, path)

    assert source.ignored == ("lineitem_fulfillment_status",)
    assert source.total_rows == 1


def test_the_errors_file_once_fixed_imports_as_it_is(
    session: Session, catalogue: None, tmp_path: Path
) -> None:
    rows = [order_row("200001"), order_row("200002", total="12,5O")]
    path = write(tmp_path, rows, delimiter=";", encoding="utf-8-sig")
    report = run(session, ImportKind.ORDERS, path)
    rejected = tmp_path / "rejected.csv"

    source = open_import(ImportKind.ORDERS, path)
    reasons = {e.line: f"{e.field}: {e.reason}" for e in report.errors}
    assert write_rejected(source, rejected, reasons) == 1
    text = rejected.read_text(encoding="utf-8-sig")
    assert text.splitlines()[1].startswith(
        '3;"total: not a number (""12,5O"")";200002;'
    )

    rejected.write_text(text.replace("12,5O", "38.70"), encoding="utf-8-sig")
    again = run(session, ImportKind.ORDERS, rejected)
    assert (again.imported_rows, again.errors) == (1, ())
    assert get_order(session, "200002").total == Decimal("38.70")


def test_a_scan_given_twice_in_one_file_is_applied_once(
    session: Session, tmp_path: Path
) -> None:
    order = make_detailed_order(
        session,
        customer=make_customer(session),
        number="104233",
        status=OrderStatus.SHIPPED,
    )
    make_parcel(session, order=order, tracking_number="6A104233")
    scan = {"tracking_number": "6A104233", "code": "in_transit", "location": "Lyon"}
    scan["at"] = "2026-11-03T08:00:00+01:00"
    moved = scan | {"location": "Paris"}

    report = run(session, ImportKind.EVENTS, write(tmp_path, [scan, scan, moved]))

    assert (report.imported_rows, report.already_rows) == (1, 1)
    assert errors(report) == [
        "line 4: imported before with other values (location): "
        "the store keeps the first import"
    ]
    assert len(get_order(session, "104233").shipments[0].events) == 1
