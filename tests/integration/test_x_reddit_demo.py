"""The demo's X and Reddit sample data, served on 127.0.0.1 by monitor/demo_x.py and
monitor/demo_reddit.py exactly as the demo mounts them, swept twice through the real
tweepy and praw clients with the sources the example configuration gets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor import demo_reddit, demo_x, store
from monitor.config import REPO_ROOT, load_settings
from monitor.demo import DEMO_NOW
from monitor.sweep import run_sweep
from tests.apiserver import ApiServer

# The [[sources]] and [costs.x] the example configuration gets (as in the report to the lead).
DEMO_TOML = """
[costs.x]
price_per_post = 0.005
price_per_user = 0.010
reads_per_sweep = 2000
reads_per_month = 30000

[[sources]]
name = "x-society"
kind = "x"
platform = "x"
role = "official"
account = "ThornfieldLHS"
options = { read = "timeline", backfill_days = 60 }

[[sources]]
name = "x-society-mentions"
kind = "x"
platform = "x"
role = "mentions"
account = "ThornfieldLHS"
options = { read = "mentions", backfill_days = 60 }

[[sources]]
name = "x-society-likes"
kind = "x"
platform = "x"
role = "official"
account = "ThornfieldLHS"
options = { read = "likes" }

[[sources]]
name = "x-david-pryce"
kind = "x"
platform = "x"
role = "personal"
person = "david-pryce"
options = { read = "timeline", backfill_days = 60 }

[[sources]]
name = "x-search"
kind = "x"
platform = "x"
role = "mentions"
options = { read = "search" }

[[sources]]
name = "reddit-search"
kind = "reddit"
platform = "reddit"
role = "mentions"
options = { read = "search", backfill_days = 60 }

[[sources]]
name = "reddit-thornfield-comments"
kind = "reddit"
platform = "reddit"
role = "mentions"
options = { read = "comments", subreddits = ["Thornfield"], backfill_days = 60 }

[[sources]]
name = "reddit-tom-hesketh"
kind = "reddit"
platform = "reddit"
role = "personal"
person = "tom-hesketh"
options = { read = "user", backfill_days = 60 }
"""
X_IDS = {t["text"][:30]: t["id"] for t in json.loads((demo_x.DEMO_X / "tweets.json").read_text(encoding="utf-8"))}


def demo_config(tmp_path: Path):  # noqa: ANN201 - Settings
    """The example config's Society and people (with David's X and Tom's Reddit accounts), the sources above."""
    text = (REPO_ROOT / "config" / "monitor.example.toml").read_text(encoding="utf-8").split("[[sources]]", 1)[0]
    text = text.replace('{ platform = "bluesky", handle = "davidpryce.bsky.social" }',
                        '{ platform = "bluesky", handle = "davidpryce.bsky.social" }, '
                        '{ platform = "x", handle = "DavidPryceTLHS" }')
    text = text.replace('{ platform = "mastodon", handle = "tomhesketh@historians.social" }',
                        '{ platform = "mastodon", handle = "tomhesketh@historians.social" }, '
                        '{ platform = "reddit", handle = "TomHeskethPhoto" }')
    assert "DavidPryceTLHS" in text and "TomHeskethPhoto" in text
    text = text.replace('database_url = "sqlite:///../var/monitor.db"', f'database_url = "sqlite:///{tmp_path}/d.db"')
    path = tmp_path / "monitor.toml"
    path.write_text(text + DEMO_TOML, encoding="utf-8")
    return load_settings(path)


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("demo")
    settings = demo_config(tmp_path)
    engine = store.open_store(settings.database_url)
    runs = []
    with ApiServer({"/x": demo_x.handle, "/reddit": demo_reddit.handle}) as server:
        for _ in range(2):  # fresh connectors each time, as two demo runs would have
            connectors = {"x": demo_x.connector(settings, server.base + "/x"),
                          "reddit": demo_reddit.connector(settings, server.base + "/reddit")}
            server.calls.clear()
            result = run_sweep(settings, engine, clock=lambda: DEMO_NOW, connectors=connectors)
            runs.append((result, list(server.calls)))
    yield engine, runs
    engine.dispose()


def posts(engine) -> dict[str, dict]:  # noqa: ANN001
    with engine.connect() as conn:
        return {r.native_id: dict(r._mapping) for r in conn.execute(select(store.posts))}


