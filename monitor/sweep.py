"""One pass over every configured source.

For each source: read pages from its connector since the stored cursor, store
each page's posts with the cursor that is safe after it (one transaction),
then classify what is new. Every source is isolated: a failure is recorded in
``sweeps`` (the coverage gap the reports show) and the others go on.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from connectors.base import Connector, Post, RetriableError, SourceUnavailable, SweepContext
from connectors.registry import connector_class
from monitor import accounts, costs, store
from monitor.alerts import AlertOutcome, send_alerts
from monitor.classify import Classifier
from monitor.config import Settings, Source, author_kinds
from monitor.flagging import classify_pending
from monitor.lock import sweep_lock

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_PARTIAL = 3
EXIT_LOCKED = 75


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class SourceResult:
    source: str
    platform: str
    status: str = "running"
    fetched: int = 0
    new: int = 0
    flagged: int = 0
    reads: int = 0
    user_reads: int = 0
    dropped: int = 0
    pages: int = 0
    error: str | None = None


@dataclass
class SweepResult:
    run_id: str
    sources: list[SourceResult] = field(default_factory=list)
    alerts: AlertOutcome = field(default_factory=AlertOutcome)
    purged: int = 0

    @property
    def failed(self) -> list[SourceResult]:
        return [r for r in self.sources if r.status not in ("ok",)]

    @property
    def exit_code(self) -> int:
        return EXIT_PARTIAL if self.failed else EXIT_OK

    def total(self, key: str) -> int:
        return sum(getattr(r, key) for r in self.sources)


def default_connectors(settings: Settings) -> dict[str, Connector]:
    """One connector per kind of source configured."""
    return {kind: connector_class(kind).from_settings(settings) for kind in {s.kind for s in settings.sources}}


class _Attribution:
    """``author_kind`` and ``account`` come from the configured handles, not from the source."""

    def __init__(self, settings: Settings) -> None:
        self.kinds = author_kinds(settings)

    def __call__(self, post: Post) -> Post:
        if not post.author_handle:
            return post
        known = self.kinds.get((post.platform, post.author_handle.lower()))
        if known is None or (known[0], known[1]) == (post.author_kind, post.account):
            return post
        return replace(post, author_kind=known[0], account=known[1])


def run_sweep(settings: Settings, engine: Engine, *, only: str | None = None,
              clock: Callable[[], datetime] = utcnow, sleep: Callable[[float], None] = time.sleep,
              connectors: dict[str, Connector] | None = None, classifier: Classifier | None = None) -> SweepResult:
    """Sweep every enabled source under the sweep lock; ``only`` keeps the sources
    with that name, role (``mentions``, ``official``, ``personal``) or kind (``feed``...)."""
    sources = [s for s in settings.sources if s.enabled and only in (None, s.name, s.role, s.kind)]
    if only is not None and not sources:
        raise KeyError(f"no enabled source with the name, role or kind {only!r}")
    connectors = connectors or default_connectors(settings)
    classifier = classifier or Classifier(settings.society, thresholds=settings.thresholds)
    attribute = _Attribution(settings)
    result = SweepResult(run_id=clock().strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8])
    with sweep_lock(settings.lock_path()):
        # Posts a crashed run stored but never classified are classified first.
        classify_pending(engine, classifier, settings, clock)
        for source in sources:
            outcome = _sweep_source(source, settings, engine, connectors[source.kind], attribute, clock, sleep,
                                    result.run_id)
            if outcome.new_ids:
                counts = classify_pending(engine, classifier, settings, clock)
                outcome.result.flagged = sum(1 for i in outcome.new_ids if counts.get(i))
                store.finish_sweep_row(engine, outcome.row_id, flagged=outcome.result.flagged)
            result.sources.append(outcome.result)
        # The Social Media Officer hears of severe new flags at once.
        result.alerts = send_alerts(engine, settings, clock())
        # Personal data is kept no longer than the configured retention.
        result.purged = store.purge_expired(engine, clock(), settings.retention_days)
    return result


@dataclass
class _Outcome:
    result: SourceResult
    row_id: int
    new_ids: list[int]


def _sweep_source(source: Source, settings: Settings, engine: Engine, connector: Connector,
                  attribute: Callable[[Post], Post], clock: Callable[[], datetime],
                  sleep: Callable[[float], None], run_id: str) -> _Outcome:
    res = SourceResult(source.name, source.platform)
    row_id = store.start_sweep_row(engine, run_id, source.name, source.platform, clock())
    context = SweepContext(clock=clock, page_cap=source.page_cap or settings.sweep.page_cap,
                           timeout=settings.sweep.timeout_seconds, max_bytes=settings.sweep.max_bytes,
                           mentions=settings.society.mentioned_in,
                           account_ids=accounts.known_ids(engine, source.platform),
                           read_budget=costs.read_budget(engine, settings.costs, source.platform, run_id, clock()))
    new_ids: list[int] = []
    warnings: list[str] = []
    attempt = 0
    while True:
        try:
            cursor = store.load_cursor(engine, source.name)
            for page in connector.pages(source, cursor, context):
                posts = [attribute(p) for p in page.posts]
                ids = store.save_page(engine, source.name, posts, page.cursor, now=clock)
                new_ids.extend(ids)
                res.pages += 1
                res.fetched += len(posts)
                res.new += len(ids)
                res.reads += page.reads
                res.user_reads += page.user_reads
                accounts.observe(engine, settings, page.accounts, clock())
                res.dropped += page.dropped
                if page.warning:
                    warnings.append(page.warning)
            res.status = "ok"
            break
        except RetriableError as exc:
            attempt += 1
            wait = exc.retry_after if exc.retry_after is not None else min(2.0 ** attempt, 30.0)
            if attempt > settings.sweep.max_retries or wait > settings.sweep.max_wait_seconds:
                res.status, res.error = "failed", f"{exc} (gave up after {attempt} attempt(s))"
                break
            log.warning("%s: %s; retrying in %.0f s", source.name, exc, wait)
            sleep(wait)
        except SourceUnavailable as exc:
            res.status, res.error = "unavailable", exc.reason
            break
        except Exception as exc:  # one failing source never stops the others
            log.exception("%s: unexpected error", source.name)
            res.status, res.error = "failed", f"{type(exc).__name__}: {exc}"
            break
    if warnings and res.error is None:
        res.error = "; ".join(dict.fromkeys(warnings))
    store.finish_sweep_row(engine, row_id, finished_at=clock(), status=res.status, fetched=res.fetched,
                           new=res.new, reads=res.reads, user_reads=res.user_reads, dropped=res.dropped,
                           pages=res.pages, error=res.error)
    return _Outcome(res, row_id, new_ids)
