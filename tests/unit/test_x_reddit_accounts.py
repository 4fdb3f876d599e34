"""Accounts on X, Reddit or any platform: configured handles kept with their ids, and
accounts using the Society's name without approval flagged once (policy clause 4)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from connectors.base import SeenAccount
from monitor import accounts, store
from monitor.config import Account
from monitor.names import SocietyNames

NOW = datetime(2026, 11, 9, 7, tzinfo=UTC)
SOCIETY = SocietyNames("Thornfield Local History Society", ("Thornfield History Society", "TLHS"),
                       ("ThornfieldLHS", "thornfieldlhs@mastodon.social", "thornfieldhistory.bsky.social"),
                       ("ThornfieldHistory",))


@pytest.mark.parametrize(("text", "found"), [
    ("ThornfieldHistoryFans", [(0, 17, "ThornfieldHistory")]),
    ("TLHS_news", [(0, 4, "TLHS")]),
    ("Real_ThornfieldLHS", [(5, 18, "ThornfieldLHS")]),
    ("Fans of the Thornfield Local History Society", [(12, 44, "Thornfield Local History Society")]),
    ("thornfield.history.society", [(0, 26, "Thornfield History Society")]),
    ("r/ThornfieldHistory", [(2, 19, "ThornfieldHistory")]),
    ("ThornfieldBakery", []),
    ("atlhs24", []),
    ("tlhs fan", []),
    ("Thornfield Courier", []),
])
def test_names_and_handles_using_the_societys_name(text, found):
    assert [(e["start"], e["end"], e["reason"].split("(", 1)[1][:-1]) for e in
            accounts.name_uses(SOCIETY, text, "handle")] == found


def flags_of(engine) -> list[dict]:  # noqa: ANN001
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(
            select(store.flags, store.accounts.c.handle).join(store.accounts,
                                                              store.flags.c.account_id == store.accounts.c.id))]


def stored_accounts(engine) -> dict[str, tuple]:  # noqa: ANN001
    with engine.connect() as conn:
        return {r.handle: (r.status, r.platform_id, r.person) for r in conn.execute(select(store.accounts))}


@pytest.fixture
def settings(write_settings):
    return write_settings(extra='\n[[accounts]]\nplatform = "x"\nhandle = "ThornfieldLHS"\n'
                                '\n[[approved_accounts]]\nplatform = "x"\nhandle = "ThornfieldLHSArchive"\n')


def test_configured_accounts_are_kept_with_their_ids_and_other_authors_are_not(settings, engine):
    seen = [SeenAccount("x", "ThornfieldLHS", "1512", "Thornfield LHS"),
            SeenAccount("bluesky", "davidpryce.bsky.social", "did:plc:dp7k"),
            SeenAccount("x", "canalside_kate", "1203", "Kate Ellison"),
            SeenAccount("x", "ThornfieldLHSArchive", "1577", "TLHS Archive Room")]
    assert accounts.observe(engine, settings, seen, NOW) == 0
    assert stored_accounts(engine) == {"ThornfieldLHS": ("official", "1512", None),
                                       "davidpryce.bsky.social": ("personal", "did:plc:dp7k", "david-pryce"),
                                       "ThornfieldLHSArchive": ("approved", "1577", None)}
    assert accounts.known_ids(engine, "x") == {"thornfieldlhs": "1512", "thornfieldlhsarchive": "1577"}
    assert flags_of(engine) == []


def test_an_unapproved_account_is_flagged_once_dated_when_it_was_seen_active(settings, engine):
    fans = SeenAccount("x", "ThornfieldHistoryFans", "1853", "Thornfield History Fans", "Unofficial fan page",
                       NOW - timedelta(days=3))
    assert accounts.observe(engine, settings, [fans], NOW) == 1
    assert accounts.observe(engine, settings, [replace(fans, seen_at=NOW)], NOW) == 0
    [flag] = flags_of(engine)
    assert (flag["handle"], flag["category"], flag["clause"], flag["severity"]) == (
        "ThornfieldHistoryFans", "unapproved_account", "4", "medium")
    assert flag["created_at"] == NOW - timedelta(days=3) and flag["post_id"] is None
    assert flag["evidence"][0] == {"start": 0, "end": 17, "field": "handle",
                                   "reason": "uses the Society's name (ThornfieldHistory)"}
    assert stored_accounts(engine)["ThornfieldHistoryFans"] == ("discovered", "1853", None)


def test_approving_the_account_later_supersedes_its_flag(settings, engine):
    fans = SeenAccount("reddit", "r/ThornfieldHistory", "t5_9", seen_at=NOW)
    accounts.observe(engine, settings, [fans], NOW)
    approved = replace(settings, approved_accounts=(*settings.approved_accounts,
                                                    Account("reddit", "r/ThornfieldHistory")))
    accounts.observe(engine, approved, [fans], NOW + timedelta(days=1))
    [flag] = flags_of(engine)
    assert flag["superseded_at"] == NOW + timedelta(days=1)
    assert stored_accounts(engine)["r/ThornfieldHistory"][0] == "approved"
