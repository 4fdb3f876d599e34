"""HTML from templates/ (jinja2, autoescaped, strict) and PDF from HTML (weasyprint, no outside fetches).

The PDF may load only the report's own assets: its stylesheet and its charts,
served from memory under ``ASSET_BASE``. Anything else (a web address, a local
file, a data: URL) is refused by :class:`SafeURLFetcher`, whatever the HTML says.
No date or random identifier goes into the PDF (no dcterms dates in the HTML, no /ID,
font timestamps pinned), so the same HTML gives the same bytes.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import jinja2
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STYLESHEET = "report.css"
# A base that can never resolve (RFC 2606 ".invalid"): relative asset links land here.
ASSET_BASE = "https://report.invalid/"

log = logging.getLogger(__name__)


class RefusedURL(URLFetchingError):
    """The report asked for something that is not one of its own assets."""


class SafeURLFetcher(URLFetcher):
    """Serves only the given in-memory assets; every other URL is refused (and remembered).

    ``assets`` maps a path under ``ASSET_BASE`` to (bytes, media type). A
    refusal raises :class:`RefusedURL`, which WeasyPrint reports as a warning
    and renders around (a missing image), so hostile content cannot stop the report.
    """

    def __init__(self, assets: Mapping[str, tuple[bytes, str]]) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False)  # the parent would refuse too
        self.assets = {ASSET_BASE + name: content for name, content in assets.items()}
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        if url in self.assets:
            body, media_type = self.assets[url]
            return URLFetcherResponse(url, body, {"Content-Type": media_type})
        self.refused.append(url)
        log.warning("refused to fetch %.200s: reports load only their own assets", url)
        raise RefusedURL(f"not one of the report's assets: {url[:200]}")


class HasCharts(Protocol):
    """A report context: its charts are served as ``charts/<name>.svg``."""

    @property
    def charts(self) -> Mapping[str, str]: ...


@cache
def environment() -> jinja2.Environment:
    """The templates/ environment: autoescape on, undefined names are errors."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_html(template: str, context: Any) -> str:
    """The template filled from ``context`` (available to it as ``report``)."""
    return environment().get_template(template).render(report=context)


def report_assets(charts: Mapping[str, str]) -> dict[str, tuple[bytes, str]]:
    """The stylesheet from templates/ and the charts, by their paths under ASSET_BASE."""
    assets = {STYLESHEET: ((TEMPLATES / STYLESHEET).read_bytes(), "text/css")}
    assets.update({f"charts/{name}.svg": (svg.encode(), "image/svg+xml") for name, svg in charts.items()})
    return assets


@contextmanager
def _fixed_font_timestamps() -> Iterator[None]:
    """Pin the clock fontTools stamps rewritten fonts with (WeasyPrint rewrites the emoji font).

    fontTools honours SOURCE_DATE_EPOCH (reproducible builds); one already set is kept.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def pdf_bytes(html: str, fetcher: SafeURLFetcher) -> bytes:
    """The PDF of ``html``, loading only what ``fetcher`` serves; no dates or ids in the file."""
    document = HTML(string=html, base_url=ASSET_BASE, url_fetcher=fetcher).render()
    with _fixed_font_timestamps():
        return document.write_pdf(pdf_identifier=False)


def render_pdf(template: str, context: HasCharts, out_path: Path) -> bytes:
    """Render ``template`` with ``context`` to ``out_path`` (written atomically); return the PDF bytes."""
    data = pdf_bytes(render_html(template, context), SafeURLFetcher(report_assets(context.charts)))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_path.parent, prefix=f".{out_path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, out_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return data
