"""Words the reports show for the store's codes: clauses, categories, account types, severities."""

from __future__ import annotations

from monitor.classify.types import PUBLIC_ABUSE_CLAUSE, SEVERITIES

# Short titles of the policy clauses the monitor cites.
CLAUSE_TITLES = {
    "4": "Accounts using the Society's name need permission",
    "6a": "Personal accounts: speak in a personal capacity",
    "6b": "Liking or sharing content that breaches the policy",
    "6c": "Party-political neutrality",
    "6d": "Offensive, abusive, discriminatory or misleading content",
    "6e": "Copyright and consent",
    "6f": "Promoting others' products or services",
    "6g": "Personal and sensitive data",
    PUBLIC_ABUSE_CLAUSE: "Abuse received (Equality Act 2010 characteristics)",
}

ACCOUNT_TYPES = {"official": "Official account", "personal": "Personal account", "public": "Member of the public"}

SEVERITY_ORDER = {severity: rank for rank, severity in enumerate(SEVERITIES)}

# Likes by other users on X have been private since June 2024: nobody's likes can be read.
X_LIKES_NOTE = ("Likes by other users on X have been private since 2024, so likes (policy 6b) "
                "made on X are not covered by this monitor.")


def clause_order(clause: str) -> tuple[int, str]:
    """Sort key: numbered clauses first, in policy order, then the titled sections."""
    return (0, clause.rjust(4)) if clause[:1].isdigit() else (1, clause)


def clause_label(clause: str) -> str:
    """"6d: Offensive, ..." for a clause code (the code alone when it has no title)."""
    title = CLAUSE_TITLES.get(clause)
    return f"{clause}: {title}" if title else clause
