"""The load shapes of `bench/chat_load.py`, each runnable on either path.

Kept apart from the command line so the conversation tests can run the very
code the benchmark runs with two customers (tests/conversations/).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bench.chat_paths import (
    TURN_TIMEOUT,
    Chat,
    ChatPath,
    DirectPath,
    HubPath,
    Script,
    Tally,
    TurnFailed,
    bot_texts,
    quiet_close,
    timed,
)

Pause = tuple[float, float] | None
REPORTED_TURNS = (1, 10, 25, 50)


async def _customer(
    path: ChatPath,
    script: Script,
    tally: Tally,
    *,
    deadline: float | None,
    max_turns: int | None,
    pause: Pause,
    rng: random.Random,
) -> None:
    """Run `script` again and again, a new conversation each time, until done.

    A new conversation per script keeps Rasa's trackers short, as a real
    shop's are (one question, then the customer leaves); issue 6's long
    conversations are measured apart (`long_session`).
    """
    turns = 0

    def done() -> bool:
        late = deadline is not None and time.perf_counter() >= deadline
        return late or (max_turns is not None and turns >= max_turns)

    if pause:  # arrivals spread over one pause, not all at the first second
        await asyncio.sleep(rng.uniform(0, pause[1]))
    while not done():
        started = time.perf_counter()
        try:
            chat: Chat = await path.open(script.language)
        except Exception as exc:
            tally.failed(exc)
            await asyncio.sleep(1.0)  # a refused connection must not spin
            continue
        tally.opens.append(time.perf_counter() - started)
        try:
            for index, text in enumerate(script.messages):
                if pause and turns:
                    await asyncio.sleep(rng.uniform(*pause))
                if done():
                    return
                try:
                    answers, waited = await timed(chat, text)
                    if index == len(script.messages) - 1:
                        script.check_last(answers)
                except Exception as exc:
                    tally.failed(exc)
                    turns += 1
                    break  # this conversation is off script: start a new one
                tally.latencies.append(waited)
                turns += 1
        finally:
            await quiet_close(chat)


async def load(
    path: ChatPath,
    scripts: list[Script],
    *,
    duration: float | None = None,
    max_turns: int | None = None,
    pause: Pause = None,
    seed: int = 42,
) -> Tally:
    """Every script's customer at once, for `duration` seconds or `max_turns` each.

    Turns/s is counted over the wall time until the last customer's last
    turn, so the turns still running at the deadline count and take time.
    """
    tally = Tally()
    started = time.perf_counter()
    deadline = started + duration if duration is not None else None
    await asyncio.gather(
        *(
            _customer(
                path,
                script,
                tally,
                deadline=deadline,
                max_turns=max_turns,
                pause=pause,
                rng=random.Random(seed * 1000 + index),
            )
            for index, script in enumerate(scripts)
        )
    )
    tally.wall = time.perf_counter() - started
    return tally


async def load_both(
    hub_url: str,
    rasa_url: str,
    scripts: list[Script],
    *,
    duration: float | None = None,
    max_turns: int | None = None,
    rounds: int = 1,
    pause: Pause = None,
    paths: tuple[str, ...] = ("hub", "direct"),
    seed: int = 42,
    cpu_probe: Callable[[], dict[str, float]] | None = None,
) -> dict[str, Tally]:
    """The same scripts through the hub and straight to Rasa, in alternating rounds.

    The machine is shared: alternating short rounds spreads a neighbour's
    burst over both paths instead of charging it to one. `cpu_probe`
    (bench/cpu_usage.py) is read around each round to split CPU per process.
    """
    opened: dict[str, ChatPath] = {}
    if "hub" in paths:
        opened["hub"] = HubPath(hub_url)
    if "direct" in paths:
        opened["direct"] = DirectPath(rasa_url)
    tallies = {name: Tally() for name in opened}
    share = duration / rounds if duration is not None else None
    try:
        for round_ in range(rounds):
            for name, path in opened.items():
                before = cpu_probe() if cpu_probe else {}
                tally = await load(
                    path,
                    scripts,
                    duration=share,
                    max_turns=max_turns,
                    pause=pause,
                    seed=seed + round_,
                )
                if cpu_probe:
                    after = cpu_probe()
                    tally.cpu = {k: after[k] - before.get(k, 0.0) for k in after}
                tallies[name].merge(tally)
    finally:
        for path in opened.values():
            await path.aclose()
    return tallies


async def _hub_pair(hub: HubPath, script: Script) -> float:
    """Two messages emitted back to back; how long the second one's answer took."""
    chat = await hub.open(script.language)
    try:
        first, second = script.messages[:2]
        await chat.customer.send(first)
        await chat.customer.send(second)
        sent = time.perf_counter()
        earlier = bot_texts(await chat.customer.answers(TURN_TIMEOUT))
        later = bot_texts(await chat.customer.answers(TURN_TIMEOUT))
        waited = time.perf_counter() - sent
    finally:
        await quiet_close(chat)
    _check_order(script, earlier, later)
    return waited


