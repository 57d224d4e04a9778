"""Columns that went quiet: a column with nothing in it, or nothing new for `stale_days` days
before as_of, is something the campaign office should notice before the public does.

`gongshi check` and `gongshi build` warn about them (W001, W002); warnings never stop a
build. The limit is `stale_days` in site_config.yml (default 30), which a column may override
with its own `stale_days`; 0 turns the check off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import Problems, Source
from .model import Article, Column, SiteConfig


@dataclass(frozen=True)
class QuietColumn:
    column: Column
    where: Source  # the column's entry in site_config.yml
    limit: int  # days
    newest: dt.date | None  # its newest record up to as_of; None when it has none


def quiet_columns(config: SiteConfig, columns: dict[str, list[Article]], as_of: dt.date) -> Iterator[QuietColumn]:
    """Every column with no record up to `as_of`, or none in the `limit` days before it."""
    for i, column in enumerate(config.columns):
        limit = config.stale_days if column.stale_days is None else column.stale_days
        if limit == 0:
            continue
        newest = max((r.date for r in columns[column.id] if r.date <= as_of), default=None)
        if newest is None or (as_of - newest).days > limit:
            yield QuietColumn(column, config.origin.key(f"columns[{i}]"), limit, newest)


def warn_quiet_columns(config: SiteConfig, columns: dict[str, list[Article]], as_of: dt.date,
                       problems: Problems) -> None:
    for quiet in quiet_columns(config, columns, as_of):
        names = {"name": quiet.column.name, "id": quiet.column.id, "as_of": as_of.isoformat()}
        if quiet.newest is None:
            problems.warn("W001", quiet.where, **names)
        else:
            problems.warn("W002", quiet.where, **names, days=(as_of - quiet.newest).days,
                          newest=quiet.newest.isoformat(), limit=quiet.limit)
