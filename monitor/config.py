"""Loading and validating the TOML configuration into a frozen settings object.

Every problem in a file is collected and reported at once, each naming the
file, the key and what was expected. Secrets never live in the file: they are
read from the environment (or an untracked ``.env`` beside the config).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytz

from connectors.base import PLATFORMS, ConfigError
from connectors.registry import CONNECTORS
from monitor.classify.types import CLAUSES
from monitor.costs import Prices, parse_costs
from monitor.names import SocietyNames

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = Path("config/monitor.toml")
BUNDLED_CONFIG = REPO_ROOT / "config" / "monitor.example.toml"

# Connector kinds a source may name; each connector validates its own [sources.options].
SOURCE_KINDS = tuple(CONNECTORS)
SOURCE_ROLES = ("official", "personal", "mentions")
SEVERITIES = ("low", "medium", "high", "critical")
SECRET_WORDS = re.compile(r"(password|passwd|secret|token|api_key|apikey|bearer)", re.I)
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Account:
    platform: str
    handle: str


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str
    bio: str
    accounts: tuple[Account, ...]


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    target: str
    platform: str
    role: str
    person: str | None = None
    account: str | None = None
    page_cap: int | None = None
    enabled: bool = True
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SweepSettings:
    page_cap: int = 10
    timeout_seconds: float = 20.0
    max_bytes: int = 20_000_000
    batch_size: int = 500
    max_retries: int = 2
    max_wait_seconds: float = 60.0
    lock_file: Path | None = None


@dataclass(frozen=True)
class AlertSettings:
    severities: tuple[str, ...] = ("high", "critical")
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_starttls: bool = True
    sender: str | None = None
    recipients: tuple[str, ...] = ()
    webhook_url: str | None = None
    max_age_days: int = 7


@dataclass(frozen=True)
class ReportSettings:
    output_dir: Path = Path("reports")
    officer: tuple[str, ...] = ()
    board: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScheduleSettings:
    sweep_at: str = "06:00"
    mentions_every_hours: int = 0
    weekly_report: str = "monday 07:00"
    monthly_report_day: int = 1
    timezone: str = "Europe/London"


@dataclass(frozen=True)
class Settings:
    """The whole validated configuration. Frozen: nothing changes it after loading."""

    path: Path | None
    society: SocietyNames
    database_url: str
    retention_days: int
    official_accounts: tuple[Account, ...]
    people: tuple[Person, ...]
    approved_accounts: tuple[Account, ...]
    sources: tuple[Source, ...]
    sweep: SweepSettings
    alerts: AlertSettings
    reports: ReportSettings
    schedule: ScheduleSettings
    thresholds: dict[str, float] = field(default_factory=dict)
    costs: dict[str, Prices] = field(default_factory=dict)  # [costs.x]: prices per read and read budgets

    def source(self, name: str) -> Source:
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(name)

    def person(self, person_id: str) -> Person:
        for person in self.people:
            if person.id == person_id:
                return person
        raise KeyError(person_id)

    def lock_path(self) -> Path:
        if self.sweep.lock_file is not None:
            return self.sweep.lock_file
        db = sqlite_path(self.database_url)
        base = db.parent if db else Path(".")
        return base / "monitor.sweep.lock"

    def secret(self, name: str) -> str | None:
        """A secret from the environment (never from the file)."""
        return os.environ.get(name) or None


def sqlite_path(database_url: str) -> Path | None:
    """The file behind a ``sqlite:///`` URL, or None for other databases."""
    prefix = "sqlite:///"
    if database_url.startswith(prefix) and database_url != prefix + ":memory:":
        return Path(database_url[len(prefix):])
    return None


# --- validation ---------------------------------------------------------------


