"""What a detector reports (a ``Hit``), and how hits of one category combine into a score."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from monitor.classify.lexicon import Match
from monitor.classify.types import Evidence


@dataclass(frozen=True)
class Hit:
    """One piece of evidence for a category, with how strongly it alone suggests a breach."""

    category: str
    score: float
    evidence: tuple[Evidence, ...]
    severity: str | None = None


def evidence(match: Match, reason: str) -> Evidence:
    """Evidence for a lexicon match; ``{}`` in ``reason`` is replaced by the quoted original text."""
    return Evidence(match.start, match.end, reason.replace("{}", repr(match.text)), match.field)


def hit(category: str, score: float, matches: Iterable[tuple[Match, str]], severity: str | None = None) -> Hit:
    """A hit whose evidence is the given (match, reason) pairs."""
    return Hit(category, score, tuple(evidence(m, r) for m, r in matches), severity)


def combine(scores: Iterable[float]) -> float:
    """Independent signals combined by noisy-or: two 0.35 signals give 0.58; the result stays in 0..1."""
    remaining = 1.0
    for score in scores:
        remaining *= 1.0 - min(max(score, 0.0), 1.0)
    return 1.0 - remaining
