"""What process supporters and members read back: the report, CSV export, weekly digest, own history, retention."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.checkins import store
from bot.checkins.messages import day_text, number, sparkline
from bot.checkins.models import CheckinAnswer, CheckinConversation, CheckinRound
from bot.checkins.setup import load_questions
from bot.claims import Claim
from bot.deadlines.models import Sprint, Team
from bot.people.models import Member
from bot.texts import t

MARKS = {"answered": "✓", "skipped": "–", "off": "v", "prompted": ".", "later": "."}
SILENT_ROUNDS = 3
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|t/m|tot|to|-)\s*(\d{4}-\d{2}-\d{2})$")
_RELATIVE = re.compile(r"^(\d{1,3})\s*(d|dag|dagen|days?|w|wk|weken|weeks?)$", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    """An inclusive date range with a label."""

    start: date
    end: date
    label: str


def parse_period(session: Session, team_id: int, text: str, today: date) -> Period | None:
    """A sprint name, "4w", "30d" or "2026-11-01..2026-11-30"; empty: the current sprint or the last 4 weeks."""
    text = " ".join(text.split())
    sprints = session.exec(select(Sprint).where(Sprint.team_id == team_id)).all()
    if not text:
        current = next((sp for sp in sprints if sp.start <= today <= sp.end), None)
        if current:
            return Period(current.start, current.end, current.name)
        return Period(today - timedelta(days=27), today, f"{(today - timedelta(days=27)).isoformat()} – {today}")
    name = text.lower().removeprefix("sprint ").strip()
    for sp in sprints:
        if sp.name.lower() in (text.lower(), name) or sp.name.lower().removeprefix("sprint ").strip() == name:
            return Period(sp.start, sp.end, sp.name)
    relative = _RELATIVE.match(text)
    if relative:
        days = int(relative.group(1)) * (7 if relative.group(2).lower().startswith("w") else 1)
        start = today - timedelta(days=max(days, 1) - 1)
        return Period(start, today, f"{start.isoformat()} – {today.isoformat()}")
    found = _RANGE.match(text)
    if found:
        try:
            start, end = date.fromisoformat(found.group(1)), date.fromisoformat(found.group(2))
        except ValueError:
            return None
        if start <= end:
            return Period(start, end, f"{start.isoformat()} – {end.isoformat()}")
    return None


def _rounds(session: Session, team_id: int, period: Period) -> list[CheckinRound]:
    return list(
        session.exec(
            select(CheckinRound)
            .where(
                CheckinRound.team_id == team_id,
                col(CheckinRound.local_date) >= period.start,
                col(CheckinRound.local_date) <= period.end,
            )
            .order_by(col(CheckinRound.local_date))
        ).all()
    )


def _rows(session: Session, round_ids: list[int]) -> list[tuple[CheckinAnswer, Member]]:
    if not round_ids:
        return []
    return list(
        session.exec(
            select(CheckinAnswer, Member)
            .join(Member, col(Member.id) == col(CheckinAnswer.member_id))
            .where(col(CheckinAnswer.round_id).in_(round_ids))
        ).all()
    )


def report_text(session: Session, team: Team, period: Period, lang: str, retention_days: int) -> str:
    """Participation per member and round, blockers open and picked up, and the confidence trend."""
    rounds = _rounds(session, team.id or 0, period)
    head = t("checkins.report.title", lang, team=team.name, period=period.label)
    if not rounds:
        return f"{head}\n{t('checkins.report.none', lang)}"
    rows = _rows(session, [r.id for r in rounds])
    expected, answered = sum(r.expected for r in rounds), sum(r.answered for r in rounds)
    pct = round(100 * answered / expected) if expected else 0
    trend = [r.confidence_sum / r.confidence_count for r in rounds if r.confidence_count]
    opened = sum(1 for a, _ in rows if a.blocker_status == "open")
    picked = sum(1 for a, _ in rows if a.blocker_status == "picked")
    lines = [
        head,
        t("checkins.report.participation", lang, answered=answered, expected=expected, pct=pct),
        t("checkins.report.blockers", lang, open=opened, picked=picked),
    ]
    if trend:
        values = " → ".join(number(v, lang) for v in trend)
        lines.append(t("checkins.report.trend", lang, spark=sparkline(trend), values=values))
    grid: dict[str, dict[int, str]] = {}
    for answer, member in rows:
        grid.setdefault(member.name or member.user_id, {})[answer.round_id] = MARKS.get(answer.status, "?")
    if grid:
        width = min(24, max(len(n) for n in grid))
        days = " ".join(f"{r.local_date:%d/%m}" for r in rounds)
        table = [f"{'':<{width}}  {days}"]
        for name in sorted(grid):
            cells = " ".join(f"{grid[name].get(r.id, ' '):^5}" for r in rounds)
            table.append(f"{name[:width]:<{width}}  {cells}")
        lines.append("```\n" + "\n".join(table) + "\n```")
        lines.append(t("checkins.report.legend", lang))
    if any(r.expected and not any(a.round_id == r.id for a, _ in rows) for r in rounds):
        lines.append(t("checkins.report.retention", lang, days=retention_days))
    return "\n".join(lines)


def _cell(value: object) -> str:
    """A CSV cell that spreadsheet programs will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(session: Session, team_ids: list[int], start: date | None = None, end: date | None = None) -> str:
    """One row per member per round: status, confidence, blocker and the answers (formula-safe)."""
    query = select(CheckinRound, Team).join(Team, col(Team.id) == col(CheckinRound.team_id))
    query = query.where(col(CheckinRound.team_id).in_(team_ids))
    if start:
        query = query.where(col(CheckinRound.local_date) >= start)
    if end:
        query = query.where(col(CheckinRound.local_date) <= end)
    rounds = session.exec(query.order_by(col(Team.name), col(CheckinRound.local_date))).all()
    sprints = {sp.id: sp.name for sp in session.exec(select(Sprint).where(col(Sprint.team_id).in_(team_ids))).all()}
    by_round: dict[int, list[tuple[CheckinAnswer, Member]]] = {}
    for answer, member in _rows(session, [r.id for r, _ in rounds]):
        by_round.setdefault(answer.round_id, []).append((answer, member))
    most = max((len(load_questions(r.questions)) for r, _ in rounds), default=4)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "team",
            "date",
            "sprint",
            "member",
            "name",
            "status",
            "late",
            "submitted_at",
            "confidence",
            "blocker",
            "blocker_status",
            "picked_by",
        ]
        + [f"answer_{i + 1}" for i in range(most)]
    )
    for rnd, team in rounds:
        for answer, member in sorted(by_round.get(rnd.id or 0, []), key=lambda x: x[1].name or x[1].user_id):
            answers = store.answers_list(answer)
            writer.writerow(
                [
                    _cell(v)
                    for v in (
                        team.name,
                        rnd.local_date.isoformat(),
                        sprints.get(rnd.sprint_id, ""),
                        member.user_id,
                        member.name,
                        answer.status,
                        "yes" if answer.late else "",
                        answer.submitted_at.isoformat() if answer.submitted_at else "",
                        answer.confidence or "",
                        answer.blocker or "",
                        answer.blocker_status or "",
                        answer.picked_by or "",
                    )
                ]
                + [_cell(a) for a in answers]
                + [""] * (most - len(answers))
            )
    return out.getvalue()


