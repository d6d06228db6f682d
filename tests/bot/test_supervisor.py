from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.settings import HubSettings
from bot.stack import shopdesk_children
from crm.settings import PROJECT_ROOT


class Supervised:
    """`tests.bot.supervised` in a subprocess, its output read line by line."""

    def __init__(self, scenario: str, folder: Path) -> None:
        self.folder = folder
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.bot.supervised", scenario, str(folder)],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            try:
                line = self._queue.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"no {text!r} within {timeout} s:\n" + self.output)
            if line is None:
                pytest.fail(f"output ended without {text!r}:\n" + self.output)
            self.lines.append(line)

    def finish(self, timeout: float = 20) -> int:
        code = self.process.wait(timeout=timeout)
        while (line := self._queue.get(timeout=5)) is not None:
            self.lines.append(line)
        return code

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def pids(self) -> list[int]:
        return [int(p.read_text()) for p in self.folder.glob("*.pid")]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_dead_child_is_named_with_code_and_last_lines(tmp_path: Path) -> None:
    run = Supervised("dies", tmp_path)

    code = run.finish()

    out = run.output
    assert code == 1
    assert re.search(r"^steady\s+\| steady up$", out, re.MULTILINE)
    assert re.search(r"^fragile\s+\| line 1$", out, re.MULTILINE)
    assert "fragile exited with code 3; stopping the others" in out
    tail = out.split("last 20 lines of fragile:")[1]
    assert "    line 25" in tail
    assert "    line 6\n" in tail
    assert "    line 5\n" not in tail
    assert run.pids() and not any(alive(pid) for pid in run.pids())


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_every_child_and_exits_0(
    tmp_path: Path, sig: signal.Signals
) -> None:
    run = Supervised("stays", tmp_path)
    run.wait_for("all ready")
    pids = run.pids()

    run.process.send_signal(sig)
    code = run.finish()

    assert code == 0, run.output
    assert len(pids) == 3
    assert not any(alive(pid) for pid in pids)
    assert "stubborn did not stop within 1 s; killing it" in run.output
    assert run.lines[-1].endswith("| stopped")


def test_children_output_is_shown_with_emails_and_phones_masked(
    tmp_path: Path,
) -> None:
    run = Supervised("stays", tmp_path)
    run.wait_for("all ready")
    run.process.send_signal(signal.SIGTERM)
    run.finish()

    assert re.search(
        r"^two\s+\| two up for j\*\*\*@example\.com, \*\*\*78$", run.output, re.M
    )
    assert "jo@example.com" not in run.output
    assert "12 34 56" not in run.output


def test_child_never_ready_gives_up(tmp_path: Path) -> None:
    run = Supervised("never-ready", tmp_path)

    code = run.finish()

    assert code == 1
    assert "slow is not ready after 1 s; giving up" in run.output
    assert not any(alive(pid) for pid in run.pids())


def test_program_that_cannot_start_stops_the_others(tmp_path: Path) -> None:
    run = Supervised("missing", tmp_path)

    code = run.finish()

    assert code == 1
    assert "ghost could not start" in run.output
    assert not any(alive(pid) for pid in run.pids())


def test_shopdesk_children_are_wired_by_port(tmp_path: Path) -> None:
    settings = HubSettings(
        database_url="sqlite:///var/x.db",
        secret_key=SecretStr("k"),
        rasa_port=6005,
        action_port=6055,
        port=8800,
        rasa_url="http://elsewhere:1",
    )
    model = tmp_path / "shopdesk-abc.tar.gz"

    rasa, actions, hub = shopdesk_children(
        settings, model, base_env={"PATH": "/bin"}, python="/py"
    )

    assert rasa.argv[0].endswith(".venv-rasa/bin/python")
    assert rasa.argv[1].endswith("rasa_launcher/run_rasa.py")
    assert rasa.argv[2:9] == [
        "run",
        "--enable-api",
        "-i",
        "127.0.0.1",
        "-p",
        "6005",
        "--model",
    ]
    assert rasa.env is not None and actions.env is not None and hub.env is not None
    assert rasa.env["SHOPDESK_ACTION_WEBHOOK_URL"] == "http://127.0.0.1:6055/webhook"
    assert rasa.env["SHOPDESK_TRACKER_DIALECT"] == "sqlite"
    assert rasa.env["PATH"] == "/bin"
    assert actions.argv == [
        "/py",
        "-m",
        "rasa_sdk",
        "--actions",
        "actions",
        "-p",
        "6055",
    ]
    assert hub.argv[-4:] == ["--host", "127.0.0.1", "--port", "8800"]
    assert hub.env["SHOPDESK_RASA_URL"] == "http://127.0.0.1:6005"
    assert hub.env["SHOPDESK_SECRET_KEY"] == "k"
    assert all(
        c.env and c.env["SHOPDESK_DATABASE_URL"] == "sqlite:///var/x.db"
        for c in (rasa, actions, hub)
    )
