"""The `lefbot` command."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from datetime import UTC, date

from bot.config import ConfigError, Settings, load_settings

log = logging.getLogger("lefbot")


def _setup_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    for noisy in ("alembic", "apscheduler", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _core(settings: Settings, quiet: bool = False):
    from bot.core import Core

    if quiet and settings.log_level != "DEBUG":
        logging.getLogger().setLevel(logging.WARNING)
    return Core(settings)


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    """Console chat."""
    from handlers.console import ConsoleChat

    core = _core(settings, quiet=True)
    chat = ConsoleChat(core)
    if settings.scheduler_enabled:
        from bot import scheduler

        scheduler.start(core)  # in-process, so a nudge appears in the chat when its time comes
    try:
        chat.run(sys.stdin)
    finally:
        if settings.scheduler_enabled:
            scheduler.shutdown()
    return 0


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    """Answer one question, or one per line from stdin with --json."""
    from bot.replies import Incoming
    from handlers.console import CONSOLE_USER, render

    core = _core(settings, quiet=True)
    questions = [" ".join(args.question)] if args.question else None
    if questions is None:
        if not args.json:
            print("lefbot ask: geef een vraag mee, of gebruik --json en lees vragen van stdin", file=sys.stderr)
            return 2
        questions = (line.rstrip("\n") for line in sys.stdin)
    for question in questions:
        answer = core.ask(Incoming(CONSOLE_USER, question, "cli", "console"))
        if args.json:
            print(json.dumps(answer.as_json(), ensure_ascii=False), flush=True)
        else:
            print(render(answer.reply))
    return 0


def cmd_kb_check(settings: Settings, args: argparse.Namespace) -> int:
    """Validate the knowledge base."""
    from knowledge_base.check import check_kb

    problems = check_kb(settings.kb_path, date.today())
    for problem in problems:
        print(problem)
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    print(f"{settings.kb_path}: {errors} fout(en), {warnings} waarschuwing(en)")
    return 1 if errors else 0


def cmd_kb_stats(settings: Settings, args: argparse.Namespace) -> int:
    """Knowledge-base statistics."""
    from knowledge_base.kb import KnowledgeBase

    stats = KnowledgeBase(settings.kb_path).stats()
    width = max(len(k) for k in stats)
    for key, value in stats.items():
        print(f"{key:<{width}}  {value}")
    return 0


def cmd_kb_unanswered(settings: Settings, args: argparse.Namespace) -> int:
    """Questions the bot could not answer well, newest first: what to add to the knowledge base."""
    from datetime import UTC, datetime, timedelta

    from bot.db import Database
    from bot.services.curation import open_questions
    from knowledge_base.kb import KnowledgeBase

    db = Database(settings.database_url)
    db.upgrade()
    since = datetime.now(UTC) - timedelta(days=args.days)
    found = open_questions(db, since, args.limit, KnowledgeBase(settings.kb_path))
    for question in found:
        if args.json:
            print(json.dumps(question.as_json(), ensure_ascii=False))
        else:
            about = f" ({question.entry_id})" if question.entry_id else ""
            near = f"  → dichtstbij: {question.suggested}" if question.suggested else ""
            when = f"{question.asked_at:%d-%m-%Y %H:%M}"
            print(f"{when}  {question.reason}{about}  {question.status}  {question.text[:200]}{near}")
    if not args.json:
        print(f"{len(found)} vraag/vragen in de laatste {args.days} dagen")
    return 0


def cmd_db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    """Apply database migrations."""
    from bot.db import Database

    Database(settings.database_url).upgrade()
    print("database is up to date")
    return 0


def cmd_teams_import(settings: Settings, args: argparse.Namespace) -> int:
    """Import a cohort file (YAML or CSV); nothing is written when it has problems."""
    from pathlib import Path

    from bot.services.cohort import import_file

    report = import_file(_core(settings, quiet=True), Path(args.file))
    if not report.ok:
        print(f"{args.file}: niet geïmporteerd, er is niets veranderd. Problemen:", file=sys.stderr)
        for error in report.errors:
            print(f"  {args.file}: {error}", file=sys.stderr)
        return 1
    parts = [f"{k}: {report.created[k]} nieuw, {report.updated[k]} bijgewerkt" for k in report.created]
    print(f"{args.file}: geïmporteerd ({'; '.join(parts)})")
    return 0


def cmd_nudges_plan(settings: Settings, args: argparse.Namespace) -> int:
    """Every nudge still to come, to whom and when."""
    from bot.services import nudges, teams
    from bot.services.nudge_messages import format_when

    core = _core(settings, quiet=True)
    team_id = None
    if args.team:
        with core.db.session() as session:
            team = teams.find_team(session, args.team)
        if team is None:
            print(f"lefbot: onbekend team {args.team!r}", file=sys.stderr)
            return 2
        team_id = team.id
    plan = nudges.upcoming(core, core.clock.now(), team_id)
    for nudge in plan:
        if args.json:
            if nudge.kind != "escalation":
                print(json.dumps(nudge.as_json(), ensure_ascii=False))
        else:
            when = format_when(nudge.send_at, nudge.cal.tz, "nl")
            print(
                f"{nudge.send_at.isoformat()}  {nudge.team_name} · {nudge.deadline_title} · {nudge.kind} → "
                f"{nudge.member_name} ({nudge.user_id}) · {when}"
            )
    if not args.json:
        print(f"{len(plan)} herinnering(en) gepland", file=sys.stderr)
    return 0


def cmd_deadlines_export(settings: Settings, args: argparse.Namespace) -> int:
    """Write a team's sprints and deadlines as an iCalendar file."""
    from bot.services import ical, teams

    core = _core(settings, quiet=True)
    with core.db.session() as session:
        team = teams.find_team(session, args.ical)
        if team is None:
            print(f"lefbot: onbekend team {args.ical!r}", file=sys.stderr)
            return 2
        content = ical.team_calendar(session, team, core.clock.now())
    if args.output and args.output != "-":
        with open(args.output, "wb") as handle:
            handle.write(content)
        print(f"{args.output}: agenda van {team.name} geschreven", file=sys.stderr)
    else:
        sys.stdout.buffer.write(content)
    return 0