def my_history(session: Session, user_id: str, lang: str, retention_days: int, limit: int = 10) -> str:
    """A member's own check-ins, newest first: only theirs, never anyone else's answers."""
    rows = session.exec(
        select(CheckinAnswer, CheckinRound, Team)
        .join(CheckinRound, col(CheckinRound.id) == col(CheckinAnswer.round_id))
        .join(Team, col(Team.id) == col(CheckinRound.team_id))
        .where(CheckinAnswer.user_id == user_id)
        .order_by(col(CheckinRound.local_date).desc())
        .limit(limit)
    ).all()
    if not rows:
        return t("checkins.mine.none", lang)
    lines = [t("checkins.mine.title", lang)]
    for answer, rnd, team in rows:
        lines.append(
            f"**{day_text(rnd.local_date, lang)} · {team.name}** — {t(f'checkins.status.{answer.status}', lang)}"
        )
        questions = load_questions(rnd.questions)
        for question, text in zip(questions, store.answers_list(answer), strict=False):
            if text:
                lines.append(f"  {question.text(lang)} {text[:300]}")
    lines.append(t("checkins.mine.footer", lang, days=retention_days))
    return "\n".join(lines)


def privacy_export(session: Session, user_id: str) -> list[str]:
    """`/lef mijn gegevens`: one line per stored check-in answer."""
    rows = session.exec(
        select(CheckinAnswer, CheckinRound)
        .join(CheckinRound, col(CheckinRound.id) == col(CheckinAnswer.round_id))
        .where(CheckinAnswer.user_id == user_id)
        .order_by(col(CheckinRound.local_date))
    ).all()
    return [
        f"{rnd.local_date.isoformat()} · {a.status} · " + " | ".join(x[:120] for x in store.answers_list(a) if x)
        for a, rnd in rows
    ]


