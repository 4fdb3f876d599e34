"""Editable word lists (``config/lexicons/*.txt``) and matching them against normalised text.

File format (one entry a line; blank lines and comments, ``#`` then a space, ignored):

``[label]`` or ``[label 0.8]``
    Starts a section: the entries below get this label and score (default 0.5).
    The label ``allow`` is special: a match of any other entry that overlaps an
    ``allow`` match is dropped (``spotted dick``, ``Scunthorpe``). So are ``signal``
    and ``signal-...``: their matches are never findings, only hints that send a
    post to the toxicity model, and are looked for only when asked for by name.
``word`` or ``a phrase``
    Matched whole-word in the normalised text (lower case, leetspeak undone).
    A letter may be repeated (``fuuck``) and, in words of four or more letters,
    masked by ``*`` after the first letter (``f*ck``, ``f***``), a ``u`` there
    also written ``v`` (``cvnt``). Spaces and hyphens in a phrase match any run
    of spaces or hyphens, or none. Plain words are compiled into one prefix trie
    per section, so long lists stay fast.
``#hashtag``
    A hashtag (``#ad``, ``#gifted``): the whole tag, in any case.
``word*`` / ``*word``
    A prefix (``fuck*`` also matches ``fucking``) or a suffix; the match covers the whole word.
``re:REGEX``
    A Python regular expression searched in the normalised text.
``Cap:word`` / ``Cap:re:REGEX``
    Like ``word`` (or ``re:REGEX``) but the match must start with a capital letter in the
    original text (``Cap:Labour`` the party, not "labour of love").
``{society}`` inside an entry stands for the Society's names, acronyms, handles and hashtags, and
    "the Society" (or "the Trust", "the Guild": the last word of its name before any "of").

A file is matched section by section, only for the sections a detector asks about; a regex entry runs
only on texts holding one of the literals its matches require, if it has any (see prefilter.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from monitor.classify.normalise import Normalised, normalise
from monitor.classify.prefilter import required_literals, with_first_chars

ALLOW = "allow"
SIGNAL = "signal"


def is_signal(label: str) -> bool:
    """Whether a section only hints (``signal``, ``signal-you``) and never makes a finding."""
    return label == SIGNAL or label.startswith(SIGNAL + "-")
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
        return self.term.startswith("re:")

    @property
    def capital(self) -> bool:
        return self.raw.startswith("Cap:")

    @property
    def term(self) -> str:
        """The entry without its ``Cap:`` marker."""
        return self.raw[4:] if self.capital else self.raw


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


_GAP = r"[\s\-]*"
_WORD_REST = r"[\w*]*"  # the rest of the word around a prefix or suffix entry


def _literal_tokens(term: str) -> list[str]:
    """A literal term as a list of regex tokens: repeated or masked letters (``u`` also as ``v``:
    ``cvnt``), flexible spacing, whole words. It is tried only at word starts (the caller adds that
    check once for many terms)."""
    prefix = term.endswith("*")
    suffix = term.startswith("*")
    body = normalise(term.strip("*").strip()).text
    maskable = sum(ch.isalpha() for ch in body) >= 4
    tokens: list[str] = [_WORD_REST] if suffix else []
    for i, chunk in enumerate(_PLACEHOLDER.split(body)):
        if i % 2:
            tokens.append("{" + chunk + "}")
            continue
        for ch in chunk:
            if ch.isalpha():
                first = len(tokens) == suffix or tokens[-1] in (_GAP, "}")
                letter = f"{re.escape(ch)}+" + ("|v+" if ch == "u" else "")
                tokens.append(f"{re.escape(ch)}+" if first or not maskable else f"(?:{letter}|\\*+)")
            elif ch in " -":
                if tokens and tokens[-1] != _GAP:
                    tokens.append(_GAP)
            elif ch == "'":
                tokens.append("'?")
            else:
                tokens.append(re.escape(ch))
    tokens.append(_WORD_REST if prefix else _AFTER)
    return tokens


def _trie(sequences: list[list[str]]) -> str:
    """One regex for many token sequences, sharing their common prefixes (much faster than a flat
    alternation). At each branch, longer continuations are tried first."""
    root: dict[str, dict] = {}
    for tokens in sequences:
        node = root
        for token in tokens:
            node = node.setdefault(token, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        ordered = sorted((token for token in node if token), key=lambda token: token == _AFTER)  # words end last
        branches = [token + build(node[token]) for token in ordered]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


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


def entry_regex(entry: Entry) -> tuple[bool, str]:
    """The regular expression (still with placeholders) for an entry, and whether it starts at a word start."""
    if entry.is_regex:
        regex = entry.term[3:]
        if regex.startswith(r"\b") and not _top_level_branch(regex):
            return True, regex[2:]
        return False, regex
    return True, "".join(_literal_tokens(entry.term))


@dataclass(frozen=True)
class Lexicon:
    """The entries of one lexicon file."""

    name: str
    entries: tuple[Entry, ...]
    digest: str

    def compile(self, placeholders: Mapping[str, str]) -> Matcher:
        """The lexicon's matcher for these placeholder values; compiled once per process and reused."""
        return _compiled(self, tuple(sorted(placeholders.items())))


