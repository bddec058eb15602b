"""The `lefbot` command."""

from __future__ import annotations

import argparse
import errno
import json
import logging
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime

from bot.config import ConfigError, Settings, load_settings

log = logging.getLogger("lefbot")
IMPORT_DESCRIPTION = """\
Import a cohort file: teams, members, process supporters, sprints and deadlines. Importing the same file
again updates and never duplicates; a file with problems is refused as a whole, with a line number per
problem, and nothing is written.

YAML:
  teams:
    - name: Krachtteam Bouw
      channel: C01                       # the team's channel id on the chat platform (optional)
      process_supporters: [U0SUP]
      members:
        - {id: U01, name: Anna, email: anna@example.org, timezone: Europe/Amsterdam, free_days: [friday],
           out_of_office: [{from: 2026-12-21, to: 2027-01-03}]}
      checkins: {days: [monday, thursday], time: "09:30", summary: "16:00"}   # optional
      sprints:
        - name: Sprint 1
          goal: Een gedragen plan voor circulair slopen
          start: 2026-12-01
          end: 2026-12-19
          deadlines:
            - {title: Concept plan, due: "2026-12-11 17:00", owners: [U01]}   # owners: ids, or "team"

CSV: one deadline per row, with the header
  team,channel,sprint,sprint_start,sprint_end,title,due,owners
(owners separated by spaces, or `team`)."""


