"""The requests session the API connectors (tweepy, praw) send through.

Client libraries set no timeout (tweepy) or read bodies of any size, and their
base URLs are fixed inside them. Every request goes through :class:`ApiAdapter`
instead: a timeout, a total deadline and a size cap on the body, and, for the
demo and tests, a local base URL in place of the platform's origin.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from connectors.base import RetriableError, SourceUnavailable
from connectors.http import CHUNK


class ApiAdapter(HTTPAdapter):
    """Sends with a timeout, caps the body at ``max_bytes``, and optionally
    rewrites the origin to ``base_url`` (keeping the path and query)."""

    def __init__(self, timeout: float, max_bytes: int, base_url: str | None = None) -> None:
        super().__init__()
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.base_url = base_url.rstrip("/") if base_url else None

    def send(self, request: requests.PreparedRequest, stream: bool = False, timeout: Any = None,
             **kwargs: Any) -> requests.Response:
        if self.base_url:
            request.url = self.base_url + request.path_url
        response = super().send(request, stream=True, timeout=timeout or self.timeout, **kwargs)
        if stream:
            return response
        deadline = time.monotonic() + self.timeout
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                response.close()
                raise SourceUnavailable(f"{request.url}: response is over the size cap of {self.max_bytes:,} bytes")
            if time.monotonic() > deadline:
                response.close()
                raise RetriableError(f"{request.url}: download took longer than {self.timeout:g} s")
            chunks.append(chunk)
        response._content = b"".join(chunks)
        return response


def api_session(timeout: float, max_bytes: int, redirects: Mapping[str, str] | None = None,
                session: requests.Session | None = None) -> requests.Session:
    """A session (new, or the client's own) whose every request is bounded;
    ``redirects`` maps a platform origin (``https://api.twitter.com``) to a local base URL."""
    session = session or requests.Session()
    bounded = ApiAdapter(timeout, max_bytes)
    session.mount("https://", bounded)
    session.mount("http://", bounded)
    for origin, base in (redirects or {}).items():
        session.mount(origin.rstrip("/") + "/", ApiAdapter(timeout, max_bytes, base))
    return session
