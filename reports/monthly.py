"""The Board's monthly breach summary: counts only, against the month before.

No post text and nothing identifying a member of the public reaches this
report: breaches are counted by clause, severity, platform and account type;
an account is named only when it is the Society's own (its handle) or a
declared trustee's or committee member's (their role and configured id).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine

from monitor.classify.types import PUBLIC_ABUSE_CLAUSE, SEVERITIES
from monitor.config import Settings
from reports import charts, data
from reports.formatting import change, period_text
from reports.labels import ACCOUNT_TYPES, clause_label, clause_order
from reports.period import Period
from reports.table import Table, table_from_frame

BREACH_BY = ["clause", "severity", "platform", "author_kind", "account"]
ABUSE_BY = ["platform", "severity"]


@dataclass(frozen=True)
class MonthlyContext:
    """Everything templates/monthly.html shows. Counts and labels only: no post text, no public names."""

    society: str  # the Society's name
    period: Period  # the month reported
    previous: Period  # the month before, compared against
    period_text: str  # the month in words, e.g. "October 2026"
    previous_text: str  # the month before in words
    breaches: int  # breaches this month: current flags on posts by official and personal accounts
    breaches_previous: int  # the same count for the month before
    breaches_change: str  # the change, e.g. "+2 (+50%)"
    by_clause: Table  # breaches per clause: this month, last month, change
    by_severity: Table  # breaches per severity: this month, last month, change
    by_platform: Table  # breaches per platform: this month, last month, change
    by_account_type: Table  # breaches per account type (official, personal): this month, last month, change
    by_account: Table  # breaches per Society account or declared person (by role and id), this month
    abuse: int  # abuse received from the public this month (clause "Abusive behaviour")
    abuse_previous: int  # the same count for the month before
    abuse_change: str  # the change
    abuse_by_platform: Table  # abuse received per platform: this month, last month, change
    abuse_by_severity: Table  # abuse received per severity: this month, last month, change
    actions: Table  # reviews recorded this month, per decision
    actions_total: int  # reviews recorded this month
    unreviewed_breaches: int  # this month's breaches with no review decision yet
    unreviewed_abuse: int  # this month's abuse with no review decision yet
    unapproved_accounts: int  # accounts found using the Society's name without approval (clause 4)
    charts: Mapping[str, str]  # SVG charts by name: "clauses"


def month_on_month(current: pd.DataFrame, previous: pd.DataFrame, by: str, labels: tuple[str, str],
                   keep: Iterable[str] = (), order: Callable[[Any], Any] | None = None,
                   rename: Callable[[Any], str] = str) -> pd.DataFrame:
    """Counts per ``by`` value this period and last (columns ``labels``) and the change between them.

    ``current`` and ``previous`` hold a ``flags`` column of counts; values in ``keep``
    are shown even when both counts are zero.
    """
    this_label, last_label = labels
    frame = pd.concat({this_label: current.groupby(by)["flags"].sum(),
                       last_label: previous.groupby(by)["flags"].sum()}, axis=1)
    frame = frame.reindex(list(dict.fromkeys([*keep, *frame.index]))).fillna(0).astype(int)
    frame = frame.loc[sorted(frame.index, key=order)] if order else frame.sort_values(
        [this_label, last_label], ascending=False, kind="stable")
    frame["Change"] = [change(a, b) for a, b in zip(frame[this_label], frame[last_label], strict=True)]
    frame.index = [rename(value) for value in frame.index]
    return frame


def _account_label(kind: str, platform: str, account: object, roles: Mapping[str, str]) -> str:
    """The Society's account by handle, a declared person by role and id; never anyone else."""
    name = account if isinstance(account, str) and account else None  # pandas gives NaN for none
    if kind == "official":
        return f"Official: {name or f'{platform} account'}"
    if name in roles:
        return f"{roles[name]}: {name}"
    return f"Personal: {name or 'unattributed'}"


