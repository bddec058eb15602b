"""Working-day calendar: weekends, Dutch public holidays, a member's free days and out-of-office periods.

All "local" times are in the member's own IANA zone (zoneinfo), so they stay right across DST changes.
The functions take a `MemberCalendar`, a plain value built once per member (see `member_calendar`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holidays_lib

from bot.team_models import DEFAULT_WORKING_DAYS, WEEKDAYS

# Stable keys for the days the `holidays` package lists for NL (its English names), for HOLIDAYS_OFF.
HOLIDAY_KEYS = {
    "New Year's Day": "new_year",
    "Good Friday": "good_friday",
    "Easter Sunday": "easter",
    "Easter Monday": "easter_monday",
    "King's Day": "kings_day",
    "Queen's Day": "kings_day",
    "Liberation Day": "liberation_day",
    "Ascension Day": "ascension",
    "Pentecost": "whitsun",
    "Whit Sunday": "whitsun",
    "Pentecost Monday": "whit_monday",
    "Whit Monday": "whit_monday",
    "Christmas Day": "christmas",
    "Second Day of Christmas": "boxing_day",
}
ALL_HOLIDAYS = frozenset(HOLIDAY_KEYS.values())
YEARLY_LIBERATION_DAY = "liberation_day_yearly"
DEFAULT_HOLIDAYS_OFF = "all,liberation_day_yearly"
_MAX_SEARCH_DAYS = 800


def _key(name: str) -> str:
    return HOLIDAY_KEYS.get(name) or re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def parse_holidays_off(spec: str) -> frozenset[str]:
    """Parse HOLIDAYS_OFF: `all`, `none`, keys (`kings_day`), exclusions (`-good_friday`); ValueError when unknown."""
    chosen: set[str] = set()
    known = ALL_HOLIDAYS | {YEARLY_LIBERATION_DAY}
    for raw in spec.replace(";", ",").split(","):
        token = raw.strip().lower()
        if not token or token == "none":
            continue
        if token == "all":
            chosen |= ALL_HOLIDAYS
            continue
        name = token.lstrip("-")
        if name not in known:
            raise ValueError(f"onbekende feestdag {name!r}; kies uit: all, none, {', '.join(sorted(known))}")
        if token.startswith("-"):
            chosen.discard(name)
        else:
            chosen.add(name)
    return frozenset(chosen)


@dataclass(frozen=True)
class Holidays:
    """Which Dutch public holidays are days off (the `holidays` package decides the dates)."""

    off: frozenset[str] = field(default_factory=lambda: parse_holidays_off(DEFAULT_HOLIDAYS_OFF))

    def name(self, day: date) -> str | None:
        """The key of the holiday on `day` when it is a day off, else None."""
        return _days_off(self.off, day.year).get(day)

    def is_day_off(self, day: date) -> bool:
        """True when `day` is a public holiday that counts as a day off."""
        return day in _days_off(self.off, day.year)


def configured_holidays(off: Iterable[str]) -> Holidays:
    """The one holiday calendar for nudges, check-ins and overviews: HOLIDAYS_OFF as parsed (empty = `none`)."""
    return Holidays(frozenset(off))


@lru_cache(maxsize=256)
def _days_off(off: frozenset[str], year: int) -> dict[date, str]:
    found = {d: _key(n) for d, n in holidays_lib.country_holidays("NL", years=year, language="en_US").items()}
    result = {d: k for d, k in found.items() if k in off}
    if YEARLY_LIBERATION_DAY in off:
        result[date(year, 5, 5)] = "liberation_day"
    return result


def parse_weekdays(spec: str | Iterable[str]) -> frozenset[int]:
    """Weekday names (mon..sun, maandag..zondag, English names) to numbers 0..6; ValueError if unknown."""
    if isinstance(spec, str):
        items = spec.replace(";", ",").split(",")
    else:
        items = list(spec) if isinstance(spec, list | tuple | set | frozenset) else [spec]
    result = set()
    for raw in items:
        word = str(raw).strip().lower()
        if not word:
            continue
        number = WEEKDAY_WORDS.get(word)
        if number is None:
            raise ValueError(f"onbekende weekdag {raw!r}")
        result.add(number)
    return frozenset(result)


def format_weekdays(days: Iterable[int]) -> str:
    """Numbers 0..6 to the stored form "mon,fri"."""
    return ",".join(WEEKDAYS[d] for d in sorted(set(days)))


_NL_DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_EN_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NL_SHORT = ("ma", "di", "wo", "do", "vr", "za", "zo")
WEEKDAY_WORDS: dict[str, int] = {}
for _i in range(7):
    for _words in (WEEKDAYS, _NL_DAYS, _EN_DAYS, _NL_SHORT):
        WEEKDAY_WORDS[_words[_i]] = _i
    WEEKDAY_WORDS[_NL_DAYS[_i] + "s"] = _i  # "vrijdags"


@dataclass(frozen=True)
class MemberCalendar:
    """One member's working calendar: zone, working days, recurring free days, time away, holidays."""

    tz: ZoneInfo
    working_days: frozenset[int] = frozenset(range(5))
    free_days: frozenset[int] = frozenset()
    away: tuple[tuple[date, date], ...] = ()
    holidays: Holidays = field(default_factory=Holidays)
    nudge_time: time = time(9, 30)


