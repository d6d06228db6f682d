"""Run the supervisor over tiny python children (`-m tests.bot.supervised S DIR`).

Each child writes its pid to DIR/<name>.pid so that the test can check that
none outlives the supervisor.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.supervisor import ChildSpec, ReadyCheck, supervise

SLEEPER = """
import os, sys, time, pathlib
pathlib.Path(sys.argv[1]).write_text(str(os.getpid()))
print(sys.argv[2], flush=True)
while True:
    time.sleep(0.1)
"""

STUBBORN = """
import os, signal, sys, time, pathlib
signal.signal(signal.SIGTERM, signal.SIG_IGN)
pathlib.Path(sys.argv[1]).write_text(str(os.getpid()))
print("ignoring SIGTERM", flush=True)
while True:
    time.sleep(0.1)
"""

FRAGILE = """
import sys, time
for n in range(1, 26):
    print(f"line {n}", flush=True)
time.sleep(0.5)
sys.exit(3)
"""


def pid_written(path: Path) -> ReadyCheck:
    async def check() -> bool:
        return path.exists()

    return check


async def never() -> bool:
    return False


def child(name: str, code: str, folder: Path, *args: str) -> ChildSpec:
    pid_file = folder / f"{name}.pid"
    argv = [sys.executable, "-c", code, str(pid_file), *args]
    return ChildSpec(name=name, argv=argv, ready_check=pid_written(pid_file))


async def ready_lines() -> list[str]:
    return ["all ready"]


def main() -> int:
    scenario, folder = sys.argv[1], Path(sys.argv[2])
    specs = {
        "dies": [
            child("steady", SLEEPER, folder, "steady up"),
            child("fragile", FRAGILE, folder),
        ],
        "stays": [
            child("one", SLEEPER, folder, "one up"),
            child(
                "two", SLEEPER, folder, "two up for jo@example.com, +33 6 12 34 56 78"
            ),
            child("stubborn", STUBBORN, folder),
        ],
        "never-ready": [
            ChildSpec(
                name="slow",
                argv=[sys.executable, "-c", SLEEPER, str(folder / "slow.pid"), "up"],
                ready_check=never,
                ready_timeout=1,
            )
        ],
        "missing": [
            child("one", SLEEPER, folder, "one up"),
            ChildSpec(name="ghost", argv=[str(folder / "no-such-program")]),
        ],
    }[scenario]
    return supervise(specs, stop_timeout=1, on_ready=ready_lines)


if __name__ == "__main__":
    raise SystemExit(main())