def _canonical(text: str) -> str:
    """A literal's or a matched text's letters with spacing and repeated letters removed ("piss-take",
    "pisss take" -> "pistake"): how a trie match finds the entry it came from."""
    return _REPEATS.sub(r"\1", _SEPARATORS.sub("", text))


_SEPARATORS = re.compile(r"[\s\-']+")
_REPEATS = re.compile(r"(.)\1+")


@dataclass
class _Group:
    """The entries of one section kind (label, score, capital): plain literals as a prefix trie in group
    ``t`` and the other entries as named groups ``e<line>`` of one regex, except the entries with
    required literals (see prefilter.py), kept apart to run only on texts that contain one."""

    label: str
    score: float
    capital: bool
    literals: list[tuple[int, str, list[str]]]
    words: list[str]
    others: list[str]
    anchored: list[tuple[tuple[str, ...], int, str]]

    def compile(self) -> _Compiled:
        trie = [f"(?P<t>{_trie([tokens for _, _, tokens in self.literals])})"] if self.literals else []
        at_word = trie + self.words
        alternatives = ([f"{_BEFORE}(?:{'|'.join(at_word)})"] if at_word else []) + self.others
        exact = {}
        for line, term, _ in reversed(self.literals):
            exact[_canonical(normalise(term.strip("*")).text)] = line
        scan = [(line, re.compile("".join(tokens), re.IGNORECASE)) for line, _, tokens in self.literals]
        anchored: dict[tuple[str, ...], list[tuple[int, re.Pattern[str]]]] = {}
        for literals, line, pattern in self.anchored:
            anchored.setdefault(literals, []).append((line, re.compile(pattern, re.IGNORECASE)))
        by_literal: dict[str, list[tuple[str, ...]]] = {}
        for literals in anchored:
            for t in literals:
                by_literal.setdefault(t, []).append(literals)
        regex = with_first_chars("|".join(alternatives)) if alternatives else None
        return _Compiled(self.label, self.score, self.capital, regex, exact, scan, anchored, by_literal,
                         frozenset(by_literal))


@dataclass(frozen=True)
class _Compiled:
    label: str
    score: float
    capital: bool
    regex: re.Pattern[str] | None  # the literals and the entries without a required literal
    exact: dict[str, int]  # canonical literal -> its line
    scan: list[tuple[int, re.Pattern[str]]]  # every literal's own regex, for wildcard and masked matches
    anchored: dict[tuple[str, ...], list[tuple[int, re.Pattern[str]]]]  # required literals -> entries (line, regex)
    by_literal: dict[str, list[tuple[str, ...]]]  # each required literal -> the keys of ``anchored`` naming it
    literal_keys: frozenset[str]  # the keys of ``by_literal``

    def spans(self, text: str, line_of: Callable[[re.Match[str]], int],
              literals_in_text: frozenset[str]) -> list[tuple[int, int, int]]:
        """(start, end, line) of every match in ``text``; where entries overlap, the earliest and longest.
        ``literals_in_text``: which of the lexicon's required literals occur in ``text``."""
        found = [(m.start(), m.end(), line_of(m)) for m in self.regex.finditer(text)] if self.regex else []
        present = {key for t in literals_in_text & self.literal_keys for key in self.by_literal[t]}
        if not present:
            return found
        found += [(m.start(), m.end(), line) for key in present for line, regex in self.anchored[key]
                  for m in regex.finditer(text)]
        kept: list[tuple[int, int, int]] = []
        for span in sorted(found, key=lambda s: (s[0], -s[1])):
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)
        return kept


# Every required literal of every compiled lexicon, searched for in one pass (``literals_in``): a trie regex
# in a lookahead finds the longest literal starting at each position, and the registered literals that are
# its prefixes come with it. Each lexicon keeps the ones it needs. The finder is built on first use after
# literals were registered, for the set it was built from, and replaced, never changed in place.
_REQUIRED: frozenset[str] = frozenset()
_FINDER: tuple[frozenset[str], re.Pattern[str], dict[str, frozenset[str]]] | None = None


def _register(literals: Iterable[str]) -> None:
    global _REQUIRED
    required = _REQUIRED.union(literals)
    if required != _REQUIRED:
        _REQUIRED = required
        literals_in.cache_clear()


