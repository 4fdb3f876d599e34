"""Light text normalisation that remembers where every character came from.

``normalise(text)`` folds Unicode (NFKC, case, accents, zero-width characters,
common homoglyphs), undoes leetspeak and symbol masks inside words (``sh1t``,
``b@stard``, ``f#ck`` -> ``f*ck``), shortens runs of a repeated letter to two and
joins spaced-out letters (``f u c k``). Each stage maps a list of ``Char``s to a
new list, and every ``Char`` keeps the original span it stands for, so a match
in the normalised text maps back to code-point offsets in the original. Add a
stage by appending a function to ``STAGES``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

MASK = "*"


@dataclass(frozen=True)
class Char:
    """One normalised character and the original span ``[start, end)`` it stands for."""

    ch: str
    start: int
    end: int


Stage = Callable[[list[Char]], list[Char]]

_HOMOGLYPHS = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
    "ԁ": "d", "ɡ": "g", "ı": "i", "α": "a", "ο": "o", "ν": "v", "κ": "k", "τ": "t", "ι": "i", "ρ": "p",
    "ε": "e", "ѵ": "v", "ԛ": "q", "ԝ": "w",
    "’": "'", "‘": "'", "‛": "'", "′": "'", "`": "'", "“": '"', "”": '"', "„": '"', "″": '"',
    "–": "-", "—": "-", "‐": "-", "‑": "-",
})
# Digits and symbols read as letters when they sit inside a word.
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "i",
         "€": "e"}
# Symbols that hide a letter inside a word; all become MASK.
_MASKS = {"*", "#", "•", "·"}
# Leading "@" and "!" are handles and punctuation, not letters.
_WORD_INITIAL_LEET = set(_LEET) - {"@", "!", "|"}


def fold_unicode(chars: list[Char]) -> list[Char]:
    """NFKC, case-fold, strip accents and invisible format characters, map homoglyphs and curly quotes."""
    out: list[Char] = []
    for c in chars:
        if unicodedata.category(c.ch) == "Cf":
            continue
        folded = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", c.ch).casefold())
        for ch in folded.translate(_HOMOGLYPHS):
            if not unicodedata.combining(ch):
                out.append(Char(ch, c.start, c.end))
    return out


def _is_letter(chars: list[Char], i: int) -> bool:
    return 0 <= i < len(chars) and chars[i].ch.isalpha()


# E-mail addresses and links keep their symbols ("info@society.org" is not "infoasociety.org").
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)\S+|"
                      r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|uk|io|co|info|to|ly|me)\b\S*")


def unmask_leet(chars: list[Char]) -> list[Char]:
    """Read digits/symbols inside words as letters (``sh1t``) and hiding symbols as MASK (``f#ck``)."""
    kept = {i for m in _ADDRESS.finditer("".join(c.ch for c in chars)) for i in range(m.start(), m.end())}
    out: list[Char] = []
    for i, c in enumerate(chars):
        if i in kept:
            out.append(c)
            continue
        prev_letter = bool(out) and (out[-1].ch.isalpha() or out[-1].ch == MASK)
        word_start = not out or not out[-1].ch.isalnum()
        next_letter = _is_letter(chars, i + 1)
        ch = c.ch
        initial = word_start and ch in _WORD_INITIAL_LEET and _is_letter(chars, i + 2)
        if ch in _LEET and next_letter and (prev_letter or initial):
            ch = _LEET[ch]
        elif ch in _MASKS and prev_letter and (next_letter or ch == MASK):
            ch = MASK
        out.append(Char(ch, c.start, c.end))
    return out


def collapse_repeats(chars: list[Char]) -> list[Char]:
    """Shorten a run of three or more of the same letter to two (``fuuuuck`` -> ``fuuck``)."""
    out: list[Char] = []
    for c in chars:
        if len(out) >= 2 and c.ch.isalpha() and out[-1].ch == out[-2].ch == c.ch:
            last = out[-1]
            out[-1] = Char(last.ch, last.start, c.end)
            continue
        out.append(c)
    return out


_SPACED = re.compile(r"(?<![^\W\d_])(?:[^\W\d_][ .\-_]){2,}[^\W\d_](?![^\W\d_])")


def join_spaced_letters(chars: list[Char]) -> list[Char]:
    """Join three or more single letters separated by one space, dot, dash or underscore (``f.u.c.k``)."""
    text = "".join(c.ch for c in chars)
    drop: set[int] = set()
    for m in _SPACED.finditer(text):
        drop.update(range(m.start() + 1, m.end(), 2))
    return [c for i, c in enumerate(chars) if i not in drop] if drop else chars


STAGES: tuple[Stage, ...] = (fold_unicode, unmask_leet, collapse_repeats, join_spaced_letters)


@dataclass(frozen=True)
class Normalised:
    """A normalised text and, for each of its characters, the original span it came from."""

    source: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text behind normalised ``[start, end)``."""
        if start >= end:
            pos = self.starts[start] if start < len(self.starts) else len(self.source)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def normalise(text: str, stages: tuple[Stage, ...] = STAGES) -> Normalised:
    """Normalise ``text`` through ``stages``, keeping the offset map back to it."""
    chars = [Char(ch, i, i + 1) for i, ch in enumerate(text)]
    for stage in stages:
        chars = stage(chars)
    return Normalised(
        source=text,
        text="".join(c.ch for c in chars),
        starts=tuple(c.start for c in chars),
        ends=tuple(c.end for c in chars),
    )
