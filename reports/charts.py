"""Charts as SVG text: real text (``svg.fonttype = "none"``), fixed ids, no dates, same bytes every time.

Figures are drawn without pyplot, so no GUI backend and no global figure state.
"""

from __future__ import annotations

import io

import pandas as pd
from matplotlib import rc_context
from matplotlib.figure import Figure

_STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "society-monitor-report",
    "font.family": "sans-serif",
    "font.sans-serif": ["Noto Sans", "DejaVu Sans"],
    "font.size": 9,
    "axes.unicode_minus": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
# One fixed colour per platform, so a platform looks the same in every report.
PLATFORM_COLOURS = {
    "x": "#1f2937", "reddit": "#ea580c", "mastodon": "#6d28d9", "bluesky": "#0284c7", "facebook": "#1d4ed8",
    "instagram": "#db2777", "blog": "#059669", "forum": "#ca8a04", "web": "#64748b",
}
THIS_MONTH, LAST_MONTH = "#1d4ed8", "#94a3b8"


def _svg(figure: Figure) -> str:
    """The figure as SVG text, without the date matplotlib would otherwise put in its metadata."""
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def daily_volume(volume: pd.DataFrame) -> str:
    """Stacked bars of posts per day (rows, labelled) by platform (columns)."""
    with rc_context(_STYLE):
        figure = Figure(figsize=(7.0, 2.6), layout="constrained")
        ax = figure.subplots()
        labels = [str(day).replace(" ", "\n", 1) for day in volume.index]
        bottom = pd.Series(0, index=volume.index)
        for platform in volume.columns:
            ax.bar(labels, volume[platform], bottom=bottom, label=platform,
                   color=PLATFORM_COLOURS.get(platform, "#9ca3af"), width=0.7)
            bottom = bottom + volume[platform]
        ax.set_ylabel("posts")
        ax.set_ylim(bottom=0)
        ax.yaxis.get_major_locator().set_params(integer=True)
        if len(volume.columns):
            handles, names = ax.get_legend_handles_labels()  # top of the stack first
            ax.legend(handles[::-1], names[::-1], loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        return _svg(figure)


def breaches_by_clause(counts: pd.DataFrame) -> str:
    """Horizontal bars of breaches per clause (index), this month against last month (two columns)."""
    with rc_context(_STYLE):
        figure = Figure(figsize=(7.0, 0.6 + 0.35 * max(len(counts), 1)), layout="constrained")
        ax = figure.subplots()
        positions = range(len(counts))
        this_month, last_month = counts.columns[:2]
        ax.barh([p + 0.2 for p in positions], counts[last_month], height=0.4, color=LAST_MONTH, label=last_month)
        ax.barh([p - 0.2 for p in positions], counts[this_month], height=0.4, color=THIS_MONTH, label=this_month)
        ax.set_yticks(list(positions), [str(c) for c in counts.index])
        ax.invert_yaxis()
        ax.set_xlabel("breaches")
        ax.set_xlim(left=0)
        ax.xaxis.get_major_locator().set_params(integer=True)
        handles, names = ax.get_legend_handles_labels()
        ax.legend(handles[::-1], names[::-1], loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        return _svg(figure)
