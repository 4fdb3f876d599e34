"""Reading a source's ``[sources.options]`` table the way the config loader
reads the rest: every problem names the file, the key and what was expected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connectors.base import ConfigError

HEADER = "invalid configuration:"


def check_sources(settings: Any, kind: str, plan: Callable[[Any], Any]) -> None:
    """Check the options of every source of ``kind``, raising one ConfigError that lists all problems."""
    problems: list[str] = []
    for source in settings.sources:
        if source.kind == kind:
            try:
                plan(source)
            except ConfigError as exc:
                problems += str(exc).removeprefix(HEADER).strip().split("\n  ")
    if problems:
        raise ConfigError(HEADER + "\n  " + "\n  ".join(problems))


class Options:
    """Typed reads from one source's options; :meth:`close` raises every problem at once."""

    def __init__(self, settings: Any | None, source: Any) -> None:
        """``settings`` names the file and the source's index in errors (without it: the source's name)."""
        names = [s.name for s in settings.sources] if settings is not None else []
        self.file = str(settings.path) if settings is not None and settings.path else "<settings>"
        self.prefix = f"sources[{names.index(source.name)}]" if source.name in names else f"source {source.name!r}"
        self.data = dict(source.options)
        self.problems: list[str] = []

    def problem(self, key: str, expected: str, got: Any = None) -> None:
        shown = "" if got is None else f", got {got!r}"
        self.problems.append(f"{self.file}: {self.prefix}.{key}: expected {expected}{shown}")

    def get(self, key: str, kind: type | tuple[type, ...], expected: str, default: Any = None,
            check: Callable[[Any], bool] | None = None) -> Any:
        if key not in self.data:
            return default
        value = self.data[key]
        wrong_bool = isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,))
        if wrong_bool or not isinstance(value, kind) or (check is not None and not check(value)):
            self.problem(f"options.{key}", expected, value)
            return default
        return value

    def strings(self, key: str, expected: str) -> tuple[str, ...]:
        value = self.get(key, list, expected, [])
        if not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(f"options.{key}", expected, value)
            return ()
        return tuple(v.strip() for v in value)

    def close(self, allowed: set[str]) -> None:
        for key in sorted(set(self.data) - allowed):
            self.problem(f"options.{key}", "no such option (allowed: " + ", ".join(sorted(allowed)) + ")")
        if self.problems:
            raise ConfigError(HEADER + "\n  " + "\n  ".join(self.problems))
