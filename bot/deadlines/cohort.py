"""`lefbot teams import FILE`: a whole cohort (teams, members, sprints, deadlines) at once, idempotently.

The file is validated completely first (every problem with its line number); only a clean file is
written, in one transaction, so nothing is ever half-imported. Importing again updates, never duplicates.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlmodel import Session, select

from bot.calendar.dates import DEFAULT_TIME, DateError, ParsedDate, _split_time, parse_day
from bot.calendar.workdays import format_weekdays, parse_weekdays
from bot.checkins import store as checkin_store
from bot.checkins.setup import parse_block
from bot.deadlines import deadlines as dl
from bot.deadlines import teams as team_svc
from bot.deadlines.models import Deadline, Sprint, Team
from bot.ids import ID_MAX, is_email
from bot.people.models import Member, OutOfOffice
from bot.ports import CoreServices

MAX_BYTES = 5_000_000
MAX_NAME = 120
MAX_CHANNEL = ID_MAX
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[t ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(z|[+-]\d{2}:?\d{2})?$")
_CSV_ERROR_LINE = re.compile(r"line (\d+)")


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping and leaves dates as text (parsed like CSV's)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


@dataclass
class ImportReport:
    """What an import did, or why it was refused."""

    errors: list[str] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=lambda: {"teams": 0, "members": 0, "sprints": 0, "deadlines": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"teams": 0, "members": 0, "sprints": 0, "deadlines": 0})

    @property
    def ok(self) -> bool:
        """True when the file was imported."""
        return not self.errors


def _line(obj: Any, fallback: int) -> int:
    return obj.get("__line__", fallback) if isinstance(obj, dict) else fallback


def _text(value: Any) -> str:
    """A value as one line of text: whitespace collapsed, control characters and lone surrogates dropped."""
    if value is None:
        return ""
    try:
        raw = str(value)
    except ValueError:  # an integer too long to print
        return "?"
    kept = "".join(ch for ch in raw if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cs"))
    return " ".join(kept.split())


def _items(value: Any) -> list:
    """A YAML list as a list; a missing value as an empty one; anything else as one item (reported as wrong)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _as_date(value: Any, today: date) -> date:
    """A calendar date as a cohort file gives it (CSV and YAML alike, quoted or not); DateError when unusable."""
    return parse_day(_text(value), today)


def _as_due(value: Any, tz: ZoneInfo, today: date) -> datetime:
    """A deadline moment: "2026-12-11 17:00", "2026-12-11T17:00:00+01:00", "11-12 17:00" or a date (17:00)."""
    text = _text(value).lower()
    if _ISO_MOMENT.match(text):
        try:
            moment = datetime.fromisoformat(text.upper())
        except ValueError:
            raise DateError("date.impossible", text=_text(value)) from None
        moment = moment.astimezone(tz) if moment.tzinfo else moment.replace(tzinfo=tz)
        parse_day(moment.date().isoformat(), today)  # the same sanity checks as any date (not years away)
        return moment
    rest, at = _split_time(text)
    return ParsedDate(parse_day(rest, today), at or DEFAULT_TIME, at is not None).moment(tz)


def _unique_name(
    value: Any, limit: int, seen: set[str], errors: list[str], what: str, where: str, noun: str = "naam"
) -> str:
    """A name (or title) as text; missing, too long or already `seen` (ignoring case) is added to `errors`."""
    name = _text(value)
    if not name or len(name) > limit:
        errors.append(f"{what} zonder {noun} (of langer dan {limit} tekens)")
    elif name.lower() in seen:
        errors.append(f"{what} `{name}` staat twee keer {where}")
    seen.add(name.lower())
    return name


def _date_problem(exc: DateError) -> str:
    """A date problem in words (Dutch), as the chat would say it."""
    return exc.message("nl")


