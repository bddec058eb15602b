"""What nudges look like: plain text first, with Klaar / Herinner me morgen / Hulp nodig buttons."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.chat.replies import Button, Reply
from bot.texts import t


def format_when(moment: datetime, tz: Any, lang: str) -> str:
    """E.g. "vrijdag 11 december om 17:00" in the reader's zone and language."""
    local = moment.astimezone(tz)
    days = t("dl.day_names", lang).split(",")
    months = t("dl.month_names", lang).split(",")
    return t(
        "dl.when", lang, weekday=days[local.weekday()], day=local.day, month=months[local.month - 1],
        time=local.strftime("%H:%M"),
    )  # fmt: skip


def nudge_buttons(key: str, lang: str) -> tuple[Button, ...]:
    """The three buttons; the value is the nudge's claim key (it names the deadline and the member)."""
    return (
        Button(t("nudge.btn_done", lang), "deadline_done", key, "primary"),
        Button(t("nudge.btn_snooze", lang), "deadline_snooze", key),
        Button(t("nudge.btn_help", lang), "deadline_help", key),
    )


def render_nudge(nudge: Any, now: datetime, open_names: str = "") -> Reply:
    """The DM for one nudge."""
    lang = nudge.lang if nudge.lang in ("nl", "en") else "nl"
    when = format_when(nudge.due_at, nudge.cal.tz, lang)
    values = {
        "title": nudge.deadline_title,
        "team": nudge.team_name,
        "when": when,
        "time": nudge.due_at.astimezone(nudge.cal.tz).strftime("%H:%M"),
        "who": open_names or nudge.member_name,
    }
    kind = nudge.kind
    if kind == "day" and nudge.send_at.astimezone(nudge.cal.tz).date() != nudge.due_at.astimezone(nudge.cal.tz).date():
        kind = "before"  # the day itself is off (free day, away): "today" would be wrong
    text = t(f"nudge.{kind}", lang, **values)
    if nudge.kind == "escalation":
        return Reply(text, meta={"deadline_id": str(nudge.deadline_id)})
    return Reply(text, buttons=nudge_buttons(nudge.key, lang), meta={"deadline_id": str(nudge.deadline_id)})
