"""Prices and read budgets from [costs.x], the budget left for a source, reads and
estimated costs per sweep and per month, and the migration that added user reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, inspect, text

from connectors.base import ConfigError
from monitor import costs, store
from monitor.config import load_settings
from tests.conftest import SOCIETY_TOML

NOW = datetime(2026, 11, 20, 6, tzinfo=UTC)


def load(tmp_path: Path, extra: str):  # noqa: ANN201 - Settings
    path = tmp_path / "monitor.toml"
    path.write_text(SOCIETY_TOML + extra, encoding="utf-8")
    return load_settings(path)


def test_x_is_priced_by_default_and_the_config_can_set_prices_and_budgets(tmp_path):
    assert load(tmp_path, "").costs == {"x": costs.Prices(post=0.005, user=0.010)}
    settings = load(tmp_path, "[costs.x]\nprice_per_post = 0.004\nreads_per_sweep = 500\nreads_per_month = 9000\n")
    assert settings.costs["x"] == costs.Prices(0.004, 0.010, 500, 9000)


def test_every_costs_problem_names_the_file_the_key_and_the_expectation(tmp_path):
    with pytest.raises(ConfigError) as info:
        load(tmp_path, '[costs.x]\nprice_per_post = "cheap"\nreads_per_month = -1\nbudget = 3\n'
                       "[costs.reddit]\nprice_per_post = 0\n")
    message, path = str(info.value), str(tmp_path / "monitor.toml")
    assert f"{path}: costs.x.price_per_post: expected US dollars per post read, >= 0, got 'cheap'" in message
    assert f"{path}: costs.x.reads_per_month: expected a whole number of reads >= 0, got -1" in message
    assert f"{path}: costs.x.budget: expected no such key" in message
    assert f"{path}: costs.reddit: expected no such key (allowed: x)" in message


def record(engine, run: str, when: datetime, reads: int, users: int, platform: str = "x") -> None:  # noqa: ANN001
    row = store.start_sweep_row(engine, run, f"{platform}-{run}", platform, when)
    store.finish_sweep_row(engine, row, status="ok", reads=reads, user_reads=users, finished_at=when)


def test_the_budget_left_is_the_tighter_of_the_sweeps_and_the_months(engine):
    prices = {"x": costs.Prices(0.005, 0.01, reads_per_sweep=100, reads_per_month=250)}
    record(engine, "old", NOW - timedelta(days=25), 900, 0)  # last month: does not count
    record(engine, "a", NOW - timedelta(days=2), 120, 20)
    record(engine, "b", NOW, 40, 5)
    record(engine, "b", NOW, 10, 1, platform="reddit")
    assert costs.read_budget(engine, prices, "x", "b", NOW) == 60
    assert costs.read_budget(engine, prices, "x", "c", NOW) == 90  # 250 - 160 this month
    record(engine, "c", NOW, 100, 0)
    assert costs.read_budget(engine, prices, "x", "d", NOW) == 0
    assert costs.read_budget(engine, prices, "reddit", "b", NOW) is None
    assert costs.read_budget(engine, {"x": costs.Prices(0.005, 0.01)}, "x", "b", NOW) is None


def test_reads_and_estimated_cost_per_sweep_and_per_month(engine):
    prices = {"x": costs.Prices(0.005, 0.01)}
    record(engine, "r1", datetime(2026, 10, 30, 6, tzinfo=UTC), 300, 100)
    record(engine, "r2", datetime(2026, 11, 2, 6, tzinfo=UTC), 50, 10)
    record(engine, "r2", datetime(2026, 11, 2, 6, 1, tzinfo=UTC), 30, 0)
    with engine.connect() as conn:
        runs = costs.sweep_usage(conn, prices, datetime(2026, 11, 1, tzinfo=UTC), NOW)
        months = costs.month_usage(conn, prices, datetime(2026, 10, 1, tzinfo=UTC), NOW)
    assert [(u.period, u.reads, u.user_reads, u.post_reads, u.cost_usd) for u in runs] == [
        ("r2", 80, 10, 70, 0.45)]
    assert [(u.period, u.reads, u.cost_usd) for u in months] == [("2026-10", 300, 2.0), ("2026-11", 80, 0.45)]
    assert runs[0].started_at == datetime(2026, 11, 2, 6, tzinfo=UTC)


def test_an_older_database_gains_the_user_reads_column(engine):
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE sweeps DROP COLUMN user_reads"))
        conn.execute(delete(store.schema_migrations).where(store.schema_migrations.c.version == 2))
    assert store.migrate(engine) == [2]
    assert "user_reads" in {c["name"] for c in inspect(engine).get_columns("sweeps")}
    assert store.schema_version(engine) == 2
