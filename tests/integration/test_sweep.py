"""The sweep against a real HTTP server on 127.0.0.1 and a real SQLite file."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading

import pytest
from sqlalchemy import func, select

from connectors.base import Page, SweepContext
from connectors.feeds import FeedConnector
from monitor import store
from monitor.lock import SweepLocked, sweep_lock
from monitor.sweep import run_sweep
from tests.conftest import REPO, feed_source
from tests.feedfactory import item, many, rss


def stored(engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(select(store.posts.c.native_id).order_by(store.posts.c.native_id)))


def sweep_rows(engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(store.sweeps).order_by(store.sweeps.c.id))]


def test_second_sweep_of_unchanged_feed_downloads_and_stores_nothing(feed_server, write_settings, engine, clock):
    url = feed_server.add("/blog.xml", body=many(30), etag='"v1"', last_modified="Mon, 02 Nov 2026 09:00:00 GMT")
    settings = write_settings(feed_source("blog", url, role="official", platform="blog"))
    first = run_sweep(settings, engine, clock=clock, sleep=clock.sleep)
    assert (first.sources[0].status, first.sources[0].new, first.exit_code) == ("ok", 30, 0)
    second = run_sweep(settings, engine, clock=clock, sleep=clock.sleep)
    assert (second.sources[0].fetched, second.sources[0].new) == (0, 0)
    hits = feed_server.hits("/blog.xml")
    assert [h.status for h in hits] == [200, 304]
    assert hits[1].headers["If-None-Match"] == '"v1"'
    assert hits[1].headers["If-Modified-Since"] == "Mon, 02 Nov 2026 09:00:00 GMT"
    assert len(stored(engine)) == 30


def test_unchanged_body_without_validators_is_not_reparsed(feed_server, write_settings, engine, clock):
    url = feed_server.add("/plain.xml", body=many(5))
    settings = write_settings(feed_source("plain", url, role="official", platform="blog"))
    run_sweep(settings, engine, clock=clock)
    second = run_sweep(settings, engine, clock=clock)
    assert second.sources[0].fetched == 0 and len(stored(engine)) == 5


def test_one_failing_source_never_stops_the_others(feed_server, write_settings, engine, clock):
    good = feed_server.add("/good.xml", body=many(3))
    sources = (feed_source("gone", feed_server.url("/missing.xml"), role="official", platform="blog")
               + feed_source("broken", feed_server.add("/broken.xml", status=500), role="official", platform="blog")
               + feed_source("junk", feed_server.add("/junk.xml", body=b"<html>oops</html", content_type="text/html"),
                             role="official", platform="blog")
               + feed_source("good", good, role="official", platform="blog"))
    settings = write_settings(sources, extra="[sweep]\nmax_retries = 1\n")
    result = run_sweep(settings, engine, clock=clock, sleep=clock.sleep)
    status = {r.source: r.status for r in result.sources}
    assert status == {"gone": "unavailable", "broken": "failed", "junk": "unavailable", "good": "ok"}
    assert result.exit_code == 3
    assert clock.slept == [2.0]  # one back-off before the retry, through the injected clock
    rows = {r["source"]: r for r in sweep_rows(engine)}
    assert "404" in rows["gone"]["error"] and "500" in rows["broken"]["error"]
    assert rows["good"]["new"] == 3 and len(stored(engine)) == 3


def test_rate_limit_waits_within_the_cap_then_gives_up(feed_server, write_settings, engine, clock):
    url = feed_server.add("/limited.xml", status=429, headers={"Retry-After": "30"})
    settings = write_settings(feed_source("limited", url), extra="[sweep]\nmax_retries = 2\nmax_wait_seconds = 45\n")
    result = run_sweep(settings, engine, clock=clock, sleep=clock.sleep)
    assert result.sources[0].status == "failed" and "429" in result.sources[0].error
    assert clock.slept == [30.0, 30.0]
    long_wait = feed_server.add("/limited-long.xml", status=429, headers={"Retry-After": "3600"})
    settings = write_settings(feed_source("limited", long_wait), extra="[sweep]\nmax_wait_seconds = 45\n")
    clock.slept.clear()
    assert run_sweep(settings, engine, clock=clock, sleep=clock.sleep).sources[0].status == "failed"
    assert clock.slept == []


def test_slow_feed_is_cut_off_by_the_timeout(feed_server, write_settings, engine, clock):
    url = feed_server.add("/slow.xml", body=many(200), trickle_seconds=0.05)
    settings = write_settings(feed_source("slow", url), extra="[sweep]\ntimeout_seconds = 0.5\nmax_retries = 0\n")
    result = run_sweep(settings, engine, clock=clock, sleep=clock.sleep)
    assert result.sources[0].status == "failed"
    assert "longer than 0.5 s" in result.sources[0].error
    assert stored(engine) == []


def test_huge_feed_is_cut_off_by_the_size_cap(feed_server, write_settings, engine, clock):
    declared = feed_server.add("/huge.xml", body=many(400))
    undeclared = feed_server.add("/huge-chunked.xml", body=many(400), send_length=False)
    sources = feed_source("huge", declared) + feed_source("huge-chunked", undeclared)
    settings = write_settings(sources, extra="[sweep]\nmax_bytes = 20000\n")
    result = run_sweep(settings, engine, clock=clock, sleep=clock.sleep)
    assert [r.status for r in result.sources] == ["unavailable", "unavailable"]
    assert all("cap" in r.error for r in result.sources)
    assert stored(engine) == []


class _CrashAfterFirstPage(FeedConnector):
    def pages(self, source, cursor, context: SweepContext):
        for n, page in enumerate(super().pages(source, cursor, context)):
            if n == 1:
                raise RuntimeError("simulated crash between two pages")
            yield page


def test_crash_between_pages_loses_and_duplicates_nothing(feed_server, write_settings, engine, clock):
    url = feed_server.add("/big.xml", body=many(25), etag='"big"')
    settings = write_settings(feed_source("big", url, role="official", platform="blog"))
    crashed = run_sweep(settings, engine, clock=clock, connectors={"feed": _CrashAfterFirstPage(batch_size=10)})
    assert crashed.sources[0].status == "failed" and "simulated crash" in crashed.sources[0].error
    assert len(stored(engine)) == 10
    assert store.load_cursor(engine, "big") is None  # the cursor did not move past unsaved pages
    resumed = run_sweep(settings, engine, clock=clock, connectors={"feed": FeedConnector(batch_size=10)})
    assert resumed.sources[0].status == "ok" and resumed.sources[0].new == 15
    assert stored(engine) == sorted(f"https://blog.example.org/posts/{i}" for i in range(25))
    assert store.load_cursor(engine, "big")["etag"] == '"big"'


KILL_SCRIPT = """
import os, signal, sys
sys.path.insert(0, {repo!r})
from monitor import store, sweep
from monitor.config import load_settings
original = store.save_page
calls = []
def save_then_die(*args, **kwargs):
    ids = original(*args, **kwargs)
    calls.append(1)
    if len(calls) == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return ids
