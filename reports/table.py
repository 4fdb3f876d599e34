"""A small display table: what a template needs to draw a count table."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Table:
    """Header cells, body rows and an optional totals row, every cell a display string."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    totals: tuple[str, ...] | None = None

    @property
    def empty(self) -> bool:
        return not self.rows


def _cell(value: object) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.2f}"
    return str(value)


def table_from_frame(frame: pd.DataFrame, index_label: str, totals: bool = False) -> Table:
    """A Table of ``frame`` (its index as the first column), with a totals row of the numeric columns."""
    columns = (index_label, *(str(c) for c in frame.columns))
    rows = tuple((_cell(index), *(_cell(v) for v in values))
                 for index, values in zip(frame.index, frame.itertuples(index=False), strict=True))
    total_row = None
    if totals and rows:
        total_row = ("Total", *(_cell(frame[c].sum()) if pd.api.types.is_numeric_dtype(frame[c]) else ""
                                for c in frame.columns))
    return Table(columns, rows, total_row)
