"""The offline demo end to end through the CLI, twice on the same folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import create_engine, func, select

from monitor import store
from tests.conftest import REPO


def run_demo(output: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "run_monitor.py"), "demo", "--output", str(output)],
                          capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(REPO)})


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def without_paid_reads(text: str) -> list[str]:
    """The report's lines, in any order (the section's length moves page breaks), without the
    paid-reads section and the page furniture."""
    start = text.index("Paid API reads")
    text = text[:start] + text[text.index("\nVolume\n", start):]
    text = re.sub(r"Page \d+ of \d+", "", text)
    return sorted({line for line in text.splitlines() if line.strip()})  # a header repeats at page breaks


def snapshot(db: Path) -> dict[str, object]:
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        counts = {t.name: conn.scalar(select(func.count()).select_from(t))
                  for t in (store.posts, store.flags, store.reports)}
        counts["current_flags"] = conn.scalar(select(func.count()).select_from(store.flags)
                                              .where(store.flags.c.superseded_at.is_(None)))
        counts["by_category"] = dict(conn.execute(
            select(store.flags.c.category, func.count()).where(store.flags.c.superseded_at.is_(None))
            .group_by(store.flags.c.category)).all())
    engine.dispose()
    return counts


def test_demo_twice(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    first = run_demo(out)
    assert first.returncode == 0, first.stderr
    weekly = out / "reports" / "weekly-2026-W45.pdf"
    monthly = out / "reports" / "monthly-2026-10.pdf"
    for path in (out / "monitor.db", weekly, monthly):
        assert str(path) in first.stdout or str(path.resolve()) in first.stdout
        assert path.is_file()
    before = snapshot(out / "monitor.db")
    assert before["posts"] >= 150
    assert len(before["by_category"]) >= 4  # breaches of several clauses were flagged
    weekly_text, monthly_text = pdf_text(weekly), pdf_text(monthly)
    assert "2026-W45" in weekly_text and "Thornfield Local History Society" in weekly_text
    assert "Paid API reads" in weekly_text and "2026-11" in weekly_text  # X reads and cost, month to date
    for platform in ("x", "reddit", "mastodon", "bluesky", "forum", "blog"):
        assert platform in weekly_text
    assert "2026-10" in monthly_text or "October 2026" in monthly_text

    second = run_demo(out)
    assert second.returncode == 0, second.stderr
    after = snapshot(out / "monitor.db")
    assert {k: v for k, v in after.items() if k != "reports"} == {k: v for k, v in before.items() if k != "reports"}
    # The same numbers, except that the second run is one more sweep in the paid-reads table:
    # X's likes endpoint has no since_id, so its first page is read (and billed) again.
    assert without_paid_reads(pdf_text(weekly)) == without_paid_reads(weekly_text)
    assert pdf_text(monthly) == monthly_text
    total_line = [line for line in second.stdout.splitlines() if line.startswith("total")][0]
    assert total_line.split()[4] == "0"  # nothing new the second time
