"""The `shopdesk` command: seed, demo accounts, train, migrate, staff users, run.

Settings are read inside each command, never at import: tests point a
command at a throw-away database by setting `SHOPDESK_DATABASE_URL`.
Store commands need only the store's settings, so they work before a
secret key exists; `run` needs the hub's.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

import crm.all_models  # noqa: F401  (mappers name each other: import every table)
from bot.cli_import import import_app
from bot.cli_mail import mail_app
from bot.cli_surveys import surveys_app
from bot.settings import HubSettings, SettingsError, load_hub_settings, settings_table
from bot.stack import local_url, shopdesk_children
from bot.supervisor import supervise
from bot.training import TrainingFailed, train_if_needed, trained_model_path
from crm import clock
from crm.clock import SHOP_TZ
from crm.db import make_engine, make_session_factory, session_scope
from crm.demo.accounts import list_demo_accounts
from crm.demo.schemas import DemoAccount
from crm.demo.seed import seed_store
from crm.demo.staff import create_demo_staff, save_demo_logins
from crm.demo.timeline import latest_anchor
from crm.errors import AlreadySeeded, InvalidInput, StoreUnavailable, UserExists
from crm.health import check_store
from crm.migrate import upgrade_to_head
from crm.settings import PROJECT_ROOT, StoreSettings
from crm.staff.models import Role
from crm.staff.service import create_user

app = typer.Typer(
    help="shopdesk: customer-service chatbot for online shops (FR/EN).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # locals would print the secret key
)
db_app = typer.Typer(help="The store's database schema.", no_args_is_help=True)
user_app = typer.Typer(help="Staff logins for the console.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(import_app, name="import")
app.add_typer(mail_app, name="mail")
app.add_typer(surveys_app, name="surveys")

DEMO_LOGINS = PROJECT_ROOT / "var" / "demo-logins.txt"
console = Console()
SEED_HINT = "Run `shopdesk seed` first to build the demo store."


def fail(message: str) -> NoReturn:
    """Print `message` to stderr and leave with status 1."""
    typer.echo(message, err=True)
    raise typer.Exit(1)


def shown_url(url: str) -> str:
    """The database URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "?"


@contextmanager
def open_store(database_url: str) -> Iterator[sessionmaker[Session]]:
    """A session factory on the store, its engine disposed afterwards."""
    engine = make_engine(database_url)
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()


def migrate(database_url: str) -> None:
    """Bring the schema to head, or stop with a sentence if the store is unreachable."""
    try:
        upgrade_to_head(database_url)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        fail(f"Cannot reach the store at {shown_url(database_url)}: {reason}")


def count_orders(factory: sessionmaker[Session]) -> int:
    """Orders in the store; raises `StoreUnavailable` if it is not migrated."""
    with session_scope(factory) as session:
        return check_store(session)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the store's migrations up to the latest schema."""
    settings = StoreSettings()
    migrate(settings.database_url)
    typer.echo(f"The store at {shown_url(settings.database_url)} is up to date.")


def parse_anchor(value: str | None) -> date:
    """The seed's "today": given as YYYY-MM-DD, or the latest day whose noon passed."""
    if value is None:
        return latest_anchor(clock.now().astimezone(SHOP_TZ))
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a YYYY-MM-DD date") from None


def seed_with_progress(
    factory: sessionmaker[Session],
    *,
    orders: int,
    customers: int | None,
    seed: int,
    anchor: date,
    reset: bool,
) -> None:
    """Seed the store, drawing one progress bar per stage; print what was made.

    Raises:
        AlreadySeeded: the store holds data and `reset` is false.
    """
    columns = (
        TextColumn("{task.description:<14}"),
        BarColumn(),
        MofNCompleteColumn(),
    )
    with Progress(*columns, console=console) as progress:
        tasks: dict[str, TaskID] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        report = seed_store(
            factory,
            orders=orders,
            customers=customers,
            seed=seed,
            anchor=anchor,
            reset=reset,
            on_progress=on_progress,
        )
    for key, value in report.model_dump(mode="json").items():
        if isinstance(value, dict):
            counts = ", ".join(f"{k} {v:,}" for k, v in value.items())
            console.print(f"{key}: {counts}", soft_wrap=True, highlight=False)
        else:
            console.print(f"{key}: {value}", highlight=False)


