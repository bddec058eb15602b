"""`lefbot teams import FILE`: a whole cohort (teams, members, sprints, deadlines) at once, idempotently.

The file is validated completely first (every problem with its line number); only a clean file is
written, in one transaction, so nothing is ever half-imported. Importing again updates, never duplicates.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlmodel import Session, select

from bot.services import checkin_store
from bot.services import deadlines as dl
from bot.services import teams as team_svc
from bot.services.calendar import format_weekdays, parse_weekdays
from bot.services.checkin_config import parse_block
from bot.services.dates import DEFAULT_TIME, DateError, ParsedDate, _split_time, parse_day
from bot.team_models import Deadline, Member, OutOfOffice, Sprint, Team

MAX_BYTES = 5_000_000


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


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
    return " ".join(str(value).split()) if value is not None else ""


def _as_date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    return parse_day(str(value), date(2000, 1, 1))


def _as_due(value: Any, tz: ZoneInfo, now: datetime) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return ParsedDate(value, DEFAULT_TIME, False).moment(tz)
    rest, at = _split_time(" ".join(str(value or "").lower().split()))
    return ParsedDate(parse_day(rest, now.astimezone(tz).date()), at or DEFAULT_TIME, at is not None).moment(tz)


def load_file(path: Path) -> tuple[Any, list[str]]:
    """Parse YAML (or CSV, one deadline per row) into the cohort structure; errors name the line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [f"{path}: kan het bestand niet lezen ({exc.strerror})"]
    if len(raw) > MAX_BYTES:
        return None, [f"{path}: het bestand is groter dan {MAX_BYTES // 1_000_000} MB"]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [f"{path}: geen UTF-8 (byte {exc.start})"]
    if path.suffix.lower() == ".csv":
        return _from_csv(text)
    try:
        return yaml.load(text, Loader=_LineLoader), []  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"regel {mark.line + 1}" if mark else "onbekende regel"
        return None, [f"{where}: geen geldige YAML ({getattr(exc, 'problem', exc)})"]


