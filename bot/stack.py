"""The three processes of a shopdesk deployment, wired to each other by port.

`shopdesk run` supervises them; the conversation tests and `make eval` start
a throw-away Rasa server and action server with the same command lines
(`temporary_rasa`), so what is tested is what runs.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from bot.rasa_env import rasa_environment
from bot.routes.health import check_rasa
from bot.settings import HubSettings
from bot.supervisor import ChildSpec, ReadyCheck
from bot.training import train_if_needed
from crm.settings import PROJECT_ROOT

LOG_TAIL_LINES = 40


def rasa_argv(project_root: Path, model: Path, port: int) -> list[str]:
    """`rasa run` with its HTTP API on loopback only (`/model/parse`, `/status`).

    Started through `rasa_launcher/run_rasa.py`, which halves Rasa's CPU per
    turn (the action answers' schema is prepared once; see that file).
    """
    return [
        str(project_root / ".venv-rasa" / "bin" / "python"),
        str(project_root / "rasa_launcher" / "run_rasa.py"),
        *("run", "--enable-api", "-i", "127.0.0.1"),
        *("-p", str(port), "--model", str(model)),
        *("--endpoints", "endpoints.yml", "--credentials", "credentials.yml"),
    ]


def actions_argv(python: str, port: int) -> list[str]:
    """The rasa-sdk action server serving the `actions` package."""
    return [python, *("-m", "rasa_sdk", "--actions", "actions", "-p", str(port))]


RASA_READY_TIMEOUT = 300.0  # measured 27-56 s to load a model; noisy machines vary


def local_url(host: str, port: int) -> str:
    """A URL a local client can open, even when the server binds every interface."""
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def _ready_http(url: str, accept: Callable[[int], bool]) -> ReadyCheck:
    async def check() -> bool:
        async with httpx.AsyncClient(timeout=2.0) as client:
            return accept((await client.get(url)).status_code)

    return check


def _ready_rasa(url: str) -> ReadyCheck:
    async def check() -> bool:
        async with httpx.AsyncClient(timeout=2.0) as client:
            return (await check_rasa(client, url)).status == "up"

    return check


def shopdesk_children(
    settings: HubSettings,
    model: Path,
    *,
    base_env: Mapping[str, str],
    project_root: Path = PROJECT_ROOT,
    python: str = sys.executable,
) -> list[ChildSpec]:
    """Rasa, the action server and the hub, wired to each other by port.

    Under `run` the ports are the truth: the hub is told the Rasa and action
    server URLs that were started, whatever `SHOPDESK_RASA_URL` said, and
    every child gets the store URL and key explicitly (they may come from a
    `.env` the children, started elsewhere, would not read).
    """
    rasa_url = local_url("127.0.0.1", settings.rasa_port)
    actions_url = local_url("127.0.0.1", settings.action_port)
    hub_url = local_url(settings.host, settings.port)
    webhook = f"{actions_url}/webhook"
    common = {
        **base_env,
        "PYTHONUNBUFFERED": "1",  # line by line through the pipe, not in 8 kB gulps
        "SHOPDESK_DATABASE_URL": settings.database_url,
    }
    root = str(project_root)
    hub_bind = ("--host", settings.host, "--port", str(settings.port))
    rasa = ChildSpec(
        name="rasa",
        argv=rasa_argv(project_root, model, settings.rasa_port),
        # endpoints.yml wants the action webhook itself, not the server's base URL.
        env={**common, **rasa_environment(settings.database_url, webhook)},
        ready_check=_ready_rasa(rasa_url),
        ready_timeout=RASA_READY_TIMEOUT,
        ready_hint="loading the model, usually 30-60 s",
        cwd=root,
    )
    actions = ChildSpec(
        name="actions",
        argv=actions_argv(python, settings.action_port),
        env=common,
        ready_check=_ready_http(f"{actions_url}/health", lambda s: s == 200),
        cwd=root,
    )
    hub = ChildSpec(
        name="hub",
        argv=[python, *("-m", "uvicorn", "bot.app:create_app", "--factory"), *hub_bind],
        env={
            **common,
            "SHOPDESK_SECRET_KEY": settings.secret_key.get_secret_value(),
            "SHOPDESK_RASA_URL": rasa_url,
            "SHOPDESK_ACTION_SERVER_URL": actions_url,
        },
        # 503 is an answer too: the hub is up even while a component is not.
        ready_check=_ready_http(f"{hub_url}/healthz", lambda s: s in (200, 503)),
        cwd=root,
    )
    return [rasa, actions, hub]


def free_port() -> int:
    """A TCP port nothing listens on now (for throw-away servers)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _log_tail(path: Path) -> str:
    lines = path.read_text("utf-8", errors="replace").splitlines()
    return "\n".join(lines[-LOG_TAIL_LINES:])


def _wait_until_up(
    url: str, process: subprocess.Popen[bytes], log: Path, deadline: float
) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"{url} exited with {process.returncode}:\n{_log_tail(log)}"
            )
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1.0)
    raise RuntimeError(f"{url} did not answer in time:\n{_log_tail(log)}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def temporary_rasa(
    database_url: str,
    workdir: Path,
    *,
    project_root: Path = PROJECT_ROOT,
    timeout: float = RASA_READY_TIMEOUT,
) -> Iterator[str]:
    """Train if needed, start an action server and Rasa on free ports; yield Rasa's URL.

    Logs go to `workdir` (`rasa.log`, `actions.log`); a server that dies or
    never answers raises `RuntimeError` with the tail of its log.
    """
    model, _ = train_if_needed(project_root)
    action_port, rasa_port = free_port(), free_port()
    env = {
        **os.environ,
        "SHOPDESK_DATABASE_URL": database_url,
        **rasa_environment(database_url, f"http://127.0.0.1:{action_port}/webhook"),
    }
    with ExitStack() as stack:

        def start(argv: list[str], log: Path) -> subprocess.Popen[bytes]:
            out = stack.enter_context(log.open("wb"))
            process = subprocess.Popen(
                argv, cwd=project_root, env=env, stdout=out, stderr=subprocess.STDOUT
            )
            stack.callback(_stop, process)
            return process

        actions_log, rasa_log = workdir / "actions.log", workdir / "rasa.log"
        actions = start(actions_argv(sys.executable, action_port), actions_log)
        rasa = start(rasa_argv(project_root, model, rasa_port), rasa_log)
        deadline = time.monotonic() + timeout
        _wait_until_up(
            f"http://127.0.0.1:{action_port}/health", actions, actions_log, deadline
        )
        base_url = f"http://127.0.0.1:{rasa_port}"
        _wait_until_up(f"{base_url}/status", rasa, rasa_log, deadline)
        yield base_url


@contextmanager
def temporary_hub(
    database_url: str,
    rasa_url: str,
    workdir: Path,
    *,
    secret_key: str,
    project_root: Path = PROJECT_ROOT,
    timeout: float = 60.0,
    extra_env: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """Start the hub (uvicorn, one process) on a free port; yield its base URL.

    The command line is the one `shopdesk run` uses, so protocol tests,
    browser tests and the benchmark talk to the hub as a shop would.
    `extra_env` adds settings (e.g. the mailer's interval).
    """
    port = free_port()
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "SHOPDESK_DATABASE_URL": database_url,
        "SHOPDESK_SECRET_KEY": secret_key,
        "SHOPDESK_RASA_URL": rasa_url,
        **(extra_env or {}),
    }
    log = workdir / "hub.log"
    argv = [sys.executable, "-m", "uvicorn", "bot.app:create_app", "--factory"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*argv, "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
            cwd=project_root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            _wait_until_up(f"{base_url}/docs", process, log, time.monotonic() + timeout)
            yield base_url
        finally:
            _stop(process)
