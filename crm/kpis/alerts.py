"""Ops alerts: late carriers and départements, products suddenly short or sent back.

The dashboard shows these above the charts so that a problem is seen the
week it starts, not at the monthly review. Thresholds live in
`config/ops_alerts.yml` (the ops team tunes them without a release).
Each check is one GROUP BY over the daily rollups of the recent window
and the usual period before it, side by side (CASE sums), so the
database reads the days once.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from crm.catalog.models import Product
from crm.config_files import load_yaml_model
from crm.kpis.filters import DateRange
from crm.kpis.rollup_build import refresh_rollups
from crm.kpis.rollup_models import DailyDelivery, DailyProduct
from crm.settings import PROJECT_ROOT

DEFAULT_PATH = PROJECT_ROOT / "config" / "ops_alerts.yml"

AlertKind = Literal[
    "carrier_on_time", "region_on_time", "product_stock_out", "product_returns"
]


class OpsAlertsConfigError(ValueError):
    """`config/ops_alerts.yml` is missing or wrong; the message names the field."""


class OnTimeThresholds(BaseModel):
    """Below `min_rate` on at least `min_deliveries` deliveries: an alert."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_rate: float = Field(default=0.85, gt=0, le=1)
    min_deliveries: int = Field(default=20, ge=1)


class JumpThresholds(BaseModel):
    """A rate at `min_ratio` times its usual level, on enough volume: an alert."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_ratio: float = Field(default=2.0, gt=1)
    min_volume: int = Field(default=20, ge=1)
    min_events: int = Field(default=3, ge=1)
    usual_floor: float = Field(default=0.01, ge=0, lt=1)


class OpsAlertsConfig(BaseModel):
    """The whole `config/ops_alerts.yml`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    window_days: int = Field(default=7, ge=1, le=31)
    usual_weeks: int = Field(default=8, ge=1, le=52)
    on_time: OnTimeThresholds = OnTimeThresholds()
    stock_out: JumpThresholds = JumpThresholds()
    returns: JumpThresholds = JumpThresholds()


class OpsAlert(BaseModel):
    """One alert: what, about whom, now versus usually, and on how much.

    `current` is the window's rate (`count` out of `volume`), `usual` the
    same over the usual period before it (None: nothing to compare with).
    `threshold` is the rate `current` crossed: the minimum on-time rate,
    or for a jump the usual level (floored) times the ratio. `names` gives
    a product's name per language (the page's language picks one).
    """

    model_config = ConfigDict(frozen=True)

    kind: AlertKind
    subject: str
    label: str
    current: float
    usual: float | None
    threshold: float
    count: int
    volume: int
    usual_count: int
    usual_volume: int
    names: dict[str, str] = Field(default_factory=dict)


def load_ops_alerts(path: Path | None = None) -> OpsAlertsConfig:
    """Read and check the alert thresholds (cached per file; restart to apply).

    Raises:
        OpsAlertsConfigError: the file is missing, not YAML, or a field is
            wrong; the message names the file and the field.
    """
    return _load(path or DEFAULT_PATH)


@lru_cache(maxsize=4)
def _load(path: Path) -> OpsAlertsConfig:
    return load_yaml_model(path, OpsAlertsConfig, OpsAlertsConfigError)


def _periods(today: date, config: OpsAlertsConfig) -> tuple[DateRange, DateRange]:
    """The recent window ending today, and the usual weeks just before it."""
    window = DateRange(start=today - timedelta(days=config.window_days - 1), end=today)
    usual_end = window.start - timedelta(days=1)
    usual = DateRange(
        start=usual_end - timedelta(days=7 * config.usual_weeks - 1), end=usual_end
    )
    return window, usual


def _share(count: int, volume: int) -> float | None:
    return count / volume if volume else None


def _exact(setting: float) -> Fraction:
    """A threshold as written in the file (0.85 is 17/20, not 0.84999...)."""
    return Fraction(str(setting))


def ops_alerts(
    session: Session, *, today: date, config: OpsAlertsConfig | None = None
) -> list[OpsAlert]:
    """Every alert standing today: late deliveries first, then product jumps."""
    config = config or load_ops_alerts()
    return [
        *on_time_alerts(session, today=today, config=config),
        *product_alerts(session, today=today, config=config),
    ]


def on_time_alerts(
    session: Session, *, today: date, config: OpsAlertsConfig | None = None
) -> list[OpsAlert]:
    """Carriers and départements delivering late too often over the last days.

    On time means delivered (Paris day of the parcel that brought the
    order) on or before the day promised to the customer, as the on-time
    tile counts it. A département is the first two digits of a French
    delivery postcode (Corsica is "20", overseas "97"); foreign addresses
    have none. Worst rate first within each kind.

    One GROUP BY carrier and département over the daily rollups (at most
    a few hundred groups) serves both kinds; the groups are added up per
    carrier and per département here.
    """
    config = config or load_ops_alerts()
    window, usual = _periods(today, config)
    refresh_rollups(session)
    recent = DailyDelivery.day >= window.start
    rows = session.execute(
        select(
            DailyDelivery.carrier,
            DailyDelivery.region,
            _sum_if(recent, DailyDelivery.on_time),
            _sum_if(recent, DailyDelivery.deliveries),
            _sum_if(~recent, DailyDelivery.on_time),
            _sum_if(~recent, DailyDelivery.deliveries),
        )
        .where(DailyDelivery.day >= usual.start, DailyDelivery.day <= window.end)
        .group_by(DailyDelivery.carrier, DailyDelivery.region)
    ).all()
    carriers: dict[str, _Counts] = {}
    regions: dict[str, _Counts] = {}
    for carrier, dept, *counts in rows:
        _add(carriers, carrier.value, counts)
        if dept:
            _add(regions, dept, counts)
    return [
        *_late(carriers, "carrier_on_time", config.on_time),
        *_late(regions, "region_on_time", config.on_time),
    ]


