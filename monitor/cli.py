"""The command line: ``run_monitor.py COMMAND`` (also installed as ``social-monitor``).

Exit codes: 0 success; 2 a user error (one clear message, no traceback);
3 partial success (some sources or lines failed); 75 another sweep holds the lock.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from connectors.base import ConfigError, ConnectorError, SweepContext
from connectors.feeds import FeedConnector
from monitor.config import DEFAULT_CONFIG, Settings, Source, load_settings
from monitor.lock import SweepLocked
from monitor.sweep import EXIT_LOCKED, EXIT_OK, EXIT_PARTIAL, SweepResult, run_sweep, utcnow

EXIT_USAGE = 2
log = logging.getLogger("monitor")


class UserError(Exception):
    """A problem the user can fix: printed as one message, exit code 2."""


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(args.config)


def _open_store(settings: Settings):  # noqa: ANN202 - an Engine
    from monitor.store import open_store
    return open_store(settings.database_url)


# --- commands ------------------------------------------------------------------------


def cmd_check_config(args: argparse.Namespace) -> int:
    settings = _settings(args)
    print(f"{settings.path}: OK ({len(settings.sources)} sources, {len(settings.people)} people, "
          f"{len(settings.official_accounts)} official accounts)")
    if not args.online:
        return EXIT_OK
    failed = 0
    for source, problem in check_sources(settings):
        failed += problem is not None
        print(f"  {source.name:<28} {'FAILED: ' + problem if problem else 'ok'}")
    return EXIT_PARTIAL if failed else EXIT_OK


def check_sources(settings: Settings) -> list[tuple[Source, str | None]]:
    """Read each enabled source once, without storing, to try its address and credentials.

    A connector with a cheaper way (``check(source, context)``, e.g. an account
    look-up on a platform that bills reads) uses it; others read their first page.
    """
    from monitor.sweep import default_connectors

    connectors = default_connectors(settings)
    context = SweepContext(clock=utcnow, page_cap=1, timeout=settings.sweep.timeout_seconds,
                           max_bytes=settings.sweep.max_bytes)
    results: list[tuple[Source, str | None]] = []
    for source in (s for s in settings.sources if s.enabled):
        connector = connectors[source.kind]
        try:
            if hasattr(connector, "check"):
                connector.check(source, context)
            else:
                next(iter(connector.pages(source, None, context)), None)
            results.append((source, None))
        except ConnectorError as exc:
            results.append((source, str(exc)))
    return results


def print_sweep(result: SweepResult, out: Callable[[str], None] = print) -> None:
    header = f"{'source':<28} {'status':<12} {'fetched':>7} {'new':>6} {'flagged':>7} {'reads':>6}  error"
    out(header)
    for r in result.sources:
        out(f"{r.source:<28} {r.status:<12} {r.fetched:>7} {r.new:>6} {r.flagged:>7} {r.reads:>6}  {r.error or ''}")
    out(f"{'total':<28} {len(result.failed)} failed{'':<3} {result.total('fetched'):>7} {result.total('new'):>6} "
        f"{result.total('flagged'):>7} {result.total('reads'):>6}")
    for channel, count in result.alerts.sent.items():
        out(f"alerted the Social Media Officer by {channel}: {count} flag(s)")
    for channel, error in result.alerts.failed.items():
        out(f"alert by {channel} FAILED (retried next sweep): {error}")


def cmd_sweep(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.only and not any(args.only in (s.name, s.role, s.kind) for s in settings.sources if s.enabled):
        raise UserError(f"no enabled source with the name, role or kind {args.only!r} in {settings.path}")
    engine = _open_store(settings)
    result = run_sweep(settings, engine, only=args.only)
    print_sweep(result)
    return result.exit_code


# What each ``preview KIND TARGET`` reads: (connector kind, platform, role, options for TARGET).
PREVIEWS: dict[str, tuple[str, str, str, Callable[[str], dict[str, object]]]] = {
    "feed": ("feed", "web", "mentions", lambda t: {}),
    "x-search": ("x", "x", "mentions", lambda t: {"options": {"read": "search", "query": t}}),
    "x-user": ("x", "x", "mentions", lambda t: {"account": t.lstrip("@"), "options": {"read": "timeline"}}),
    "reddit-search": ("reddit", "reddit", "mentions", lambda t: {"options": {"read": "search", "query": t}}),
    "reddit-user": ("reddit", "reddit", "mentions", lambda t: {"account": t.removeprefix("u/"),
                                                               "options": {"read": "user"}}),
    "mastodon-account": ("mastodon", "mastodon", "mentions", lambda t: {"options": {"account": t.lstrip("@")}}),
    "mastodon-hashtag": ("mastodon", "mastodon", "mentions", lambda t: {"options": {"hashtag": t.lstrip("#")}}),
    "bluesky-actor": ("bluesky", "bluesky", "mentions", lambda t: {"options": {"actor": t.lstrip("@")}}),
    "bluesky-search": ("bluesky", "bluesky", "mentions", lambda t: {"options": {"search": t}}),
}


def cmd_preview(args: argparse.Namespace) -> int:
    from connectors.registry import connector_class

    kind, platform, role, fields = PREVIEWS[args.kind]
    extra = fields(args.target)
    source = Source(name="preview", kind=kind, platform=args.platform or platform, role=role,
                    target=args.target if kind == "feed" else (args.url or ""), account=extra.get("account"),
                    options=extra.get("options", {}))
    if kind == "feed":
        connector = FeedConnector()
    else:
        settings = replace(_settings(args), sources=(source,))
        connector = connector_class(kind).from_settings(settings)
    context = SweepContext(clock=utcnow, page_cap=1, timeout=args.timeout, max_bytes=args.max_bytes)
    count = 0
    for page in connector.pages(source, None, context):
        for post in page.posts:
            print(json.dumps(post.to_json() | {"raw": None} if not args.raw else post.to_json(),
                             ensure_ascii=False, default=str))
            count += 1
        if page.warning:
            print(f"warning: {page.warning}", file=sys.stderr)
    print(f"{count} posts", file=sys.stderr)
    return EXIT_OK

def cmd_demo(args: argparse.Namespace) -> int:
    from monitor.demo import run_demo

    result = run_demo(args.output)
    print_sweep(result.sweep)
    print(f"database: {result.database}")
    print(f"weekly report: {result.weekly}")
    print(f"monthly report: {result.monthly}")
    return result.sweep.exit_code


def _one_line(text: str | None, width: int = 70) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[:width - 1] + "…"


def cmd_review(args: argparse.Namespace) -> int:
    from monitor import review

    settings = _settings(args)
    engine = _open_store(settings)
    if args.flag_id is None:
        rows = review.list_flags(engine, unreviewed_only=args.unreviewed)
        for r in rows:
            print(f"{r['id']:>6}  {r['created_at']:%Y-%m-%d}  {r['severity']:<8} {r['category']:<17} "
                  f"{r['platform']:<9} {_one_line(r['author_handle'], 24):<24} {r['decision'] or 'unreviewed':<12} "
                  f"{_one_line(r['text'])}")
        print(f"{len(rows)} flag(s)", file=sys.stderr)
        return EXIT_OK
    if args.decision is None:
        raise UserError("give a decision: " + ", ".join(review.DECISIONS))
    try:
        review.record_review(engine, args.flag_id, args.decision, utcnow(), note=args.note, reviewer=args.by)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    print(f"flag {args.flag_id}: {args.decision}")
    return EXIT_OK


def cmd_incident(args: argparse.Namespace) -> int:
    from monitor import review

    settings = _settings(args)
    engine = _open_store(settings)
    if args.action == "list":
        for r in review.list_incidents(engine):
            print(f"{r['id']:>5}  {r['reported_at']:%Y-%m-%d %H:%M}  {r['status']:<7} {r['severity'] or '-':<8} "
                  f"{r['platform'] or '-':<9} {_one_line(r['description'])}  {r['url'] or ''}")
        return EXIT_OK
    try:
        incident_id = review.add_incident(engine, utcnow(), args.description, url=args.url, platform=args.platform,
                                          category=args.category, severity=args.severity, reported_by=args.by)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    print(f"incident {incident_id} recorded")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from monitor.scheduler import serve

    settings = _settings(args)
    serve(settings, _open_store(settings))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from monitor.delivery import send_report
    from monitor.mailer import can_send
    from reports.generate import write_report

    settings = _settings(args)
    engine = _open_store(settings)
    try:
        path = write_report(args.kind, engine, settings, args.period, utcnow(), settings.reports.output_dir)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    print(path)
    if args.send:
        recipients = settings.reports.officer if args.kind == "weekly" else settings.reports.board
        if not recipients or not can_send(settings):
            raise UserError(f"--send needs [reports] {'officer' if args.kind == 'weekly' else 'board'} "
                            f"recipients and [alerts] smtp_host and sender in {settings.path}")
        send_report(engine, settings, path, recipients, utcnow())
        print(f"sent to {', '.join(recipients)}")
    return EXIT_OK


def _classifier_for(args: argparse.Namespace):  # noqa: ANN202 - a Classifier
    from monitor.classify import Classifier
    from monitor.names import SocietyNames

    settings = load_settings(args.config) if args.config or DEFAULT_CONFIG.is_file() else None
    if args.society or args.alias:
        names = SocietyNames.from_terms(args.society or "", args.alias or [])
    else:
        names = settings.society if settings else SocietyNames()
    return Classifier(names, thresholds=settings.thresholds if settings else None)


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: expected UTF-8 JSON lines") from None


def cmd_classify(args: argparse.Namespace) -> int:
    from monitor.classify.jsonl import classify_jsonl
    from monitor.classify.parallel import BATCH, OnEveryCore

    failed = 0
    classifier = OnEveryCore(_classifier_for(args))
    for line_no, output, error in classify_jsonl(_read_lines(args.file), classifier, batch_size=BATCH):
        if error is not None:
            failed += 1
            print(f"{args.file}:{line_no}: {error}", file=sys.stderr)
        else:
            print(json.dumps(output, ensure_ascii=False))
    return EXIT_PARTIAL if failed else EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from monitor.classify.jsonl import classify_jsonl, score
    from monitor.classify.parallel import BATCH, OnEveryCore

    lines = _read_lines(args.file)
    classifier = OnEveryCore(_classifier_for(args))
    started = time.perf_counter()
    results = list(classify_jsonl(lines, classifier, batch_size=BATCH))
    elapsed = time.perf_counter() - started
    failed = [(n, e) for n, _, e in results if e is not None]
    for line_no, error in failed:
        print(f"{args.file}:{line_no}: {error}", file=sys.stderr)
    scored = [(n, o) for n, o, e in results if e is None]
    outputs = [o for _, o in scored]
    gold = [json.loads(lines[n - 1]) for n, _ in scored]
    report = score(outputs, gold)
    report["posts_per_second"] = round(len(outputs) / elapsed, 1) if elapsed else None
    if args.json:
        print(json.dumps(report, sort_keys=True))
    else:
        print(f"{'category':<20} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}")
        for name, row in sorted(report["categories"].items()):
            print(f"{name:<20} {row['precision']:>9.3f} {row['recall']:>7.3f} {row['f1']:>6.3f} {row['support']:>8}")
        print(f"micro F1 {report['micro_f1']:.3f}  macro F1 {report['macro_f1']:.3f}  "
              f"{report['posts_per_second']} posts/s")
    return EXIT_PARTIAL if failed else EXIT_OK


# --- parser --------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="run_monitor.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages to stderr")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=None,
                        help="the TOML configuration (default config/monitor.toml, else the bundled example)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check-config", parents=[common], help="validate the configuration")
    p.add_argument("--online", action="store_true", help="also read each source once to try it and its credentials")
    p.set_defaults(func=cmd_check_config)

    p = sub.add_parser("sweep", parents=[common], help="one pass over every source")
    p.add_argument("--only", metavar="SOURCE", help="sweep only the sources with this name, role (mentions, "
                                                 "official, personal) or kind (feed...)")
    p.set_defaults(func=cmd_sweep)

    from monitor.review import DECISIONS, INCIDENT_SEVERITIES

    p = sub.add_parser("review", parents=[common], help="list flags, or record the officer's decision on one")
    p.add_argument("flag_id", type=int, nargs="?", help="the flag to decide on (omit to list current flags)")
    p.add_argument("decision", nargs="?", choices=DECISIONS, help="the decision")
    p.add_argument("--note", help="why, or what was done")
    p.add_argument("--by", help="who decided")
    p.add_argument("--unreviewed", action="store_true", help="list only flags with no decision yet")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("incident", parents=[common], help="record or list incidents reported to the officer")
    p.add_argument("action", choices=["add", "list"])
    p.add_argument("description", nargs="?", default="", help="what was reported (for add)")
    p.add_argument("--url", help="where it was seen")
    p.add_argument("--platform", help="x, reddit, mastodon, bluesky, facebook, ...")
    p.add_argument("--category", help="the policy category it concerns, e.g. harassment")
    p.add_argument("--severity", choices=INCIDENT_SEVERITIES)
    p.add_argument("--by", help="who reported it")
    p.set_defaults(func=cmd_incident)

    p = sub.add_parser("serve", parents=[common], help="the scheduler daemon: sweeps and reports on [schedule]")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("preview", parents=[common], help="read one page of a source without storing; print JSON lines")
    p.add_argument("kind", choices=sorted(PREVIEWS), help="what to read")
    p.add_argument("target", help="a feed URL or file path, a search query, a handle or a hashtag")
    p.add_argument("--platform", help="for feeds: the platform to record (blog, mastodon, bluesky, forum, web...)")
    p.add_argument("--url", help="Mastodon: the instance to ask (default: the account's own); Bluesky: the service")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds before giving up (default 20)")
    p.add_argument("--max-bytes", type=int, default=20_000_000, help="size cap of the document (default 20 MB)")
    p.add_argument("--raw", action="store_true", help="include the raw payload")
    p.set_defaults(func=cmd_preview)

    p = sub.add_parser("report", parents=[common], help="write the weekly officer report or the monthly Board summary")
    p.add_argument("kind", choices=["weekly", "monthly"])
    p.add_argument("--period", help="2026-W47 for a week, 2026-11 for a month (default: the last complete one)")
    p.add_argument("--send", action="store_true", help="e-mail it (weekly: [reports] officer; monthly: board)")
    p.set_defaults(func=cmd_report)

    for name, func, text in (("classify", cmd_classify, "classify posts given as JSON lines"),
                             ("evaluate", cmd_evaluate, "score the classifier against labelled JSON lines")):
        p = sub.add_parser(name, parents=[common], help=text)
        p.add_argument("file", type=Path, metavar="FILE.jsonl")
        p.add_argument("--society", help="the Society's name (replaces the configured identity)")
        p.add_argument("--alias", action="append", help="another name, ACRONYM, @handle or #hashtag (repeatable)")
        p.set_defaults(func=func)
        if name == "evaluate":
            p.add_argument("--json", action="store_true", help="print one JSON object")

    p = sub.add_parser("demo", help="the offline demo: sweep the bundled samples and write both PDFs")
    p.add_argument("--output", type=Path, default=Path("demo-output"), help="folder for monitor.db and reports/")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for ours in ("monitor", "connectors", "reports"):
        logging.getLogger(ours).setLevel(logging.DEBUG if args.verbose else logging.INFO)
    # Client libraries stay at WARNING even with --verbose: their debug logs can
    # print request headers, and so credentials.
    try:
        return args.func(args)
    except SweepLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except (ConfigError, UserError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ConnectorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_PARTIAL
    except KeyboardInterrupt:
        return 130
