"""Run several child processes as one service: `shopdesk run`.

Each child gets its own process group, so that Ctrl-C reaches only the
supervisor, which then stops every group in order (SIGTERM, then SIGKILL
after a grace period): Rasa and the action server start worker processes,
and killing only the leader would leave those behind holding the ports.

Generic on purpose: a list of `ChildSpec` (tests use tiny python scripts);
`shopdesk_children` builds the real three.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import signal
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from crm.privacy import mask

ReadyCheck = Callable[[], Awaitable[bool]]

TAIL_LINES = 20
_COLOURS = ("36", "35", "32", "33", "34")  # ANSI cyan, magenta, green, yellow, blue
_READ_LIMIT = 1 << 20  # Rasa logs whole trackers on one line at debug level


@dataclass(frozen=True)
class ChildSpec:
    """One process to start, and how to tell it is ready to serve.

    `env` is the child's whole environment (None: the supervisor's own).
    `ready_hint` tells the operator what the wait is for ("loading the model").
    """

    name: str
    argv: Sequence[str]
    env: Mapping[str, str] | None = None
    ready_check: ReadyCheck | None = None
    ready_timeout: float = 60.0
    ready_hint: str = ""
    cwd: str | None = None


@dataclass
class _Child:
    spec: ChildSpec
    process: asyncio.subprocess.Process
    prefix: str
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=TAIL_LINES))
    ready: bool = False


class Supervisor:
    """Start children, relay their output, wait until ready, stop them together.

    `on_ready` runs once every child is ready; the lines it returns are
    printed (URLs, hints).

    `run()` returns the exit status for the command line: 0 after a stop
    asked by a signal, 1 when a child died, failed to start or never became
    ready.
    """

    def __init__(
        self,
        specs: Sequence[ChildSpec],
        *,
        out: TextIO | None = None,
        stop_timeout: float = 10.0,
        poll_interval: float = 0.5,
        progress_every: float = 10.0,
        on_ready: Callable[[], Awaitable[list[str]]] | None = None,
    ) -> None:
        self.specs = list(specs)
        self.out = out or sys.stdout
        self.stop_timeout = stop_timeout
        self.poll_interval = poll_interval
        self.progress_every = progress_every
        self.on_ready = on_ready
        self.children: list[_Child] = []
        self._stop = asyncio.Event()
        self._signals = 0
        self._stopped = False
        self._colour = self.out.isatty()
        self._width = max([len(s.name) for s in self.specs] + [len("shopdesk")])

    def _prefix(self, name: str, colour: str) -> str:
        label = f"{name.ljust(self._width)} | "
        return f"\033[{colour}m{label}\033[0m" if self._colour else label

    def say(self, text: str) -> None:
        """Print a line of the supervisor's own, under the `shopdesk` prefix."""
        prefix = self._prefix("shopdesk", "1")
        for line in mask(text).splitlines() or [""]:
            self.out.write(f"{prefix}{line}\n")
        self.out.flush()

    async def _pump(self, child: _Child) -> None:
        """Copy a child's output line by line, each under its coloured name."""
        stream = child.process.stdout
        if stream is None:
            return
        while True:
            try:
                raw = await stream.readline()
            except ValueError:  # a line longer than the limit: skip its rest
                continue
            if not raw:
                return
            # Rasa logs what customers type: mask e-mails and phones first.
            line = mask(raw.decode("utf-8", "replace").rstrip("\r\n"))
            child.tail.append(line)
            self.out.write(f"{child.prefix}{line}\n")
            self.out.flush()

    def _on_signal(self) -> None:
        self._signals += 1
        if self._signals == 1:
            self.say("stopping (press Ctrl-C again to kill at once)...")
            self._stop.set()
        else:
            for child in self.children:
                _kill_group(child.process.pid, signal.SIGKILL)

    async def _start(self, spec: ChildSpec, colour: str) -> _Child:
        process = await asyncio.create_subprocess_exec(
            *spec.argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            env=dict(spec.env) if spec.env is not None else None,
            cwd=spec.cwd,
            start_new_session=True,  # own process group, out of Ctrl-C's reach
            limit=_READ_LIMIT,
        )
        return _Child(
            spec=spec, process=process, prefix=self._prefix(spec.name, colour)
        )

    async def _exited(self, child: _Child, pump: asyncio.Task[None]) -> _Child:
        await child.process.wait()
        with contextlib.suppress(TimeoutError):  # a grandchild may hold the pipe
            await asyncio.wait_for(asyncio.shield(pump), 2)
        return child

    async def _wait_ready(self, child: _Child) -> bool:
        """Poll the child's check until it passes or its timeout runs out."""
        spec = child.spec
        started = time.monotonic()
        next_note = started + self.progress_every
        while spec.ready_check is not None:
            try:
                if await spec.ready_check():
                    break
            except Exception:
                pass
            now = time.monotonic()
            if now - started > spec.ready_timeout:
                self.say(
                    f"{spec.name} is not ready after {spec.ready_timeout:g} s; "
                    "giving up"
                )
                return False
            if now >= next_note:
                hint = f" ({spec.ready_hint})" if spec.ready_hint else ""
                self.say(f"waiting for {spec.name}{hint}: {now - started:.0f} s")
                next_note = now + self.progress_every
            await asyncio.sleep(self.poll_interval)
        child.ready = True
        self.say(f"{spec.name} is ready ({time.monotonic() - started:.0f} s)")
        return True

    async def _wait_all_ready(self) -> bool:
        results = await asyncio.gather(*(self._wait_ready(c) for c in self.children))
        if not all(results):
            return False
        if self.on_ready is not None:
            for line in await self.on_ready():
                self.say(line)
        return True

    async def run(self) -> int:
        """Start every child and supervise them until a signal or a failure."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self._on_signal)
        try:
            return await self._supervise()
        finally:
            await self._stop_all()  # no-op after a normal stop; a bug must not orphan
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)

    async def _supervise(self) -> int:
        exits: dict[asyncio.Task[_Child], _Child] = {}
        pumps: list[asyncio.Task[None]] = []
        for index, spec in enumerate(self.specs):
            self.say(f"starting {spec.name}: {shlex.join(spec.argv)}")
            try:
                child = await self._start(spec, _COLOURS[index % len(_COLOURS)])
            except OSError as exc:
                self.say(f"{spec.name} could not start: {exc}")
                await self._stop_all()
                return 1
            self.children.append(child)
            pump = asyncio.create_task(self._pump(child))
            pumps.append(pump)
            exits[asyncio.create_task(self._exited(child, pump))] = child
        stop = asyncio.create_task(self._stop.wait())
        ready = asyncio.create_task(self._wait_all_ready())
        pending: set[asyncio.Task[Any]] = {stop, ready, *exits}
        status = 0
        while True:
            done, pending = await asyncio.wait(
                pending, return_when=asyncio.FIRST_COMPLETED
            )
            if stop in done:
                break
            dead = [task for task in done if task in exits]
            if dead:
                self._report_death(exits[dead[0]])
                status = 1
                break
            if ready in done and not ready.result():
                status = 1
                break
        for task in (stop, ready):
            task.cancel()
        await self._stop_all()
        for pump in pumps:
            pump.cancel()
        self.say("stopped" if status == 0 else "stopped after a failure")
        return status

    def _report_death(self, child: _Child) -> None:
        code = child.process.returncode
        how = (
            f"was killed by signal {-code}"
            if code is not None and code < 0
            else f"exited with code {code}"
        )
        self.say(f"{child.spec.name} {how}; stopping the others")
        if child.tail:
            self.say(f"last {len(child.tail)} lines of {child.spec.name}:")
            for line in child.tail:
                self.say(f"    {line}")

    async def _stop_all(self) -> None:
        """SIGTERM every group, wait up to `stop_timeout`, then SIGKILL what is left."""
        if self._stopped:
            return
        self._stopped = True
        running = [c for c in self.children if c.process.returncode is None]
        for child in running:
            _kill_group(child.process.pid, signal.SIGTERM)
        if running:
            names = ", ".join(c.spec.name for c in running)
            self.say(f"waiting for {names} to stop")
            waits = [asyncio.create_task(c.process.wait()) for c in running]
            _, late = await asyncio.wait(waits, timeout=self.stop_timeout)
            for task in late:
                task.cancel()
            for child in running:
                if child.process.returncode is None:
                    self.say(
                        f"{child.spec.name} did not stop within "
                        f"{self.stop_timeout:g} s; killing it"
                    )
                    _kill_group(child.process.pid, signal.SIGKILL)
                    await child.process.wait()
        for child in self.children:  # workers that outlived their leader
            _kill_group(child.process.pid, signal.SIGKILL)


def _kill_group(pgid: int, sig: signal.Signals) -> None:
    """Signal a whole process group; a group already gone is fine."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def supervise(
    specs: Sequence[ChildSpec],
    *,
    stop_timeout: float = 10.0,
    on_ready: Callable[[], Awaitable[list[str]]] | None = None,
    out: TextIO | None = None,
) -> int:
    """Run `specs` until a signal or a failure; return the process exit status."""
    return asyncio.run(
        Supervisor(specs, stop_timeout=stop_timeout, on_ready=on_ready, out=out).run()
    )