def _from_csv(text: str) -> tuple[Any, list[str]]:
    """CSV columns: team,channel,sprint,sprint_start,sprint_end,title,due,owners (owners space-separated)."""
    teams: dict[str, dict] = {}
    reader = csv.DictReader(io.StringIO(text))
    need = {"team", "sprint", "sprint_start", "sprint_end", "title", "due", "owners"}
    if not reader.fieldnames or not need <= set(reader.fieldnames):
        return None, [f"regel 1: kolommen ontbreken: {', '.join(sorted(need - set(reader.fieldnames or [])))}"]
    for row in reader:
        line = reader.line_num
        team = teams.setdefault(
            row["team"],
            {"name": row["team"], "channel": row.get("channel", ""), "members": [], "sprints": [], "__line__": line},
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
    return {"teams": list(teams.values())}, []


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
        name = _text(team.get("name"))
        if not name or len(name) > 120:
            errors.append(f"regel {tl}: team zonder naam (of langer dan 120 tekens)")
        elif name.lower() in seen_teams:
            errors.append(f"regel {tl}: team `{name}` staat twee keer in het bestand")
        seen_teams.add(name.lower())
        tz = _text(team.get("timezone")) or default_tz
        if not team_svc.valid_timezone(tz):
            errors.append(f"regel {tl}: onbekende tijdzone `{tz}`")
            tz = default_tz
        members, member_ids = [], set()
        for member in team.get("members") or []:
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
            mtz = _text(member.get("timezone")) or ""
            if mtz and not team_svc.valid_timezone(mtz):
                errors.append(f"regel {ml}: onbekende tijdzone `{mtz}` bij {uid}")
            try:
                free = format_weekdays(parse_weekdays([str(d) for d in member.get("free_days") or []]))
            except ValueError as exc:
                errors.append(f"regel {ml}: {exc} bij {uid}")
                free = ""
            away = []
            for period in member.get("out_of_office") or []:
                try:
                    start, end = _as_date(period["from"]), _as_date(period["to"])
                    if end < start:
                        raise DateError("date.impossible")
                    away.append((start, end))
                except (KeyError, TypeError, DateError):
                    errors.append(f"regel {ml}: afwezigheid van {uid} moet {{from: JJJJ-MM-DD, to: JJJJ-MM-DD}} zijn")
            lang = _text(member.get("language")) or "nl"
            if lang not in ("nl", "en"):
                errors.append(f"regel {ml}: taal `{lang}` bij {uid}; kies nl of en")
            members.append(
                {
                    "id": uid,
                    "name": _text(member.get("name")) or uid,
                    "tz": mtz,
                    "free": free,
                    "away": away,
                    "lang": lang,
                }
            )
        supporters = []
        for raw in team.get("process_supporters") or []:
            uid = team_svc.parse_user(_text(raw))
            if not uid:
                errors.append(f"regel {tl}: procesbegeleider `{raw}` is geen geldige id")
            else:
                supporters.append(uid)
        checkins, problems = parse_block(team.get("checkins"))
        errors += [f"regel {_line(team.get('checkins'), tl)}: {problem}" for problem in problems]
        sprints, sprint_names = [], set()
        for sprint in team.get("sprints") or []:
            sl = _line(sprint, tl)
            if not isinstance(sprint, dict):
                errors.append(f"regel {sl}: een sprint moet een blok zijn met name, start, end")
                continue
            sname = _text(sprint.get("name"))
            if not sname:
                errors.append(f"regel {sl}: sprint zonder naam")
            elif sname.lower() in sprint_names:
                errors.append(f"regel {sl}: sprint `{sname}` staat twee keer in team `{name}`")
            sprint_names.add(sname.lower())
            try:
                start, end = _as_date(sprint.get("start")), _as_date(sprint.get("end"))
                if end < start:
                    errors.append(f"regel {sl}: sprint `{sname}` eindigt ({end}) voor de start ({start})")
            except DateError:
                errors.append(f"regel {sl}: sprint `{sname}` heeft geen geldige start en end (JJJJ-MM-DD)")
                start = end = date(2000, 1, 1)
            deadlines, titles = [], set()
            for deadline in sprint.get("deadlines") or []:
                dline = _line(deadline, sl)
                if not isinstance(deadline, dict):
                    errors.append(f"regel {dline}: een deadline moet een blok zijn met title, due, owners")
                    continue
                title = _text(deadline.get("title"))
                if not title or len(title) > dl.MAX_TITLE:
                    errors.append(f"regel {dline}: deadline zonder titel (of langer dan {dl.MAX_TITLE} tekens)")
                elif title.lower() in titles:
                    errors.append(f"regel {dline}: deadline `{title}` staat twee keer in sprint `{sname}`")
                titles.add(title.lower())
                due = None
                try:
                    due = _as_due(deadline.get("due"), ZoneInfo(tz), now)
                except DateError as exc:
                    errors.append(
                        f'regel {dline}: {exc.message("nl").replace("`", "")} Gebruik bijvoorbeeld "2026-12-11 17:00".'
                    )
                owners = deadline.get("owners")
                whole = owners == "team" or owners == ["team"]
                owner_ids: list[str] = []
                if not whole:
                    if not isinstance(owners, list) or not owners:
                        errors.append(f'regel {dline}: owners moet een lijst met ids zijn, of "team"')
                    else:
                        for owner in owners:
                            uid = team_svc.parse_user(_text(owner))
                            if uid not in member_ids and uid not in supporters:
                                errors.append(f"regel {dline}: eigenaar `{owner}` is geen lid van team `{name}`")
                            elif uid:
                                owner_ids.append(uid)
                deadlines.append({"title": title, "due": due, "whole": whole, "owners": owner_ids})
            sprints.append(
                {"name": sname, "goal": _text(sprint.get("goal")), "start": start, "end": end, "deadlines": deadlines}
            )
        result.append(
            {
                "name": name,
                "channel": _text(team.get("channel")),
                "tz": tz,
                "members": members,
                "supporters": supporters,
                "sprints": sprints,
                "checkins": checkins if "checkins" in team and team.get("checkins") is not None else None,
            }
        )
    return result, errors


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


def import_file(core: Any, path: Path) -> ImportReport:
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
    from bot.services import nudges

    for deadline_id in touched:
        nudges.replan_deadline(core, deadline_id)
    return report
