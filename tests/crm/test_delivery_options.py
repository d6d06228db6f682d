import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from crm.clock import SHOP_TZ
from crm.demo.carriers import (
    ABROAD_EXTRA_DAYS,
    FEE_CENTS,
    FREE_SHIPPING_FROM_CENTS,
    METHOD_WEIGHTS,
    PROMISE_DAYS,
)
from crm.demo.rows import shipping_fee_cents
from crm.demo.timeline import CUT_OFF_HOUR, Force, Simulator
from crm.errors import InvalidInput
from crm.orders.models import ShippingMethod
from crm.shipping.calendar import WorkingDays
from crm.shipping.models import Carrier
from crm.shipping.options import (
    DEFAULT_PATH,
    DeliveryConfigError,
    country_code,
    is_low_carbon_available,
    load_delivery_options,
    methods_for,
    promised_date,
    shipping_fee,
)

OPTIONS = load_delivery_options()


def test_shop_offers_four_methods_named_in_both_languages() -> None:
    assert [m.code for m in OPTIONS.methods] == list(ShippingMethod)
    for method in OPTIONS.methods:
        assert method.name_fr and method.name_en
        assert method.description_fr and method.description_en
    assert OPTIONS.method("relay").name_en == "Relay point"
    assert OPTIONS.relay_network.name == "Mondial Relay"
    assert OPTIONS.relay_network.carrier is Carrier.MONDIAL_RELAY
    assert [c.name_en for c in OPTIONS.countries] == [
        "France", "Belgium", "Switzerland", "United Kingdom"
    ]  # fmt: skip


def test_free_delivery_from_49_euros_except_express() -> None:
    assert OPTIONS.free_shipping_threshold == Decimal("49.00")
    assert OPTIONS.method("express").free_from is None
    assert shipping_fee(
        OPTIONS, ShippingMethod.HOME, subtotal=Decimal("49.00"), country="FR"
    ) == Decimal("0.00")
    assert shipping_fee(
        OPTIONS, ShippingMethod.HOME, subtotal=Decimal("48.99"), country="FR"
    ) == Decimal("4.90")
    assert shipping_fee(
        OPTIONS, ShippingMethod.EXPRESS, subtotal=Decimal("200"), country="BE"
    ) == Decimal("14.90")


def test_fees_agree_with_the_demo_generator() -> None:
    assert Decimal(FREE_SHIPPING_FROM_CENTS).scaleb(-2) == (
        OPTIONS.free_shipping_threshold
    )
    for method in ShippingMethod:
        for country in OPTIONS.method(method).countries:
            abroad = country != "FR"
            for subtotal in (1000, 4899, 4900, 12000):
                demo = Decimal(shipping_fee_cents(subtotal, method, abroad)).scaleb(-2)
                ours = shipping_fee(
                    OPTIONS,
                    method,
                    subtotal=Decimal(subtotal).scaleb(-2),
                    country=country,
                )
                assert ours == demo, (method, country, subtotal)
    for (abroad, method), cents in FEE_CENTS.items():
        price = OPTIONS.method(method).price_for("BE" if abroad else "FR")
        if method is ShippingMethod.EXPRESS or not abroad:
            assert price == Decimal(cents).scaleb(-2)


def test_countries_and_methods_agree_with_the_demo_generator() -> None:
    assert {c.code for c in OPTIONS.countries} == set(METHOD_WEIGHTS)
    for method in ShippingMethod:
        demo_countries = {c for c, (ms, _) in METHOD_WEIGHTS.items() if method in ms}
        assert set(OPTIONS.method(method).countries) == demo_countries, method
    assert OPTIONS.cutoff.hour == CUT_OFF_HOUR and OPTIONS.cutoff.minute == 0
    assert OPTIONS.abroad_extra_days == ABROAD_EXTRA_DAYS
    for method, days in PROMISE_DAYS.items():
        assert OPTIONS.method(method).days == days


def test_promised_dates_agree_with_the_demo_generator() -> None:
    # Every hour for three weeks around Easter and 1 May (holidays, weekends,
    # the cut-off), each method, in France and abroad, with and without stock.
    start = datetime(2026, 4, 1, 0, 30)  # noqa: DTZ001  (naive Paris time, as the generator)
    checked = 0
    for hours in range(0, 24 * 40, 5):
        placed = start + timedelta(hours=hours)
        simulator = Simulator(placed + timedelta(minutes=1), WorkingDays())
        for method in ShippingMethod:
            for abroad in (False, True):
                for stockout in (False, True):
                    fate = simulator.run(
                        random.Random(hours),
                        placed=placed,
                        method=method,
                        carrier=Carrier.COLISSIMO,
                        stockout=stockout,
                        abroad=abroad,
                        returnable=False,
                        force=Force(cancel=False),
                    )
                    ours = promised_date(
                        OPTIONS,
                        method,
                        placed_at=placed.replace(tzinfo=SHOP_TZ),
                        country="GB" if abroad else "FR",
                        stockout=stockout,
                    )
                    assert ours == fate.promised, (placed, method, abroad, stockout)
                    checked += 1
    assert checked > 3000