def _totals_with_change(frame: pd.DataFrame, label: str) -> Table:
    table = table_from_frame(frame, label, totals=True)
    if table.totals is None:
        return table
    this, last = int(frame.iloc[:, 0].sum()), int(frame.iloc[:, 1].sum())
    return Table(table.columns, table.rows, (*table.totals[:3], change(this, last)))


def build_monthly_context(engine: Engine, settings: Settings, period: Period, now: datetime) -> MonthlyContext:
    """The Board summary of ``period`` (a month) against the month before, from the store at ``now``."""
    previous = period.previous()
    with engine.connect() as conn:
        breaches = data.flag_counts(conn, period, BREACH_BY, author_kinds=data.BREACH_AUTHORS)
        breaches_before = data.flag_counts(conn, previous, BREACH_BY, author_kinds=data.BREACH_AUTHORS)
        abuse = data.flag_counts(conn, period, ABUSE_BY, author_kinds=["public"], clauses=[PUBLIC_ABUSE_CLAUSE])
        abuse_before = data.flag_counts(conn, previous, ABUSE_BY, author_kinds=["public"],
                                        clauses=[PUBLIC_ABUSE_CLAUSE])
        decisions = data.review_decisions(conn, period)
        unreviewed_breaches = data.unreviewed_count(conn, period, now, data.BREACH_AUTHORS)
        unreviewed_abuse = data.unreviewed_count(conn, period, now, ["public"], [PUBLIC_ABUSE_CLAUSE])
        unapproved = data.account_flag_count(conn, period)

    labels = (period.label, previous.label)
    severity_rank = {s: -i for i, s in enumerate(SEVERITIES)}
    by_clause = month_on_month(breaches, breaches_before, "clause", labels, order=clause_order)
    roles = {p.id: p.role or "Declared person" for p in settings.people}
    accounts = breaches.assign(label=[_account_label(k, p, a, roles) for k, p, a in zip(
        breaches["author_kind"], breaches["platform"], breaches["account"], strict=True)])
    by_account = accounts.groupby("label")["flags"].sum().sort_values(ascending=False, kind="stable")
    this, last = int(breaches["flags"].sum()), int(breaches_before["flags"].sum())
    abuse_this, abuse_last = int(abuse["flags"].sum()), int(abuse_before["flags"].sum())
    return MonthlyContext(
        society=settings.society.name, period=period, previous=previous, period_text=period_text(period),
        previous_text=period_text(previous), breaches=this, breaches_previous=last, breaches_change=change(this, last),
        by_clause=_totals_with_change(by_clause.set_axis([clause_label(c) for c in by_clause.index]), "Clause"),
        by_severity=_totals_with_change(month_on_month(breaches, breaches_before, "severity", labels, keep=SEVERITIES,
                                                       order=lambda s: severity_rank.get(s, 1)), "Severity"),
        by_platform=_totals_with_change(month_on_month(breaches, breaches_before, "platform", labels), "Platform"),
        by_account_type=_totals_with_change(month_on_month(
            breaches, breaches_before, "author_kind", labels, keep=data.BREACH_AUTHORS,
            order=data.BREACH_AUTHORS.index, rename=lambda k: ACCOUNT_TYPES[k]), "Account type"),
        by_account=table_from_frame(by_account.to_frame(period.label), "Account", totals=True),
        abuse=abuse_this, abuse_previous=abuse_last, abuse_change=change(abuse_this, abuse_last),
        abuse_by_platform=_totals_with_change(month_on_month(abuse, abuse_before, "platform", labels), "Platform"),
        abuse_by_severity=_totals_with_change(month_on_month(abuse, abuse_before, "severity", labels,
                                                             keep=SEVERITIES, order=lambda s: severity_rank.get(s, 1)),
                                              "Severity"),
        actions=table_from_frame(decisions.set_index("decision").rename(columns={"reviews": "Reviews"}), "Decision",
                                 totals=True),
        actions_total=int(decisions["reviews"].sum()), unreviewed_breaches=unreviewed_breaches,
        unreviewed_abuse=unreviewed_abuse, unapproved_accounts=unapproved,
        charts={"clauses": charts.breaches_by_clause(by_clause.iloc[:, :2])},
    )