# A subject's figures over both periods: (count, volume, usual_count, usual_volume).
_Counts = tuple[int, int, int, int]


def _add(totals: dict[str, _Counts], key: str, counts: list[int]) -> None:
    before = totals.get(key, (0, 0, 0, 0))
    totals[key] = (
        before[0] + int(counts[0]),
        before[1] + int(counts[1]),
        before[2] + int(counts[2]),
        before[3] + int(counts[3]),
    )


def _late(
    totals: dict[str, _Counts], kind: AlertKind, thresholds: OnTimeThresholds
) -> list[OpsAlert]:
    """The subjects under the on-time rate on enough deliveries, worst first."""
    alerts = []
    for name, (count, volume, usual_count, usual_volume) in totals.items():
        if volume < thresholds.min_deliveries:
            continue
        if Fraction(count, volume) >= _exact(thresholds.min_rate):
            continue
        alerts.append(
            OpsAlert(
                kind=kind,
                subject=name,
                label=f"département {name}" if kind == "region_on_time" else name,
                current=count / volume,
                usual=_share(usual_count, usual_volume),
                threshold=thresholds.min_rate,
                count=count,
                volume=volume,
                usual_count=usual_count,
                usual_volume=usual_volume,
            )
        )
    return sorted(alerts, key=lambda a: (a.current, a.subject))


def product_alerts(
    session: Session, *, today: date, config: OpsAlertsConfig | None = None
) -> list[OpsAlert]:
    """Products whose stock-out or return rate jumped against their usual level.

    Stock-out rate: order lines placed while the product was out of stock,
    per order line. Return rate: units in returns opened in the window
    (cancelled returns aside) per unit sold in the window (cancelled
    orders aside). Both periods read in one pass each; biggest jump first.
    """
    config = config or load_ops_alerts()
    window, usual = _periods(today, config)
    refresh_rollups(session)
    counts = _product_counts(session, window=window, usual=usual)
    stock_outs = {
        product: (out, lines, out_before, lines_before)
        for product, (
            out,
            lines,
            _,
            _,
            out_before,
            lines_before,
            _,
            _,
        ) in counts.items()
        if lines or lines_before
    }
    returns = {
        product: (back, sold, back_before, sold_before)
        for product, (
            _,
            _,
            sold,
            back,
            _,
            _,
            sold_before,
            back_before,
        ) in counts.items()
        if back or back_before
    }
    found = [
        *_jumps(stock_outs, "product_stock_out", config.stock_out),
        *_jumps(returns, "product_returns", config.returns),
    ]
    if not found:
        return []
    names = {
        product: (sku, {"fr": name_fr, "en": name_en})
        for product, sku, name_fr, name_en in session.execute(
            select(Product.id, Product.sku, Product.name_fr, Product.name_en).where(
                Product.id.in_({product for product, _ in found})
            )
        )
    }
    return [
        alert.model_copy(
            update={
                "subject": names[product][0],
                "label": names[product][1]["en"],
                "names": names[product][1],
            }
        )
        for product, alert in found
    ]


def _jumps(
    counts: dict[int, _Counts], kind: AlertKind, thresholds: JumpThresholds
) -> list[tuple[int, OpsAlert]]:
    """The products whose rate jumped, biggest jump first (named by the caller).

    Without `min_volume` in the usual period there is no usual level to
    jump from (a new product): no alert, rather than one on noise.
    """
    found = []
    for product, (count, volume, usual_count, usual_volume) in counts.items():
        if (
            volume < thresholds.min_volume
            or count < thresholds.min_events
            or usual_volume < thresholds.min_volume
        ):
            continue
        usual = Fraction(usual_count, usual_volume)
        threshold = max(usual, _exact(thresholds.usual_floor)) * _exact(
            thresholds.min_ratio
        )
        current = Fraction(count, volume)
        if current < threshold:
            continue
        alert = OpsAlert(
            kind=kind,
            subject=str(product),
            label=str(product),
            current=float(current),
            usual=float(usual),
            threshold=float(threshold),
            count=count,
            volume=volume,
            usual_count=usual_count,
            usual_volume=usual_volume,
        )
        found.append((current / threshold, product, alert))
    found.sort(key=lambda item: (-item[0], item[1]))
    return [(product, alert) for _, product, alert in found]


def _product_counts(
    session: Session, *, window: DateRange, usual: DateRange
) -> dict[int, tuple[int, ...]]:
    """Per product, now then usually: out-of-stock lines, lines, units sold, returned.

    Units sold leave cancelled orders aside; units returned are those of
    returns opened in the period, cancelled returns aside.
    """
    recent = DailyProduct.day >= window.start
    figures = (
        DailyProduct.missing_lines,
        DailyProduct.placed_lines,
        DailyProduct.sold_units,
        DailyProduct.opened_units,
    )
    rows = session.execute(
        select(
            DailyProduct.product_id,
            *(_sum_if(recent, figure) for figure in figures),
            *(_sum_if(~recent, figure) for figure in figures),
        )
        .where(DailyProduct.day >= usual.start, DailyProduct.day <= window.end)
        .group_by(DailyProduct.product_id)
    )
    return {product: tuple(int(n) for n in counts) for product, *counts in rows}


def _sum_if(condition: ColumnElement[bool], value: Any) -> ColumnElement[int]:
    """The sum of `value` over the rows meeting `condition` (0, never NULL)."""
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)