def test_home_delivery_ordered_friday_evening_is_promised_for_thursday() -> None:
    friday_evening = datetime(2026, 11, 6, 18, 0, tzinfo=SHOP_TZ)
    promised = promised_date(
        OPTIONS,
        ShippingMethod.HOME,
        placed_at=friday_evening,
        country="FR",
        stockout=False,
    )
    # Prepared Monday 9; Wednesday 11 November is a holiday.
    assert promised == date(2026, 11, 13)


@pytest.mark.parametrize(
    "city", ["Lyon", "lyon", "Lyon 3e", "PARIS 11", "Villeurbanne", " bordeaux "]
)
def test_bike_courier_serves_listed_cities_however_written(city: str) -> None:
    assert is_low_carbon_available(OPTIONS, city)


@pytest.mark.parametrize("city", ["Brest", "Lyonnais", "", "Paris-Plage"])
def test_bike_courier_does_not_serve_other_cities(city: str) -> None:
    assert not is_low_carbon_available(OPTIONS, city)


def test_methods_offered_depend_on_country_and_city() -> None:
    assert [m.code for m in methods_for(OPTIONS, "FR", "Brest")] == [
        ShippingMethod.HOME, ShippingMethod.EXPRESS, ShippingMethod.RELAY
    ]  # fmt: skip
    assert ShippingMethod.LOW_CARBON in {m.code for m in methods_for(OPTIONS, "fr")}
    assert [m.code for m in methods_for(OPTIONS, "CH")] == [
        ShippingMethod.HOME, ShippingMethod.EXPRESS
    ]  # fmt: skip
    with pytest.raises(InvalidInput, match="not offered"):
        shipping_fee(
            OPTIONS, ShippingMethod.RELAY, subtotal=Decimal("10"), country="GB"
        )


def test_countries_are_recognised_by_code_or_name() -> None:
    assert country_code(OPTIONS, "be") == "BE"
    assert country_code(OPTIONS, "Royaume-Uni") == "GB"
    assert country_code(OPTIONS, "switzerland") == "CH"
    assert country_code(OPTIONS, "Germany") is None


def test_options_are_read_once() -> None:
    assert load_delivery_options() is load_delivery_options(DEFAULT_PATH)


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "delivery_options.yml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_wrong_price_names_the_file_and_the_field(tmp_path: Path) -> None:
    path = _broken(tmp_path, 'price_france: "4.90"', 'price_france: "cheap"')
    with pytest.raises(DeliveryConfigError) as error:
        load_delivery_options(path)
    assert str(path) in str(error.value)
    assert "methods.0.price_france" in str(error.value)


def test_unquoted_cut_off_is_refused_not_misread(tmp_path: Path) -> None:
    path = _broken(tmp_path, 'cutoff: "14:00"', "cutoff: 14:00")
    with pytest.raises(DeliveryConfigError, match="cutoff: write the time in quotes"):
        load_delivery_options(path)


def test_method_in_an_unlisted_country_is_refused(tmp_path: Path) -> None:
    path = _broken(tmp_path, "countries: [FR, BE]", "countries: [FR, DE]")
    with pytest.raises(DeliveryConfigError, match="DE is not in countries"):
        load_delivery_options(path)


def test_missing_method_is_refused(tmp_path: Path) -> None:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    path = tmp_path / "delivery_options.yml"
    path.write_text(text.split("  - code: low_carbon")[0], encoding="utf-8")
    with pytest.raises(DeliveryConfigError, match="methods: list each method"):
        load_delivery_options(path)


def test_missing_file_and_bad_yaml_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yml"
    with pytest.raises(DeliveryConfigError, match=r"nowhere\.yml: cannot be read"):
        load_delivery_options(missing)
    bad = tmp_path / "bad.yml"
    bad.write_text("methods: [unclosed", encoding="utf-8")
    with pytest.raises(DeliveryConfigError, match=r"bad\.yml: not valid YAML"):
        load_delivery_options(bad)