@app.command()
def seed(
    orders: Annotated[int, typer.Option(min=1, help="Orders to create.")] = 10_000,
    customers: Annotated[
        int | None, typer.Option(min=1, help="Customers (default: from orders).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same data.")] = 42,
    reset: Annotated[bool, typer.Option(help="Wipe the store first.")] = False,
    anchor: Annotated[
        str | None, typer.Option(help="The demo's today (its now is noon), YYYY-MM-DD.")
    ] = None,
) -> None:
    """Build the deterministic demo store (migrates first)."""
    settings = StoreSettings()
    day = parse_anchor(anchor)
    migrate(settings.database_url)
    with open_store(settings.database_url) as factory:
        started = time.monotonic()
        try:
            seed_with_progress(
                factory,
                orders=orders,
                customers=customers,
                seed=seed,
                anchor=day,
                reset=reset,
            )
        except AlreadySeeded:
            existing = count_orders(factory)
            typer.echo(
                f"The store already holds {existing:,} orders; nothing was changed. "
                "Run `shopdesk seed --reset` to wipe it and seed again."
            )
            return
    typer.echo(f"Seeded in {time.monotonic() - started:.1f} s.")


@app.command("demo-accounts")
def demo_accounts(
    per_status: Annotated[int, typer.Option(min=1, help="Orders per status.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Demo orders per status, with the e-mail and postcode that prove identity."""
    settings = StoreSettings()
    with open_store(settings.database_url) as factory:
        try:
            existing = count_orders(factory)
        except StoreUnavailable as exc:
            fail(f"The store is not ready ({exc}). {SEED_HINT}")
        if existing == 0:
            fail(f"The store has no orders. {SEED_HINT}")
        with session_scope(factory) as session:
            accounts = list_demo_accounts(session, per_status=per_status)
    if as_json:
        rows = [account.model_dump(mode="json") for account in accounts]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    print_accounts(accounts)


def print_accounts(accounts: list[DemoAccount]) -> None:
    """One small table per status: a presenter looks up "a delayed order" first."""
    by_status: dict[str, list[DemoAccount]] = {}
    for account in accounts:
        by_status.setdefault(str(account.status), []).append(account)
    console.print("Quote the order number, then prove identity (e-mail or postcode).")
    for status, group in by_status.items():
        table = Table(title=status, title_justify="left", title_style="bold")
        table.add_column("Order", no_wrap=True)
        table.add_column("E-mail", overflow="fold")  # folded, never cut: it is copied
        for column in ("Postcode", "Lang", "Carrier"):
            table.add_column(column, no_wrap=True)
        table.add_column("Tracking", overflow="fold")
        for account in group:
            table.add_row(
                account.order_number,
                account.email,
                account.postcode,
                str(account.language),
                str(account.carrier or "-"),
                account.tracking_number or "-",
            )
        console.print(table)


@app.command()
def train(
    force: Annotated[bool, typer.Option(help="Train even if nothing changed.")] = False,
) -> None:
    """Train the Rasa model if its data or config changed."""
    started = time.monotonic()
    try:
        model, trained = train_if_needed(PROJECT_ROOT, force=force)
    except TrainingFailed as exc:
        fail(f"Training failed: {exc}")
    took = time.monotonic() - started
    where = (
        model.relative_to(PROJECT_ROOT) if model.is_relative_to(PROJECT_ROOT) else model
    )
    if trained:
        typer.echo(f"Trained a new model in {took:.0f} s: {where}")
    else:
        typer.echo(f"The model is up to date, reused ({took:.1f} s): {where}")


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="Login e-mail.")],
    first_name: Annotated[str, typer.Option(help="Shown to colleagues.")],
    role: Annotated[Role, typer.Option(help="What the user may open.")],
    password: Annotated[
        str | None, typer.Option(help="Asked for (hidden) when left out.")
    ] = None,
) -> None:
    """Create a staff login; the password is stored as an Argon2 hash only."""
    settings = StoreSettings()
    if password is None:
        password = str(
            typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        )
    with open_store(settings.database_url) as factory:
        try:
            with session_scope(factory) as session:
                user = create_user(
                    session,
                    email=email,
                    first_name=first_name,
                    role=role,
                    password=password,
                    now=clock.now(),
                )
        except (UserExists, InvalidInput) as exc:
            fail(f"No user created: {exc}.")
        except StoreUnavailable as exc:
            fail(f"No user created: {exc}. Run `shopdesk db upgrade` first.")
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            fail(f"No user created: the store answered {reason}")
    typer.echo(f"Created {user.role.value} user {user.email} (id {user.id}).")


