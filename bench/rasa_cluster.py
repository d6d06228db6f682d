"""The production shape `bench/chat_load.py` measures, built and torn down per run.

Issue 6 asks for Rasa as a shop runs it: two Sanic workers, the Redis lock
store and the SQL tracker store on PostgreSQL, the store in the same
database. Each run gets its own PostgreSQL database and Redis key prefix so
it can run beside the tests or a second benchmark, and leaves nothing behind.
Model loading takes most of a minute, so every server is started at once and
only then waited for.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from bot.rasa_env import rasa_environment
from bot.stack import actions_argv, free_port, rasa_argv
from bot.training import trained_model_path
from crm import clock
from crm.db import make_engine, make_session_factory
from crm.demo.seed import seed_store
from crm.migrate import upgrade_to_head
from crm.settings import PROJECT_ROOT

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
READY_LINE = "Rasa server is up and running."  # logged once per Sanic worker
MODEL_WAIT = 900.0  # the lead may be training; a training takes 1-15 min here
LOG_TAIL = 30

# Appended to the project's endpoints.yml, so that the tracker store and the
# action endpoint are exactly production's. Rasa 3.6 accepts only an
# alphanumeric key prefix (it silently drops any other).
LOCK_STORE = """
lock_store:
  type: redis
  url: {host}
  port: {port}
  key_prefix: {prefix}
"""


def wait_for_model(root: Path = PROJECT_ROOT, timeout: float = MODEL_WAIT) -> Path:
    """The trained model for the current data, waiting while someone trains it.

    Never trains: `train_if_needed` would, and a benchmark that silently
    spends minutes training (on the cores it is about to measure) lies.
    """
    model = trained_model_path(root)
    deadline = time.monotonic() + timeout
    while not model.is_file():
        if time.monotonic() > deadline:
            raise RuntimeError(f"no model {model.name}: run `make train` first")
        print(f"waiting for {model.name} (being trained?)", flush=True)
        time.sleep(15)
    return model


@contextmanager
def bench_database(
    orders: int, *, admin_url: str = ADMIN_URL, seed: int = 42
) -> Iterator[str]:
    """A new PostgreSQL database, migrated and seeded; dropped on the way out.

    `WITH (FORCE)` drops it even if a killed server left a connection open:
    a benchmark run must not leave gigabytes of tracker events behind.
    """
    name = f"shopdesk_bench_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade_to_head(url)
        engine = make_engine(url)
        try:
            seed_store(
                make_session_factory(engine),
                orders=orders,
                seed=seed,
                anchor=clock.today(),
            )
        finally:
            engine.dispose()
        yield url
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def write_endpoints(workdir: Path, prefix: str, root: Path = PROJECT_ROOT) -> Path:
    """The project's endpoints.yml plus a Redis lock store under `prefix`."""
    text = (root / "endpoints.yml").read_text("utf-8")
    text += LOCK_STORE.format(host=REDIS_HOST, port=REDIS_PORT, prefix=prefix)
    path = workdir / "endpoints.yml"
    path.write_text(text, "utf-8")
    return path


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def _tail(path: Path) -> str:
    lines = path.read_text("utf-8", errors="replace").splitlines()
    return "\n".join(lines[-LOG_TAIL:])


