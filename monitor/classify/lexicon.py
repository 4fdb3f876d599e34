"""Editable word lists (``config/lexicons/*.txt``) and matching them against normalised text.

File format (one entry a line; blank lines and ``#`` comments ignored):

``[label]`` or ``[label 0.8]``
    Starts a section: the entries below get this label and score (default 0.5).
    The label ``allow`` is special: a match of any other entry that overlaps an
    ``allow`` match is dropped (``spotted dick``, ``Scunthorpe``).
``word`` or ``a phrase``
    Matched whole-word in the normalised text (lower case, leetspeak undone).
    A letter may be repeated (``fuuck``) and, in words of four or more letters,
    masked by ``*`` after the first letter (``f*ck``, ``f***``). Spaces and
    hyphens in a phrase match any run of spaces or hyphens, or none.
``word*`` / ``*word``
    A prefix (``fuck*`` also matches ``fucking``) or a suffix; the match covers the whole word.
``re:REGEX``
    A Python regular expression searched in the normalised text.
``Cap:word``
    Like ``word`` but the match must start with a capital letter in the
    original text (``Cap:Labour`` the party, not "labour of love").
``{society}`` inside an entry stands for the Society's names, acronyms, handles and hashtags, and
    "the Society" (or "the Trust": the last word of its name).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from monitor.classify.normalise import Normalised, normalise

ALLOW = "allow"
_SECTION = re.compile(r"\[\s*([\w-]+)\s*(?:\s([0-9]*\.?[0-9]+))?\s*\]")
_PLACEHOLDER = re.compile(r"\{(society)\}")
_BEFORE = r"(?<![\w*])"
_AFTER = r"(?![\w*])"


class LexiconError(ValueError):
    """A lexicon file that cannot be read, with its path and line."""


@dataclass(frozen=True)
class Entry:
    """One line of a lexicon file."""

    raw: str
    label: str
    score: float
    line: int

    @property
    def is_regex(self) -> bool:
        return self.raw.startswith("re:")

    @property
    def capital(self) -> bool:
        return self.raw.startswith("Cap:")


@dataclass(frozen=True)
class Match:
    """Where an entry matched: original offsets and text, the entry's label, score and line in its file."""

    start: int
    end: int
    text: str
    label: str
    score: float
    field: str = "text"
    line: int = 0

    def overlaps(self, other: Match) -> bool:
        return self.field == other.field and self.start < other.end and other.start < self.end


def _literal(term: str) -> str:
    """A regex for a literal term: repeated or masked letters, flexible spacing, whole words. It is
    tried only at word starts (the caller adds that check once for many terms)."""
    prefix = term.endswith("*")
    suffix = term.startswith("*")
    body = normalise(term.strip("*").strip()).text
    maskable = sum(ch.isalpha() for ch in body) >= 4
    parts: list[str] = []
    for i, chunk in enumerate(_PLACEHOLDER.split(body)):
        if i % 2:
            parts.append("{" + chunk + "}")
            continue
        for ch in chunk:
            if ch.isalpha():
                first = not parts or parts[-1] in (r"[\s\-]*", "}")
                parts.append(f"{re.escape(ch)}+" if first or not maskable else f"(?:{re.escape(ch)}+|\\*+)")
            elif ch in " -":
                if parts and parts[-1] != r"[\s\-]*":
                    parts.append(r"[\s\-]*")
            elif ch == "'":
                parts.append("'?")
            else:
                parts.append(re.escape(ch))
    word = r"[\w*]*"  # the rest of the word around a prefix or suffix
    return (word if suffix else "") + "".join(parts) + (word if prefix else _AFTER)


def _top_level_branch(regex: str) -> bool:
    """Whether ``regex`` has a ``|`` outside every group and character class."""
    depth, in_class, escaped = 0, False, False
    for ch in regex:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
    return False


def _by_first_letter(patterns: list[str]) -> str:
    """Alternatives dispatched on their first letter: the regex engine then tries only a few per position."""
    buckets: dict[str, list[str]] = {}
    for pattern in patterns:
        body = pattern[pattern.index(">") + 1:]  # after "(?P<eN>"
        first = body[0] if body[:1].isalpha() and body[1:2] in ("+", "(", "") else ""
        buckets.setdefault(first, []).append(pattern)
    return "|".join(f"(?={first})(?:{'|'.join(pats)})" if first else "|".join(pats)
                    for first, pats in buckets.items())