def cmd_checkins_plan(settings: Settings, args: argparse.Namespace) -> int:
    """The coming check-in prompts per member, with their local send time."""
    from datetime import timedelta

    from bot.services.checkin_plan import plan_prompts

    core = _core(settings, quiet=True)
    teams = [t for t in core.checkins.service.teams() if not args.team or t.name.lower() == args.team.lower()]
    if args.team and not teams:
        print(f"lefbot: geen team {args.team!r} met check-ins", file=sys.stderr)
        return 2
    now = core.clock.now()
    plan = plan_prompts(teams, now, now + timedelta(days=args.days))
    for p in plan:
        local = p.send_at.astimezone(p.member.calendar.tz)
        if args.json:
            print(json.dumps({
                "team": p.team.name, "user_id": p.member.user_id, "member": p.member.name,
                "local_date": p.local_date.isoformat(), "send_at": p.send_at.astimezone(UTC).isoformat(),
                "local_time": local.strftime("%H:%M"), "timezone": str(p.member.calendar.tz),
                "reminder_at": p.reminder_at.astimezone(UTC).isoformat() if p.reminder_at else None,
                "summary_at": p.summary_at.astimezone(UTC).isoformat(),
            }, ensure_ascii=False))
        else:
            print(f"{p.send_at.astimezone(UTC).isoformat()}  {p.team.name} → {p.member.name} ({p.member.user_id}) · "
                  f"{local:%a %d-%m %H:%M} {p.member.calendar.tz}")
    if not args.json:
        print(f"{len(plan)} check-in(s) gepland in de komende {args.days} dagen", file=sys.stderr)
    return 0


