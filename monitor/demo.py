"""The offline demo: the bundled sample sources served on 127.0.0.1, swept through
the real connectors, classified, and reported.

The sample data has fixed dates and the demo runs on a fixed clock (the
morning after the sample data ends), so its reports do not depend on the day
it runs, and a second run on the same folder stores nothing twice.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from monitor.config import BUNDLED_CONFIG, REPO_ROOT, ReportSettings, Settings, load_settings
from monitor.store import open_store
from monitor.sweep import SweepResult, run_sweep

DEMO_FEEDS = REPO_ROOT / "config" / "demo" / "feeds"
DEMO_NOW = datetime(2026, 11, 9, 7, 0, tzinfo=UTC)


@dataclass
class DemoResult:
    sweep: SweepResult
    database: Path
    weekly: Path
    monthly: Path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the sample folder read-only; answers If-Modified-Since with 304."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".xml": "application/xml", ".rss": "application/rss+xml"}

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a free port) and yield its base URL."""
    handler = partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def demo_settings(base_url: str, output: Path) -> Settings:
    """The bundled configuration, its sample files read over HTTP, its outputs in ``output``."""
    settings = load_settings(BUNDLED_CONFIG)
    sources = []
    for source in settings.sources:
        path = Path(source.target)
        if path.is_absolute() and path.parent == DEMO_FEEDS:
            source = replace(source, target=f"{base_url}/{path.name}")
        sources.append(source)
    return replace(
        settings,
        sources=tuple(sources),
        database_url=f"sqlite:///{output.resolve() / 'monitor.db'}",
        sweep=replace(settings.sweep, lock_file=output.resolve() / "monitor.sweep.lock"),
        reports=ReportSettings(output_dir=output.resolve() / "reports"),
    )


def run_demo(output: Path, now: datetime = DEMO_NOW) -> DemoResult:
    """Sweep the sample sources into ``output``/monitor.db and write both PDFs."""
    from reports.generate import write_report

    output.mkdir(parents=True, exist_ok=True)
    with serve_folder(DEMO_FEEDS) as base_url:
        settings = demo_settings(base_url, output)
        engine = open_store(settings.database_url)
        result = run_sweep(settings, engine, clock=lambda: now)
    report_dir = settings.reports.output_dir
    weekly = write_report("weekly", engine, settings, None, now, report_dir)
    monthly = write_report("monthly", engine, settings, None, now, report_dir)
    engine.dispose()
    return DemoResult(result, output / "monitor.db", weekly, monthly)

