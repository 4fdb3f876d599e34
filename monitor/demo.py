"""The offline demo: the bundled sample sources served on 127.0.0.1, swept through
the real connectors, classified, and reported.

The sample data has fixed dates and the demo runs on a fixed clock (the
morning after the sample data ends), so its reports do not depend on the day
it runs, and a second run on the same folder stores nothing twice.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from connectors.base import Connector
from monitor.config import BUNDLED_CONFIG, REPO_ROOT, ReportSettings, Settings, load_settings
from monitor.store import open_store
from monitor.sweep import SweepResult, default_connectors, run_sweep

DEMO_FEEDS = REPO_ROOT / "config" / "demo" / "feeds"
DEMO_NOW = datetime(2026, 11, 9, 7, 0, tzinfo=UTC)


@dataclass
class DemoResult:
    sweep: SweepResult
    database: Path
    weekly: Path
    monthly: Path


Handler = Callable[[str, str, dict[str, list[str]], dict[str, str]], tuple[int, dict[str, str], bytes]]


def api_mounts() -> dict[str, Handler]:
    """The platforms' stand-in APIs, each answering the real API's paths below its prefix."""
    from monitor import demo_bluesky, demo_mastodon, demo_reddit, demo_x

    return {"/x": demo_x.handle, "/reddit": demo_reddit.handle, "/mastodon": demo_mastodon.handle,
            "/bluesky": demo_bluesky.handle}


class _DemoHandler(http.server.SimpleHTTPRequestHandler):
    """The sample feeds as files (If-Modified-Since answered with 304), the APIs under their mounts."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".xml": "application/xml", ".rss": "application/rss+xml"}
    mounts: dict[str, Handler] = {}

    def _api(self) -> bool:
        parts = urlsplit(self.path)
        prefix = next((p for p in self.mounts if parts.path.startswith(p + "/")), None)
        if prefix is None:
            return False
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        status, headers, body = self.mounts[prefix](self.command, parts.path[len(prefix):], parse_qs(parts.query),
                                                    dict(self.headers.items()))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return True

    def do_GET(self) -> None:  # noqa: N802
        if not self._api():
            super().do_GET()

    def do_POST(self) -> None:  # noqa: N802
        if not self._api():
            self.send_error(405)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve_demo(folder: Path, mounts: dict[str, Handler]) -> Iterator[str]:
    """Serve ``folder`` and the API ``mounts`` on 127.0.0.1 (a free port); yield the base URL."""
    handler = partial(type("Handler", (_DemoHandler,), {"mounts": mounts}), directory=str(folder))
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
        if source.kind == "feed" and path.is_absolute() and path.parent == DEMO_FEEDS:
            source = replace(source, target=f"{base_url}/{path.name}")
        elif source.kind != "feed":  # API sources, off in the bundled config, read the stand-in APIs
            source = replace(source, enabled=True, target=f"{base_url}/{source.kind}")
        sources.append(source)
    return replace(
        settings,
        sources=tuple(sources),
        database_url=f"sqlite:///{output.resolve() / 'monitor.db'}",
        sweep=replace(settings.sweep, lock_file=output.resolve() / "monitor.sweep.lock"),
        reports=ReportSettings(output_dir=output.resolve() / "reports"),
    )


def demo_connectors(settings: Settings, base_url: str) -> dict[str, Connector]:
    """The real connectors, with stand-in credentials, sending to the demo's APIs."""
    from connectors.bluesky import BlueskyConnector
    from connectors.mastodon import MastodonConnector
    from monitor import demo_bluesky, demo_mastodon, demo_reddit, demo_x

    return {**default_connectors(settings),
            "x": demo_x.connector(settings, base_url + "/x"),
            "reddit": demo_reddit.connector(settings, base_url + "/reddit"),
            "mastodon": MastodonConnector.from_settings(settings, secrets=demo_mastodon.SECRETS),
            "bluesky": BlueskyConnector.from_settings(settings, secrets=demo_bluesky.SECRETS)}


def run_demo(output: Path, now: datetime = DEMO_NOW) -> DemoResult:
    """Sweep the sample sources into ``output``/monitor.db and write both PDFs."""
    from reports.generate import write_report

    output.mkdir(parents=True, exist_ok=True)
    with serve_demo(DEMO_FEEDS, api_mounts()) as base_url:
        settings = demo_settings(base_url, output)
        engine = open_store(settings.database_url)
        result = run_sweep(settings, engine, clock=lambda: now, connectors=demo_connectors(settings, base_url))
    report_dir = settings.reports.output_dir
    weekly = write_report("weekly", engine, settings, None, now, report_dir)
    monthly = write_report("monthly", engine, settings, None, now, report_dir)
    engine.dispose()
    return DemoResult(result, output / "monitor.db", weekly, monthly)

