"""Cheap checks that tell when a lexicon regex cannot match, so that most never run on a post.

Two facts are read from a pattern with CPython's own regex parser: the characters a match can start
with (a look-ahead on them lets the engine skip most positions at once), and literals one of which
every match must contain (an entry none of whose literals is in the text is not run at all). When the parser
cannot tell, the pattern simply runs everywhere: the checks change the speed, never the matches.
"""

from __future__ import annotations

import re
import re._constants as _sre
import re._parser as _sre_parse
from typing import Any

# Shorter literals ("the", "on ") are in nearly every post: not worth checking. Words that start the
# branches of an alternation may be shorter ("men|women").
MIN_LITERAL = 4
MIN_ALTERNATIVE = 3


def _parse(pattern: str) -> list[tuple[Any, Any]] | None:
    try:
        return list(_sre_parse.parse(pattern, re.IGNORECASE))
    except Exception:  # a pattern the parser refuses is compiled (and reported) by the caller
        return None


def _first_chars(items: list[tuple[Any, Any]]) -> set[str] | None:
    chars: set[str] = set()
    for op, arg in items:
        if op is _sre.LITERAL:
            return chars | {chr(arg)}
        if op is _sre.IN:
            if not all(o is _sre.LITERAL or o is _sre.RANGE and a[1] - a[0] < 300 for o, a in arg):
                return None
            return chars | {chr(c) for o, a in arg for c in ((a,) if o is _sre.LITERAL else range(a[0], a[1] + 1))}
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue
        if op is _sre.SUBPATTERN or op is _sre.BRANCH:
            branches = [list(arg[-1])] if op is _sre.SUBPATTERN else [list(b) for b in arg[1]]
            found = [_first_chars(b) for b in branches]
            return None if any(f is None for f in found) else chars.union(*found)
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            low, _, sub = arg
            found = _first_chars(list(sub))
            if found is None:
                return None
            chars |= found
            if low:
                return chars
            continue
        return None
    return None


def with_first_chars(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled case-insensitively, behind a look-ahead for the characters it can start with."""
    items = _parse(pattern)
    first = _first_chars(items) if items is not None else None
    if not first:
        return re.compile(pattern, re.IGNORECASE)
    first |= {c.upper() for c in first}
    return re.compile(f"(?=[{''.join(re.escape(c) for c in sorted(first))}])(?:{pattern})", re.IGNORECASE)


def _leading_run(items: list[tuple[Any, Any]]) -> str:
    run = ""
    for op, arg in items:
        if op is not _sre.LITERAL:
            break
        run += chr(arg)
    return run


def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Plain texts (lower case) one of which every match of ``pattern`` contains: the longest run of
    plain characters, or the words an alternation in the pattern starts each branch with ("(?:women|men)
    shouldn't" needs "women" or "men"), whichever is more telling; None when nothing is required."""
    items = _parse(pattern)
    if items is None or len(items) == 1 and items[0][0] is _sre.BRANCH:  # a|b|c: nothing is required
        return None
    candidates: list[tuple[str, ...]] = []
    run = ""
    for op, arg in items + [(None, None)]:
        if op is _sre.LITERAL:
            run += chr(arg)
            continue
        if len(run.strip()) >= MIN_LITERAL:
            candidates.append((run.lower(),))
        run = ""
        if op is _sre.BRANCH:
            heads = tuple(sorted({_leading_run(list(branch)).lower() for branch in arg[1]}))
            if all(len(head.strip()) >= MIN_ALTERNATIVE for head in heads):
                candidates.append(heads)
    return max(candidates, key=lambda c: (min(len(t) for t in c), -len(c)), default=None)