def load_file(path: Path) -> tuple[Any, list[str]]:
    """Parse YAML (or CSV, one deadline per row) into the cohort structure; errors name the line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [f"kan het bestand niet lezen ({exc.strerror})"]
    if len(raw) > MAX_BYTES:
        return None, [f"het bestand is groter dan {MAX_BYTES // 1_000_000} MB"]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [f"het bestand is geen UTF-8 (byte {exc.start}); sla het op als UTF-8"]
    if path.suffix.lower() == ".csv":
        return _from_csv(text)
    return _from_yaml(text)


def _from_yaml(text: str) -> tuple[Any, list[str]]:
    """Parse YAML safely; any problem is reported with its line, never raised."""
    try:
        return yaml.load(text, Loader=_LineLoader), []  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"regel {mark.line + 1}" if mark else "onbekende regel"
        return None, [f"{where}: geen geldige YAML ({_text(getattr(exc, 'problem', None) or exc)})"]
    except RecursionError:
        return None, ["regel 1: de YAML is te diep genest"]
    except (ValueError, OverflowError) as exc:  # e.g. a number with thousands of digits
        return None, [f"onbekende regel: een waarde kan niet gelezen worden ({_text(exc)[:120]})"]


def _from_csv(text: str) -> tuple[Any, list[str]]:
    """CSV columns: team,channel,sprint,sprint_start,sprint_end,title,due,owners (owners space-separated)."""
    teams: dict[str, dict] = {}
    errors: list[str] = []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    need = {"team", "sprint", "sprint_start", "sprint_end", "title", "due", "owners"}
    try:
        header = [str(name).strip() for name in reader.fieldnames or []]
        reader.fieldnames = header
        if not need <= set(header):
            return None, [f"regel 1: kolommen ontbreken: {', '.join(sorted(need - set(header)))}"]
        for raw in reader:
            line = reader.line_num
            row = {key: value if isinstance(value, str) else "" for key, value in raw.items() if key is not None}
            team = teams.setdefault(
                row["team"].strip(),
                {
                    "name": row["team"],
                    "channel": row.get("channel", ""),
                    "members": [],
                    "sprints": [],
                    "__line__": line,
                },
            )
            sprint = next((s for s in team["sprints"] if s["name"] == row["sprint"]), None)
            if sprint is None:
                sprint = {
                    "name": row["sprint"],
                    "start": row["sprint_start"],
                    "end": row["sprint_end"],
                    "deadlines": [],
                    "__line__": line,
                }
                team["sprints"].append(sprint)
            elif (sprint["start"], sprint["end"]) != (row["sprint_start"], row["sprint_end"]):
                errors.append(
                    f"regel {line}: sprint `{_text(row['sprint'])}` heeft hier een andere start of end "
                    f"dan op regel {sprint['__line__']}"
                )
            owners = row["owners"].split()
            sprint["deadlines"].append(
                {
                    "title": row["title"],
                    "due": row["due"],
                    "owners": "team" if owners == ["team"] else owners,
                    "__line__": line,
                }
            )
            for owner in owners:
                if owner != "team" and owner not in {m["id"] for m in team["members"]}:
                    team["members"].append({"id": owner, "__line__": line})
    except csv.Error as exc:
        found = _CSV_ERROR_LINE.search(str(exc))
        return None, [f"regel {found.group(1) if found else reader.line_num}: geen geldige CSV ({_text(exc)})"]
    return {"teams": list(teams.values())}, errors


def validate(data: Any, now: datetime, default_tz: str) -> tuple[list[dict], list[str]]:
    """Check the whole structure; return normalised teams and every problem with its line."""
    errors: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("teams"), list):
        return [], ["regel 1: verwacht `teams:` met een lijst van teams"]
    result = []
    seen_teams: set[str] = set()
    for t_index, team in enumerate(data["teams"]):
        tl = _line(team, 1)
        if not isinstance(team, dict):
            errors.append(f"regel {tl}: team {t_index + 1} is geen blok met name, members, sprints")
            continue
        name = _unique_name(team.get("name"), MAX_NAME, seen_teams, errors, f"regel {tl}: team", "in het bestand")
        channel = _text(team.get("channel"))
        if len(channel) > MAX_CHANNEL:
            errors.append(f"regel {tl}: kanaal van team `{name}` is langer dan {MAX_CHANNEL} tekens")
        tz = _text(team.get("timezone")) or default_tz
        if not team_svc.valid_timezone(tz):
            errors.append(f"regel {tl}: onbekende tijdzone `{tz[:64]}`")
            tz = default_tz
        today = now.astimezone(ZoneInfo(tz)).date()
        members, member_ids = _members(team, name, tl, today, errors)
        supporters = []
        for raw in _items(team.get("process_supporters")):
            uid = team_svc.parse_user(_text(raw))
            if not uid:
                errors.append(f"regel {tl}: procesbegeleider `{_text(raw)[:60]}` is geen geldige id")
            else:
                supporters.append(uid)
        checkins, problems = parse_block(team.get("checkins"))
        errors += [f"regel {_line(team.get('checkins'), tl)}: {problem}" for problem in problems]
        sprints = _sprints(team, name, tl, ZoneInfo(tz), today, member_ids | set(supporters), errors)
        result.append(
            {
                "name": name,
                "channel": channel,
                "tz": tz,
                "members": members,
                "supporters": supporters,
                "sprints": sprints,
                "checkins": checkins if "checkins" in team and team.get("checkins") is not None else None,
            }
        )
    return result, errors


def _members(team: dict, name: str, tl: int, today: date, errors: list[str]) -> tuple[list[dict], set[str]]:
    """A team's members, normalised; problems are added to `errors`."""
    members: list[dict] = []
    member_ids: set[str] = set()
    for member in _items(team.get("members")):
        ml = _line(member, tl)
        if not isinstance(member, dict):
            errors.append(f"regel {ml}: een lid moet een blok zijn, bijvoorbeeld {{id: U01, name: Anna}}")
            continue
        uid = team_svc.parse_user(_text(member.get("id")))
        if not uid:
            errors.append(f"regel {ml}: lid zonder geldige id (zoals U01)")
            continue
        if uid in member_ids:
            errors.append(f"regel {ml}: lid {uid} staat twee keer in team `{name}`")
        member_ids.add(uid)
        member_name = _text(member.get("name")) or uid
        if len(member_name) > MAX_NAME:
            errors.append(f"regel {ml}: naam van {uid} is langer dan {MAX_NAME} tekens")
        mtz = _text(member.get("timezone"))
        if mtz and not team_svc.valid_timezone(mtz):
            errors.append(f"regel {ml}: onbekende tijdzone `{mtz[:64]}` bij {uid}")
        free_days = member.get("free_days")
        try:
            free = format_weekdays(parse_weekdays(free_days if isinstance(free_days, str) else _items(free_days)))
        except ValueError as exc:
            errors.append(f"regel {ml}: {_text(exc)[:120]} bij {uid}")
            free = ""
        away = []
        for period in _items(member.get("out_of_office")):
            try:
                if not isinstance(period, dict) or "from" not in period or "to" not in period:
                    raise KeyError("from")
                start, end = _as_date(period["from"], today), _as_date(period["to"], today)
            except KeyError:
                errors.append(f"regel {ml}: afwezigheid van {uid} moet {{from: JJJJ-MM-DD, to: JJJJ-MM-DD}} zijn")
                continue
            except DateError as exc:
                errors.append(f"regel {_line(period, ml)}: afwezigheid van {uid}: {_date_problem(exc)}")
                continue
            if end < start:
                errors.append(
                    f"regel {_line(period, ml)}: afwezigheid van {uid} eindigt ({end}) voor de start ({start})"
                )
            else:
                away.append((start, end))
        email = _text(member.get("email"))
        if email and not is_email(email):
            errors.append(f"regel {ml}: e-mailadres `{email[:60]}` bij {uid} klopt niet")
            email = ""
        lang = _text(member.get("language")) or "nl"
        if lang not in ("nl", "en"):
            errors.append(f"regel {ml}: taal `{lang[:20]}` bij {uid}; kies nl of en")
        members.append(
            {"id": uid, "name": member_name, "tz": mtz, "free": free, "away": away, "lang": lang, "email": email}
        )
    return members, member_ids


