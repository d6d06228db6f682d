"""`shopdesk surveys retag`: tag past comments again after the topics changed.

`config/survey_topics.yml` is the ops team's to tune; comments tagged
before a change keep the old topics until they are tagged again. This
forgets them (all, or those submitted since a day) and tags them again at
once with a progress bar, one transaction per batch, so that the
dashboard's topic counts follow the new settings.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from crm.clock import SHOP_TZ
from crm.db import make_engine, make_session_factory, session_scope
from crm.settings import StoreSettings
from crm.surveys.tagging import tag_pending_comments, untag_comments
from crm.surveys.topics import default_tagger

surveys_app = typer.Typer(help="Survey answers: comment topics.")


@surveys_app.command("retag")
def retag(
    since: Annotated[
        str | None,
        typer.Option(help="Only comments submitted since this day (YYYY-MM-DD)."),
    ] = None,
) -> None:
    """Tag the comments again with the topics of config/survey_topics.yml."""
    start = None
    if since is not None:
        try:
            day = date.fromisoformat(since)
        except ValueError:
            typer.echo(f"--since: {since!r} is not a day like 2026-11-01.", err=True)
            raise typer.Exit(2) from None
        start = datetime.combine(day, time(), tzinfo=SHOP_TZ)
    engine = make_engine(StoreSettings().database_url)
    factory = make_session_factory(engine)
    try:
        with session_scope(factory) as session:
            total = untag_comments(session, since=start)
        tagger = default_tagger()
        done = 0
        columns = (TextColumn("comments"), BarColumn(), MofNCompleteColumn())
        with Progress(*columns) as progress:
            task = progress.add_task("comments", total=total)
            while True:
                with session_scope(factory) as session:
                    tagged = tag_pending_comments(session, tagger=tagger)
                if not tagged:
                    break
                done += tagged
                progress.update(task, completed=done)
    finally:
        engine.dispose()
    typer.echo(f"comments tagged again: {done} of {total}")