@dataclass
class Server:
    """One child process in its own process group, logging to a file.

    Its own group because Rasa with several Sanic workers forks them: stopping
    the group stops the workers too, and never anything this run did not start.
    """

    name: str
    argv: list[str]
    env: Mapping[str, str]
    log: Path
    cwd: Path = PROJECT_ROOT
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    def start(self) -> None:
        """Launch without waiting (model loads overlap)."""
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                self.argv,
                cwd=self.cwd,
                env=dict(self.env),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def check_alive(self) -> None:
        """Raise with the log's tail if the process has exited."""
        if self.process is None or self.process.poll() is not None:
            code = self.process.returncode if self.process else None
            raise RuntimeError(f"{self.name} exited with {code}:\n{_tail(self.log)}")

    def stop(self) -> None:
        """SIGTERM the group, then SIGKILL what is left; safe to call twice.

        The second signal also catches forked workers that outlive their parent.
        """
        process, self.process = self.process, None
        if process is None:
            return
        _signal_group(process.pid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)
        _signal_group(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def wait_http(self, url: str, deadline: float) -> None:
        """Poll `url` until it answers 200."""
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                if httpx.get(url, timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1.0)
        raise RuntimeError(f"{self.name} did not answer in time:\n{_tail(self.log)}")

    def wait_log(self, line: str, count: int, deadline: float) -> None:
        """Wait until `line` was logged `count` times (once per Sanic worker).

        `/status` answers as soon as one worker has its model; the other may
        still be loading and would not take connections for a while.
        """
        while time.monotonic() < deadline:
            self.check_alive()
            if self.log.read_text("utf-8", errors="replace").count(line) >= count:
                return
            time.sleep(1.0)
        raise RuntimeError(
            f"{self.name}: {count} x {line!r} not seen:\n{_tail(self.log)}"
        )


@dataclass
class RasaServer:
    """A `rasa run` with `workers` Sanic workers and where it listens."""

    server: Server
    url: str
    workers: int


class Cluster:
    """The action server and Rasa servers of one run, on one database."""

    def __init__(self, database_url: str, model: Path, workdir: Path) -> None:
        self.database_url = database_url
        self.model = model
        self.workdir = workdir
        self.prefix = f"shopdeskbench{secrets.token_hex(4)}"
        self.endpoints = write_endpoints(workdir, self.prefix)
        action_port = free_port()
        self.actions = Server(
            "actions",
            actions_argv(sys.executable, action_port),
            {
                **os.environ,
                "PYTHONUNBUFFERED": "1",
                "SHOPDESK_DATABASE_URL": database_url,
            },
            workdir / "actions.log",
        )
        self.actions_url = f"http://127.0.0.1:{action_port}"
        self.rasas: list[RasaServer] = []

    def start_actions(self) -> None:
        """Start the rasa-sdk action server (all Rasa servers share it)."""
        self.actions.start()

    def start_rasa(self, workers: int) -> RasaServer:
        """Start `rasa run` with SANIC_WORKERS=`workers` and the Redis lock store."""
        port = free_port()
        argv = rasa_argv(PROJECT_ROOT, self.model, port)
        argv[argv.index("--endpoints") + 1] = str(self.endpoints)
        env = {
            **os.environ,
            **rasa_environment(self.database_url, f"{self.actions_url}/webhook"),
            "SANIC_WORKERS": str(workers),
        }
        log = self.workdir / f"rasa-{workers}w-{port}.log"
        rasa = RasaServer(
            Server(f"rasa ({workers} workers)", argv, env, log),
            f"http://127.0.0.1:{port}",
            workers,
        )
        rasa.server.start()
        self.rasas.append(rasa)
        return rasa

    def wait_ready(self, timeout: float = 600.0) -> None:
        """Wait for the action server and every Rasa server's every worker."""
        deadline = time.monotonic() + timeout
        self.actions.wait_http(f"{self.actions_url}/health", deadline)
        for rasa in self.rasas:
            rasa.server.wait_http(f"{rasa.url}/status", deadline)
            rasa.server.wait_log(READY_LINE, rasa.workers, deadline)

    def stop(self) -> None:
        """Stop every server, then drop the run's lock keys from Redis."""
        for rasa in self.rasas:
            rasa.server.stop()
        self.actions.stop()
        drop_lock_keys(self.prefix)


def drop_lock_keys(prefix: str) -> None:
    """Delete the run's ticket locks (normally none: Rasa deletes a lock when done).

    Rasa's venv has the redis client; the app's does not, and a benchmark is
    no reason to add a dependency.
    """
    code = (
        "import sys, redis\n"
        "r = redis.Redis(host=sys.argv[1], port=int(sys.argv[2]), db=1)\n"
        "keys = list(r.scan_iter(sys.argv[3] + ':*'))\n"
        "r.delete(*keys) if keys else None\n"
    )
    python = PROJECT_ROOT / ".venv-rasa" / "bin" / "python"
    subprocess.run(
        [str(python), "-c", code, REDIS_HOST, str(REDIS_PORT), prefix],
        check=False,
        capture_output=True,
        timeout=30,
    )