class _Checker:
    """Reads typed values out of TOML tables, collecting every problem."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[str] = []

    def problem(self, key: str, expected: str, got: Any = None) -> None:
        shown = "" if got is None else f", got {_describe(got)}"
        self.problems.append(f"{self.file}: {key}: expected {expected}{shown}")

    def table(self, data: dict[str, Any], key: str, path: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            self.problem(_join(path, key), "a table", value)
            return {}
        return value

    def tables(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem(key, f"an array of tables ([[{key}]])", value)
            return []
        return value

    def get(self, data: dict[str, Any], key: str, path: str, kind: type | tuple[type, ...], expected: str,
            default: Any = None, required: bool = False, check: Callable[[Any], bool] | None = None) -> Any:
        full = _join(path, key)
        if key not in data:
            if required:
                self.problem(full, f"{expected} (required)")
            return default
        value = data[key]
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            self.problem(full, expected, value)
            return default
        if not isinstance(value, kind) or (check is not None and not check(value)):
            self.problem(full, expected, value)
            return default
        return value

    def strings(self, data: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = self.get(data, key, path, list, "a list of strings", default=[])
        if not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(_join(path, key), "a list of non-empty strings", value)
            return ()
        return tuple(value)

    def unknown(self, data: dict[str, Any], path: str, allowed: set[str]) -> None:
        for key in data:
            if key in allowed:
                continue
            full = _join(path, key)
            if SECRET_WORDS.search(key):
                env = "MONITOR_" + re.sub(r"\W", "_", full).upper()
                self.problems.append(
                    f"{self.file}: {full}: secrets are not allowed in the config file; "
                    f"set the environment variable {env} instead")
            else:
                self.problem(full, "no such key (allowed: " + ", ".join(sorted(allowed)) + ")")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _account(ck: _Checker, data: Any, path: str) -> Account | None:
    if not isinstance(data, dict):
        ck.problem(path, "a table with platform and handle", data)
        return None
    ck.unknown(data, path, {"platform", "handle"})
    platform = ck.get(data, "platform", path, str, "one of " + ", ".join(PLATFORMS), required=True,
                      check=lambda v: v in PLATFORMS)
    handle = ck.get(data, "handle", path, str, "a non-empty handle", required=True, check=lambda v: bool(v.strip()))
    if platform and handle:
        return Account(platform, handle.strip().lstrip("@"))
    return None


def _resolve_path(base: Path, value: str) -> str:
    """Resolve a relative local path against the config file's folder; leave URLs alone."""
    if "://" in value:
        return value
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else (base / path).resolve())


def _database_url(base: Path, value: str) -> str:
    path = sqlite_path(value)
    if path is not None and not path.is_absolute():
        return "sqlite:///" + str((base / path).resolve())
    return value


