"""A real HTTP server on 127.0.0.1 that mounts API handlers under path prefixes, the way
the demo mounts monitor/demo_mastodon.py and monitor/demo_bluesky.py. Each handler is
``handle(method, path below the prefix, query, headers) -> (status, headers, body)``;
every request is logged."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

Handler = Callable[[str, str, dict[str, list[str]], dict[str, str]], tuple[int, dict[str, str], bytes]]


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, list[str]]
    status: int


class ApiServer:
    def __init__(self, mounts: dict[str, Handler]) -> None:
        self.mounts = mounts
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        server = self

        class Dispatch(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms stalls between a response's header and body

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                prefix = next((p for p in server.mounts if parts.path.startswith(p + "/")), None)
                if prefix is None:
                    status, headers, body = 404, {"Content-Type": "text/plain"}, b"no such mount"
                else:
                    status, headers, body = server.mounts[prefix](
                        self.command, parts.path[len(prefix):], query, dict(self.headers.items()))
                with server._lock:
                    server.calls.append(Call(self.command, parts.path, query, status))
                self.send_response_only(status)
                if not any(name.lower() == "date" for name in headers):
                    self.send_header("Date", self.date_time_string())
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Dispatch)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def paths(self) -> list[str]:
        with self._lock:
            return [c.path for c in self.calls]

    def __enter__(self) -> ApiServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
