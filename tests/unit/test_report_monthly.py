"""Month-on-month comparison and change wording, on hand-made counts."""

from __future__ import annotations

import pandas as pd

from reports.formatting import change
from reports.monthly import month_on_month
from reports.table import table_from_frame


def counts(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["clause", "severity", "flags"])


def test_change_wording() -> None:
    assert [change(3, 2), change(1, 3), change(4, 0), change(0, 2), change(5, 5), change(0, 0)] == [
        "+1 (+50%)", "-2 (-67%)", "+4 (new)", "-2 (-100%)", "0", "0"]


def test_month_on_month_by_clause() -> None:
    october = counts([("6d", "high", 2), ("6d", "low", 1), ("6c", "medium", 2), ("6g", "high", 1)])
    september = counts([("6d", "medium", 3), ("6a", "low", 1), ("6g", "high", 1)])
    frame = month_on_month(october, september, "clause", ("2026-10", "2026-09"), order=str)
    assert frame.to_dict("index") == {
        "6a": {"2026-10": 0, "2026-09": 1, "Change": "-1 (-100%)"},
        "6c": {"2026-10": 2, "2026-09": 0, "Change": "+2 (new)"},
        "6d": {"2026-10": 3, "2026-09": 3, "Change": "0"},
        "6g": {"2026-10": 1, "2026-09": 1, "Change": "0"},
    }


def test_kept_values_show_with_zeros_and_default_order_is_by_count() -> None:
    october = counts([("6d", "high", 1), ("6c", "low", 4)])
    frame = month_on_month(october, counts([]), "severity", ("this", "last"), keep=["critical", "high"])
    assert list(frame.index) == ["low", "high", "critical"]
    assert frame.loc["critical"].tolist() == [0, 0, "0"]


def test_table_from_frame_adds_totals_of_numeric_columns() -> None:
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}, index=["r1", "r2"])
    table = table_from_frame(frame, "Row", totals=True)
    assert table.columns == ("Row", "a", "b")
    assert table.rows == (("r1", "1", "x"), ("r2", "2", "y"))
    assert table.totals == ("Total", "3", "")
