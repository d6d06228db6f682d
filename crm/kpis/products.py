"""Product KPIs of the ops dashboard: return rate and stock-out rate.

Both read the daily rollups (`crm.kpis.rollup_models`: a product's
units and lines per day), each in one statement whose CTE finds the
range's days once for the total, the weeks and the ranking; only the top
products (a handful of rows) reach Python, plus their names in a second,
tiny query.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    Float,
    Integer,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import CompoundSelect

from crm.catalog.models import Product
from crm.kpis.counts import rate, weekly_rates
from crm.kpis.filters import DateRange, on_days
from crm.kpis.local_time import week_of
from crm.kpis.rollup_build import refresh_rollups
from crm.kpis.rollup_models import DailyProduct, DailyReturn
from crm.kpis.schemas import (
    ProductRate,
    ProductReturns,
    Rate,
    ReasonUnits,
    ReturnRates,
    StockOutRates,
)
from crm.returns.models import Return


def return_rate(
    session: Session,
    *,
    period: DateRange,
    top: int = 10,
    min_units: int = 20,
    top_reasons: int = 3,
) -> ReturnRates:
    """Units returned of units delivered, overall and for the most returned products.

    Definition: the units of the order lines of orders delivered in the
    range (denominator) and, of those same lines, the units in a return
    that was not cancelled or rejected, whenever it was opened (numerator).
    Counting returns by delivery cohort rather than "returns opened in the
    range / units delivered in the range" keeps numerator and denominator
    about the same parcels, so a product that sold a lot last month and
    little this month does not show a return rate above 100 %. The price:
    the last weeks of a range are not final until the return window (30
    days) has passed, so they read low at first.

    Products are ranked by return rate among those with at least
    `min_units` units delivered (below that one return swings the rate),
    with up to `top_reasons` reasons each, most units first. One statement:
    the cohort is found once for the total, the ranking and the reasons.
    """
    refresh_rollups(session)
    statement = _returns_statement(
        period, top=top, min_units=min_units, top_reasons=top_reasons
    )
    overall = Rate(numerator=0, denominator=0)
    products: list[tuple[int, int, Rate]] = []
    found: dict[int, list[tuple[int, ReasonUnits]]] = {}
    for grouping, product_id, reason, count, volume, position in session.execute(
        statement
    ):
        if grouping == 0:
            overall = rate(count, volume)
        elif grouping == 1:
            products.append((position, product_id, rate(count, volume)))
        else:
            found.setdefault(product_id, []).append(
                (position, ReasonUnits(reason=reason, units=int(count)))
            )
    names = _names(session, [product_id for _, product_id, _ in products])
    return ReturnRates(
        overall=overall,
        min_units=min_units,
        products=tuple(
            ProductReturns(
                **names[product_id],
                rate=share_of_product,
                reasons=tuple(units for _, units in sorted(found.get(product_id, []))),
            )
            for _, product_id, share_of_product in sorted(products)
        ),
    )


def _returns_statement(
    period: DateRange, *, top: int, min_units: int, top_reasons: int
) -> CompoundSelect[Any]:
    """Rows `(grouping, product id, reason, count, volume, position)`.

    Grouping 0: returned and delivered units of the whole cohort; 1: the
    top products with their rank; 2: their top reasons (units, rank).
    Read from the daily rollups of the cohort's delivery days.
    """
    returned = (
        select(DailyReturn.product_id, DailyReturn.reason, DailyReturn.units)
        .where(on_days(DailyReturn.day, period))
        .cte("returned_days")
    )
    sold = (
        select(
            DailyProduct.product_id,
            func.sum(DailyProduct.delivered_units).label("units"),
        )
        .where(on_days(DailyProduct.day, period), DailyProduct.delivered_units > 0)
        .group_by(DailyProduct.product_id)
        .subquery("sold")
    )
    back = (
        select(returned.c.product_id, func.sum(returned.c.units).label("units"))
        .group_by(returned.c.product_id)
        .subquery("back")
    )
    per_product = (
        select(
            sold.c.product_id,
            sold.c.units.label("delivered"),
            func.coalesce(back.c.units, 0).label("returned"),
        )
        .outerjoin(back, back.c.product_id == sold.c.product_id)
        .cte("per_product")
    )
    share = cast(per_product.c.returned, Float) / cast(per_product.c.delivered, Float)
    ranking = (
        select(
            per_product,
            func.row_number()
            .over(order_by=(share.desc(), per_product.c.returned.desc(), Product.sku))
            .label("position"),
        )
        .join(Product, Product.id == per_product.c.product_id)
        .where(per_product.c.delivered >= max(min_units, 1))
        .subquery("ranking")
    )
    ranked = select(ranking).where(ranking.c.position <= top).cte("top_products")
    per_reason = (
        select(
            returned.c.product_id,
            returned.c.reason,
            func.sum(returned.c.units).label("units"),
        )
        .where(returned.c.product_id.in_(select(ranked.c.product_id)))
        .group_by(returned.c.product_id, returned.c.reason)
        .subquery("per_reason")
    )
    reasons = select(
        per_reason,
        func.row_number()
        .over(
            partition_by=per_reason.c.product_id,
            order_by=(per_reason.c.units.desc(), per_reason.c.reason),
        )
        .label("position"),
    ).subquery("ranked_reasons")
    no_reason = cast(null(), Return.reason.type)
    nothing = cast(null(), Integer)
    return union_all(
        select(
            literal_column("0"),
            nothing,
            no_reason,
            func.sum(per_product.c.returned),
            func.sum(per_product.c.delivered),
            nothing,
        ),
        select(
            literal_column("1"),
            ranked.c.product_id,
            no_reason,
            ranked.c.returned,
            ranked.c.delivered,
            ranked.c.position,
        ),
        select(
            literal_column("2"),
            reasons.c.product_id,
            reasons.c.reason,
            reasons.c.units,
            nothing,
            reasons.c.position,
        ).where(reasons.c.position <= top_reasons),
    )


def _names(session: Session, product_ids: list[int]) -> dict[int, dict[str, str]]:
    """SKU and names of a few products (the ranked ones), by id."""
    rows = session.execute(
        select(Product.id, Product.sku, Product.name_fr, Product.name_en).where(
            Product.id.in_(product_ids)
        )
    )
    return {
        product_id: {"sku": sku, "name_fr": name_fr, "name_en": name_en}
        for product_id, sku, name_fr, name_en in rows
    }


def stock_out_rate(
    session: Session, *, period: DateRange, top: int = 10
) -> StockOutRates:
    """Order lines taken while the product was out of stock, of all lines.

    Lines of orders placed in the range (by Paris week of ordering),
    cancelled orders included: a stock-out is often why an order was
    cancelled. Lines, not units: one customer ordering ten of a missing
    item is one disappointed customer. Products are those with the most
    out-of-stock lines, then the highest rate.
    """
    refresh_rollups(session)
    placed = (
        select(
            week_of(DailyProduct.day).label("week"),
            DailyProduct.product_id,
            DailyProduct.missing_lines.label("missing"),
            DailyProduct.placed_lines.label("lines"),
        )
        .where(on_days(DailyProduct.day, period), DailyProduct.placed_lines > 0)
        .cte("placed_days")
    )
    missing, lines = func.sum(placed.c.missing), func.sum(placed.c.lines)
    share = cast(missing, Float) / cast(lines, Float)
    per_product = (
        select(
            placed.c.product_id,
            missing.label("missing"),
            lines.label("lines"),
            func.row_number()
            .over(order_by=(missing.desc(), share.desc(), Product.sku))
            .label("position"),
        )
        .join(Product, Product.id == placed.c.product_id)
        .group_by(placed.c.product_id, Product.sku)
        .having(missing > 0)
        .subquery("per_product")
    )
    week_type = placed.c.week.type
    nothing = cast(null(), Integer)
    statement = union_all(
        select(
            literal_column("0"),
            cast(null(), week_type),
            nothing,
            missing,
            lines,
            nothing,
        ),
        select(
            literal_column("1"), placed.c.week, nothing, missing, lines, nothing
        ).group_by(placed.c.week),
        select(
            literal_column("2"),
            cast(null(), week_type),
            per_product.c.product_id,
            per_product.c.missing,
            per_product.c.lines,
            per_product.c.position,
        ).where(per_product.c.position <= top),
    )
    overall = Rate(numerator=0, denominator=0)
    by_week: dict[date, Rate] = {}
    products: list[tuple[int, int, Rate]] = []
    for grouping, week, product_id, count, volume, position in session.execute(
        statement
    ):
        if grouping == 0:
            overall = rate(count, volume)
        elif grouping == 1:
            by_week[week] = rate(count, volume)
        else:
            products.append((position, product_id, rate(count, volume)))
    names = _names(session, [product_id for _, product_id, _ in products])
    return StockOutRates(
        overall=overall,
        weekly=weekly_rates(by_week, period),
        products=tuple(
            ProductRate(**names[product_id], rate=share_of_product)
            for _, product_id, share_of_product in sorted(products)
        ),
    )