def cmd_checkins_export(settings: Settings, args: argparse.Namespace) -> int:
    """Check-in answers and participation as CSV (one row per member per round)."""
    from bot.services.checkin_report import export_csv
    from bot.team_models import Team

    core = _core(settings, quiet=True)
    try:
        since = date.fromisoformat(args.since) if args.since else None
        until = date.fromisoformat(args.until) if args.until else None
    except ValueError:
        print("lefbot: gebruik datums als 2026-12-01 bij --since en --until", file=sys.stderr)
        return 2
    with core.db.session() as session:
        from sqlmodel import select

        teams = session.exec(select(Team)).all()
        ids = [t.id for t in teams if not args.team or t.name.lower() == args.team.lower()]
        if args.team and not ids:
            print(f"lefbot: onbekend team {args.team!r}", file=sys.stderr)
            return 2
        content = export_csv(session, ids, since, until)
    if args.output and args.output != "-":
        with open(args.output, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
        print(f"{args.output}: check-ins geschreven", file=sys.stderr)
    else:
        sys.stdout.write(content)
    return 0


def cmd_teams_app(settings: Settings, args: argparse.Namespace) -> int:
    """Build the Teams app package (zip) from the TEAMS_* settings."""
    from handlers.teams.app_package import main as build_app_package

    return build_app_package([args.output])


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    """Start the bot: Slack when configured, else the console chat."""
    if not settings.slack_configured:
        log.info("no Slack credentials configured: starting the console chat")
        return cmd_chat(settings, args)
    from handlers.slack.run import run

    return run(settings, http=args.http, worker=args.worker)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="lefbot", description="Chat assistant for Ambtenaren met Lef.")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, func: Callable, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    add("chat", cmd_chat, "console chat (also reads questions piped on stdin)")
    ask = add("ask", cmd_ask, "answer a question")
    ask.add_argument("question", nargs="*", help="the question; with --json and no question: one per line on stdin")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    run = add("run", cmd_run, "start the bot (Slack when configured, else the console chat)")
    run.add_argument("--http", action="store_true", help="HTTP mode even when SLACK_APP_TOKEN is set")
    run.add_argument("--worker", action="store_true", help="the single process that also runs the scheduler")

    kb = sub.add_parser("kb", help="knowledge base").add_subparsers(dest="kb_command", required=True)
    kb.add_parser("check", help="validate the knowledge base").set_defaults(func=cmd_kb_check)
    kb.add_parser("stats", help="knowledge-base statistics").set_defaults(func=cmd_kb_stats)
    unanswered = kb.add_parser("unanswered", help="questions the bot could not answer well, newest first")
    unanswered.add_argument("--days", type=int, default=30, help="look back this many days (default 30)")
    unanswered.add_argument("--limit", type=int, default=100, help="at most this many (default 100)")
    unanswered.add_argument("--json", action="store_true", help="one JSON object per line")
    unanswered.set_defaults(func=cmd_kb_unanswered)
    teams = sub.add_parser("teams", help="krachtteams").add_subparsers(dest="teams_command", required=True)
    imp = teams.add_parser("import", help="import a cohort file (YAML or CSV), idempotent")
    imp.add_argument("file")
    imp.set_defaults(func=cmd_teams_import)
    nudges = sub.add_parser("nudges", help="deadline nudges").add_subparsers(dest="nudges_command", required=True)
    plan = nudges.add_parser("plan", help="every nudge still to come, to whom and when")
    plan.add_argument("--team", help="only this team")
    plan.add_argument("--json", action="store_true", help="one JSON object per line")
    plan.set_defaults(func=cmd_nudges_plan)
    deadlines = sub.add_parser("deadlines", help="deadlines").add_subparsers(dest="deadlines_command", required=True)
    export = deadlines.add_parser("export", help="export a team's sprints and deadlines")
    export.add_argument("--ical", required=True, metavar="TEAM", help="the team (iCalendar, RFC 5545)")
    export.add_argument("-o", "--output", help="file to write (default: stdout)")
    export.set_defaults(func=cmd_deadlines_export)
    checkins = sub.add_parser("checkins", help="stand-up check-ins").add_subparsers(
        dest="checkins_command", required=True
    )
    cplan = checkins.add_parser("plan", help="the coming check-in prompts per member, at their local time")
    cplan.add_argument("--team", help="only this team")
    cplan.add_argument("--days", type=int, default=14, help="how many days ahead (default 14)")
    cplan.add_argument("--json", action="store_true", help="one JSON object per line")
    cplan.set_defaults(func=cmd_checkins_plan)
    cexport = checkins.add_parser("export", help="answers and participation as CSV")
    cexport.add_argument("--csv", action="store_true", required=True, help="CSV (the only format)")
    cexport.add_argument("--team", help="only this team")
    cexport.add_argument("--since", help="from this date (YYYY-MM-DD)")
    cexport.add_argument("--until", help="up to and including this date (YYYY-MM-DD)")
    cexport.add_argument("-o", "--output", help="file to write (default: stdout)")
    cexport.set_defaults(func=cmd_checkins_export)
    teams_app = add("teams-app", cmd_teams_app, "build the Teams app package (zip) to upload in Teams")
    teams_app.add_argument("-o", "--output", default="lefbot-teams.zip", help="zip to write (default lefbot-teams.zip)")
    db = sub.add_parser("db", help="database").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="apply migrations").set_defaults(func=cmd_db_upgrade)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `lefbot` command."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"lefbot: configuratiefout in {exc}", file=sys.stderr)
        return 2
    _setup_logging(settings.log_level)
    try:
        return args.func(settings, args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