def _sprints(
    team: dict, name: str, tl: int, tz: ZoneInfo, today: date, allowed: set[str], errors: list[str]
) -> list[dict]:
    """A team's sprints with their deadlines, normalised; problems are added to `errors`."""
    sprints: list[dict] = []
    sprint_names: set[str] = set()
    for sprint in _items(team.get("sprints")):
        sl = _line(sprint, tl)
        if not isinstance(sprint, dict):
            errors.append(f"regel {sl}: een sprint moet een blok zijn met name, start, end")
            continue
        in_team = f"in team `{name}`"
        sname = _unique_name(sprint.get("name"), MAX_NAME, sprint_names, errors, f"regel {sl}: sprint", in_team)
        bounds = []
        for key in ("start", "end"):
            if _text(sprint.get(key)) == "":
                errors.append(f"regel {sl}: sprint `{sname}` heeft geen {key} (JJJJ-MM-DD)")
                continue
            try:
                bounds.append(_as_date(sprint.get(key), today))
            except DateError as exc:
                errors.append(f"regel {sl}: {key} van sprint `{sname}`: {_date_problem(exc)}")
        start, end = bounds if len(bounds) == 2 else (today, today)
        if end < start:
            errors.append(f"regel {sl}: sprint `{sname}` eindigt ({end}) voor de start ({start})")
        deadlines, titles = [], set()
        for deadline in _items(sprint.get("deadlines")):
            dline = _line(deadline, sl)
            if not isinstance(deadline, dict):
                errors.append(f"regel {dline}: een deadline moet een blok zijn met title, due, owners")
                continue
            label, in_sprint = f"regel {dline}: deadline", f"in sprint `{sname}`"
            title = _unique_name(deadline.get("title"), dl.MAX_TITLE, titles, errors, label, in_sprint, noun="titel")
            due = None
            try:
                due = _as_due(deadline.get("due"), tz, today)
            except DateError as exc:
                errors.append(f'regel {dline}: {_date_problem(exc)} Gebruik bijvoorbeeld "2026-12-11 17:00".')
            owners = deadline.get("owners")
            whole = owners == "team" or owners == ["team"]
            owner_ids: list[str] = []
            if not whole:
                if not isinstance(owners, list) or not owners:
                    errors.append(f'regel {dline}: owners moet een lijst met ids zijn, of "team"')
                else:
                    for owner in owners:
                        uid = team_svc.parse_user(_text(owner))
                        if uid is None or uid not in allowed:
                            errors.append(
                                f"regel {dline}: eigenaar `{_text(owner)[:60]}` is geen lid van team `{name}`"
                            )
                        elif uid not in owner_ids:
                            owner_ids.append(uid)
            deadlines.append({"title": title, "due": due, "whole": whole, "owners": owner_ids})
        sprints.append(
            {"name": sname, "goal": _text(sprint.get("goal")), "start": start, "end": end, "deadlines": deadlines}
        )
    return sprints


