"""A small real HTTP server on 127.0.0.1 for tests: serves documents with ETag
and Last-Modified, answers conditional GETs with 304, can trickle a body
slowly or fail on purpose, and logs every request."""

from __future__ import annotations

import http.server
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    trickle_seconds: float = 0.0  # pause between 1 KiB chunks
    send_length: bool = True


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    status: int


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                route = server.routes.get(self.path.split("?", 1)[0])
                status = 404 if route is None else route.status
                if route is not None and status == 200 and (
                        (route.etag and self.headers.get("If-None-Match") == route.etag)
                        or (route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified)):
                    status = 304
                with server._lock:
                    server.requests.append(Request("GET", self.path, dict(self.headers.items()), status))
                body = b"" if route is None or status == 304 else route.body
                if route is None:
                    body = b"<html><body>Not found</body></html>"
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", route.content_type if route else "text/html")
                    if route is not None:
                        for name, value in (("ETag", route.etag), ("Last-Modified", route.last_modified)):
                            if value:
                                self.send_header(name, value)
                        for name, value in route.headers.items():
                            self.send_header(name, value)
                    if route is None or route.send_length:
                        self.send_header("Content-Length", str(len(body)))
                    else:
                        self.send_header("Connection", "close")
                    self.end_headers()
                    if route is not None and route.trickle_seconds:
                        for i in range(0, len(body), 1024):
                            self.wfile.write(body[i:i + 1024])
                            self.wfile.flush()
                            time.sleep(route.trickle_seconds)
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                if route is not None and not route.send_length:
                    self.close_connection = True

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, **route: object) -> str:
        self.routes[path] = Route(**route)  # type: ignore[arg-type]
        return self.url(path)

    def hits(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path.split("?", 1)[0] == path]

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
