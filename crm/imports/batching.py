"""Cutting an import into transactions, and saying where to resume after a failure.

Shared by the event files (`crm.imports.service`) and the catalogue
(`crm.imports.product_rows`): both commit per batch of rows, and a store
that fails mid-way must tell the shop from which line to run again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from crm.db import session_scope
from crm.errors import StoreUnavailable


class FromLines(Protocol):
    """Something read from one or more rows of the file (an order: several)."""

    @property
    def lines(self) -> tuple[int, ...]:
        """The spreadsheet lines it was read from."""
        ...


T = TypeVar("T", bound=FromLines)
R = TypeVar("R")


def batches(items: Iterator[T], size: int) -> Iterator[list[T]]:
    """Items grouped so that each group covers about `size` rows."""
    batch: list[T] = []
    rows = 0
    for item in items:
        batch.append(item)
        rows += len(item.lines)
        if rows >= size:
            yield batch
            batch, rows = [], 0
    if batch:
        yield batch


@contextmanager
def store_failure(batch: Sequence[FromLines], *, dry_run: bool) -> Iterator[None]:
    """Turn a database failure into `StoreUnavailable` naming where to resume."""
    line = batch[0].lines[0]
    try:
        yield
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0][:200]
        after = (
            "nothing was changed (dry run)"
            if dry_run
            else f"the rows before line {line} are imported: "
            "run the same import again to finish"
        )
        raise StoreUnavailable(
            f"the store failed on the rows from line {line} ({reason}); {after}"
        ) from exc


def run_in_batches(
    factory: sessionmaker[Session],
    chunks: Iterator[list[T]],
    work: Callable[[Session, list[T]], R],
    done: Callable[[list[T], R], None],
    *,
    dry_run: bool,
) -> None:
    """Do `work` on each batch, one transaction each, then tell `done`.

    A dry run does everything in one transaction rolled back at the end: the
    report is what the import would do, checked against the store, and
    nothing changes (objects are let go after each batch to keep memory
    flat over 100,000 rows).
    """
    if dry_run:
        session = factory()
        try:
            for batch in chunks:
                with store_failure(batch, dry_run=True):
                    result = work(session, batch)
                    session.flush()
                session.expunge_all()
                done(batch, result)
        finally:
            session.rollback()
            session.close()
        return
    for batch in chunks:
        with store_failure(batch, dry_run=False), session_scope(factory) as s:
            result = work(s, batch)
        done(batch, result)
