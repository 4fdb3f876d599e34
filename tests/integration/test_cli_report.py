"""``report weekly|monthly [--period]`` through the CLI, after a sweep."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default as default_policy

from pypdf import PdfReader
from sqlalchemy import select

from monitor import store
from tests.conftest import REPO, feed_source
from tests.feedfactory import item, rss


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "run_monitor.py"), *args], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})


def test_report_commands(write_settings, engine, tmp_path) -> None:
    when = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)
    (tmp_path / "feed.xml").write_bytes(rss([item(1, "Open day at the TLHS archive on Saturday", when=when)]))
    settings = write_settings(feed_source("blog", str(tmp_path / "feed.xml"), role="official", platform="blog"),
                              extra=f'[reports]\noutput_dir = "{tmp_path / "out"}"\n')
    assert cli("sweep", "--config", str(settings.path)).returncode == 0

    done = cli("report", "weekly", "--period", "2026-W45", "--config", str(settings.path))
    assert done.returncode == 0, done.stderr
    path = tmp_path / "out" / "weekly-2026-W45.pdf"
    assert done.stdout.strip() == str(path)
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    assert "2026-W45" in text and "blog" in text

    done = cli("report", "monthly", "--period", "2026-11", "--config", str(settings.path))
    assert done.returncode == 0 and (tmp_path / "out" / "monthly-2026-11.pdf").is_file()

    done = cli("report", "weekly", "--period", "2026-11", "--config", str(settings.path))
    assert done.returncode == 2 and "not a weekly period" in done.stderr and "Traceback" not in done.stderr


def test_report_send_emails_the_pdf(write_settings, engine, tmp_path, smtp) -> None:
    inbox, port = smtp
    settings = write_settings(extra=f'[alerts]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\nsmtp_starttls = false\n'
                                    f'sender = "monitor@example.org"\n[reports]\noutput_dir = "{tmp_path / "out"}"\n'
                                    'board = ["board@example.org"]\n')
    done = cli("report", "monthly", "--period", "2026-10", "--send", "--config", str(settings.path))
    assert done.returncode == 0, done.stderr
    [(_, recipients, raw)] = inbox.messages
    message = message_from_bytes(raw, policy=default_policy)
    [attachment] = list(message.iter_attachments())
    assert recipients == ["board@example.org"] and attachment.get_filename() == "monthly-2026-10.pdf"
    assert attachment.get_content().startswith(b"%PDF")
    with engine.connect() as conn:
        assert conn.execute(select(store.reports.c.delivered_to)).scalar() == "board@example.org"
    done = cli("report", "weekly", "--send", "--config", str(settings.path))
    assert done.returncode == 2 and "officer" in done.stderr