def entry_regex(entry: Entry) -> tuple[bool, str]:
    """The regular expression (still with placeholders) for an entry, and whether it starts at a word start."""
    if entry.is_regex:
        regex = entry.raw[3:]
        if regex.startswith(r"\b") and not _top_level_branch(regex):
            return True, regex[2:]
        return False, regex
    return True, _literal(entry.raw[4:] if entry.capital else entry.raw)


@dataclass(frozen=True)
class Lexicon:
    """The entries of one lexicon file."""

    name: str
    entries: tuple[Entry, ...]
    digest: str

    def compile(self, placeholders: Mapping[str, str]) -> Matcher:
        return Matcher(self, placeholders)


class Matcher:
    """A lexicon compiled for one Society: finds its entries' matches in normalised text."""

    def __init__(self, lexicon: Lexicon, placeholders: Mapping[str, str]) -> None:
        # Per (label, score, capital): word-start entries and other entries, each as a named group so
        # that a match knows its line in the file. Word-start entries share one boundary check (fast).
        groups: dict[tuple[str, float, bool], tuple[list[str], list[str]]] = {}
        self._lines: dict[str, int] = {}
        for entry in lexicon.entries:
            at_word, regex = entry_regex(entry)
            pattern = _PLACEHOLDER.sub(lambda m: placeholders.get(m.group(1), r"(?!x)x"), regex)
            try:
                re.compile(pattern)
            except re.error as exc:
                raise LexiconError(f"{lexicon.name}.txt:{entry.line}: bad pattern {entry.raw!r}: {exc}") from exc
            name = f"e{entry.line}"
            self._lines[name] = entry.line
            words, others = groups.setdefault((entry.label, entry.score, entry.capital), ([], []))
            (words if at_word else others).append(f"(?P<{name}>{pattern})")
        self._groups = []
        for (label, score, capital), (words, others) in groups.items():
            alternatives = ([f"{_BEFORE}(?:{_by_first_letter(words)})"] if words else []) + others
            self._groups.append((label, score, capital, re.compile("|".join(alternatives), re.IGNORECASE)))

    def find(self, norm: Normalised, labels: Collection[str] | None = None, field: str = "text") -> list[Match]:
        """Matches in ``norm`` (of the given labels, or all but ``allow``), minus those overlapping an allow."""
        found: list[Match] = []
        allowed: list[Match] = []
        for label, score, capital, regex in self._groups:
            if label != ALLOW and labels is not None and label not in labels:
                continue
            for m in regex.finditer(norm.text):
                if m.end() == m.start():
                    continue
                start, end = norm.original_span(m.start(), m.end())
                if capital and not norm.source[start:end][:1].isupper():
                    continue
                line = self._lines[m.lastgroup] if m.lastgroup else 0
                match = Match(start, end, norm.source[start:end], label, score, field, line)
                (allowed if label == ALLOW else found).append(match)
        kept = [m for m in found if not any(m.overlaps(a) for a in allowed)]
        return sorted(kept, key=lambda m: (m.start, m.end))


def parse_lexicon(name: str, text: str) -> Lexicon:
    """Parse the text of a lexicon file (see the module docstring for the format)."""
    label, score = "default", 0.5
    entries: list[Entry] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = _SECTION.fullmatch(line)
            if not section:
                raise LexiconError(f"{name}.txt:{number}: a section is '[label]' or '[label 0.8]', got {line!r}")
            label = section.group(1)
            score = float(section.group(2)) if section.group(2) else 0.5
            if not 0 <= score <= 1:
                raise LexiconError(f"{name}.txt:{number}: a score is between 0 and 1, got {score}")
            continue
        entries.append(Entry(line, label, score, number))
    return Lexicon(name, tuple(entries), hashlib.sha256(text.encode("utf-8")).hexdigest())


def load_lexicons(directory: Path) -> dict[str, Lexicon]:
    """Every ``*.txt`` lexicon in ``directory``, by file stem."""
    paths: Iterable[Path] = sorted(Path(directory).glob("*.txt"))
    lexicons = {p.stem: parse_lexicon(p.stem, p.read_text(encoding="utf-8")) for p in paths}
    if not lexicons:
        raise LexiconError(f"no lexicon files (*.txt) in {directory}")
    return lexicons
