"""Check-in settings per team: schedule, summary time and questions, parsed and validated as plain values."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import time

from bot.calendar.workdays import format_weekdays, parse_weekdays
from bot.texts import t

DEFAULT_DAYS = "mon,thu"
DEFAULT_TIME = "09:30"
DEFAULT_SUMMARY = "16:00"
KINDS = ("done", "next", "blocker", "confidence")
MAX_QUESTIONS = 6
MAX_QUESTION_LENGTH = 150


@dataclass(frozen=True)
class Question:
    """One check-in question: `kind` is done|next|blocker|confidence|text; texts per language."""

    kind: str
    nl: str
    en: str

    def text(self, lang: str) -> str:
        """The question in `lang` (Dutch when no English text is set)."""
        return (self.en if lang == "en" else self.nl) or self.nl or self.en

    def as_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"kind": self.kind, "nl": self.nl, "en": self.en}


def default_questions() -> tuple[Question, ...]:
    """The four default questions (B1 Dutch and English)."""
    return tuple(Question(k, t(f"checkins.q.{k}", "nl"), t(f"checkins.q.{k}", "en")) for k in KINDS)


def load_questions(raw: str) -> tuple[Question, ...]:
    """Questions from their JSON form; empty or broken JSON gives the defaults."""
    if not raw:
        return default_questions()
    try:
        items = json.loads(raw)
        found = tuple(Question(str(i["kind"]), str(i.get("nl", "")), str(i.get("en", ""))) for i in items)
    except (ValueError, KeyError, TypeError):
        return default_questions()
    return found or default_questions()


def dump_questions(questions: tuple[Question, ...]) -> str:
    """The JSON form of questions."""
    return json.dumps([q.as_dict() for q in questions], ensure_ascii=False)


def parse_clock(value: str) -> time:
    """ "09:30", "9.30" or "16" to a time; ValueError when it is not a time of day."""
    raw = value.strip().replace(".", ":").replace("u", ":").rstrip(":")
    hours, _, minutes = raw.partition(":")
    if not (hours.isdigit() and (minutes or "0").isdigit() and len(minutes) in (0, 2)):
        raise ValueError(value)
    h, m = int(hours), int(minutes or 0)
    if h > 23 or m > 59:
        raise ValueError(value)
    return time(h, m)


def parse_days(value: str | list[str]) -> frozenset[int]:
    """Working weekdays for check-ins; ValueError on unknown names or weekend days."""
    days = parse_weekdays(value)
    if not days:
        raise ValueError("no days")
    if days & {5, 6}:
        raise ValueError("weekend")
    return days


@dataclass(frozen=True)
class Schedule:
    """When a team checks in: weekdays 0..6, local prompt time, summary time (team zone), questions."""

    days: frozenset[int] = field(default_factory=lambda: parse_days(DEFAULT_DAYS))
    at: time = time(9, 30)
    summary: time = time(16, 0)
    questions: tuple[Question, ...] = field(default_factory=default_questions)
    enabled: bool = True


def schedule_from_row(row: object | None) -> Schedule:
    """A Schedule from a CheckinSettings row (None: the defaults)."""
    if row is None:
        return Schedule()
    return Schedule(
        days=parse_days(row.days or DEFAULT_DAYS),
        at=parse_clock(row.time or DEFAULT_TIME),
        summary=parse_clock(row.summary_time or DEFAULT_SUMMARY),
        questions=load_questions(row.questions or ""),
        enabled=bool(row.enabled),
    )


def _block_clock(value: object) -> time:
    """A time from YAML: "09:30", or the number YAML 1.1 makes of an unquoted 09:30 (570 minutes)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return time(value // 60, value % 60)
    return parse_clock(str(value))


def parse_block(block: object) -> tuple[dict[str, object], list[str]]:
    """Validate a cohort file's `checkins:` block; returns CheckinSettings column values and problems (Dutch)."""
    if block is None:
        return {}, []
    if not isinstance(block, dict):
        return {}, ['checkins: verwacht een blok zoals {days: [monday, thursday], time: "09:30", summary: "16:00"}']
    block = {k: v for k, v in block.items() if not str(k).startswith("__")}
    values: dict[str, object] = {"enabled": True}
    errors: list[str] = []
    unknown = set(block) - {"days", "time", "summary", "enabled", "questions"}
    if unknown:
        errors.append(f"checkins: onbekende sleutel(s) {', '.join(sorted(map(str, unknown)))}")
    if "days" in block:
        try:
            values["days"] = format_weekdays(parse_days(block["days"]))
        except ValueError as exc:
            errors.append(
                "checkins.days: "
                + (
                    "alleen werkdagen (maandag tot en met vrijdag)"
                    if str(exc) == "weekend"
                    else f"onbekende dag(en) {block['days']!r}"
                )
            )
    for key, column in (("time", "time"), ("summary", "summary_time")):
        if key in block:
            try:
                values[column] = _block_clock(block[key]).strftime("%H:%M")
            except ValueError:
                errors.append(f'checkins.{key}: verwacht een tijd zoals "09:30", niet {block[key]!r}')
    if "enabled" in block:
        if not isinstance(block["enabled"], bool):
            errors.append("checkins.enabled: verwacht true of false")
        else:
            values["enabled"] = block["enabled"]
    if "questions" in block:
        questions, problem = _block_questions(block["questions"])
        if problem:
            errors.append(problem)
        else:
            values["questions"] = dump_questions(questions)
    start = parse_clock(str(values.get("time", DEFAULT_TIME)))
    end = parse_clock(str(values.get("summary_time", DEFAULT_SUMMARY)))
    if not errors and end <= start:
        errors.append("checkins.summary: moet later zijn dan checkins.time")
    return values, errors


def _block_questions(items: object) -> tuple[tuple[Question, ...], str]:
    if not isinstance(items, list) or not items or len(items) > MAX_QUESTIONS:
        return (), f"checkins.questions: verwacht een lijst met 1 tot {MAX_QUESTIONS} vragen"
    result = []
    for item in items:
        if isinstance(item, str):
            item = {"nl": item}
        if isinstance(item, dict):
            item = {k: v for k, v in item.items() if not str(k).startswith("__")}
        if not isinstance(item, dict) or not (item.get("nl") or item.get("en")):
            return (), "checkins.questions: elke vraag heeft een tekst nodig (nl en/of en)"
        kind = str(item.get("kind", "text"))
        if kind not in (*KINDS, "text"):
            return (), f"checkins.questions: onbekende soort {kind!r}"
        texts = [str(item.get("nl", "")), str(item.get("en", ""))]
        if any(len(x) > MAX_QUESTION_LENGTH for x in texts):
            return (), f"checkins.questions: een vraag mag maximaal {MAX_QUESTION_LENGTH} tekens zijn"
        result.append(Question(kind, *texts))
    if not any(q.kind == "confidence" for q in result):
        defaults = default_questions()
        result.append(defaults[-1])
    return tuple(result), ""
