"""bench/chat_load.py's scenarios with tiny numbers on the test bot and hub.

No timing assertions: the point is that both paths are measured and that a
scripted customer gets the answers the benchmark expects, so a benchmark
run is never spoilt by a script that went off track.
"""

from __future__ import annotations

import asyncio

import pytest

from bench.chat_paths import HubPath, Tally, scripts_for
from bench.chat_scenarios import load_both, long_session, quick_pairs
from crm.demo.schemas import DemoAccount
from crm.orders.models import OrderStatus


def test_two_customers_are_measured_through_the_hub_and_straight_to_rasa(
    hub_server: str, rasa_server: str, demo_accounts: list[DemoAccount]
) -> None:
    scripts = scripts_for(demo_accounts, 2)
    tallies = asyncio.run(load_both(hub_server, rasa_server, scripts, max_turns=3))

    assert {name: t.error_samples for name, t in tallies.items()} == {
        "hub": [],
        "direct": [],
    }
    assert {name: len(t.latencies) for name, t in tallies.items()} == {
        "hub": 6,
        "direct": 6,
    }
    summary = tallies["hub"].summary()
    assert summary["turns"] == 6
    assert summary["p95_ms"] is not None


def test_quick_pair_and_long_session_run_without_errors(
    hub_server: str, rasa_server: str, demo_accounts: list[DemoAccount]
) -> None:
    scripts = scripts_for(demo_accounts, 2)

    async def scenario() -> tuple[dict[str, dict[str, object]], dict[str, object]]:
        pairs = await quick_pairs(
            hub_server, rasa_server, scripts, hub_pairs=1, direct_pairs=0
        )
        long = await long_session(HubPath(hub_server), scripts, turns=4, repeats=1)
        return pairs, long

    pairs, long = asyncio.run(scenario())

    assert pairs["hub"]["errors"] == 0
    assert pairs["hub"]["turns"] == 1
    assert long["errors"] == 0
    assert long["turns"] == 4
    assert "turn_1_ms" in long


def test_scripts_use_distinct_orders_both_languages_and_no_lost_parcel(
    demo_accounts: list[DemoAccount],
) -> None:
    scripts = scripts_for(demo_accounts, 12)

    assert len({s.account.order_number for s in scripts}) == 12
    assert {s.language for s in scripts} == {"fr", "en"}
    assert OrderStatus.LOST not in {s.account.status for s in scripts}
    with pytest.raises(ValueError, match="usable orders"):
        scripts_for(demo_accounts, len(demo_accounts) + 1)


def test_a_tally_without_turns_reports_no_rate_and_no_percentiles() -> None:
    tally = Tally()
    tally.failed(RuntimeError("boom"))

    summary = tally.summary()

    assert summary["turns"] == 0
    assert summary["turns_per_s"] is None
    assert summary["p95_ms"] is None
    assert summary["error_samples"] == ["RuntimeError: boom"]