def apply(session: Session, teams: list[dict], now: datetime, report: ImportReport) -> list[int]:
    """Write validated teams (insert or update by natural keys); returns the touched deadline ids."""
    touched: list[int] = []
    for spec in teams:
        team = team_svc.find_team(session, spec["name"])
        if team is None:
            team = Team(name=spec["name"], created_at=now)
            report.created["teams"] += 1
        else:
            report.updated["teams"] += 1
        team.channel, team.timezone = spec["channel"], spec["tz"]
        session.add(team)
        session.flush()
        for m in spec["members"]:
            member = session.exec(select(Member).where(Member.user_id == m["id"])).first()
            getattr(report, "created" if member is None else "updated")["members"] += 1
            member = member or Member(user_id=m["id"], created_at=now)
            member.name, member.free_days, member.language = m["name"], m["free"], m["lang"]
            member.timezone = m["tz"] or member.timezone or spec["tz"]
            member.email = m["email"] or member.email
            session.add(member)
            session.flush()
            for row in session.exec(select(OutOfOffice).where(OutOfOffice.member_id == member.id)).all():
                session.delete(row)
            for start, end in m["away"]:
                session.add(OutOfOffice(member_id=member.id, start=start, end=end))
            team_svc.add_to_team(session, team, member, team_svc.MEMBER)
        for uid in spec["supporters"]:
            team_svc.add_to_team(
                session, team, team_svc.ensure_member(session, uid, now, default_tz=spec["tz"]), "supporter"
            )
        if spec.get("checkins") is not None:
            checkin_store.save_settings(session, team.id, spec["checkins"], now)
        for s in spec["sprints"]:
            sprint = session.exec(select(Sprint).where(Sprint.team_id == team.id, Sprint.name == s["name"])).first()
            getattr(report, "created" if sprint is None else "updated")["sprints"] += 1
            sprint = sprint or Sprint(team_id=team.id, name=s["name"], start=s["start"], end=s["end"])
            sprint.goal, sprint.start, sprint.end = s["goal"], s["start"], s["end"]
            session.add(sprint)
            session.flush()
            for d in s["deadlines"]:
                deadline = session.exec(
                    select(Deadline).where(Deadline.sprint_id == sprint.id, Deadline.title == d["title"])
                ).first()
                if deadline is None:
                    deadline = Deadline(
                        sprint_id=sprint.id, title=d["title"], due_at=d["due"], created_at=now, updated_at=now
                    )
                    report.created["deadlines"] += 1
                else:
                    report.updated["deadlines"] += 1
                    if deadline.due_at != d["due"]:
                        deadline.updated_at = now
                deadline.due_at, deadline.whole_team = d["due"], d["whole"]
                session.add(deadline)
                session.flush()
                owners = [session.exec(select(Member).where(Member.user_id == u)).one() for u in d["owners"]]
                dl.set_owners(session, deadline, owners)
                touched.append(deadline.id)
    return touched


def import_file(core: CoreServices, path: Path) -> ImportReport:
    """Validate and import a cohort file in one transaction; on any problem nothing is written."""
    report = ImportReport()
    data, errors = load_file(path)
    if errors:
        report.errors = errors
        return report
    now = core.clock.now()
    teams, errors = validate(data, now, core.settings.timezone.key)
    if errors:
        report.errors = errors
        return report
    with core.db.session() as session:
        touched = apply(session, teams, now, report)
    from bot.deadlines import nudge_jobs

    for deadline_id in touched:
        nudge_jobs.replan_deadline(core, deadline_id)
    return report