def flags(engine) -> dict[str, set[str]]:  # noqa: ANN001
    out: dict[str, set[str]] = {}
    with engine.connect() as conn:
        rows = conn.execute(select(store.posts.c.native_id, store.flags.c.category)
                            .join(store.flags, store.flags.c.post_id == store.posts.c.id))
        for native_id, category in rows:
            out.setdefault(native_id, set()).add(category)
    return out


def test_every_source_is_read_and_the_second_run_reads_and_stores_nothing(swept):
    engine, [(first, _), (second, calls)] = swept
    assert first.exit_code == 0 and all(r.status == "ok" for r in first.sources)
    stored = posts(engine)
    assert sum(1 for p in stored.values() if p["platform"] == "x") == 31  # 30 posts less L01, plus 2 likes
    # 30 less: the by-election thread and the lost cat (no mention), "tlhs" in lower case, and
    # three comments outside r/Thornfield
    assert sum(1 for p in stored.values() if p["platform"] == "reddit") == 24
    assert second.exit_code == 0 and second.total("new") == 0
    # X's likes endpoint has no since_id: its first page (2 likes and their 2 authors) is read again.
    assert {r.source: r.reads for r in second.sources if r.reads} == {"x-society-likes": 4}
    assert len([c for c in calls if c.method == "GET"]) == len(second.sources)  # one request per source
    assert sum(1 for c in calls if c.method == "POST") == 1  # and Reddit's OAuth token


def test_posts_are_attributed_and_shares_carry_what_they_share(swept):
    engine, _ = swept
    stored = posts(engine)
    repost = stored[X_IDS["RT @millwatch_th: Canal Ward b"]]
    assert (repost["author_kind"], repost["kind"], repost["text"]) == ("personal", "repost", "")
    assert repost["ref"]["text"].startswith("Canal Ward by-election on Thursday: vote Conservative")
    like = next(p for p in stored.values() if p["kind"] == "like" and "b*stards" in p["ref"]["text"])
    assert (like["author_handle"], like["author_kind"]) == ("ThornfieldLHS", "official")
    reply = stored[X_IDS["@ThornfieldLHS Brilliant turno"]]
    assert (reply["author_kind"], reply["account"]) == ("personal", "david-pryce")
    crosspost = next(p for p in stored.values() if p["platform"] == "reddit" and p["kind"] == "repost")
    assert crosspost["author_kind"] == "personal" and "busybodies" in crosspost["ref"]["text"]
    assert X_IDS["New times for the old tlhs rou"] not in stored  # lower-case "tlhs" is not the Society


def test_breaches_are_flagged_including_shares_of_breaching_posts(swept):
    engine, _ = swept
    found = flags(engine)
    like = next(k for k in found if k.startswith("like:"))
    assert "endorsement" in found[like]
    assert "endorsement" in found[X_IDS["RT @millwatch_th: Canal Ward b"]]
    assert "endorsement" in found[X_IDS["Ha! Spot on, Gerry 😂"]]
    assert "political" in found[X_IDS["Congratulations to Cllr Jo Fir"]]
    assert "personal_data" in found[X_IDS["@ThornfieldLHS the raffle winn"]]
    assert "harassment" in found[X_IDS["@ThornfieldLHS your Chair Marg"]]
    for clean in ("Drove over from Scunthorpe for", "RT @ThornfieldLHSArchive: From"):
        assert X_IDS[clean] not in found


def test_the_one_unapproved_account_is_flagged_and_ids_are_kept(swept):
    engine, _ = swept
    with engine.connect() as conn:
        account_flags = conn.execute(select(store.accounts.c.handle, store.flags.c.clause)
                                     .join(store.flags, store.flags.c.account_id == store.accounts.c.id)).all()
        kept = {r.handle: (r.status, r.platform_id) for r in conn.execute(select(store.accounts))}
    assert account_flags == [("ThornfieldHistoryFans", "4")]
    assert kept["ThornfieldLHS"] == ("official", "1512740377351217153")
    assert kept["DavidPryceTLHS"][0] == "personal" and kept["ThornfieldLHSArchive"][0] == "approved"
    assert kept["TomHeskethPhoto"] == ("personal", "t2_1w9kq3xr") and "ThornfieldBakery" not in kept
