"""Bounded httpx for the atproto SDK (requests-based clients use connectors.api_http),
and the one mapping of an API's error status to the connector errors.

Every response is read within a total deadline and a size cap (on the decoded
body), and counted; the wait a rate limit asks for is read from the platform's
own headers (Retry-After, or its rate-limit reset against the server's Date).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime

import httpx

from connectors.base import RateLimited, RetriableError, SourceUnavailable
from connectors.http import CHUNK, raise_for_status, retry_after_seconds


def read_capped(chunks: Iterable[bytes], url: str, deadline: float, timeout: float, max_bytes: int) -> bytes:
    """Join ``chunks``, giving up past the deadline or the size cap."""
    body = bytearray()
    for chunk in chunks:
        body += chunk
        if len(body) > max_bytes:
            raise SourceUnavailable(f"{url}: response is over the size cap of {max_bytes:,} bytes")
        if time.monotonic() > deadline:
            raise RetriableError(f"{url}: response took longer than {timeout:g} s")
    return bytes(body)


class BoundedTransport(httpx.BaseTransport):
    """An httpx transport for atproto's client: bounded reads and a request count."""

    def __init__(self, timeout: float, max_bytes: int, inner: httpx.BaseTransport | None = None) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.inner = inner or httpx.HTTPTransport()
        self.count = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        deadline = time.monotonic() + self.timeout
        response = self.inner.handle_request(request)
        self.count += 1
        try:
            body = read_capped(response.iter_bytes(CHUNK), str(request.url), deadline, self.timeout, self.max_bytes)
        finally:
            response.close()
        headers = [(k, v) for k, v in response.headers.multi_items()
                   if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")]
        return httpx.Response(response.status_code, headers=headers, content=body, request=request,
                              extensions=response.extensions)

    def close(self) -> None:
        self.inner.close()


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds a 429 asks us to wait: ``Retry-After``, else the rate-limit window's reset
    (Mastodon ``X-RateLimit-Reset``, an ISO time; Bluesky ``RateLimit-Reset``, epoch
    seconds) counted from the server's own ``Date``, so no local clock is involved."""
    lower = {k.lower(): v for k, v in headers.items()}
    seconds = retry_after_seconds(lower.get("retry-after"))
    if seconds is not None:
        return seconds
    reset = lower.get("x-ratelimit-reset") or lower.get("ratelimit-reset")
    if not reset or not lower.get("date"):
        return None
    try:
        now = parsedate_to_datetime(lower["date"]).timestamp()
        when = float(reset) if reset.strip().isdigit() else datetime.fromisoformat(reset.strip()).timestamp()
    except (TypeError, ValueError, OverflowError):
        return None
    return max(0.0, when - now)


def raise_for_response(status: int, url: str, headers: Mapping[str, str]) -> None:
    """Raise the connector error for an HTTP error status (nothing for success)."""
    if status == 429:
        raise RateLimited(f"{url}: rate limited (HTTP 429)", retry_after(headers))
    raise_for_status(status, url, {k.lower(): v for k, v in headers.items()})
