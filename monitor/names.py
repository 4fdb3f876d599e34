"""Finding the Society in text: its names, aliases, acronyms, handles and hashtags.

Names match case-insensitively on word boundaries; a short all-capitals acronym
(``RHS``, ``NADS``) matches only in capitals, so "rhs" in a URL slug or "nads" as
slang is not a mention, while a long one (``HCBPT``) is no word in any case and
matches however it is typed. Handles match with or without
their ``@``; hashtags only with their ``#``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD_BEFORE = r"(?<![\w@#])"
_WORD_AFTER = r"(?![\w])"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    term: str


def is_acronym(term: str) -> bool:
    """``RHS``, ``MLHS`` or ``U3A``: short, no spaces, every letter a capital."""
    letters = [c for c in term if c.isalpha()]
    return 2 <= len(term) <= 8 and " " not in term and bool(letters) and all(c.isupper() for c in letters)


# Acronyms this long match in any case ("the hcbpt board"); shorter ones may be words or slang.
ANY_CASE_ACRONYM = 5


def _phrase(term: str) -> str:
    return r"\s+".join(re.escape(part) for part in term.split())


@dataclass(frozen=True)
class SocietyNames:
    """The identity the monitor looks for. Empty means no Society names are known."""

    name: str = ""
    aliases: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()

    @classmethod
    def from_terms(cls, name: str, terms: list[str]) -> SocietyNames:
        """Sort free-form terms (``@handle``, ``#tag``, names, acronyms) into their kinds."""
        aliases, handles, hashtags = [], [], []
        for term in terms:
            term = term.strip()
            if term.startswith("@"):
                handles.append(term[1:])
            elif term.startswith("#"):
                hashtags.append(term[1:])
            elif term:
                aliases.append(term)
        return cls(name=name, aliases=tuple(aliases), handles=tuple(handles), hashtags=tuple(hashtags))

    @property
    def empty(self) -> bool:
        return not (self.name or self.aliases or self.handles or self.hashtags)

    def _patterns(self) -> list[tuple[re.Pattern[str], str]]:
        cached = self.__dict__.get("_compiled")
        if cached is not None:
            return cached
        patterns: list[tuple[re.Pattern[str], str]] = []
        for term in (self.name, *self.aliases):
            if not term:
                continue
            flags = 0 if is_acronym(term) and len(term) < ANY_CASE_ACRONYM else re.IGNORECASE
            patterns.append((re.compile(_WORD_BEFORE + _phrase(term) + _WORD_AFTER, flags), term))
        for handle in self.handles:
            user = handle.lstrip("@")
            # "@user" or "@user@instance"; the bare handle also counts as a word.
            local = user.split("@", 1)[0]
            body = re.escape(user) if "@" in user else re.escape(local)
            pat = r"(?:(?<![\w@])@?" + body + r"|@" + re.escape(local) + r")" + r"(?![\w@])"
            patterns.append((re.compile(pat, re.IGNORECASE), "@" + user))
        for tag in self.hashtags:
            tag = tag.lstrip("#")
            patterns.append((re.compile(r"(?<![\w&])#" + re.escape(tag) + _WORD_AFTER, re.IGNORECASE), "#" + tag))
        object.__setattr__(self, "_compiled", patterns)
        return patterns

    def find(self, text: str) -> list[Mention]:
        """Every mention of the Society in ``text``, in order, without overlaps."""
        found: list[Mention] = []
        for pattern, term in self._patterns():
            found.extend(Mention(m.start(), m.end(), term) for m in pattern.finditer(text))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        result: list[Mention] = []
        for mention in found:
            if not result or mention.start >= result[-1].end:
                result.append(mention)
        return result

    def mentioned_in(self, *texts: str | None) -> bool:
        return any(text and self.find(text) for text in texts)