@app.command("settings")
def settings_command() -> None:
    """Print every setting as a Markdown table (the README's settings section)."""
    typer.echo(settings_table())


def announce(settings: HubSettings) -> Callable[[], Awaitable[list[str]]]:
    """What to print once everything answers: where to go, and the health summary."""
    hub_url = local_url(settings.host, settings.port)

    async def lines() -> list[str]:
        try:
            async with httpx.AsyncClient(timeout=settings.health_timeout * 2) as c:
                health = (await c.get(f"{hub_url}/healthz")).json()
            summary = ", ".join(
                f"{part} {health[part]['status']}"
                for part in ("store", "rasa", "action_server")
            )
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            summary = f"could not read /healthz: {exc}"
        return [
            "shopdesk is up:",
            f"  shop + widget  {hub_url}/  (English: {hub_url}/?lang=en)",
            f"  agent console  {hub_url}/agent  (demo logins in {DEMO_LOGINS})",
            f"  ops dashboard  {hub_url}/ops  (the ops login in the same file)",
            "  e-mails        "
            + (
                f"SMTP {settings.smtp_host}"
                if settings.smtp_host
                else f".eml files in {settings.outbox_dir}"
            ),
            f"  health         {hub_url}/healthz  ({summary})",
            f"  rasa           {local_url('127.0.0.1', settings.rasa_port)}",
            f"  action server  {local_url('127.0.0.1', settings.action_port)}",
            "orders to try: `shopdesk demo-accounts` (e-mail and postcode prove "
            "identity)",
            "press Ctrl-C to stop everything",
        ]

    return lines


def prepare(settings: HubSettings) -> Path:
    """Migrate, seed the demo store if it is empty, train if needed; the model path.

    `make run` on a fresh clone must end with a working bot, so the empty
    store is seeded here with the default size.
    """
    migrate(settings.database_url)
    # Staff first: the demo's handoffs name the agents who took them.
    with open_store(settings.database_url) as factory, session_scope(factory) as s:
        logins = create_demo_staff(s, now=clock.now())
    if logins:
        save_demo_logins(DEMO_LOGINS, logins)
        console.print(f"Created demo staff logins: see {DEMO_LOGINS}.")
    with open_store(settings.database_url) as factory:
        if count_orders(factory) == 0:
            console.print("The store is empty: seeding the demo shop.")
            seed_with_progress(
                factory,
                orders=10_000,
                customers=None,
                seed=42,
                anchor=parse_anchor(None),
                reset=False,
            )
    if not trained_model_path(PROJECT_ROOT).is_file():
        console.print("Training the Rasa model (1-2 minutes)...")
    try:
        model, trained = train_if_needed(PROJECT_ROOT)
    except TrainingFailed as exc:
        fail(f"Training failed: {exc}")
    console.print(f"{'Trained' if trained else 'Reusing'} {model.name}.")
    return model


@app.command()
def run() -> None:
    """Migrate, seed if empty, train if needed, then run Rasa, actions and the hub."""
    try:
        settings = load_hub_settings()
    except SettingsError as exc:
        fail(str(exc))
    model = prepare(settings)
    # The children inherit the caller's environment (PATH, proxies, locale).
    children = shopdesk_children(settings, model, base_env=dict(os.environ))
    raise typer.Exit(supervise(children, on_ready=announce(settings)))