def member_calendar(
    member: object,
    out_of_office: Iterable[object] = (),
    holidays: Holidays | None = None,
    nudge_time: time = time(9, 30),
) -> MemberCalendar:
    """Build a MemberCalendar from a Member row (timezone, working_days, free_days) and OutOfOffice rows."""
    working = parse_weekdays(getattr(member, "working_days", "") or DEFAULT_WORKING_DAYS)
    return MemberCalendar(
        tz=ZoneInfo(getattr(member, "timezone", "") or "Europe/Amsterdam"),
        working_days=working,
        free_days=parse_weekdays(getattr(member, "free_days", "") or ""),
        away=tuple(sorted((o.start, o.end) for o in out_of_office)),  # type: ignore[attr-defined]
        holidays=holidays or Holidays(),
        nudge_time=nudge_time,
    )


def is_working_day(member: MemberCalendar, day: date) -> bool:
    """True when `day` is a working day for the member: a working weekday, no holiday, no free day, not away."""
    weekday = day.weekday()
    if weekday not in member.working_days or weekday in member.free_days:
        return False
    if member.holidays.is_day_off(day):
        return False
    return not any(start <= day <= end for start, end in member.away)


def previous_working_day(member: MemberCalendar, day: date) -> date:
    """The last working day strictly before `day`."""
    for back in range(1, _MAX_SEARCH_DAYS):
        candidate = day - timedelta(days=back)
        if is_working_day(member, candidate):
            return candidate
    raise ValueError("no working day found before " + day.isoformat())


def next_working_day(member: MemberCalendar, day: date) -> date:
    """The first working day strictly after `day`."""
    for ahead in range(1, _MAX_SEARCH_DAYS):
        candidate = day + timedelta(days=ahead)
        if is_working_day(member, candidate):
            return candidate
    raise ValueError("no working day found after " + day.isoformat())


def nth_working_day_before(member: MemberCalendar, day: date, n: int) -> date:
    """The Nth earlier working day before `day`; n=0 is `day` itself, or the previous working day if it is off."""
    if n < 0:
        raise ValueError("n must be 0 or more")
    if n == 0:
        return day if is_working_day(member, day) else previous_working_day(member, day)
    for _ in range(n):
        day = previous_working_day(member, day)
    return day


def local_moment(member: MemberCalendar, day: date, at: time) -> datetime:
    """`day` at wall-clock time `at` in the member's zone, as an aware datetime (a skipped DST time moves on)."""
    naive = datetime.combine(day, at)
    return naive.replace(tzinfo=member.tz).astimezone(UTC).astimezone(member.tz)


def local_day(member: MemberCalendar, moment: datetime) -> date:
    """The member's local date at an aware moment."""
    return moment.astimezone(member.tz).date()


def next_working_morning(member: MemberCalendar, after: datetime) -> datetime:
    """The first nudge time (e.g. 09:30 local) on a working day strictly after the aware moment `after`."""
    today = local_day(member, after)
    if is_working_day(member, today):
        candidate = local_moment(member, today, member.nudge_time)
        if candidate > after:
            return candidate
    return local_moment(member, next_working_day(member, today), member.nudge_time)
