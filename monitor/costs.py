"""What reading a paid API costs: prices and read budgets from ``[costs.<platform>]``,
the budget left for a source, and reads with their estimated cost per sweep
and per month (read from the ``sweeps`` table, for the weekly report).

X charges per read: a post read (default $0.005) and a user read (default
$0.010, the authors it expands), each billed once per UTC day. The connectors
count billable reads into ``sweeps.reads`` (of which ``sweeps.user_reads``
were users); nothing here talks to a platform.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from monitor.store import sweeps


@dataclass(frozen=True)
class Prices:
    """US dollars per read, and read budgets (None: no budget)."""

    post: float
    user: float
    reads_per_sweep: int | None = None
    reads_per_month: int | None = None

    def cost(self, reads: int, user_reads: int) -> float:
        return (reads - user_reads) * self.post + user_reads * self.user


DEFAULT_PRICES = {"x": Prices(post=0.005, user=0.010)}
_KEYS = {"price_per_post", "price_per_user", "reads_per_sweep", "reads_per_month"}


def parse_costs(ck: Any, data: dict[str, Any]) -> dict[str, Prices]:
    """``[costs.x]`` tables through the config loader's checker (every problem names file and key)."""
    table = ck.table(data, "costs", "")
    ck.unknown(table, "costs", set(DEFAULT_PRICES))
    out = {}
    for platform, default in DEFAULT_PRICES.items():
        path = f"costs.{platform}"
        raw = ck.table(table, platform, "costs")
        ck.unknown(raw, path, _KEYS)
        budget = "a whole number of reads >= 0"
        out[platform] = Prices(
            post=float(ck.get(raw, "price_per_post", path, (int, float), "US dollars per post read, >= 0",
                              default.post, check=lambda v: v >= 0)),
            user=float(ck.get(raw, "price_per_user", path, (int, float), "US dollars per user read, >= 0",
                              default.user, check=lambda v: v >= 0)),
            reads_per_sweep=ck.get(raw, "reads_per_sweep", path, int, budget, check=lambda v: v >= 0),
            reads_per_month=ck.get(raw, "reads_per_month", path, int, budget, check=lambda v: v >= 0),
        )
    return out


def month_start(now: datetime) -> datetime:
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def read_budget(engine: Engine, costs: dict[str, Prices], platform: str, run_id: str, now: datetime) -> int | None:
    """Reads a source of ``platform`` may still make: what this sweep's and this UTC month's
    budgets leave after the reads already recorded (None when the platform has no budget)."""
    prices = costs.get(platform)
    if prices is None or (prices.reads_per_sweep is None and prices.reads_per_month is None):
        return None
    total = func.coalesce(func.sum(sweeps.c.reads), 0)
    with engine.connect() as conn:
        in_run = conn.scalar(select(total).where(sweeps.c.platform == platform, sweeps.c.run_id == run_id))
        in_month = conn.scalar(select(total).where(sweeps.c.platform == platform,
                                                   sweeps.c.started_at >= month_start(now)))
    left = [limit - used for limit, used in ((prices.reads_per_sweep, in_run), (prices.reads_per_month, in_month))
            if limit is not None]
    return max(0, min(left))


@dataclass(frozen=True)
class Usage:
    """Reads of one platform in one sweep (``period`` is its run id) or one month (``2026-11``)."""

    period: str
    started_at: datetime
    platform: str
    reads: int
    user_reads: int
    cost_usd: float

    @property
    def post_reads(self) -> int:
        return self.reads - self.user_reads


def _usage(conn: Connection, costs: dict[str, Prices], since: datetime, until: datetime, by_month: bool) -> list[Usage]:
    rows = conn.execute(
        select(sweeps.c.run_id, sweeps.c.platform, func.min(sweeps.c.started_at), func.sum(sweeps.c.reads),
               func.sum(sweeps.c.user_reads))
        .where(sweeps.c.started_at >= since, sweeps.c.started_at < until, sweeps.c.reads > 0)
        .group_by(sweeps.c.run_id, sweeps.c.platform)).all()
    groups: dict[tuple[str, str], list[Any]] = {}
    for run_id, platform, started, reads, user_reads in rows:
        key = (started.strftime("%Y-%m") if by_month else run_id, platform)
        group = groups.setdefault(key, [started, 0, 0])
        group[0] = min(group[0], started)
        group[1] += int(reads or 0)
        group[2] += int(user_reads or 0)
    out = []
    for (period, platform), (started, reads, user_reads) in groups.items():
        prices = costs.get(platform)
        cost = round(prices.cost(reads, user_reads), 4) if prices else 0.0
        out.append(Usage(period, started, platform, reads, user_reads, cost))
    return sorted(out, key=lambda u: (u.started_at, u.platform, u.period))


def sweep_usage(conn: Connection, costs: dict[str, Prices], since: datetime, until: datetime) -> list[Usage]:
    """Reads and estimated cost of each sweep started in [since, until), per platform that read anything."""
    return _usage(conn, costs, since, until, by_month=False)


def month_usage(conn: Connection, costs: dict[str, Prices], since: datetime, until: datetime) -> list[Usage]:
    """The same, totalled per UTC month (pass ``month_start`` of a month for a month to date)."""
    return _usage(conn, costs, since, until, by_month=True)
