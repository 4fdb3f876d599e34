"""Accounts the connectors come across.

- Configured handles (and the accounts sources read) are resolved to platform ids
  once and kept in ``accounts`` (:func:`known_ids` hands them back to the
  connectors on later sweeps).
- An account whose handle or display name uses the Society's name, and which is
  not official, declared or approved, raises an ``unapproved_account`` flag
  (policy 4: permission before creating an account using the Society's name).

Other authors are not recorded: the table keeps no personal data it has no use for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from connectors.base import SeenAccount
from monitor.classify.severity import BASE
from monitor.classify.types import CLAUSES
from monitor.names import SocietyNames, is_acronym
from monitor.store import accounts, flags

CATEGORY = "unapproved_account"
CLASSIFIER_VERSION = "accounts/1"
MIN_SQUASHED = 8  # shorter run-together names ("tlhs") match only as separate words or acronyms


def known_ids(engine: Engine, platform: str) -> dict[str, str]:
    """``{lower-case handle: platform id}`` of the accounts already resolved on ``platform``."""
    with engine.connect() as conn:
        rows = conn.execute(select(accounts.c.handle, accounts.c.platform_id)
                            .where(accounts.c.platform == platform, accounts.c.platform_id.is_not(None)))
        return {handle.lower(): platform_id for handle, platform_id in rows}


def configured(settings: Any) -> dict[tuple[str, str], tuple[str, str | None]]:
    """``{(platform, lower-case handle): (status, person id)}`` for official, declared and approved
    accounts, and ``monitored`` for any other account a source reads."""
    out: dict[tuple[str, str], tuple[str, str | None]] = {}
    for source in settings.sources:
        if source.account:
            out[(source.platform, source.account.lstrip("@").removeprefix("u/").lower())] = ("monitored", None)
    for account in settings.approved_accounts:
        out[(account.platform, account.handle.lower())] = ("approved", None)
    for person in settings.people:
        for account in person.accounts:
            out[(account.platform, account.handle.lower())] = ("personal", person.id)
    for account in settings.official_accounts:
        out[(account.platform, account.handle.lower())] = ("official", None)
    return out


def _squash(text: str) -> tuple[str, list[int]]:
    """Lower-case letters and digits only, with each one's offset in ``text``."""
    kept = [(c.lower(), i) for i, c in enumerate(text) if c.isalnum()]
    return "".join(c for c, _ in kept), [i for _, i in kept]


def _words(handle: str) -> list[tuple[str, int, int]]:
    """``TLHS_news`` -> TLHS, news; ``ThornfieldLHSArchive`` -> Thornfield, LHS, Archive."""
    return [(m.group(), m.start(), m.end())
            for m in re.finditer(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", handle)]


def name_uses(society: SocietyNames, text: str, field: str) -> list[dict[str, Any]]:
    """Evidence that ``text`` (a handle or display name) uses the Society's name: the name, an
    alias, handle or hashtag as words, run together (``ThornfieldHistoryFans``), or an acronym
    as a word of a handle (``TLHS_news``)."""
    return [{"start": s, "end": e, "reason": f"uses the Society's name ({term})", "field": field}
            for s, e, term in _spans(society, text)]


@lru_cache(maxsize=8192)  # the same authors come back page after page
def _spans(society: SocietyNames, text: str) -> tuple[tuple[int, int, str], ...]:
    found = [(m.start, m.end, m.term) for m in society.find(text)]
    squashed, where = _squash(text)
    terms = [society.name, *society.aliases, *society.hashtags,
             *(h.split("@")[0].split(".")[0] for h in society.handles)]
    for term in filter(None, terms):
        key = _squash(term)[0]
        if len(key) >= MIN_SQUASHED and (at := squashed.find(key)) >= 0:
            found.append((where[at], where[at + len(key) - 1] + 1, term))
    acronyms = {t for t in (society.name, *society.aliases) if t and is_acronym(t)}
    found += [(start, end, word) for word, start, end in _words(text) if word in acronyms]
    spans: dict[tuple[int, int], str] = {}
    for start, end, term in sorted(found, key=lambda f: (f[0], -f[1])):
        if not any(s <= start and end <= e for s, e in spans):
            spans[(start, end)] = term
    return tuple((s, e, term) for (s, e), term in spans.items())


def observe(engine: Engine, settings: Any, seen: Sequence[SeenAccount], now: datetime) -> int:
    """Keep configured accounts (with their ids) and flag unapproved ones using the Society's
    name. Returns the number of new ``unapproved_account`` flags."""
    known = configured(settings)
    rows = {}
    for account in seen:
        status, person = known.get((account.platform, account.handle.lower()), ("discovered", None))
        evidence = [] if status != "discovered" else (
            name_uses(settings.society, account.handle, "handle")
            + name_uses(settings.society, account.display_name or "", "display_name"))
        if status == "discovered" and not evidence:
            continue
        when = min(account.seen_at or now, now)
        rows[(account.platform, account.handle)] = (account, status, person, evidence, when)
    if not rows:
        return 0
    new_flags = 0
    with engine.begin() as conn:
        for (platform, handle), (account, status, person, evidence, when) in rows.items():
            row = conn.execute(select(accounts).where(accounts.c.platform == platform,
                                                      accounts.c.handle == handle)).first()
            values = {"platform_id": account.platform_id or (row.platform_id if row else None),
                      "display_name": account.display_name or (row.display_name if row else None),
                      "status": status, "person": person,
                      "raw": {"description": account.description} if account.description else None}
            if row is None:
                account_id = conn.execute(accounts.insert().values(
                    platform=platform, handle=handle, first_seen=when, last_seen=when, **values)
                ).inserted_primary_key[0]
            else:
                account_id = row.id
                conn.execute(update(accounts).where(accounts.c.id == row.id).values(
                    last_seen=max(row.last_seen, when), first_seen=min(row.first_seen, when), **values))
            current = conn.scalar(select(flags.c.id).where(flags.c.account_id == account_id,
                                                           flags.c.category == CATEGORY,
                                                           flags.c.superseded_at.is_(None)))
            if status != "discovered" and current is not None:
                # Approved (or declared) since it was flagged.
                conn.execute(update(flags).where(flags.c.id == current).values(superseded_at=now))
            elif status == "discovered" and current is None:
                conn.execute(flags.insert().values(
                    account_id=account_id, category=CATEGORY, clause=CLAUSES[CATEGORY], severity=BASE[CATEGORY],
                    score=1.0, evidence=evidence, classifier_version=CLASSIFIER_VERSION, created_at=when))
                new_flags += 1
    return new_flags
