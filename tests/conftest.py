"""Shared fixtures: the store engine (a parameter, so PostgreSQL can join), a
feed server on 127.0.0.1, settings written as real TOML, and the one door to
the shared data folder beside the repository."""

from __future__ import annotations

import os
import socket
import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from monitor.config import Settings, load_settings
from monitor.store import open_store
from tests.feedserver import FeedServer

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"



def _postgres_url() -> str | None:
    """A PostgreSQL server for the store's tests: $MONITOR_TEST_POSTGRES_URL, else the one
    .ci/setup started (its URL in .venv/postgres-test-url), if it answers."""
    url = os.environ.get("MONITOR_TEST_POSTGRES_URL")
    marker = REPO / ".venv" / "postgres-test-url"
    if not url and marker.is_file():
        url = marker.read_text(encoding="utf-8").strip()
    if not url:
        return None
    from sqlalchemy import create_engine, text
    try:
        probe = create_engine(url, connect_args={"connect_timeout": 3})
        with probe.connect() as conn:
            conn.execute(text("SELECT 1"))
        probe.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means: no second backend here
        if os.environ.get("MONITOR_TEST_POSTGRES_URL"):
            raise RuntimeError(f"MONITOR_TEST_POSTGRES_URL does not answer: {exc}") from exc
        return None
    return url


POSTGRES_URL = _postgres_url()
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


@pytest.fixture
def shared_data() -> Path:
    """The shared data folder (../shared/data); tests that need it skip when it is absent."""
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"the shared data folder {data} is not beside the repository")
    return data


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'monitor.db'}"
        return
    from sqlalchemy import create_engine, text
    base = POSTGRES_URL
    schema_db = f"monitor_test_{os.getpid()}_{abs(hash(request.node.nodeid)) % 10**8}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{schema_db}"'))
    yield base.rsplit("/", 1)[0] + "/" + schema_db
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{schema_db}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def engine(database_url: str):
    eng = open_store(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    server.start()
    yield server
    server.stop()


class FixedClock:
    """An injectable clock that only moves when told to."""

    def __init__(self, start: datetime = datetime(2026, 11, 9, 6, 0, tzinfo=UTC)) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


SOCIETY_TOML = """
[society]
name = "Thornfield Local History Society"
aliases = ["Thornfield History Society", "TLHS"]
handles = ["ThornfieldLHS"]
hashtags = ["ThornfieldHistory"]

[[accounts]]
platform = "mastodon"
handle = "thornfieldlhs@mastodon.social"

[[people]]
id = "david-pryce"
name = "David Pryce"
role = "Treasurer"
bio = "Retired accountant."
accounts = [{ platform = "bluesky", handle = "davidpryce.bsky.social" }]
"""


@pytest.fixture
def write_settings(tmp_path: Path, database_url: str) -> Callable[..., Settings]:
    """Write a real TOML config (the Society above plus ``sources``) and load it."""

    def make(sources: str = "", extra: str = "") -> Settings:
        path = tmp_path / "monitor.toml"
        path.write_text(SOCIETY_TOML + f'\n[store]\ndatabase_url = "{database_url}"\n'
                        + textwrap.dedent(extra) + textwrap.dedent(sources), encoding="utf-8")
        return load_settings(path)

    return make


def feed_source(name: str, url: str, role: str = "mentions", platform: str = "web", **extra: str) -> str:
    """A [[sources]] table for a feed."""
    lines = [f'[[sources]]\nname = "{name}"\nkind = "feed"\nurl = "{url}"\nplatform = "{platform}"\nrole = "{role}"']
    lines += [f'{k} = "{v}"' for k, v in extra.items()]
    return "\n".join(lines) + "\n"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001, ANN201 - aiosmtpd's hook
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as probe:  # aiosmtpd needs a concrete port to check it started
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()
