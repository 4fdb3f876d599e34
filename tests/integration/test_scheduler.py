"""The daemon: the jobs [schedule] asks for, run for real, surviving failures, stopping on request."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import schedule
from sqlalchemy import func, select

from monitor import store
from monitor.scheduler import Jobs, build_scheduler, serve
from tests.conftest import feed_source
from tests.feedfactory import item, rss

MONDAY = datetime(2026, 11, 9, 7, 0, tzinfo=UTC)
FIRST_OF_MONTH = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)


def settings_with_feed(write_settings, tmp_path, schedule_toml: str = ""):
    (tmp_path / "feed.xml").write_bytes(rss([item(1, "TLHS open day", when=datetime(2026, 11, 3, tzinfo=UTC))]))
    return write_settings(feed_source("blog", str(tmp_path / "feed.xml"), role="official", platform="blog"),
                          extra=f'[reports]\noutput_dir = "{tmp_path / "out"}"\n[schedule]\n{schedule_toml}\n')


def test_jobs_follow_the_configuration(write_settings, engine, tmp_path) -> None:
    settings = settings_with_feed(write_settings, tmp_path, 'sweep_at = "05:30"\nmentions_every_hours = 2\n'
                                  'weekly_report = "tuesday 08:15"\ntimezone = "Europe/London"')
    jobs = build_scheduler(settings, Jobs(settings, engine), schedule.Scheduler()).get_jobs()
    described = {next(iter(job.tags)): (job.interval, job.unit, job.start_day, str(job.at_time)) for job in jobs}
    assert described == {
        "sweep": (1, "days", None, "05:30:00"),
        "mentions": (2, "hours", None, "None"),
        "weekly": (1, "weeks", "tuesday", "08:15:00"),
        "monthly": (1, "days", None, "08:15:00"),
    }
    assert all(str(job.at_time_zone) == "Europe/London" for job in jobs if job.at_time)


def test_jobs_sweep_and_report(write_settings, engine, tmp_path) -> None:
    settings = settings_with_feed(write_settings, tmp_path)
    Jobs(settings, engine, clock=lambda: MONDAY).sweep()
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(store.posts)) == 1
    Jobs(settings, engine, clock=lambda: MONDAY).report("weekly")
    assert (tmp_path / "out" / "weekly-2026-W45.pdf").is_file()
    Jobs(settings, engine, clock=lambda: MONDAY).monthly_report_if_due()  # the 9th: not due
    assert not list((tmp_path / "out").glob("monthly-*.pdf"))
    Jobs(settings, engine, clock=lambda: FIRST_OF_MONTH).monthly_report_if_due()
    assert (tmp_path / "out" / "monthly-2026-11.pdf").is_file()


def test_a_failing_job_does_not_stop_the_daemon(write_settings, engine, tmp_path) -> None:
    settings = settings_with_feed(write_settings, tmp_path)
    ran: list[str] = []
    stop = threading.Event()
    sched = schedule.Scheduler()
    jobs = Jobs(settings, engine)

    def explode() -> None:
        ran.append("boom")
        raise RuntimeError("a job failed")

    def last() -> None:
        ran.append("after")
        stop.set()

    sched.every().second.do(jobs._guarded, "exploding job", explode)
    sched.every().second.do(last)
    runner = threading.Thread(target=serve, args=(settings, engine, stop, sched, 0.2))
    runner.start()
    runner.join(15)
    assert not runner.is_alive() and ran[:2] == ["boom", "after"]