async def _direct_pair(direct: DirectPath, script: Script) -> float:
    """The same two messages, both in flight to Rasa at once (no hub lane)."""
    chat = await direct.open(script.language)
    first, second = script.messages[:2]
    earlier_task = asyncio.create_task(timed(chat, first))
    await asyncio.sleep(0.01)  # so that Rasa surely sees the question first
    later, waited = await timed(chat, second)
    earlier, _ = await earlier_task
    _check_order(script, earlier, later)
    return waited


def _check_order(script: Script, earlier: list[str], later: list[str]) -> None:
    """Only the answer to the order number repeats the number back."""
    number = script.account.order_number
    if number in " ".join(earlier) or number not in " ".join(later):
        raise TurnFailed(f"answers out of order: {earlier[:1]!r}, {later[:1]!r}")


async def quick_pairs(
    hub_url: str,
    rasa_url: str,
    scripts: list[Script],
    *,
    hub_pairs: int,
    direct_pairs: int,
) -> dict[str, dict[str, Any]]:
    """Scenario (c): a customer sends two messages quickly; wait for the second.

    Through the hub the second waits for the first's turn only (its lane);
    straight to Rasa both are in flight and the second polls Rasa's ticket
    lock, once a second (shared/rasa-performance.md).
    """
    hub, direct = HubPath(hub_url), DirectPath(rasa_url)
    runs: list[tuple[str, int, Callable[[Script], Awaitable[float]]]] = [
        ("hub", hub_pairs, lambda s: _hub_pair(hub, s)),
        ("direct", direct_pairs, lambda s: _direct_pair(direct, s)),
    ]
    out: dict[str, dict[str, Any]] = {}
    try:
        for name, count, pair in runs:
            tally = Tally()
            started = time.perf_counter()
            for index in range(count):
                try:
                    tally.latencies.append(await pair(scripts[index % len(scripts)]))
                except Exception as exc:
                    tally.failed(exc)
            tally.wall = time.perf_counter() - started
            if count:
                out[name] = tally.summary()
    finally:
        await direct.aclose()
    return out


async def long_session(
    path: ChatPath, scripts: list[Script], *, turns: int, repeats: int
) -> dict[str, Any]:
    """Scenario (d): one customer keeps one conversation going for `turns` turns.

    The script is asked again and again in the same session (question,
    number, proof), so every turn adds to Rasa's tracker. `repeats`
    customers, one after the other; the median per turn index, and the
    least-squares growth in ms per earlier turn over all indexes.
    """
    per_turn: list[list[float]] = [[] for _ in range(turns)]
    tally = Tally()
    started = time.perf_counter()
    for repeat in range(repeats):
        script = scripts[repeat % len(scripts)]
        chat = await path.open(script.language)
        try:
            for index in range(turns):
                text = script.messages[index % len(script.messages)]
                try:
                    _, waited = await timed(chat, text)
                except Exception as exc:
                    tally.failed(exc)
                    continue
                per_turn[index].append(waited)
                tally.latencies.append(waited)
        finally:
            await quiet_close(chat)
    tally.wall = time.perf_counter() - started
    medians = [statistics.median(t) if t else None for t in per_turn]
    out = tally.summary()
    for number in REPORTED_TURNS:
        if number <= turns and medians[number - 1] is not None:
            out[f"turn_{number}_ms"] = round((medians[number - 1] or 0) * 1000, 1)
    xs = [float(i + 1) for i, m in enumerate(medians) if m is not None]
    ys = [m * 1000 for m in medians if m is not None]
    if len(xs) >= 2:
        slope, _ = statistics.linear_regression(xs, ys)
        out["ms_per_earlier_turn"] = round(slope, 2)
    return out
