"""Rendering: the strict autoescaping environment, the fetcher that serves only the report's assets,
deterministic charts and PDFs."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO

import jinja2
import pandas as pd
import pytest
from pypdf import PdfReader

from reports import charts
from reports.render import ASSET_BASE, RefusedURL, SafeURLFetcher, environment, pdf_bytes, render_pdf, report_assets


@dataclass
class RecordingServer:
    """A real HTTP server on 127.0.0.1 that records every request it gets."""

    port: int = 0
    log: list[str] = field(default_factory=list)


@pytest.fixture
def local_server() -> Iterator[RecordingServer]:
    record = RecordingServer()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            record.log.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    record.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield record
    server.shutdown()
    server.server_close()


def images_in(pdf: bytes) -> int:
    reader = PdfReader(BytesIO(pdf))
    return sum(len(page.images) for page in reader.pages)


def test_fetcher_serves_its_assets_and_refuses_everything_else(local_server: RecordingServer) -> None:
    fetcher = SafeURLFetcher({"report.css": (b"p { color: red }", "text/css")})
    response = fetcher(ASSET_BASE + "report.css")
    assert (response.read(), response.content_type) == (b"p { color: red }", "text/css")
    hostile = [f"http://127.0.0.1:{local_server.port}/x.png", "file:///etc/passwd", "data:image/png;base64,AAAA",
               ASSET_BASE + "../report.css", ASSET_BASE + "charts/missing.svg", "ftp://127.0.0.1/x"]
    for url in hostile:
        with pytest.raises(RefusedURL):
            fetcher(url)
    assert fetcher.refused == hostile
    assert local_server.log == []


def test_raw_html_asking_for_outside_resources_renders_without_fetching_them(local_server: RecordingServer) -> None:
    """Even HTML that escaped the templates cannot make the renderer reach out: the fetcher refuses."""
    base = f"http://127.0.0.1:{local_server.port}"
    html = f"""<html><head><link rel="stylesheet" href="{base}/style.css"><link rel="stylesheet" href="report.css">
      <style>@import url({base}/import.css); @font-face {{ font-family: X; src: url({base}/font.woff) }}</style>
      </head><body><p style="background: url({base}/y.css)">text</p>
      <img src="{base}/x.png"><img src="file:///etc/passwd"><object data="{base}/o.svg"></object>
      <svg width="10" height="10"><image href="{base}/svg.png" width="10" height="10"/></svg></body></html>"""
    fetcher = SafeURLFetcher(report_assets({}))
    pdf = pdf_bytes(html, fetcher)
    assert pdf.startswith(b"%PDF")
    assert local_server.log == []
    assert f"{base}/x.png" in fetcher.refused and "file:///etc/passwd" in fetcher.refused
    assert f"{base}/style.css" in fetcher.refused and f"{base}/y.css" in fetcher.refused
    assert images_in(pdf) == 0


def test_environment_autoescapes_and_is_strict() -> None:
    env = environment()
    assert env.from_string("{{ x }}").render(x="<script>") == "&lt;script&gt;"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()


def test_charts_are_real_text_without_dates_and_identical_each_time() -> None:
    volume = pd.DataFrame({"x": [1, 0, 4], "blog": [2, 3, 0]}, index=["Mon 02 Nov", "Tue 03 Nov", "Wed 04 Nov"])
    first, second = charts.daily_volume(volume), charts.daily_volume(volume.copy())
    assert first == second
    assert "<text" in first and "Tue" in first and "blog" in first  # labels are text, not glyph paths
    assert "<dc:date>" not in first
    assert not re.search(r'(?:href|src)="(?!#)', first)  # nothing outside the file
    clauses = pd.DataFrame({"2026-10": [3, 1], "2026-09": [1, 2]}, index=["6d", "6c"])
    assert charts.breaches_by_clause(clauses) == charts.breaches_by_clause(clauses)


@dataclass(frozen=True)
class TinyContext:
    society: str
    charts: dict[str, str]


def test_same_context_gives_the_same_pdf_bytes(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    template = tmp_path / "tiny.html"
    template.write_text('<html><head><link rel="stylesheet" href="report.css"></head><body>'
                        '<p class="society">{{ report.society }}</p><img src="charts/bars.svg"></body></html>')
    monkeypatch.setattr(environment(), "loader", jinja2.ChoiceLoader([environment().loader,
                                                                     jinja2.FileSystemLoader(tmp_path)]))
    svg = charts.breaches_by_clause(pd.DataFrame({"a": [1], "b": [2]}, index=["6d"]))
    context = TinyContext("Thornfield ☕ Society 中文", {"bars": svg})
    first = render_pdf("tiny.html", context, tmp_path / "one.pdf")
    second = render_pdf("tiny.html", context, tmp_path / "two.pdf")
    assert first == second == (tmp_path / "one.pdf").read_bytes()
    assert b"/CreationDate" not in first and b"/ModDate" not in first and b"/ID" not in first
    assert "Thornfield" in PdfReader(BytesIO(first)).pages[0].extract_text()
