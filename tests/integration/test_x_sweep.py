"""X sources swept into a real store: rate limits through the injectable clock,
read budgets and costs, resuming, and an unchanged second sweep that reads nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from connectors.x import XConnector
from connectors.x_payload import SNOWFLAKE_EPOCH_MS
from monitor import costs, store
from monitor.demo_x import DEMO_CREDENTIALS, XDemoAPI
from monitor.sweep import run_sweep
from tests.apiserver import ApiServer
from tests.integration.test_x_contract import NOW, X_ACCOUNTS, x_source

SOURCES = x_source("x-search", "search") + x_source("x-timeline", "timeline", role="official", account="member0")


def sweep(settings, engine, clock, base: str):  # noqa: ANN001, ANN201 - a SweepResult
    """One sweep with a fresh connector (nothing carried over in memory between sweeps)."""
    connector = XConnector.from_settings(settings, credentials=DEMO_CREDENTIALS, api_base=base)
    return run_sweep(settings, engine, clock=clock, sleep=clock.sleep, connectors={"x": connector})


def rows(engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(store.sweeps).order_by(store.sweeps.c.id))]


def stored(engine) -> int:
    with engine.connect() as conn:
        return len(conn.execute(select(store.posts.c.id)).all())


@pytest.fixture
def api():
    data = XDemoAPI.generated(57, NOW - timedelta(hours=1), spacing_seconds=600, authors=7, page_size=10)
    with ApiServer({"/x": data.handle}) as server:
        yield server


def test_an_unchanged_second_sweep_makes_one_request_per_source_and_reads_nothing(write_settings, engine, clock,
                                                                                  api):
    settings = write_settings(SOURCES, extra=X_ACCOUNTS)
    first = sweep(settings, engine, clock, api.base + "/x")
    assert first.exit_code == 0 and stored(engine) == 57
    # member0's id came with the search's expanded authors: no lookup was needed, and none is later.
    assert not any(c.path == "/x/2/users/by" for c in api.calls)
    api.calls.clear()
    clock.now += timedelta(days=1)
    second = sweep(settings, engine, clock, api.base + "/x")
    assert [(r.fetched, r.new, r.reads) for r in second.sources] == [(0, 0, 0), (0, 0, 0)]
    assert sorted(c.path for c in api.calls) == ["/x/2/tweets/search/recent", "/x/2/users/9000000/tweets"]


def rate_limited(reset_in: int):  # noqa: ANN201 - a handler
    def handle(method, path, query, headers):  # noqa: ANN001, ANN202
        reset = str(int(NOW.timestamp()) + reset_in)
        return 429, {"Content-Type": "application/json", "x-rate-limit-reset": reset}, b'{"title": "Too Many"}'
    return handle


def test_a_rate_limit_waits_until_x_rate_limit_reset_through_the_clock_then_gives_up(write_settings, engine, clock):
    settings = write_settings(x_source("x-search", "search"), extra=X_ACCOUNTS + "[sweep]\nmax_retries = 2\n")
    with ApiServer({"/x": rate_limited(30)}) as server:
        result = sweep(settings, engine, clock, server.base + "/x")
        assert len(server.calls) == 3
    assert clock.slept == [30.0, 30.0]
    assert result.sources[0].status == "failed" and "429" in result.sources[0].error
    assert store.load_cursor(engine, "x-search") is None


def test_a_reset_beyond_the_cap_gives_up_at_once(write_settings, engine, clock):
    settings = write_settings(x_source("x-search", "search"), extra=X_ACCOUNTS + "[sweep]\nmax_wait_seconds = 60\n")
    with ApiServer({"/x": rate_limited(900)}) as server:
        result = sweep(settings, engine, clock, server.base + "/x")
        assert len(server.calls) == 1
    assert clock.slept == [] and result.sources[0].status == "failed"


BUDGET = """
[costs.x]
price_per_post = 0.01
price_per_user = 0.02
reads_per_sweep = 25
reads_per_month = 40
"""


def test_read_budgets_per_sweep_and_per_month_are_kept_and_costed(write_settings, engine, clock, api):
    settings = write_settings(x_source("x-search", "search"), extra=X_ACCOUNTS + BUDGET)
    first = sweep(settings, engine, clock, api.base + "/x")
    assert 0 < first.sources[0].reads <= 25 and "read budget" in rows(engine)[-1]["error"]
    clock.now += timedelta(days=1)
    second = sweep(settings, engine, clock, api.base + "/x")
    assert 0 < second.sources[0].reads <= 40 - first.sources[0].reads
    api.calls.clear()
    clock.now += timedelta(days=1)
    third = sweep(settings, engine, clock, api.base + "/x")
    assert third.sources[0].reads == 0 and api.calls == [] and "read budget" in rows(engine)[-1]["error"]
    # Every post read was new (nothing read twice), and the month's reads and cost add up.
    assert stored(engine) == sum(r["new"] for r in rows(engine)) == sum(r["fetched"] for r in rows(engine))
    with engine.connect() as conn:
        month = costs.month_usage(conn, settings.costs, costs.month_start(NOW), NOW + timedelta(days=30))
        per_sweep = costs.sweep_usage(conn, settings.costs, NOW - timedelta(days=1), NOW + timedelta(days=30))
    reads = first.sources[0].reads + second.sources[0].reads
    users = first.sources[0].user_reads + second.sources[0].user_reads
    assert [(u.period, u.reads, u.user_reads) for u in month] == [("2026-11", reads, users)]
    assert month[0].cost_usd == pytest.approx((reads - users) * 0.01 + users * 0.02)
    assert [u.reads for u in per_sweep] == [first.sources[0].reads, second.sources[0].reads]


def snowflake(when) -> str:  # noqa: ANN001
    return str((int(when.timestamp() * 1000) - SNOWFLAKE_EPOCH_MS) << 22)


def test_a_since_id_older_than_recent_search_falls_back_to_start_time_and_reports_the_gap(
        write_settings, engine, clock, api):
    settings = write_settings(x_source("x-search", "search"), extra=X_ACCOUNTS)
    with engine.begin() as conn:
        store.save_cursor(conn, "x-search", {"since_id": snowflake(NOW - timedelta(days=10))}, NOW)
    result = sweep(settings, engine, clock, api.base + "/x")
    first = api.calls[0].query
    assert "since_id" not in first and first["start_time"] == [(NOW - timedelta(days=7, minutes=-1))
                                                               .strftime("%Y-%m-%dT%H:%M:%SZ")]
    assert result.sources[0].new == 57 and "seven days" in rows(engine)[-1]["error"]


def test_an_expired_page_token_resumes_below_the_oldest_post_read(write_settings, engine, clock, api):
    settings = write_settings(x_source("x-search", "search"), extra=X_ACCOUNTS)
    oldest = XDemoAPI.generated(57, NOW - timedelta(hours=1), 600).newest_first[19]["id"]
    window = {"start_time": (NOW - timedelta(days=6)).strftime("%Y-%m-%dT%H:%M:%SZ")}
    with engine.begin() as conn:
        store.save_cursor(conn, "x-search", {"window": window, "next_token": "expired", "pending_newest": "1",
                                             "oldest_id": oldest}, NOW)
    result = sweep(settings, engine, clock, api.base + "/x")
    assert result.sources[0].new == 37  # the 20 newest were read before the interruption
    assert api.calls[1].query["until_id"] == [oldest] and "pagination_token" not in api.calls[1].query
    assert store.load_cursor(engine, "x-search") == {"since_id": "1"}


def test_sweep_rows_keep_reads_and_user_reads(write_settings, engine, clock, api):
    settings = write_settings(x_source("x-search", "search"), extra=X_ACCOUNTS)
    result = sweep(settings, engine, clock, api.base + "/x")
    row = rows(engine)[-1]
    assert (row["reads"], row["user_reads"]) == (result.sources[0].reads, result.sources[0].user_reads)
    assert (row["reads"], row["user_reads"]) == (57 + 7, 7)
    assert json.loads(json.dumps(store.load_cursor(engine, "x-search"))) == store.load_cursor(engine, "x-search")
