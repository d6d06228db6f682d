"""CPU seconds spent by each part of the chat stack, read from /proc (Linux).

On a two-core machine turns per second are bounded by CPU, so the useful
question after a load run is "which process burnt the cores, and how many
milliseconds per turn": Rasa, the action server, the hub, PostgreSQL, the
load generator itself, or work that is not ours at all.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

TICK = float(os.sysconf("SC_CLK_TCK"))
PROC = Path("/proc")

# pid, process group, command line (NULs as spaces) -> belongs to the part?
Matcher = Callable[[int, int, str], bool]


def in_group(pgid: int) -> Matcher:
    """Processes of one process group (a server and the workers it forked)."""
    return lambda _pid, group, _cmd: group == pgid


def only(pid: int) -> Matcher:
    """One process (a Sanic worker: the kernel may hand it most connections)."""
    return lambda own, _group, _cmd: own == pid


def group_members(pgid: int) -> list[int]:
    """Live processes of a process group, by pid."""
    return sorted(pid for pid, group, _, _ in _processes() if group == pgid)


def command_has(*words: str) -> Matcher:
    """Processes whose command line holds every word (`--port 8123`, a db name)."""
    return lambda _pid, _group, cmd: all(w in cmd for w in words)


def _processes() -> list[tuple[int, int, str, float]]:
    """(pid, process group, command line, CPU seconds) of every live process."""
    found = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # gone meanwhile
        # The command name may hold spaces and parentheses: split after the last ")".
        fields = stat[stat.rindex(")") + 2 :].split()
        group = int(fields[2])
        seconds = (int(fields[11]) + int(fields[12])) / TICK
        found.append((int(entry.name), group, cmd, seconds))
    return found


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent not idle, every core summed."""
    values = [int(v) for v in (PROC / "stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / TICK


def snapshot(parts: dict[str, Matcher]) -> dict[str, float]:
    """CPU seconds so far per part, plus this process and the whole machine.

    A process counts for the first part it matches. Processes that exited
    since the last snapshot take their seconds with them, which is why the
    stack's servers and pooled database connections are long-lived here.
    """
    totals = dict.fromkeys(parts, 0.0)
    own = os.getpid()
    for pid, group, cmd, seconds in _processes():
        if pid == own:
            continue
        for name, matches in parts.items():
            if matches(pid, group, cmd):
                totals[name] += seconds
                break
    times = os.times()
    totals["load generator"] = times.user + times.system
    totals["machine"] = machine_busy_seconds()
    return totals
