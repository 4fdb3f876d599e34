"""How serious a flag is: a base severity per category, raised by the kind of evidence.

| category | base | raised to |
|---|---|---|
| harassment | high | critical for threats and doxxing |
| discrimination | high | critical for slurs and hate tropes |
| personal_data | high | |
| offensive, misleading, political, copyright_consent, endorsement, unapproved_account | medium | |
| promotion, no_disclaimer | low | |

Alerts are sent for new ``high`` and ``critical`` flags.
"""

from __future__ import annotations

from collections.abc import Iterable

from monitor.classify.types import SEVERITIES

BASE = {
    "harassment": "high",
    "discrimination": "high",
    "personal_data": "high",
    "offensive": "medium",
    "misleading": "medium",
    "political": "medium",
    "copyright_consent": "medium",
    "endorsement": "medium",
    "unapproved_account": "medium",
    "promotion": "low",
    "no_disclaimer": "low",
}
CRITICAL = "critical"


def highest(category: str, raised: Iterable[str | None]) -> str:
    """The category's base severity or the highest severity a hit raised it to."""
    levels = [BASE[category], *(s for s in raised if s)]
    return max(levels, key=SEVERITIES.index)