def parse_settings(data: dict[str, Any], file: str, base: Path) -> Settings:
    """Validate a parsed TOML document. Raises ConfigError listing every problem."""
    ck = _Checker(file)
    ck.unknown(data, "", {"society", "store", "sweep", "accounts", "people", "approved_accounts", "sources",
                          "alerts", "reports", "schedule", "thresholds", "costs"})

    soc = ck.table(data, "society", "")
    ck.unknown(soc, "society", {"name", "aliases", "handles", "hashtags"})
    society = SocietyNames(
        name=ck.get(soc, "name", "society", str, "the Society's name", default="", required=True,
                    check=lambda v: bool(v.strip())),
        aliases=ck.strings(soc, "aliases", "society"),
        handles=tuple(h.lstrip("@") for h in ck.strings(soc, "handles", "society")),
        hashtags=tuple(h.lstrip("#") for h in ck.strings(soc, "hashtags", "society")),
    )

    store = ck.table(data, "store", "")
    ck.unknown(store, "store", {"database_url", "retention_days"})
    database_url = ck.get(store, "database_url", "store", str, "a SQLAlchemy URL such as sqlite:///monitor.db",
                          default="sqlite:///monitor.db", check=lambda v: "://" in v)
    retention_days = ck.get(store, "retention_days", "store", int, "a whole number of days >= 1",
                            default=400, check=lambda v: v >= 1)

    sw = ck.table(data, "sweep", "")
    ck.unknown(sw, "sweep", {"page_cap", "timeout_seconds", "max_bytes", "batch_size", "max_retries",
                             "max_wait_seconds", "lock_file"})
    lock_file = ck.get(sw, "lock_file", "sweep", str, "a file path")
    sweep = SweepSettings(
        page_cap=ck.get(sw, "page_cap", "sweep", int, "an integer >= 1", 10, check=lambda v: v >= 1),
        timeout_seconds=float(ck.get(sw, "timeout_seconds", "sweep", (int, float), "a number of seconds > 0", 20.0,
                                     check=lambda v: v > 0)),
        max_bytes=ck.get(sw, "max_bytes", "sweep", int, "a number of bytes >= 1024", 20_000_000,
                         check=lambda v: v >= 1024),
        batch_size=ck.get(sw, "batch_size", "sweep", int, "an integer >= 1", 500, check=lambda v: v >= 1),
        max_retries=ck.get(sw, "max_retries", "sweep", int, "an integer >= 0", 2, check=lambda v: v >= 0),
        max_wait_seconds=float(ck.get(sw, "max_wait_seconds", "sweep", (int, float), "a number of seconds >= 0",
                                      60.0, check=lambda v: v >= 0)),
        lock_file=Path(_resolve_path(base, lock_file)) if lock_file else None,
    )

    official = tuple(a for i, raw in enumerate(ck.tables(data, "accounts"))
                     if (a := _account(ck, raw, f"accounts[{i}]")) is not None)
    approved = tuple(a for i, raw in enumerate(ck.tables(data, "approved_accounts"))
                     if (a := _account(ck, raw, f"approved_accounts[{i}]")) is not None)

    people: list[Person] = []
    for i, raw in enumerate(ck.tables(data, "people")):
        path = f"people[{i}]"
        ck.unknown(raw, path, {"id", "name", "role", "bio", "accounts"})
        accounts_raw = ck.get(raw, "accounts", path, list, "an array of {platform, handle} tables", default=[])
        people.append(Person(
            id=ck.get(raw, "id", path, str, "a lower-case id such as 'jane-doe'", default="", required=True,
                      check=lambda v: bool(NAME_RE.match(v))),
            name=ck.get(raw, "name", path, str, "the person's name", default="", required=True),
            role=ck.get(raw, "role", path, str, "a role such as 'trustee'", default=""),
            bio=ck.get(raw, "bio", path, str, "the declared bio or personal-capacity statement", default=""),
            accounts=tuple(a for j, acc in enumerate(accounts_raw)
                           if (a := _account(ck, acc, f"{path}.accounts[{j}]")) is not None),
        ))
    person_ids = [p.id for p in people]
    for dup in sorted({p for p in person_ids if person_ids.count(p) > 1}):
        ck.problem("people", f"unique ids (duplicate {dup!r})")

    sources: list[Source] = []
    for i, raw in enumerate(ck.tables(data, "sources")):
        path = f"sources[{i}]"
        ck.unknown(raw, path, {"name", "kind", "url", "platform", "role", "person", "account", "page_cap", "enabled",
                               "options"})
        kind = ck.get(raw, "kind", path, str, "one of " + ", ".join(SOURCE_KINDS), default="feed",
                      check=lambda v: v in SOURCE_KINDS)
        role = ck.get(raw, "role", path, str, "one of " + ", ".join(SOURCE_ROLES), default="mentions",
                      check=lambda v: v in SOURCE_ROLES)
        person = ck.get(raw, "person", path, str, "the id of a [[people]] entry", check=lambda v: v in person_ids)
        if role == "personal" and person is None and "person" not in raw:
            ck.problem(f"{path}.person", "the id of a [[people]] entry (required when role = 'personal')")
        target = ck.get(raw, "url", path, str, "a feed URL or file path", default="", required=kind == "feed",
                        check=lambda v: bool(v.strip()))
        sources.append(Source(
            name=ck.get(raw, "name", path, str, "a lower-case name such as 'society-blog'", default="",
                        required=True, check=lambda v: bool(NAME_RE.match(v))),
            kind=kind,
            target=_resolve_path(base, target) if target else "",
            platform=ck.get(raw, "platform", path, str, "one of " + ", ".join(PLATFORMS), default="web",
                            check=lambda v: v in PLATFORMS),
            role=role,
            person=person,
            account=ck.get(raw, "account", path, str, "an account handle"),
            page_cap=ck.get(raw, "page_cap", path, int, "an integer >= 1", check=lambda v: v >= 1),
            enabled=ck.get(raw, "enabled", path, bool, "true or false", default=True),
            options=MappingProxyType(ck.get(raw, "options", path, dict, "a table of connector options", default={})),
        ))
    names = [s.name for s in sources]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        ck.problem("sources", f"unique source names (duplicate {dup!r})")

    al = ck.table(data, "alerts", "")
    ck.unknown(al, "alerts", {"severities", "smtp_host", "smtp_port", "smtp_user", "smtp_starttls", "sender",
                              "recipients", "webhook_url", "max_age_days"})
    severities = ck.strings(al, "severities", "alerts") or ("high", "critical")
    if any(s not in SEVERITIES for s in severities):
        ck.problem("alerts.severities", "a list of " + ", ".join(SEVERITIES), list(severities))
    alerts = AlertSettings(
        severities=severities,
        smtp_host=ck.get(al, "smtp_host", "alerts", str, "a host name"),
        smtp_port=ck.get(al, "smtp_port", "alerts", int, "a port 1-65535", 587, check=lambda v: 0 < v < 65536),
        smtp_user=ck.get(al, "smtp_user", "alerts", str, "a user name"),
        smtp_starttls=ck.get(al, "smtp_starttls", "alerts", bool, "true or false", True),
        sender=ck.get(al, "sender", "alerts", str, "an e-mail address", check=lambda v: "@" in v),
        recipients=ck.strings(al, "recipients", "alerts"),
        webhook_url=ck.get(al, "webhook_url", "alerts", str, "an http(s) URL",
                           check=lambda v: v.startswith(("http://", "https://"))),
        max_age_days=ck.get(al, "max_age_days", "alerts", int, "a number of days >= 1", 7, check=lambda v: v >= 1),
    )

    rp = ck.table(data, "reports", "")
    ck.unknown(rp, "reports", {"output_dir", "officer", "board"})
    reports = ReportSettings(
        output_dir=Path(_resolve_path(base, ck.get(rp, "output_dir", "reports", str, "a folder path", "reports"))),
        officer=ck.strings(rp, "officer", "reports"),
        board=ck.strings(rp, "board", "reports"),
    )

    sc = ck.table(data, "schedule", "")
    ck.unknown(sc, "schedule", {"sweep_at", "mentions_every_hours", "weekly_report", "monthly_report_day",
                                "timezone"})
    schedule = ScheduleSettings(
        sweep_at=ck.get(sc, "sweep_at", "schedule", str, "a time HH:MM", "06:00",
                        check=lambda v: bool(re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", v))),
        mentions_every_hours=ck.get(sc, "mentions_every_hours", "schedule", int, "hours between 0 and 24", 0,
                                    check=lambda v: 0 <= v <= 24),
        weekly_report=ck.get(sc, "weekly_report", "schedule", str, "a day and time such as 'monday 07:00'",
                             "monday 07:00", check=lambda v: bool(re.fullmatch(
                                 r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday) "
                                 r"([01]\d|2[0-3]):[0-5]\d", v))),
        monthly_report_day=ck.get(sc, "monthly_report_day", "schedule", int, "a day of the month 1-28", 1,
                                  check=lambda v: 1 <= v <= 28),
        timezone=ck.get(sc, "timezone", "schedule", str, "a time zone name such as 'Europe/London'",
                        "Europe/London", check=lambda v: v in pytz.all_timezones_set),
    )

    th = ck.table(data, "thresholds", "")
    thresholds: dict[str, float] = {}
    for key, value in th.items():
        if key not in CLAUSES:
            ck.problem(f"thresholds.{key}", "a category (" + ", ".join(sorted(CLAUSES)) + ")")
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            ck.problem(f"thresholds.{key}", "a number between 0 and 1", value)
        else:
            thresholds[key] = float(value)

    for i, source in enumerate(sources):
        if source.role == "official" and source.platform in ("mastodon", "bluesky", "x") and not any(
                a.platform == source.platform for a in official):
            ck.problem(f"sources[{i}].platform",
                       f"an official {source.platform} account in [[accounts]] for an official source")

    costs = parse_costs(ck, data)
    if ck.problems:
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(ck.problems))
    return Settings(
        path=Path(file), society=society, database_url=_database_url(base, database_url),
        retention_days=retention_days, official_accounts=official, people=tuple(people),
        approved_accounts=approved, sources=tuple(sources), sweep=sweep, alerts=alerts, reports=reports,
        schedule=schedule, thresholds=thresholds, costs=costs,
    )


def load_dotenv(path: Path) -> None:
    """Fill unset environment variables from an untracked ``.env`` file (KEY=VALUE lines)."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


def load_settings(path: Path | str | None = None) -> Settings:
    """Load ``path``, else ``config/monitor.toml``, else the bundled example."""
    if path is None:
        path = DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else BUNDLED_CONFIG
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the configuration file: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: expected UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    load_dotenv(path.parent / ".env")
    return parse_settings(data, str(path), path.resolve().parent)


def author_kinds(settings: Settings) -> dict[tuple[str, str], tuple[str, str | None]]:
    """Map (platform, lower-case handle) to (author_kind, account or person id)."""
    kinds: dict[tuple[str, str], tuple[str, str | None]] = {}
    for account in settings.official_accounts:
        kinds[(account.platform, account.handle.lower())] = ("official", account.handle)
    for person in settings.people:
        for account in person.accounts:
            kinds[(account.platform, account.handle.lower())] = ("personal", person.id)
    return kinds