def _finder() -> tuple[frozenset[str], re.Pattern[str], dict[str, frozenset[str]]]:
    global _FINDER
    finder, required = _FINDER, _REQUIRED
    if finder is None or finder[0] is not required:
        pattern = re.compile("(?=(" + _trie([[re.escape(ch) for ch in t] for t in sorted(required)]) + "))")
        prefixes = {t: frozenset(t[:k] for k in range(1, len(t) + 1) if t[:k] in required) for t in required}
        finder = _FINDER = (required, pattern, prefixes)
    return finder


@lru_cache(maxsize=256)
def literals_in(text: str) -> frozenset[str]:
    """The registered literals found in ``text`` (case-sensitive)."""
    required, pattern, prefixes = _finder()
    if not required:
        return frozenset()
    return frozenset().union(*[prefixes[m.group(1)] for m in pattern.finditer(text)])


class Matcher:
    """A lexicon compiled for one Society: finds its entries' matches in normalised text, label by label."""

    def __init__(self, lexicon: Lexicon, placeholders: Mapping[str, str]) -> None:
        groups: dict[tuple[str, float, bool], _Group] = {}
        self._lines: dict[str, int] = {}
        for entry in lexicon.entries:
            group = groups.setdefault((entry.label, entry.score, entry.capital),
                                      _Group(entry.label, entry.score, entry.capital, [], [], [], []))
            if not entry.is_regex and not _PLACEHOLDER.search(entry.term):
                group.literals.append((entry.line, entry.term, _literal_tokens(entry.term)))
                continue
            at_word, regex = entry_regex(entry)
            pattern = _PLACEHOLDER.sub(lambda m: placeholders.get(m.group(1), r"(?!x)x"), regex)
            try:
                re.compile(pattern)
            except re.error as exc:
                raise LexiconError(f"{lexicon.name}.txt:{entry.line}: bad pattern {entry.raw!r}: {exc}") from exc
            literals = required_literals(pattern)
            if literals is not None:
                group.anchored.append((literals, entry.line, (_BEFORE if at_word else "") + f"(?:{pattern})"))
                continue
            name = f"e{entry.line}"
            self._lines[name] = entry.line
            (group.words if at_word else group.others).append(f"(?P<{name}>{pattern})")
        self._groups: dict[str, list[_Compiled]] = {}
        for group in groups.values():
            self._groups.setdefault(group.label, []).append(group.compile())
        self.labels = frozenset(self._groups)
        _register(t for groups_ in self._groups.values() for g in groups_ for lits in g.anchored for t in lits)

    def _line(self, m: re.Match[str], group: _Compiled) -> int:
        if m.lastgroup != "t":
            return self._lines.get(m.lastgroup or "", 0)
        line = group.exact.get(_canonical(m.group()))
        if line is not None:
            return line
        return next((line for line, regex in group.scan if regex.fullmatch(m.group())), 0)

    def find_label(self, norm: Normalised, label: str, field: str = "text") -> list[Match]:
        """Every match of one label's entries in ``norm`` (``allow`` matches not yet taken away)."""
        found = []
        for group in self._groups.get(label, ()):
            for m_start, m_end, line in group.spans(norm.text, lambda m, g=group: self._line(m, g),
                                                    literals_in(norm.text)):
                if m_end == m_start:
                    continue
                start, end = norm.original_span(m_start, m_end)
                if group.capital and not norm.source[start:end][:1].isupper():
                    continue
                found.append(Match(start, end, norm.source[start:end], label, group.score, field, line))
        return found

    def find(self, norm: Normalised, labels: Collection[str] | None = None, field: str = "text") -> list[Match]:
        """Matches in ``norm`` (of the given labels, or all but ``allow`` and ``signal``), minus those overlapping
        an allow."""
        allowed = self.find_label(norm, ALLOW, field)
        wanted = sorted({label for label in self.labels if label != ALLOW and not is_signal(label)} if labels is None
                        else set(labels) & self.labels - {ALLOW})
        return without_allowed([m for label in wanted for m in self.find_label(norm, label, field)], allowed)


def without_allowed(found: list[Match], allowed: list[Match]) -> list[Match]:
    """``found`` less the matches overlapping an ``allow`` match, in text order."""
    kept = [m for m in found if not any(m.overlaps(a) for a in allowed)] if allowed else found
    return sorted(kept, key=lambda m: (m.start, m.end))


@lru_cache(maxsize=64)
def _compiled(lexicon: Lexicon, placeholders: tuple[tuple[str, str], ...]) -> Matcher:
    return Matcher(lexicon, dict(placeholders))


_HASHTAG_ENTRY = re.compile(r"#\w+$")


def parse_lexicon(name: str, text: str) -> Lexicon:
    """Parse the text of a lexicon file (see the module docstring for the format)."""
    label, score = "default", 0.5
    entries: list[Entry] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or (line.startswith("#") and not _HASHTAG_ENTRY.match(line)):
            continue
        if _HASHTAG_ENTRY.match(line):
            line = r"re:(?<![\w#])" + re.escape(line) + r"(?!\w)"
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