def _setup_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    for noisy in ("alembic", "apscheduler", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _announce_new_database(settings: Settings) -> None:
    """Say which SQLite file is used when it does not exist yet, so a new empty database is no surprise."""
    from pathlib import Path

    from sqlalchemy.engine import make_url

    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    path = Path(url.database)
    if not path.exists() and not any(parent.is_file() for parent in path.parents):  # else the error says why
        print(
            f"lefbot: nieuwe, lege database {path.resolve()} (zet LEFBOT_DATA_DIR of DATABASE_URL om een "
            "bestaande te gebruiken)",
            file=sys.stderr,
        )


def _core(settings: Settings, quiet: bool = False):
    from bot.core import Core

    if quiet and settings.log_level != "DEBUG":
        logging.getLogger().setLevel(logging.WARNING)
    _announce_new_database(settings)
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
    from bot.chat.replies import Incoming
    from handlers.console import CONSOLE_USER, render

    core = _core(settings, quiet=True)
    core.answering.record = args.log  # evaluation runs leave the question log and personal data alone
    questions = [_valid_text(" ".join(args.question))] if args.question else None
    if questions is None:
        if not args.json:
            print("lefbot ask: geef een vraag mee, of gebruik --json en lees vragen van stdin", file=sys.stderr)
            return 2
        questions = (_valid_text(line.rstrip("\n")) for line in sys.stdin)
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

    from bot.answering.curation import open_questions, resolve
    from bot.calendar.dates import local_stamp
    from bot.db import Database
    from knowledge_base.kb import KnowledgeBase

    words = args.action or []
    if words and words[0] != "resolve":
        print(f"lefbot kb unanswered: onbekende opdracht {words[0]!r}; bedoel je `resolve ID…`?", file=sys.stderr)
        return 2
    if words and (len(words) < 2 or not all(w.isdigit() for w in words[1:])):
        print(
            "lefbot kb unanswered resolve: geef een of meer nummers uit de lijst, bv. `resolve 12 15`", file=sys.stderr
        )
        return 2
    _announce_new_database(settings)
    db = Database(settings.database_url)
    db.upgrade()
    if words:
        done, missing = resolve(db, [int(w) for w in words[1:]], datetime.now(UTC))
        if done:
            print(f"afgehandeld: {', '.join(map(str, done))}")
        if missing:
            print(f"lefbot: geen onbeantwoorde vraag met nummer {', '.join(map(str, missing))}", file=sys.stderr)
        return 0 if not missing else 1
    since = datetime.now(UTC) - timedelta(days=args.days)
    found = open_questions(db, since, args.limit, KnowledgeBase(settings.kb_path), resolved=args.all)
    for question in found:
        if args.json:
            print(json.dumps(question.as_json(), ensure_ascii=False))
        else:
            about = f" ({question.entry_id})" if question.entry_id else ""
            near = f"  → dichtstbij: {question.suggested}" if question.suggested else ""
            when = local_stamp(question.asked_at, settings.timezone, "nl", year=True)
            print(f"#{question.id}  {when}  {question.reason}{about}  {question.status}  {question.text[:200]}{near}")
    if not args.json:
        print(f"{len(found)} vraag/vragen in de laatste {args.days} dagen; sluiten: lefbot kb unanswered resolve ID…")
    return 0


def cmd_db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    """Apply database migrations."""
    from bot.db import Database

    _announce_new_database(settings)
    Database(settings.database_url).upgrade()
    print("database is up to date")
    return 0


def cmd_teams_import(settings: Settings, args: argparse.Namespace) -> int:
    """Import a cohort file (YAML or CSV); nothing is written when it has problems."""
    from pathlib import Path

    from bot.deadlines.cohort import import_file

    try:
        Path(args.file).open("rb").close()
    except OSError as exc:
        print(f"lefbot: kan het cohortbestand niet lezen: {os_problem(exc)}", file=sys.stderr)
        return 2
    report = import_file(_core(settings, quiet=True), Path(args.file))
    if not report.ok:
        if len(report.errors) == 1:
            print(f"{args.file}: {report.errors[0]} (niet geïmporteerd, er is niets veranderd)", file=sys.stderr)
            return 2
        print(f"{args.file}: niet geïmporteerd, er is niets veranderd. Problemen:", file=sys.stderr)
        for error in report.errors:
            print(f"  {args.file}: {error}", file=sys.stderr)
        return 2
    parts = [f"{k}: {report.created[k]} nieuw, {report.updated[k]} bijgewerkt" for k in report.created]
    print(f"{args.file}: geïmporteerd ({'; '.join(parts)})")
    return 0


def parse_start(settings: Settings, text: str | None, now: datetime) -> datetime | None:
    """`--from`: an ISO date or date-time (local in TIMEZONE when it has no offset); None when unreadable."""
    from datetime import time

    if not text:
        return now
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        return None
    if len(text.strip()) == 10:  # a date alone: from the start of that day
        moment = datetime.combine(moment.date(), time(0))
    return moment.replace(tzinfo=settings.timezone) if moment.tzinfo is None else moment


def _bad_start(text: str) -> int:
    print(f"lefbot: --from {text!r} is geen datum; gebruik bv. 2026-12-07 of 2026-12-07T09:00", file=sys.stderr)
    return 2


def with_reach(line: dict, reachable: bool) -> dict:
    """A plan line; `"reachable": false` added when the member has no address on the platform yet."""
    return line if reachable else {**line, "reachable": False}


def reach_marker(reachable: bool) -> str:
    """The plain plan's marker for a member who cannot be reached yet (nothing will be sent to them)."""
    return "" if reachable else "  [nog niet bereikbaar]"


def cmd_nudges_plan(settings: Settings, args: argparse.Namespace) -> int:
    """Every nudge still to come, to whom and when (local time of the member, with its zone)."""
    from bot.calendar.dates import local_stamp
    from bot.deadlines import nudge_sending, teams

    core = _core(settings, quiet=True)
    start = parse_start(settings, args.start, core.clock.now())
    if start is None:
        return _bad_start(args.start)
    team_id = None
    if args.team:
        with core.db.session() as session:
            team = teams.find_team(session, args.team)
        if team is None:
            print(f"lefbot: onbekend team {args.team!r}", file=sys.stderr)
            return 2
        team_id = team.id
    plan = nudge_sending.upcoming(core, start, team_id)
    if args.start:  # as it will be then, with the bot running until then: earlier nudges went out on time
        plan = [n for n in plan if n.send_at >= start]
    reachable = core.addresses.reachable(sorted({n.user_id for n in plan}))
    for nudge in plan:
        if args.json:
            if nudge.kind != "escalation":
                print(json.dumps(with_reach(nudge.as_json(), nudge.user_id in reachable), ensure_ascii=False))
        else:
            when = local_stamp(nudge.send_at, nudge.cal.tz, "nl", year=True)
            print(
                f"{when} ({nudge.cal.tz})  {nudge.team_name} · {nudge.deadline_title} · {nudge.kind} → "
                f"{nudge.member_name} ({nudge.user_id}){reach_marker(nudge.user_id in reachable)}"
            )
    if not args.json:
        print(f"{len(plan)} herinnering(en) gepland", file=sys.stderr)
    return 0


def cmd_deadlines_export(settings: Settings, args: argparse.Namespace) -> int:
    """Write a team's sprints and deadlines as an iCalendar file."""
    from bot.deadlines import ical, teams

    core = _core(settings, quiet=True)
    with core.db.session() as session:
        team = teams.find_team(session, args.ical)
        if team is None:
            print(f"lefbot: onbekend team {args.ical!r}", file=sys.stderr)
            return 2
        content = ical.team_calendar(session, team, core.clock.now())
    if args.output and args.output != "-":
        if not _write_output(args.output, content):
            return 2
        print(f"{args.output}: agenda van {team.name} geschreven", file=sys.stderr)
    else:
        sys.stdout.buffer.write(content)
    return 0


def cmd_checkins_plan(settings: Settings, args: argparse.Namespace) -> int:
    """The coming check-in prompts per member, with their local send time."""
    from datetime import timedelta

    from bot.calendar.dates import local_stamp
    from bot.checkins.plan import plan_prompts

    core = _core(settings, quiet=True)
    now = parse_start(settings, args.start, core.clock.now())
    if now is None:
        return _bad_start(args.start)
    teams = [t for t in core.checkins.service.teams() if not args.team or t.name.lower() == args.team.lower()]
    if args.team and not teams:
        print(f"lefbot: geen team {args.team!r} met check-ins", file=sys.stderr)
        return 2
    plan = plan_prompts(teams, now, now + timedelta(days=args.days))
    reachable = core.addresses.reachable(sorted({p.member.user_id for p in plan}))
    for p in plan:
        tz = p.member.calendar.tz
        if args.json:
            print(json.dumps(with_reach({
                "team": p.team.name, "user_id": p.member.user_id, "member": p.member.name,
                "local_date": p.local_date.isoformat(), "send_at": p.send_at.astimezone(UTC).isoformat(),
                "local_time": p.send_at.astimezone(tz).strftime("%H:%M"), "timezone": str(tz),
                "reminder_at": p.reminder_at.astimezone(UTC).isoformat() if p.reminder_at else None,
                "summary_at": p.summary_at.astimezone(UTC).isoformat(),
            }, p.member.user_id in reachable), ensure_ascii=False))  # fmt: skip
        else:
            when = local_stamp(p.send_at, tz, "nl", year=True)
            marker = reach_marker(p.member.user_id in reachable)
            print(f"{when} ({tz})  {p.team.name} → {p.member.name} ({p.member.user_id}){marker}")
    if not args.json:
        print(f"{len(plan)} check-in(s) gepland in de {args.days} dagen vanaf {local_stamp(now, settings.timezone)}",
              file=sys.stderr)  # fmt: skip
    return 0


def cmd_checkins_export(settings: Settings, args: argparse.Namespace) -> int:
    """Check-in answers and participation as CSV (one row per member per round)."""
    from bot.checkins.report import export_csv
    from bot.deadlines.models import Team

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
        if not _write_output(args.output, content):
            return 2
        print(f"{args.output}: check-ins geschreven", file=sys.stderr)
    else:
        sys.stdout.write(content)
    return 0


def cmd_teams_app(settings: Settings, args: argparse.Namespace) -> int:
    """Build the Teams app package (zip) from the TEAMS_* settings."""
    from handlers.teams.app_package import main as build_app_package

    return build_app_package([args.output])


def cmd_simulate(settings: Settings, args: argparse.Namespace) -> int:
    """Every message lefbot would send in a window, in time order; nothing is sent or written."""
    import dataclasses
    from datetime import timedelta

    from bot.chat.markup import CMD
    from bot.deadlines import teams
    from bot.simulate import simulate
    from handlers.slack.mrkdwn import COMMAND

    core = _core(settings, quiet=True)
    start = parse_start(settings, args.start, core.clock.now())
    if start is None:
        return _bad_start(args.start)
    if args.team:
        with core.db.session() as session:
            if teams.find_team(session, args.team) is None:
                print(f"lefbot: onbekend team {args.team!r}", file=sys.stderr)
                return 2
    planned = simulate(core, start, start + timedelta(days=args.days), args.team)
    for item in planned:
        item = dataclasses.replace(item, text=item.text.replace(CMD, COMMAND))  # as the Slack adapter shows it
        if args.json:
            print(json.dumps(item.as_json(), ensure_ascii=False))
        else:
            kind = f"{item.kind} ({item.detail})" if item.detail and item.detail != item.kind else item.kind
            print(f"{item.local()}  {kind:<20} {item.recipient:<28} {item.team}: {item.text}")
    if not args.json:
        print(
            f"{len(planned)} bericht(en) in {args.days} dag(en); er is niets verstuurd of opgeslagen", file=sys.stderr
        )
    return 0


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    """Start the bot: Teams with --teams; Slack when configured, else the console chat."""
    if args.teams or (args.worker and not settings.slack_configured and _teams_configured()):
        from handlers.teams import run as teams_run

        return teams_run.run_worker(settings) if args.worker else teams_run.run(settings)
    if not settings.slack_configured:
        log.info("no Slack credentials configured: starting the console chat")
        return cmd_chat(settings, args)
    from handlers.slack.run import run

    return run(settings, http=args.http, worker=args.worker)


def _teams_configured() -> bool:
    """True when Teams credentials (or anonymous local testing) are set."""
    from handlers.teams.run import load

    return load().configured


def _count(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`."""

    def parse(raw: str) -> int:
        if not raw.strip().isdigit() or not low <= int(raw) <= high:
            raise argparse.ArgumentTypeError(f"verwacht een heel getal van {low} tot en met {high}, niet {raw!r}")
        return int(raw)

    return parse


def _valid_text(text: str) -> str:
    """Text from the terminal with any bytes that are not UTF-8 replaced (they arrive as lone surrogates)."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


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
    ask.add_argument(
        "--log", action="store_true", help="record the questions (question log, unanswered list); off by default"
    )
    run = add("run", cmd_run, "start the bot (Teams with --teams; Slack when configured, else the console chat)")
    run.add_argument("--http", action="store_true", help="HTTP mode even when SLACK_APP_TOKEN is set")
    run.add_argument("--worker", action="store_true", help="the single process that also runs the scheduler")
    run.add_argument("--teams", action="store_true", help="serve Microsoft Teams on PORT (default 3978)")

    kb = sub.add_parser("kb", help="knowledge base", description="Knowledge base").add_subparsers(
        dest="kb_command", required=True
    )
    kb.add_parser("check", help="validate the knowledge base", description="Validate the knowledge base").set_defaults(
        func=cmd_kb_check
    )
    kb.add_parser("stats", help="knowledge-base statistics", description="Knowledge-base statistics").set_defaults(
        func=cmd_kb_stats
    )
    unanswered = kb.add_parser(
        "unanswered",
        help="questions the bot could not answer well, newest first; `resolve ID…` closes them",
        description="Questions the bot could not answer well (unknown, off-topic, too long, not helpful), newest "
        "first, with local times. `lefbot kb unanswered resolve 12 15` marks items as dealt with.",
    )
    unanswered.add_argument("action", nargs="*", metavar="resolve ID", help="`resolve` and the ids to close")
    unanswered.add_argument("--all", action="store_true", help="also show resolved items")
    unanswered.add_argument("--days", type=_count(1, 3650), default=30, help="look back this many days (default 30)")
    unanswered.add_argument("--limit", type=_count(1, 100_000), default=100, help="at most this many (default 100)")
    unanswered.add_argument("--json", action="store_true", help="one JSON object per line")
    unanswered.set_defaults(func=cmd_kb_unanswered)
    teams = sub.add_parser("teams", help="krachtteams", description="Krachtteams").add_subparsers(
        dest="teams_command", required=True
    )
    imp = teams.add_parser(
        "import",
        help="import a cohort file (YAML or CSV), idempotent",
        description=IMPORT_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", help="the cohort file: .yaml/.yml or .csv")
    imp.set_defaults(func=cmd_teams_import)
    nudges = sub.add_parser("nudges", help="deadline nudges", description="Deadline nudges").add_subparsers(
        dest="nudges_command", required=True
    )
    plan = nudges.add_parser(
        "plan",
        help="every nudge still to come, to whom and when",
        description="Every nudge still to come, to whom and when",
    )
    plan.add_argument("--team", help="only this team")
    plan.add_argument(
        "--from", dest="start", metavar="DATETIME", help="show the plan as it will be then (default: now)"
    )
    plan.add_argument("--json", action="store_true", help="one JSON object per line")
    plan.set_defaults(func=cmd_nudges_plan)
    deadlines = sub.add_parser("deadlines", help="deadlines", description="Deadlines").add_subparsers(
        dest="deadlines_command", required=True
    )
    export = deadlines.add_parser(
        "export", help="export a team's sprints and deadlines", description="Export a team's sprints and deadlines"
    )
    export.add_argument("--ical", required=True, metavar="TEAM", help="the team (iCalendar, RFC 5545)")
    export.add_argument("-o", "--output", help="file to write (default: stdout)")
    export.set_defaults(func=cmd_deadlines_export)
    checkins = sub.add_parser("checkins", help="stand-up check-ins", description="Stand-up check-ins").add_subparsers(
        dest="checkins_command", required=True
    )
    cplan = checkins.add_parser(
        "plan",
        help="the coming check-in prompts per member, at their local time",
        description="The coming check-in prompts per member, at their local time",
    )
    cplan.add_argument("--team", help="only this team")
    cplan.add_argument(
        "--from", dest="start", metavar="DATETIME", help="show the plan as it will be then (default: now)"
    )
    cplan.add_argument("--days", type=_count(1, 366), default=14, help="how many days ahead (default 14)")
    cplan.add_argument("--json", action="store_true", help="one JSON object per line")
    cplan.set_defaults(func=cmd_checkins_plan)
    cexport = checkins.add_parser(
        "export", help="answers and participation as CSV", description="Answers and participation as CSV"
    )
    cexport.add_argument("--csv", action="store_true", required=True, help="CSV (the only format)")
    cexport.add_argument("--team", help="only this team")
    cexport.add_argument("--since", help="from this date (YYYY-MM-DD)")
    cexport.add_argument("--until", help="up to and including this date (YYYY-MM-DD)")
    cexport.add_argument("-o", "--output", help="file to write (default: stdout)")
    cexport.set_defaults(func=cmd_checkins_export)
    teams_app = add("teams-app", cmd_teams_app, "build the Teams app package (zip) to upload in Teams")
    teams_app.add_argument("-o", "--output", default="lefbot-teams.zip", help="zip to write (default lefbot-teams.zip)")
    sim = add(
        "simulate",
        cmd_simulate,
        "dry run: every message lefbot would send in a window (nudges, escalations, check-ins, reminders, "
        "summaries, digests, the Monday overview), in time order; sends and writes nothing",
    )
    sim.add_argument("--team", help="only this team")
    sim.add_argument("--from", dest="start", metavar="DATETIME", help="start of the window (default: now)")
    sim.add_argument("--days", type=_count(1, 366), default=7, help="length of the window in days (default 7)")
    sim.add_argument("--json", action="store_true", help="one JSON object per line")
    db = sub.add_parser("db", help="database", description="Database").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="apply migrations", description="Apply migrations").set_defaults(func=cmd_db_upgrade)
    return parser


_OS_PROBLEMS = {
    errno.ENOENT: "bestaat niet",
    errno.EACCES: "geen toegang (rechten)",
    errno.EPERM: "geen toegang (rechten)",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EISDIR: "is een map, geen bestand",
    errno.ENOSPC: "de schijf is vol",
    errno.EROFS: "staat op een schijf die alleen gelezen kan worden",
}


def os_problem(exc: OSError) -> str:
    """One Dutch line for a failed file operation: which file, what is wrong, what to do."""
    what = _OS_PROBLEMS.get(exc.errno or 0) or exc.strerror or type(exc).__name__
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{what}; controleer het pad en de rechten"


def _write_output(path: str, content: bytes | str) -> bool:
    """Write an export to `path`; False (after one line on stderr) when that is not possible."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        if not exc.filename:
            exc.filename = path
        print(f"lefbot: kan niet schrijven naar {os_problem(exc)} (-o/--output)", file=sys.stderr)
        return False
    return True


def _one_line(exc: BaseException, settings: Settings) -> str | None:
    """The one line for a failure a user or operator can cause; None for a bug (which keeps its traceback)."""
    import sqlalchemy as sa

    from bot.db import DatabaseError, connection_problem
    from knowledge_base.problems import KnowledgeBaseError

    if isinstance(exc, ConfigError):
        return f"configuratiefout in {exc}"
    if isinstance(exc, DatabaseError):
        return str(exc)
    if isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError):
        return str(connection_problem(exc, settings.database_url))
    if isinstance(exc, KnowledgeBaseError):
        return f"de kennisbank in KB_PATH ({settings.kb_path}) heeft fouten; `lefbot kb check` toont ze allemaal: {exc}"
    if isinstance(exc, OSError):
        return os_problem(exc)
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `lefbot` command; failures a user or operator can cause end in one line and exit 2."""
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
    except Exception as exc:
        line = _one_line(exc, settings)
        if line is None:
            raise
        print(f"lefbot: {' '.join(line.split())}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