def privacy_erase(session: Session, user_id: str) -> int:
    """`/lef vergeet mij`: delete the member's answers and open conversation (round totals stay, anonymous)."""
    count = session.exec(sa.delete(CheckinAnswer).where(CheckinAnswer.user_id == user_id)).rowcount or 0
    session.exec(sa.delete(CheckinConversation).where(CheckinConversation.user_id == user_id))
    return count


def delete_expired(session: Session, today: date, days: int) -> int:
    """Delete answers of rounds older than `days` (aggregates on the rounds stay), and their check-in claims."""
    cutoff = today - timedelta(days=days)
    old = select(CheckinRound.id).where(col(CheckinRound.local_date) < cutoff)
    for round_id in session.exec(old.where(col(CheckinRound.expected) == 0)).all():
        store.refresh_aggregates(session, round_id)
    count = session.exec(sa.delete(CheckinAnswer).where(col(CheckinAnswer.round_id).in_(old))).rowcount or 0
    session.exec(sa.delete(CheckinConversation).where(col(CheckinConversation.round_id).in_(old)))
    moment = datetime.combine(cutoff, datetime.min.time()).astimezone()
    session.exec(sa.delete(Claim).where(col(Claim.kind).startswith("checkin"), col(Claim.created_at) < moment))
    return count


def digest_text(session: Session, teams: list[Team], lang: str, week: str) -> str:
    """The weekly digest for a supporter of several teams: silence, open blockers, falling confidence."""
    lines = [t("checkins.digest.title", lang, week=week)]
    for team in sorted(teams, key=lambda x: x.name):
        rounds = list(
            session.exec(
                select(CheckinRound)
                .where(CheckinRound.team_id == team.id)
                .order_by(col(CheckinRound.local_date).desc())
                .limit(8)
            ).all()
        )
        if not rounds:
            continue
        rows = _rows(session, [r.id for r in rounds])
        trend = [r.confidence_sum / r.confidence_count for r in reversed(rounds) if r.confidence_count]
        lines.append(
            t(
                "checkins.digest.team",
                lang,
                team=team.name,
                answered=rounds[0].answered,
                expected=rounds[0].expected,
                spark=sparkline(trend) or "–",
            )
        )
        recent = {r.id for r in rounds[:SILENT_ROUNDS]}
        per_member: dict[str, list[str]] = {}
        for answer, member in rows:
            if answer.round_id in recent:
                per_member.setdefault(member.name or member.user_id, []).append(answer.status)
        silent = sorted(n for n, s in per_member.items() if len(s) >= SILENT_ROUNDS and set(s) <= {"prompted", "later"})
        details = []
        if silent:
            details.append(t("checkins.digest.silent", lang, rounds=SILENT_ROUNDS, names=", ".join(silent)))
        opened = sum(1 for a, _ in rows if a.blocker_status == "open")
        if opened:
            details.append(t("checkins.digest.blockers", lang, count=opened))
        if len(trend) >= 2 and trend[-1] <= trend[-2] - 0.5:
            details.append(
                t("checkins.digest.falling", lang, before=number(trend[-2], lang), after=number(trend[-1], lang))
            )
        lines += details or [t("checkins.digest.all_well", lang)]
    lines.append(t("checkins.digest.footer", lang))
    return "\n".join(lines)
