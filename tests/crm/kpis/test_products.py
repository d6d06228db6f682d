from datetime import date

from sqlalchemy.orm import Session

from crm.catalog.models import Product
from crm.kpis.filters import DateRange
from crm.kpis.products import return_rate, stock_out_rate
from crm.kpis.schemas import Rate, ReasonUnits
from crm.returns.models import ReturnReason, ReturnStatus
from tests.crm.kpis.fixtures import (
    NOVEMBER,
    WEEK_1,
    WEEK_2,
    customer,
    give_back,
    order,
    parcel,
    product,
    utc,
)


def three_products(session: Session) -> tuple[Product, Product, Product]:
    return (
        product(session, sku="PAN"),
        product(session, sku="CUP"),
        product(session, sku="RARE"),
    )


def returned_goods(session: Session) -> None:
    """13 units delivered in range (PAN 10, CUP 2, RARE 1), 4 sent back.

    PAN: 1 damaged + 2 changed mind (a request not received yet counts);
    CUP: 1 in a cancelled return and 1 in a rejected one (neither counts);
    RARE: 1 faulty. An order delivered after the range and one never
    delivered, both with returns or units, are left out.
    """
    pan, cup, rare = three_products(session)
    buyer = customer(session)
    first = order(
        session,
        buyer=buyer,
        number="400001",
        placed_at=utc(2, 9),
        lines=((pan, 4, True), (cup, 2, True)),
    )
    second = order(
        session,
        buyer=buyer,
        number="400002",
        placed_at=utc(8, 9),
        lines=((pan, 6, True), (rare, 1, True)),
    )
    after = order(
        session,
        buyer=buyer,
        number="400003",
        placed_at=utc(16, 9),
        lines=((cup, 5, True),),
    )
    order(
        session,
        buyer=buyer,
        number="400004",
        placed_at=utc(9, 9),
        lines=((cup, 3, True),),
    )
    parcel(session, of=first, tracking="R1", delivered_at=utc(4, 9))
    parcel(session, of=second, tracking="R2", delivered_at=utc(15, 22, 59))
    parcel(session, of=after, tracking="R3", delivered_at=utc(15, 23, 0))
    give_back(
        session, of=first, rma="RMA-1", units={pan.id: 1}, reason=ReturnReason.DAMAGED
    )
    give_back(
        session,
        of=first,
        rma="RMA-2",
        units={cup.id: 1},
        status=ReturnStatus.CANCELLED,
    )
    give_back(
        session,
        of=first,
        rma="RMA-3",
        units={cup.id: 1},
        status=ReturnStatus.REJECTED,
    )
    give_back(
        session,
        of=second,
        rma="RMA-4",
        units={pan.id: 2},
        status=ReturnStatus.REQUESTED,
    )
    give_back(
        session, of=second, rma="RMA-5", units={rare.id: 1}, reason=ReturnReason.FAULTY
    )
    give_back(session, of=after, rma="RMA-6", units={cup.id: 5})


def test_return_rate_is_units_returned_of_units_delivered_in_range(
    session: Session,
) -> None:
    returned_goods(session)

    result = return_rate(session, period=NOVEMBER)

    assert result.overall == Rate(numerator=4, denominator=13)


def test_products_below_the_minimum_volume_are_not_ranked(session: Session) -> None:
    returned_goods(session)

    result = return_rate(session, period=NOVEMBER, min_units=2)

    assert [(p.sku, p.rate.numerator, p.rate.denominator) for p in result.products] == [
        ("PAN", 3, 10),
        ("CUP", 0, 2),
    ]
    assert result.min_units == 2


def test_products_are_ranked_by_return_rate_with_their_top_reasons(
    session: Session,
) -> None:
    returned_goods(session)

    result = return_rate(session, period=NOVEMBER, min_units=1, top=2)

    assert [p.sku for p in result.products] == ["RARE", "PAN"]
    assert result.products[0].reasons == (
        ReasonUnits(reason=ReturnReason.FAULTY, units=1),
    )
    assert result.products[1].reasons == (
        ReasonUnits(reason=ReturnReason.CHANGED_MIND, units=2),
        ReasonUnits(reason=ReturnReason.DAMAGED, units=1),
    )


def test_top_reasons_keep_only_the_most_frequent(session: Session) -> None:
    returned_goods(session)

    result = return_rate(session, period=NOVEMBER, min_units=5, top_reasons=1)

    (pan,) = result.products
    assert pan.reasons == (ReasonUnits(reason=ReturnReason.CHANGED_MIND, units=2),)


def test_return_rate_is_none_when_nothing_was_delivered(session: Session) -> None:
    returned_goods(session)
    quiet = DateRange(start=date(2026, 12, 1), end=date(2026, 12, 31))

    result = return_rate(session, period=quiet)

    assert result.overall == Rate(numerator=0, denominator=0)
    assert result.overall.value is None
    assert result.products == ()


def stock_outs(session: Session) -> None:
    """5 lines ordered in range (Paris days), 3 of them out of stock."""
    pan, cup, rare = three_products(session)
    buyer = customer(session)
    # 1 Nov 23:30 UTC is 2 Nov 00:30 in Paris: in the range.
    order(
        session,
        buyer=buyer,
        number="500001",
        placed_at=utc(1, 23, 30),
        lines=((cup, 1, False),),
    )
    order(
        session,
        buyer=buyer,
        number="500002",
        placed_at=utc(3, 9),
        lines=((pan, 3, True), (cup, 1, False)),
    )
    order(
        session,
        buyer=buyer,
        number="500003",
        placed_at=utc(10, 9),
        lines=((pan, 1, False), (rare, 2, True)),
    )
    # 1 Nov 22:30 UTC is still 1 Nov in Paris: before the range.
    order(
        session,
        buyer=buyer,
        number="500004",
        placed_at=utc(1, 22, 30),
        lines=((pan, 1, False),),
    )


def test_stock_out_rate_counts_lines_of_orders_placed_in_paris_range(
    session: Session,
) -> None:
    stock_outs(session)

    result = stock_out_rate(session, period=NOVEMBER)

    assert result.overall == Rate(numerator=3, denominator=5)
    assert [(w.week, w.rate.numerator, w.rate.denominator) for w in result.weekly] == [
        (WEEK_1, 2, 3),
        (WEEK_2, 1, 2),
    ]


def test_stock_out_products_are_those_most_often_missing(session: Session) -> None:
    stock_outs(session)

    result = stock_out_rate(session, period=NOVEMBER)

    assert [(p.sku, p.rate.numerator, p.rate.denominator) for p in result.products] == [
        ("CUP", 2, 2),
        ("PAN", 1, 2),
    ]


def test_stock_out_rate_is_none_without_orders(session: Session) -> None:
    quiet = DateRange(start=date(2026, 12, 1), end=date(2026, 12, 31))

    result = stock_out_rate(session, period=quiet)

    assert result.overall.value is None
    assert len(result.weekly) == 5
    assert result.products == ()
