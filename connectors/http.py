"""Bounded HTTP fetching: a total deadline, a size cap, conditional GET, and
errors mapped to the connector error types."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from connectors.base import RateLimited, RetriableError, SourceUnavailable

USER_AGENT = "society-social-monitor/0.1 (+policy monitoring; contact the Society's Social Media Officer)"
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Fetched:
    """One fetched document (``status`` 304 means unchanged, with an empty body)."""

    url: str
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def retry_after_seconds(value: str | None) -> float | None:
    """Parse a ``Retry-After`` header given in seconds (dates are rare: treated as unknown)."""
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def raise_for_status(status: int, url: str, headers: dict[str, str]) -> None:
    """Map an HTTP error status to the connector error the sweep understands."""
    if status < 400:
        return
    if status == 429:
        raise RateLimited(f"{url}: rate limited (HTTP 429)", retry_after_seconds(headers.get("retry-after")))
    if status in (401, 403):
        raise SourceUnavailable(f"{url}: access refused (HTTP {status})")
    if status in (404, 410):
        raise SourceUnavailable(f"{url}: not found (HTTP {status})")
    if status >= 500:
        raise RetriableError(f"{url}: server error (HTTP {status})", retry_after_seconds(headers.get("retry-after")))
    raise SourceUnavailable(f"{url}: HTTP {status}")


def fetch(url: str, *, timeout: float, max_bytes: int, etag: str | None = None,
          last_modified: str | None = None, session: requests.Session | None = None) -> Fetched:
    """GET ``url`` within ``timeout`` seconds in total and ``max_bytes`` of body."""
    headers = {"User-Agent": USER_AGENT,
               "Accept": "application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + timeout
    http = session or requests
    try:
        with http.get(url, headers=headers, timeout=timeout, stream=True, allow_redirects=True) as response:
            lower = {k.lower(): v for k, v in response.headers.items()}
            if response.status_code == 304:
                return Fetched(response.url, 304, b"", lower)
            raise_for_status(response.status_code, url, lower)
            declared = lower.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise SourceUnavailable(f"{url}: document of {int(declared):,} bytes is over the cap of {max_bytes:,}")
            chunks: list[bytes] = []
            size = 0
            # read1 returns what has arrived, so the deadline is checked as a slow body trickles in.
            while chunk := response.raw.read1(CHUNK, decode_content=True):
                size += len(chunk)
                if size > max_bytes:
                    raise SourceUnavailable(f"{url}: document is over the size cap of {max_bytes:,} bytes")
                if time.monotonic() > deadline:
                    raise RetriableError(f"{url}: download took longer than {timeout:g} s")
                chunks.append(chunk)
            return Fetched(response.url, response.status_code, b"".join(chunks), lower)
    except requests.Timeout:
        raise RetriableError(f"{url}: no response within {timeout:g} s") from None
    except requests.ConnectionError as exc:
        raise RetriableError(f"{url}: connection failed ({type(exc).__name__})") from None
    except requests.RequestException as exc:
        raise SourceUnavailable(f"{url}: {exc}") from None


def read_local(path: Path, max_bytes: int) -> Fetched:
    """Read a local file as if it had been fetched (size cap included)."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceUnavailable(f"{path}: file of {size:,} bytes is over the cap of {max_bytes:,}")
        return Fetched(str(path), 200, path.read_bytes())
    except FileNotFoundError:
        raise SourceUnavailable(f"{path}: no such file") from None
    except OSError as exc:
        raise SourceUnavailable(f"{path}: cannot read ({exc.strerror})") from None
