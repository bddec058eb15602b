"""Dutch (and English) dates as people type them: "vrijdag", "morgen 17:00", "12-12", "12 december", ISO."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from bot.calendar.workdays import WEEKDAY_WORDS
from bot.texts import UserError

DEFAULT_TIME = time(17, 0)
MAX_LEN = 60

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "february": 2,
    "maart": 3, "mrt": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "augustus": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
RELATIVE = {"vandaag": 0, "today": 0, "morgen": 1, "tomorrow": 1, "overmorgen": 2}
_TIME = re.compile(r"(?:\bom\s+|\bat\s+)?(?<!\S)(\d{1,2})(?:[:.](\d{2})|\s*u(?:ur)?\b)(?!\S)")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2}|\d{4}))?$")
_WORDS = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{4}))?$")
_WORDS_EN = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?$")


class DateError(UserError, ValueError):
    """A date that cannot be used; `key` names the text to show, `values` fill it in."""


@dataclass(frozen=True)
class ParsedDate:
    """A parsed local date and time, and whether the time was typed or defaulted."""

    day: date
    at: time
    time_given: bool
    notes: tuple[str, ...] = field(default=())

    def moment(self, tz) -> datetime:  # noqa: ANN001 - a tzinfo
        """The aware moment in zone `tz` (a skipped DST time moves forward)."""
        from datetime import UTC

        return datetime.combine(self.day, self.at).replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


def _split_time(text: str) -> tuple[str, time | None]:
    matches = list(_TIME.finditer(text))
    match = matches[-1] if matches else None
    if match is None or (match.group(0) == text and "." in text):  # "12.12" alone is a date
        return text, None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        raise DateError("date.bad_time", text=match.group(0).strip())
    rest = (text[: match.start()] + text[match.end() :]).strip()
    return rest, time(hours, minutes)


def _make(year: int, month: int, day: int, typed: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError("date.impossible", text=typed) from None


def _year_for(month: int, day: int, today: date, typed: str) -> date:
    candidate = _make(today.year, month, day, typed) if not (month == 2 and day == 29) else None
    if candidate is None:  # 29 February: the next leap year it exists in
        for year in range(today.year, today.year + 5):
            try:
                candidate = date(year, 2, 29)
            except ValueError:
                continue
            if candidate >= today:
                return candidate
        raise DateError("date.impossible", text=typed)
    if candidate >= today:
        return candidate
    if (today - candidate).days <= 31:
        raise DateError("date.past", text=typed)
    return _make(today.year + 1, month, day, typed)


def _parse_day(text: str, today: date) -> date:
    if text in RELATIVE:
        return today + timedelta(days=RELATIVE[text])
    words = text.split()
    if words and words[0] in ("volgende", "next", "komende"):
        rest = " ".join(words[1:])
        if rest in WEEKDAY_WORDS:
            ahead = (WEEKDAY_WORDS[rest] - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
        if rest in ("week",):
            return today + timedelta(days=7)
    if text in WEEKDAY_WORDS:
        ahead = (WEEKDAY_WORDS[text] - today.weekday()) % 7
        if ahead == 0:
            raise DateError("date.ambiguous_weekday", text=text, next=(today + timedelta(days=7)).strftime("%d-%m"))
        return today + timedelta(days=ahead)
    if m := _ISO.match(text):
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    if m := _NUMERIC.match(text):
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        if month > 12 and day <= 12:
            raise DateError("date.month_first", text=text, swapped=f"{month}-{day}")
        full = int(year) + (2000 if len(year) == 2 else 0) if year else None
        return _day_of(full, month, day, today, text)
    m = _WORDS.match(text)
    if m and m.group(2) in MONTHS:
        year = int(m.group(3)) if m.group(3) else None
        return _day_of(year, MONTHS[m.group(2)], int(m.group(1)), today, text)
    m = _WORDS_EN.match(text)
    if m and m.group(1) in MONTHS:
        year = int(m.group(3)) if m.group(3) else None
        return _day_of(year, MONTHS[m.group(1)], int(m.group(2)), today, text)
    raise DateError("date.unknown", text=text)


def _day_of(year: int | None, month: int, day: int, today: date, text: str) -> date:
    """The day in `year`, or without a year the nearest fitting one; impossible dates (31-02, 12-13) raise."""
    if year is not None:
        return _make(year, month, day, text)
    _make(2000, month, day, text)  # impossible in any year?
    return _year_for(month, day, today, text)


def parse_day(text: str, today: date, allow_past: bool = True) -> date:
    """Parse a typed date without time (sprint start/end, out-of-office); DateError when unusable."""
    raw = " ".join((text or "").lower().replace(",", " ").split())
    if not raw:
        raise DateError("date.empty")
    if len(raw) > MAX_LEN:
        raise DateError("date.too_long")
    raw = re.sub(r"^(op|on|vanaf|from)\s+", "", raw)
    if _ISO.match(raw) or (_NUMERIC.match(raw) and raw.count("-") + raw.count("/") + raw.count(".") == 2):
        day = _parse_day(raw, today)
    else:
        try:
            day = _parse_day(raw, today)
        except DateError as exc:
            if exc.key != "date.past" or not allow_past:
                raise
            m = _NUMERIC.match(raw) or _WORDS.match(raw)
            if m is None:
                raise
            day = _parse_day(raw + f" {today.year}" if _WORDS.match(raw) else raw + f"-{today.year}", today)
    if not allow_past and day < today:
        raise DateError("date.past", text=text)
    if abs(day.year - today.year) > 3:
        raise DateError("date.too_far" if day > today else "date.long_ago", text=text)
    return day


def parse_date(text: str, now_local: datetime, default_time: time = DEFAULT_TIME) -> ParsedDate:
    """Parse a typed date (and optional time) relative to the local `now_local`; DateError when unusable."""
    raw = " ".join((text or "").split())
    if not raw:
        raise DateError("date.empty")
    if len(raw) > MAX_LEN:
        raise DateError("date.too_long")
    lowered = raw.lower().replace(",", " ").strip()
    lowered = " ".join(lowered.split())
    day_text, at = _split_time(lowered)
    day_text = re.sub(r"^(op|on)\s+", "", day_text).strip()
    today = now_local.date()
    day = today if not day_text and at is not None else _parse_day(day_text, today)
    result = ParsedDate(day, at or default_time, at is not None)
    if result.moment(now_local.tzinfo) <= now_local:
        raise DateError("date.past", text=raw)
    if day.year > today.year + 3:
        raise DateError("date.too_far", text=raw)
    return result


def local_stamp(moment: datetime, tz, lang: str = "nl", *, year: bool = False) -> str:  # noqa: ANN001 - a tzinfo
    """A moment as the reader sees it: "wo 02-12 09:30 CET" (Dutch weekday) or "Wed 02-12 09:30 CET"."""
    from bot.texts import t

    local = moment.astimezone(tz)
    name = t("dl.day_names", lang).split(",")[local.weekday()]
    short = name[:2] if lang == "nl" else name[:3].capitalize()
    day = local.strftime("%d-%m-%Y" if year else "%d-%m")
    return f"{short} {day} {local:%H:%M} {local.tzname()}"