store.save_page = save_then_die
settings = load_settings({config!r})
sweep.run_sweep(settings, store.open_store(settings.database_url))
"""


def test_sigkill_mid_sweep_loses_and_duplicates_nothing(feed_server, write_settings, engine, tmp_path):
    url = feed_server.add("/big.xml", body=many(1250), etag='"big"')
    settings = write_settings(feed_source("big", url, role="official", platform="blog"))
    script = tmp_path / "kill.py"
    script.write_text(KILL_SCRIPT.format(repo=str(REPO), config=str(settings.path)), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    assert len(stored(engine)) == 1000  # two pages of 500 committed, the third never started
    assert store.load_cursor(engine, "big") is None
    # The lock died with the process: the next sweep runs and completes the feed.
    result = run_sweep(settings, engine)
    assert result.sources[0].new == 250
    ids = stored(engine)
    assert len(ids) == len(set(ids)) == 1250


def test_concurrent_sweep_is_refused(write_settings, engine, tmp_path):
    settings = write_settings(feed_source("local", str(tmp_path / "feed.xml"), role="official", platform="blog"))
    (tmp_path / "feed.xml").write_bytes(many(2))
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with sweep_lock(settings.lock_path()):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    try:
        with pytest.raises(SweepLocked, match="another sweep is running"):
            run_sweep(settings, engine)
        assert stored(engine) == [] and sweep_rows(engine) == []
    finally:
        release.set()
        holder.join()
    assert run_sweep(settings, engine).sources[0].new == 2


def test_cli_exit_codes(feed_server, write_settings, engine, tmp_path):
    ok = feed_server.add("/ok.xml", body=rss([item(1, "The TLHS open day")]))
    settings = write_settings(feed_source("ok", ok))
    run = [sys.executable, str(REPO / "run_monitor.py"), "sweep", "--config", str(settings.path)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(run, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "ok" in done.stdout and "total" in done.stdout

    settings = write_settings(feed_source("ok", ok) + feed_source("gone", feed_server.url("/nope.xml")))
    done = subprocess.run(run, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 3 and "unavailable" in done.stdout

    with sweep_lock(settings.lock_path()):
        done = subprocess.run(run, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 75 and "another sweep is running" in done.stderr

    bad = tmp_path / "bad.toml"
    bad.write_text("[society]\nname = 3\n", encoding="utf-8")
    done = subprocess.run(run[:3] + ["--config", str(bad)], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2 and "society.name" in done.stderr and "Traceback" not in done.stderr


def test_preview_prints_json_lines_without_storing(feed_server, tmp_path):
    url = feed_server.add("/p.xml", body=rss([item(1, "<p>Hello <b>there</b></p>"), item(2)]))
    run = [sys.executable, str(REPO / "run_monitor.py"), "preview", "feed", url, "--platform", "blog"]
    done = subprocess.run(run, capture_output=True, text=True, timeout=60, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    import json
    posts = [json.loads(line) for line in lines]
    assert [p["text"] for p in posts][0] == "Hello there" and posts[0]["platform"] == "blog"
    assert list(tmp_path.iterdir()) == []


def test_page_without_cursor_keeps_the_previous_cursor(write_settings, engine, clock, tmp_path):
    class TwoPages:
        def pages(self, source, cursor, context):
            yield Page([], None)
            yield Page([], {"since": "b"})

    settings = write_settings(feed_source("two", str(tmp_path / "x.xml")))
    store.save_page(engine, "two", [], {"since": "a"})
    run_sweep(settings, engine, clock=clock, connectors={"feed": TwoPages()})
    assert store.load_cursor(engine, "two") == {"since": "b"}
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(store.sweeps)) == 1


def test_author_kind_comes_from_configured_handles(write_settings, engine, clock, tmp_path):
    path = tmp_path / "bsky.rss"
    path.write_bytes(textwrap.dedent("""\
        <?xml version="1.0"?><rss version="2.0"><channel><title>David</title>
        <link>https://bsky.app/profile/davidpryce.bsky.social</link><description>x</description>
        <item><link>https://bsky.app/profile/did:plc:abc/post/3l1</link>
        <guid isPermaLink="false">at://did:plc:abc/app.bsky.feed.post/3l1</guid>
        <pubDate>Mon, 02 Nov 2026 10:00:00 +0000</pubDate><description>The TLHS AGM was fun</description></item>
        </channel></rss>""").encode())
    settings = write_settings(feed_source("found-by-search", str(path), role="mentions", platform="bluesky"))
    run_sweep(settings, engine, clock=clock)
    with engine.connect() as conn:
        row = conn.execute(select(store.posts.c.author_kind, store.posts.c.account, store.posts.c.native_id)).one()
    assert tuple(row) == ("personal", "david-pryce", "at://did:plc:abc/app.bsky.feed.post/3l1")


def test_check_config_online_tries_every_source(feed_server, write_settings, engine):
    ok = feed_server.add("/ok.xml", body=many(2))
    settings = write_settings(feed_source("ok", ok) + feed_source("gone", feed_server.url("/gone.xml")))
    run = [sys.executable, str(REPO / "run_monitor.py"), "check-config", "--online", "--config", str(settings.path)]
    done = subprocess.run(run, capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 3
    assert re.search(r"ok\s+ok", done.stdout) and re.search(r"gone\s+FAILED: .*404", done.stdout)
    assert stored(engine) == []


def test_preview_reads_a_platform_api_without_storing(tmp_path):
    from monitor.demo import DEMO_FEEDS, api_mounts, serve_demo

    with serve_demo(DEMO_FEEDS, api_mounts()) as base:
        outputs = {}
        for kind, target, url in (("mastodon-hashtag", "#ThornfieldHistory", f"{base}/mastodon"),
                                  ("bluesky-actor", "davidpryce.bsky.social", f"{base}/bluesky")):
            done = subprocess.run([sys.executable, str(REPO / "run_monitor.py"), "preview", kind, target, "--url", url],
                                  capture_output=True, text=True, timeout=120, cwd=tmp_path,
                                  env={**os.environ, "PYTHONPATH": str(REPO)})
            assert done.returncode == 0, done.stderr
            outputs[kind] = [json.loads(line) for line in done.stdout.splitlines()]
    assert outputs["mastodon-hashtag"] and all(p["platform"] == "mastodon" for p in outputs["mastodon-hashtag"])
    assert any("#ThornfieldHistory".lower() in p["text"].lower() for p in outputs["mastodon-hashtag"])
    assert outputs["bluesky-actor"] and all(p["native_id"].startswith("at://") for p in outputs["bluesky-actor"])
    assert list(tmp_path.iterdir()) == []
