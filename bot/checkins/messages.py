"""What check-in messages say: prompts, questions, the summary with its thread, blocker DMs, sparklines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.chat.replies import Button, Reply
from bot.checkins.answer_checks import defuse
from bot.checkins.setup import Question
from bot.texts import t

SPARKS = "▁▂▃▄▅▆▇█"
MAX_NAMES = 12


def sparkline(values: Sequence[float]) -> str:
    """A small text chart of 1..5 values, e.g. "▃▅▆"."""
    return "".join(SPARKS[max(0, min(7, round((v - 1) / 4 * 7)))] for v in values)


def number(value: float, lang: str) -> str:
    """One decimal, with a decimal comma in Dutch."""
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "nl" else text


def day_text(day: date, lang: str) -> str:
    """A date as people write it: 3-12-2026 (nl) or 2026-12-03 (en)."""
    return f"{day.day}-{day.month}-{day.year}" if lang == "nl" else day.isoformat()


def prompt_buttons(round_id: int, lang: str, answered: bool = False) -> tuple[Button, ...]:
    """Answer (or edit), later, skip, off."""
    value = str(round_id)
    if answered:
        return (Button(t("checkins.button.edit", lang), "checkin_open", value),)
    return (
        Button(t("checkins.button.open", lang), "checkin_open", value, "primary"),
        Button(t("checkins.button.later", lang), "checkin_later", value),
        Button(t("checkins.button.skip", lang), "checkin_skip", value),
        Button(t("checkins.button.off", lang), "checkin_off", value),
    )


def prompt_reply(team: str, name: str, round_id: int, questions: Sequence[Question], lang: str) -> Reply:
    """The check-in DM: a kind opening, the first question, and the four buttons."""
    body = t(
        "checkins.prompt.body",
        lang,
        name=name or "",
        team=team,
        count=len(questions),
        question=question_text(questions[0], lang),
    )
    return Reply(
        body,
        title=t("checkins.prompt.title", lang, team=team),
        body=body,
        buttons=prompt_buttons(round_id, lang),
        meta={"checkin_round": str(round_id)},
    )


def reminder_reply(
    team: str, round_id: int, questions: Sequence[Question], step: int, summary: str, lang: str
) -> Reply:
    """The one reminder (or the re-prompt after "Later"), at the question the member is on."""
    step = min(step, len(questions) - 1)
    body = t(
        "checkins.reminder.body",
        lang,
        team=team,
        summary=summary,
        number=step + 1,
        count=len(questions),
        question=question_text(questions[step], lang),
    )
    return Reply(body, body=body, buttons=prompt_buttons(round_id, lang), meta={"checkin_round": str(round_id)})


def question_text(question: Question, lang: str) -> str:
    """A question with its hint (the blocker question says how to answer "nothing")."""
    text = question.text(lang)
    return f"{text} {t('checkins.q.blocker_hint', lang)}" if question.kind == "blocker" else text


def question_reply(questions: Sequence[Question], step: int, lang: str, error: str = "") -> Reply:
    """Ask question `step` (0-based), after an error message when there is one."""
    line = t(
        "checkins.question", lang, number=step + 1, count=len(questions), question=question_text(questions[step], lang)
    )
    text = f"{error}\n{line}" if error else line
    return Reply(text, body=text)


def answer_lines(questions: Sequence[Question], answers: Sequence[str], lang: str) -> list[str]:
    """ "**question**\\nanswer" for each answered question, defused for a channel."""
    lines = []
    for question, answer in zip(questions, answers, strict=False):
        if answer:
            lines.append(f"**{question.text(lang)}**\n{defuse(answer)}")
    return lines


def thread_reply(
    name: str, questions: Sequence[Question], answers: Sequence[str], lang: str, *, late: bool, edited: bool
) -> Reply:
    """A member's answers in the summary thread."""
    marks = [t("checkins.thread.late", lang)] if late else []
    if edited:
        marks.append(t("checkins.thread.edited", lang))
    head = " ".join([f"**{defuse(name)}**", *marks])
    text = "\n".join([head, *answer_lines(questions, answers, lang)])
    return Reply(text, body=text)


def names(items: Sequence[str]) -> str:
    """A short list of names; the rest as "+N"."""
    shown = ", ".join(defuse(n) for n in items[:MAX_NAMES])
    return shown + (f" +{len(items) - MAX_NAMES}" if len(items) > MAX_NAMES else "")


def summary_reply(
    team: str,
    day: date,
    lang: str,
    *,
    answered: int,
    expected: int,
    trend: Sequence[float],
    blockers: Sequence[tuple[str, str]],
    missing: Sequence[str],
    skipped: Sequence[str],
    off: Sequence[str],
) -> Reply:
    """The channel message: participation, confidence and its sprint trend, blockers first, who is missing."""
    lines = [t("checkins.summary.participation", lang, answered=answered, expected=expected)]
    if trend:
        lines.append(t("checkins.summary.confidence", lang, avg=number(trend[-1], lang), spark=sparkline(trend)))
    else:
        lines.append(t("checkins.summary.no_confidence", lang))
    lines.append(t("checkins.summary.blockers", lang))
    lines += [f"• {defuse(who)}: {defuse(text)}" for who, text in blockers] or [t("checkins.summary.no_blockers", lang)]
    for key, group in (("missing", missing), ("skipped", skipped), ("off", off)):
        if group:
            lines.append(t(f"checkins.summary.{key}", lang, names=names(group)))
    if answered:
        lines.append(t("checkins.summary.thread_hint", lang))
    body = "\n".join(lines)
    title = t("checkins.summary.title", lang, team=team, date=day_text(day, lang))
    return Reply(f"{title}\n{body}", title=title, body=body, context=t("checkins.summary.purpose", lang))


def blocker_reply(team: str, name: str, day: date, text: str, answer_id: int, lang: str) -> Reply:
    """The DM to a process supporter about one blocker, with "Ik pak het op"."""
    body = t("checkins.blocker.dm", lang, team=team, name=defuse(name), date=day_text(day, lang), text=defuse(text))
    button = Button(t("checkins.button.pickup", lang), "checkin_pickup", str(answer_id), "primary")
    return Reply(body, body=body, buttons=(button,))
