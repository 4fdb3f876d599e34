"""The small daemon (``run_monitor.py serve``): cron's jobs, scheduled in-process with ``schedule``.

- the daily sweep of every source at ``[schedule] sweep_at``;
- mention sources again every ``mentions_every_hours`` (0: daily only);
- the weekly officer report at ``weekly_report`` (e.g. "monday 07:00"), e-mailed to the officer;
- the monthly Board summary on ``monthly_report_day``, e-mailed to the Board.

Times are in ``[schedule] timezone``. A job that fails is logged and the daemon
goes on; SIGTERM or SIGINT stop it between jobs.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import datetime

import pytz
import schedule
from sqlalchemy.engine import Engine

from monitor.config import Settings
from monitor.delivery import send_report
from monitor.lock import SweepLocked
from monitor.mailer import can_send
from monitor.sweep import run_sweep, utcnow

log = logging.getLogger(__name__)


class Jobs:
    """What the daemon runs; each job logs its failure instead of raising."""

    def __init__(self, settings: Settings, engine: Engine, clock: Callable[[], datetime] = utcnow) -> None:
        self.settings, self.engine, self.clock = settings, engine, clock

    def _guarded(self, name: str, job: Callable[[], object]) -> None:
        try:
            job()
        except SweepLocked as exc:
            log.warning("%s skipped: %s", name, exc)
        except Exception:  # the daemon outlives any one job
            log.exception("%s failed", name)

    def sweep(self, only: str | None = None) -> None:
        def job() -> None:
            result = run_sweep(self.settings, self.engine, only=only, clock=self.clock)
            log.info("sweep %s: %d new posts, %d flagged, %d source(s) failed", result.run_id,
                     result.total("new"), result.total("flagged"), len(result.failed))
        self._guarded(f"sweep ({only or 'all sources'})", job)

    def report(self, kind: str) -> None:
        from reports.generate import write_report

        def job() -> None:
            now = self.clock()
            path = write_report(kind, self.engine, self.settings, None, now, self.settings.reports.output_dir)
            recipients = self.settings.reports.officer if kind == "weekly" else self.settings.reports.board
            if recipients and can_send(self.settings):
                send_report(self.engine, self.settings, path, recipients, now)
            log.info("%s report written: %s", kind, path)
        self._guarded(f"{kind} report", job)

    def monthly_report_if_due(self) -> None:
        local = self.clock().astimezone(pytz.timezone(self.settings.schedule.timezone))
        if local.day == self.settings.schedule.monthly_report_day:
            self.report("monthly")


def build_scheduler(settings: Settings, jobs: Jobs, scheduler: schedule.Scheduler | None = None) -> schedule.Scheduler:
    """Register the jobs of ``[schedule]`` on a scheduler."""
    plan = settings.schedule
    sched = scheduler or schedule.Scheduler()
    sched.every().day.at(plan.sweep_at, plan.timezone).do(jobs.sweep).tag("sweep")
    if plan.mentions_every_hours:
        sched.every(plan.mentions_every_hours).hours.do(jobs.sweep, only="mentions").tag("mentions")
    day, at = plan.weekly_report.split()
    getattr(sched.every(), day).at(at, plan.timezone).do(jobs.report, "weekly").tag("weekly")
    sched.every().day.at(at, plan.timezone).do(jobs.monthly_report_if_due).tag("monthly")
    return sched


def serve(settings: Settings, engine: Engine, stop: threading.Event | None = None,
          scheduler: schedule.Scheduler | None = None, max_idle: float = 60.0) -> None:
    """Run due jobs until ``stop`` is set (by SIGTERM/SIGINT when run from the command line)."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
    sched = scheduler or build_scheduler(settings, Jobs(settings, engine))
    for job in sched.get_jobs():
        log.info("scheduled: %s", job)
    while not stop.is_set():
        sched.run_pending()
        idle = sched.idle_seconds
        stop.wait(max(0.5, min(max_idle, idle if idle is not None else max_idle)))
    log.info("stopped")
