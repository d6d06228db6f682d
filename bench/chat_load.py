"""Chat load: scripted customers through the hub and straight to Rasa, one run.

    .venv/bin/python -m bench.chat_load                  # issue 6's targets, ~5 min
    .venv/bin/python -m bench.chat_load --customers 5 --duration 10 --no-one-worker

Builds its own world and removes it (bench/rasa_cluster.py): a PostgreSQL
database seeded with demo orders, the action server, Rasa as a shop runs it
(two Sanic workers, Redis lock store, SQL tracker store on that database),
the hub on the same store, and, for the one-worker figure, a second Rasa.
Uses the trained model in models/ and never trains.

Scenarios: (a) customers with no pause, both paths, alternating rounds;
(b) many customers pausing 3-10 s between turns, through the hub; (c) two
messages sent back to back; (d) turn 50 against turn 1 of one long
conversation; (e) (a) straight to a one-worker Rasa. Prints a table, writes
var/bench/chat_load.json; server logs stay in var/bench/chat_load_logs/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.chat_paths import DirectPath, HubPath, Script, scripts_for
from bench.chat_scenarios import load_both, long_session, quick_pairs
from bench.cpu_usage import (
    Matcher,
    command_has,
    group_members,
    in_group,
    only,
    snapshot,
)
from bench.rasa_cluster import Cluster, RasaServer, bench_database, wait_for_model
from bot.stack import temporary_hub
from crm.db import make_engine, make_session_factory
from crm.demo.accounts import list_demo_accounts
from crm.settings import VAR_DIR

# Issue 6's targets on a two-core machine.
HUB_TURNS_PER_S = 40.0
HUB_P95_OVER_DIRECT = 1.10
PAUSING_P95_MS = 150.0
QUICK_SECOND_MS = 1000.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Options; the defaults are issue 6's scenarios."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--customers", type=int, default=20, help="(a) customers")
    p.add_argument("--duration", type=float, default=30, help="(a) seconds per path")
    p.add_argument("--rounds", type=int, default=2, help="(a) hub/direct alternations")
    p.add_argument("--pausing-customers", type=int, default=100, help="(b)")
    p.add_argument("--pausing-duration", type=float, default=40, help="(b) seconds")
    p.add_argument("--pause", type=float, nargs=2, default=(3.0, 10.0), help="(b)")
    p.add_argument(
        "--pausing-direct",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="(b) straight to Rasa too (40 s more)",
    )
    p.add_argument("--quick-pairs", type=int, default=10, help="(c) through the hub")
    p.add_argument("--direct-pairs", type=int, default=3, help="(c) straight to Rasa")
    p.add_argument("--long-turns", type=int, default=50, help="(d)")
    p.add_argument("--long-repeats", type=int, default=3, help="(d) customers")
    p.add_argument(
        "--one-worker",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="(e) also start a one-worker Rasa for (a) direct",
    )
    p.add_argument("--workers", type=int, default=2, help="Sanic workers of Rasa")
    p.add_argument("--orders", type=int, default=2000, help="demo orders seeded")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--json", type=Path, default=VAR_DIR / "bench" / "chat_load.json")
    p.add_argument("--logs", type=Path, default=VAR_DIR / "bench" / "chat_load_logs")
    return p.parse_args(argv)


def demo_scripts(database_url: str, customers: int) -> list[Script]:
    """One script per customer on distinct demo orders (lost parcels left out).

    Up to `customers` orders of each status: rare statuses (a few dozen in
    2,000 orders) must not leave the script list short.
    """
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            accounts = list_demo_accounts(session, per_status=customers)
    finally:
        engine.dispose()
    return scripts_for(accounts, customers)


def cpu_parts(cluster: Cluster, rasa: RasaServer, hub_url: str) -> dict[str, Matcher]:
    """How to recognise each of the stack's processes in /proc.

    Each Sanic worker apart: pooled keep-alive connections (the hub's and
    the direct path's) stay with the worker that accepted them, so one
    worker may get most of the load while the other idles.
    """
    port = hub_url.rsplit(":", 1)[1]
    database = cluster.database_url.rsplit("/", 1)[1]
    pgid = rasa.server.process.pid if rasa.server.process else -1
    workers = [pid for pid in group_members(pgid) if pid != pgid] or [pgid]
    parts = {f"rasa w{n}": only(pid) for n, pid in enumerate(workers, 1)}
    actions = cluster.actions.process
    return {
        **parts,
        "rasa rest": in_group(pgid),
        "actions": in_group(actions.pid if actions else -1),
        "hub": command_has("bot.app:create_app", f"--port {port}"),
        "postgres": command_has("postgres:", database),
        "redis": command_has("redis-server"),
    }


def _line(label: str, summary: dict[str, Any]) -> str:
    def ms(key: str) -> str:
        value = summary.get(key)
        return f"{value:8.1f}" if isinstance(value, int | float) else f"{'-':>8}"

    rate = summary.get("turns_per_s")
    return (
        f"{label:<34}{summary.get('turns', 0):>6} "
        f"{(f'{rate:7.1f}' if rate is not None else '      -')}"
        f"{ms('p50_ms')}{ms('p95_ms')}{ms('p99_ms')}{ms('max_ms')}"
        f"{summary.get('errors', 0):>7}"
    )


def print_table(results: dict[str, Any]) -> None:
    """The figures as one readable table, then the per-turn CPU split."""
    print()
    print(
        f"{'scenario / path':<34}{'turns':>6}{'turn/s':>8}"
        f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}{'errors':>7}"
    )
    labels = {
        "a": "(a) {n} customers, no pause",
        "b": "(b) {n} customers, pausing",
        "c": "(c) 2nd of two quick messages",
        "e": "(e) (a) on a one-worker Rasa",
    }
    for key, label in labels.items():
        for path, summary in results.get(key, {}).get("paths", {}).items():
            n = results[key].get("customers", "")
            print(_line(f"{label.format(n=n)} {path}", summary))
    for path, summary in results.get("d", {}).get("paths", {}).items():
        turns = "  ".join(
            f"t{n} {summary[f'turn_{n}_ms']:.0f}"
            for n in (1, 10, 25, 50)
            if f"turn_{n}_ms" in summary
        )
        growth = summary.get("ms_per_earlier_turn")
        print(f"(d) long session {path:<17}{turns} ms, +{growth} ms/turn")
    for key in ("a", "b", "e"):
        for path, summary in results.get(key, {}).get("paths", {}).items():
            split = summary.get("cpu_ms_per_turn")
            if split:
                parts = ", ".join(f"{k} {v}" for k, v in split.items())
                busy = summary.get("cpu_cores_busy")
                print(f"CPU ms/turn ({key}, {path}, {busy} cores busy): {parts}")
    for name, met in results.get("targets", {}).items():
        print(f"target {name:<40} {'met' if met else 'MISSED'}")


def targets(results: dict[str, Any]) -> dict[str, bool]:
    """Issue 6's targets against this run's figures."""
    a = results["a"]["paths"]
    out: dict[str, bool] = {}
    hub, direct = a.get("hub"), a.get("direct")
    if hub:
        out["hub >= 40 turns/s at 20, no errors"] = (
            hub["turns_per_s"] or 0
        ) >= HUB_TURNS_PER_S and hub["errors"] == 0
    if hub and direct and hub["p95_ms"] and direct["p95_ms"]:
        out["hub p95 within 10% of direct"] = (
            hub["p95_ms"] <= HUB_P95_OVER_DIRECT * direct["p95_ms"]
        )
    pausing = results.get("b", {}).get("paths", {}).get("hub")
    if pausing and pausing["p95_ms"] is not None:
        out["hub p95 < 150 ms at 100 pausing"] = pausing["p95_ms"] < PAUSING_P95_MS
    quick = results.get("c", {}).get("paths", {}).get("hub")
    if quick and quick["max_ms"] is not None:
        out["2nd quick message never waits 1 s"] = (
            quick["max_ms"] < QUICK_SECOND_MS and quick["errors"] == 0
        )
    return out


def _show(key: str, paths: dict[str, dict[str, Any]]) -> None:
    for path, summary in paths.items():
        print(_line(f"  ({key}) {path}", summary), flush=True)


async def production_shape(
    args: argparse.Namespace,
    hub_url: str,
    rasa_url: str,
    scripts: list[Script],
    probe: dict[str, Matcher],
) -> dict[str, Any]:
    """Scenarios (a) to (d) against the production-shaped Rasa."""
    busy = scripts[: args.customers]
    warm = await load_both(hub_url, rasa_url, busy, max_turns=3)
    print(f"warm-up errors: { {k: t.errors for k, t in warm.items()} }", flush=True)
    out: dict[str, Any] = {}
    a = await load_both(
        hub_url,
        rasa_url,
        busy,
        duration=args.duration,
        rounds=args.rounds,
        seed=args.seed,
        cpu_probe=lambda: snapshot(probe),
    )
    out["a"] = {
        "customers": args.customers,
        "paths": {k: t.summary() for k, t in a.items()},
    }
    _show("a", out["a"]["paths"])
    b = await load_both(
        hub_url,
        rasa_url,
        scripts[: args.pausing_customers],
        duration=args.pausing_duration,
        pause=(args.pause[0], args.pause[1]),
        paths=("hub", "direct") if args.pausing_direct else ("hub",),
        seed=args.seed,
        cpu_probe=lambda: snapshot(probe),
    )
    out["b"] = {
        "customers": args.pausing_customers,
        "pause_s": list(args.pause),
        "paths": {k: t.summary() for k, t in b.items()},
    }
    _show("b", out["b"]["paths"])
    out["c"] = {
        "paths": await quick_pairs(
            hub_url,
            rasa_url,
            scripts,
            hub_pairs=args.quick_pairs,
            direct_pairs=args.direct_pairs,
        )
    }
    _show("c", out["c"]["paths"])
    direct = DirectPath(rasa_url)
    try:
        long = {
            "hub": await long_session(
                HubPath(hub_url),
                scripts,
                turns=args.long_turns,
                repeats=args.long_repeats,
            ),
            "direct": await long_session(
                direct, scripts, turns=args.long_turns, repeats=args.long_repeats
            ),
        }
    finally:
        await direct.aclose()
    out["d"] = {"turns": args.long_turns, "paths": long}
    _show("d", long)
    return out


async def one_worker(
    args: argparse.Namespace,
    rasa_url: str,
    scripts: list[Script],
    probe: dict[str, Matcher],
) -> dict[str, Any]:
    """Scenario (e): (a) straight to a Rasa with the default single worker."""
    busy = scripts[: args.customers]
    await load_both("", rasa_url, busy, max_turns=3, paths=("direct",))
    e = await load_both(
        "",
        rasa_url,
        busy,
        duration=args.duration,
        paths=("direct",),
        seed=args.seed,
        cpu_probe=lambda: snapshot(probe),
    )
    out = {"customers": args.customers, "paths": {k: t.summary() for k, t in e.items()}}
    _show("e", out["paths"])
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Build the stack, run every scenario, tear everything down."""
    model = wait_for_model()
    shutil.rmtree(args.logs, ignore_errors=True)
    args.logs.mkdir(parents=True)
    began = time.monotonic()
    report: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "model": model.name,
        "cores": os.cpu_count(),
        "load_average_before": os.getloadavg(),
        "options": {k: str(v) for k, v in vars(args).items()},
    }
    with bench_database(args.orders, seed=args.seed) as url:
        scripts = demo_scripts(url, max(args.customers, args.pausing_customers))
        cluster = Cluster(url, model, args.logs)
        try:
            cluster.start_actions()
            main = cluster.start_rasa(args.workers)
            single = cluster.start_rasa(1) if args.one_worker else None
            key = secrets.token_urlsafe(32)
            with temporary_hub(url, main.url, args.logs, secret_key=key) as hub_url:
                cluster.wait_ready()
                report["startup_s"] = round(time.monotonic() - began, 1)
                print(f"stack up in {report['startup_s']} s ({args.workers} workers)")
                results = asyncio.run(
                    production_shape(
                        args,
                        hub_url,
                        main.url,
                        scripts,
                        cpu_parts(cluster, main, hub_url),
                    )
                )
                if single is not None:
                    main.server.stop()  # its cores go to the one-worker figure
                    probe = cpu_parts(cluster, single, hub_url)
                    results["e"] = asyncio.run(
                        one_worker(args, single.url, scripts, probe)
                    )
        finally:
            cluster.stop()
    results["targets"] = targets(results)
    report.update(results)
    report["load_average_after"] = os.getloadavg()
    report["total_s"] = round(time.monotonic() - began, 1)
    return report


def main() -> None:
    """Run, print the table, write the JSON."""
    args = parse_args()
    report = run(args)
    print_table(report)
    before = report["load_average_before"]
    print(f"total {report['total_s']} s; load average before {before}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, default=str), "utf-8")
    print(f"written {args.json}")


if __name__ == "__main__":
    main()
