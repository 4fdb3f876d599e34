"""Text normalisation that remembers where every character came from.

``normalise(text)`` folds Unicode (NFKC, case, accents, invisible characters, Cyrillic and Greek
look-alikes, small capitals, squared and regional-indicator letters), undoes leetspeak and symbol
masks inside words (``sh1t``, ``1d10t``, ``a$$hole``, ``f#ck`` -> ``f*ck``, ``f🤬ck`` -> ``f*ck``),
shortens runs of a repeated letter to two and joins spaced-out letters (``f u c k``, ``s.h.i.t``).

Each stage maps ``(text, starts, ends)`` to a new triple: ``starts[i]``/``ends[i]`` are the original
span behind normalised character ``i``, so a match in the normalised text maps back to code-point
offsets in the original. Stages edit only where a precompiled regex finds something to do; plain
ASCII text passes through almost untouched. Add a stage by appending a function to ``STAGES``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

MASK = "*"

Spans = list[int]
Stage = Callable[[str, Spans, Spans], tuple[str, Spans, Spans]]


def _letters(first: int, count: int = 26) -> dict[str, str]:
    return {chr(first + i): chr(ord("a") + i) for i in range(count)}


# Look-alikes after case folding: Cyrillic, Greek, IPA small capitals, quotes and dashes. Letters in
# squares, negative circles and regional indicators (🇸🇭🇮🇹) read as plain letters.
_HOMOGLYPHS = str.maketrans({
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ѵ": "v",
    "ɡ": "g", "ı": "i", "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ƒ": "f", "ɑ": "a", "ɩ": "i", "ʋ": "v", "ɵ": "o", "ø": "o", "ß": "b",
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h", "ɪ": "i", "ᴊ": "j", "ᴋ": "k",
    "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ǫ": "q", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v",
    "ᴡ": "w", "ʏ": "y", "ᴢ": "z",
    **_letters(0x1F130), **_letters(0x1F150), **_letters(0x1F170), **_letters(0x1F1E6),
    "’": "'", "‘": "'", "‛": "'", "′": "'", "`": "'", "“": '"', "”": '"', "„": '"', "″": '"',
    "–": "-", "—": "-", "‐": "-", "‑": "-",
})
# Capitals whose lower case no longer looks Latin (Greek Μ folds to μ, Η to η): mapped before folding.
_CAPITAL_HOMOGLYPHS = str.maketrans({"Μ": "m", "Ν": "n", "Η": "h", "Υ": "y", "Ζ": "z", "Ϲ": "c", "Ј": "j"})
_ASCII_FOLD = str.maketrans({"`": "'"})
# Dropped: invisible format characters (zero-width spaces, joiners), combining marks (accents after
# NFD, "zalgo" text, emoji variation selectors) and emoji skin-tone modifiers.
_DROPPED_CATEGORIES = {"Cf", "Mn", "Me"}
_SKIN_TONES = {chr(c) for c in range(0x1F3FB, 0x1F400)}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if unicodedata.category(ch) in _DROPPED_CATEGORIES or ch in _SKIN_TONES:
        return ""
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", ch.translate(_CAPITAL_HOMOGLYPHS)).casefold())
    return "".join(c for c in folded if unicodedata.category(c) not in _DROPPED_CATEGORIES).translate(_HOMOGLYPHS)


def fold_unicode(text: str, starts: Spans, ends: Spans) -> tuple[str, Spans, Spans]:
    """NFKC, case-fold, strip accents and invisible characters, map look-alike letters and curly quotes."""
    if text.isascii():
        return text.lower().translate(_ASCII_FOLD), starts, ends
    parts: list[str] = []
    new_starts: Spans = []
    new_ends: Spans = []
    for ch, start, end in zip(text, starts, ends, strict=True):
        folded = ch.lower() if ch.isascii() else _fold_char(ch)
        parts.append(folded)
        new_starts.extend([start] * len(folded))
        new_ends.extend([end] * len(folded))
    return "".join(parts), new_starts, new_ends


# Digits and symbols read as letters inside a word; masking symbols and emoji hide a letter.
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "i",
         "€": "e"}
_DIGITS = "013457"
_SYMBOLS = "@$!|€"
_MASKS = "*#•·"
_EMOJI = "\U0001F000-\U0001FAFF\u2600-\u27BF"
# E-mail addresses and links keep their symbols ("info@society.org" is not "infoasociety.org").
_ADDRESS = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)\S+|"
                      r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|uk|io|co|info|to|ly|me)\b\S*")
# A word of letters, digits and characters that may hide a letter (a leet symbol, a mask, an emoji);
# only words with one of the latter or a digit are looked at. Both scan in linear time.
_HIDER = re.compile(rf"[\d@$!|€*#•·{_EMOJI}]")
_WORDISH = re.compile(rf"(?:[^\W_]|[@$!|€*#•·{_EMOJI}])+")


def _kind(ch: str) -> str:
    """L a letter, D a digit read as a letter, N another digit, S a symbol read as a letter, M a mask."""
    if ch.isalpha():
        return "L"
    if ch in _DIGITS:
        return "D"
    if ch.isdigit():
        return "N"
    return "S" if ch in _SYMBOLS else "M"


def _unmask_word(word: str) -> str:
    """``word`` with the digits, symbols and emoji that stand for letters replaced (same length).

    Codes and numbers stay as they are: ``2nd``, ``10am``, ``rv3``, ``covid19``, ``RHS2025``, ``4x4``.
    """
    kinds = "".join(_kind(ch) for ch in word)
    if kinds.count("L") < 2 or "N" in kinds:
        return word
    out = list(word)
    first, last = kinds.index("L"), kinds.rindex("L")
    inner = [i for i in range(first + 1, last) if kinds[i] != "L"]
    for i in inner:
        out[i] = MASK if kinds[i] == "M" else _LEET[word[i]]
    if first == 1 and kinds[0] in "DS" and word[0] != "@" and (inner or kinds[1:3] == "LL" and kinds[0] == "S"
                                                              or kinds[1:4] == "LLL" and "D" not in kinds[1:]):
        out[0] = _LEET[word[0]]  # "1d10t", "$hite", "4rse"
    if last == len(word) - 2 and kinds[-1] == "D" and (kinds.count("L") >= 3 or inner) and "D" not in kinds[:-1]:
        out[-1] = _LEET[word[-1]]  # "shi7", "p@k1"
    if kinds[last + 1:] and set(kinds[last + 1:]) == {"M"}:
        out[last + 1:] = MASK * (len(word) - last - 1)  # "f##", "sh🤬"
    return "".join(out)


def unmask_leet(text: str, starts: Spans, ends: Spans) -> tuple[str, Spans, Spans]:
    """Read digits and symbols inside words as letters (``sh1t``, ``1d10t``, ``a$$hole``) and masking
    symbols or emoji as MASK (``f#ck``, ``f🤬ck``); numbers, handles, e-mail addresses and links stay."""
    if not _HIDER.search(text):
        return text, starts, ends
    kept = [(m.start(), m.end()) for m in _ADDRESS.finditer(text)]
    chars = list(text)
    for m in _WORDISH.finditer(text):
        if not _HIDER.search(m.group()) or any(s <= m.start() < e for s, e in kept) \
                or (m.start() > 0 and text[m.start() - 1] in "@#"):
            continue
        chars[m.start():m.end()] = _unmask_word(m.group())
    return "".join(chars), starts, ends


_REPEATED = re.compile(r"([^\W\d_])\1{2,}")


def collapse_repeats(text: str, starts: Spans, ends: Spans) -> tuple[str, Spans, Spans]:
    """Shorten a run of three or more of the same letter to two (``fuuuuck`` -> ``fuuck``)."""
    return _drop(text, starts, ends, [(m.start() + 2, m.end()) for m in _REPEATED.finditer(text)])


_SPACED = re.compile(r"(?<![^\W\d_])(?:[^\W\d_][ .\-_*]){2,}[^\W\d_](?![^\W\d_])")


def join_spaced_letters(text: str, starts: Spans, ends: Spans) -> tuple[str, Spans, Spans]:
    """Join three or more single letters separated by one space, dot, dash, underscore or mask
    (``f u c k``, ``s.h.i.t``, ``f🤬u🤬c🤬k``)."""
    return _drop(text, starts, ends, [(i, i + 1) for m in _SPACED.finditer(text)
                                      for i in range(m.start() + 1, m.end(), 2)])


def _drop(text: str, starts: Spans, ends: Spans, cuts: list[tuple[int, int]]) -> tuple[str, Spans, Spans]:
    """``text`` without the ``cuts``; the character before each cut takes over its original span."""
    if not cuts:
        return text, starts, ends
    pieces: list[str] = []
    new_starts: Spans = []
    new_ends: Spans = []
    pos = 0
    for start, end in cuts:
        pieces.append(text[pos:start])
        new_starts += starts[pos:start]
        new_ends += ends[pos:start]
        if new_ends:
            new_ends[-1] = ends[end - 1]
        pos = end
    pieces.append(text[pos:])
    new_starts += starts[pos:]
    new_ends += ends[pos:]
    return "".join(pieces), new_starts, new_ends


STAGES: tuple[Stage, ...] = (fold_unicode, unmask_leet, collapse_repeats, join_spaced_letters)


@dataclass(frozen=True)
class Normalised:
    """A normalised text and, for each of its characters, the original span it came from."""

    source: str
    text: str
    starts: Spans
    ends: Spans

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text behind normalised ``[start, end)``."""
        if start >= end:
            pos = self.starts[start] if start < len(self.starts) else len(self.source)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def normalise(text: str, stages: tuple[Stage, ...] = STAGES) -> Normalised:
    """Normalise ``text`` through ``stages``, keeping the offset map back to it."""
    out, starts, ends = text, list(range(len(text))), list(range(1, len(text) + 1))
    for stage in stages:
        out, starts, ends = stage(out, starts, ends)
    return Normalised(source=text, text=out, starts=starts, ends=ends)
