"""Working-day calendar: weekends, holidays, free days, out-of-office, DST, other zones."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.calendar.workdays import (
    Holidays,
    MemberCalendar,
    is_working_day,
    local_moment,
    member_calendar,
    next_working_morning,
    nth_working_day_before,
    parse_holidays_off,
    parse_weekdays,
    previous_working_day,
)
from bot.people.models import Member, OutOfOffice

AMS = ZoneInfo("Europe/Amsterdam")
ANNA = MemberCalendar(tz=AMS)


def test_weekend_is_not_a_working_day() -> None:
    assert is_working_day(ANNA, date(2026, 12, 4))  # Friday
    assert not is_working_day(ANNA, date(2026, 12, 5))
    assert not is_working_day(ANNA, date(2026, 12, 6))


@pytest.mark.parametrize(
    "day",
    [date(2026, 4, 27), date(2026, 12, 25), date(2026, 4, 6), date(2027, 1, 1), date(2026, 5, 14), date(2026, 5, 25)],
    ids=["kings_day", "christmas", "easter_monday", "new_year", "ascension", "whit_monday"],
)
def test_dutch_public_holidays_are_days_off(day: date) -> None:
    assert not is_working_day(ANNA, day)


def test_kings_day_on_sunday_moves_to_saturday_in_the_holidays_package() -> None:
    assert Holidays().name(date(2025, 4, 26)) == "kings_day"


def test_which_holidays_are_off_is_configurable() -> None:
    strict = MemberCalendar(tz=AMS, holidays=Holidays(parse_holidays_off("all,-good_friday,-liberation_day")))
    assert is_working_day(strict, date(2026, 4, 3))  # Good Friday
    assert not is_working_day(ANNA, date(2026, 4, 3))
    assert is_working_day(strict, date(2026, 5, 5))  # Liberation Day, not a lustrum year
    assert not is_working_day(ANNA, date(2026, 5, 5))  # default: every year


def test_liberation_day_only_in_lustrum_years_without_the_yearly_option() -> None:
    lustrum = MemberCalendar(tz=AMS, holidays=Holidays(parse_holidays_off("all")))
    assert is_working_day(lustrum, date(2026, 5, 5))
    assert not is_working_day(lustrum, date(2030, 5, 5))


def test_unknown_holiday_is_refused_with_the_known_names() -> None:
    with pytest.raises(ValueError, match="kings_day"):
        parse_holidays_off("all,carnaval")


def test_weekday_words_in_dutch_and_english() -> None:
    assert parse_weekdays("vrijdag, mon,Friday,di") == {0, 1, 4}
    with pytest.raises(ValueError):
        parse_weekdays("someday")


def test_free_day_and_out_of_office() -> None:
    member = Member(user_id="U1", timezone="Europe/Amsterdam", free_days="fri")
    cal = member_calendar(member, [OutOfOffice(member_id=1, start=date(2026, 12, 21), end=date(2027, 1, 3))])
    assert not is_working_day(cal, date(2026, 12, 4))  # every Friday
    assert is_working_day(cal, date(2026, 12, 3))
    assert not is_working_day(cal, date(2026, 12, 21))
    assert not is_working_day(cal, date(2027, 1, 3))
    assert is_working_day(cal, date(2027, 1, 4))


def test_previous_working_day_skips_weekend_and_christmas() -> None:
    assert previous_working_day(ANNA, date(2026, 12, 28)) == date(2026, 12, 24)


def test_nth_working_day_before_across_easter() -> None:
    # Tuesday 7 April 2026: Easter Monday 6, weekend 4-5, Good Friday 3 → 1 back is Thursday 2 April
    assert nth_working_day_before(ANNA, date(2026, 4, 7), 1) == date(2026, 4, 2)
    assert nth_working_day_before(ANNA, date(2026, 4, 7), 3) == date(2026, 3, 31)


def test_nth_working_day_zero_is_the_day_or_the_one_before() -> None:
    assert nth_working_day_before(ANNA, date(2026, 12, 11), 0) == date(2026, 12, 11)
    assert nth_working_day_before(ANNA, date(2026, 12, 12), 0) == date(2026, 12, 11)


def test_local_moment_keeps_wall_clock_across_both_dst_changes() -> None:
    before_spring = local_moment(ANNA, date(2026, 3, 27), time(9, 30))
    after_spring = local_moment(ANNA, date(2026, 3, 30), time(9, 30))
    assert before_spring.astimezone(UTC).hour == 8 and after_spring.astimezone(UTC).hour == 7
    before_autumn = local_moment(ANNA, date(2026, 10, 23), time(9, 30))
    after_autumn = local_moment(ANNA, date(2026, 10, 26), time(9, 30))
    assert before_autumn.astimezone(UTC).hour == 7 and after_autumn.astimezone(UTC).hour == 8


def test_skipped_hour_moves_forward() -> None:
    moment = local_moment(ANNA, date(2026, 3, 29), time(2, 30))
    assert (moment.hour, moment.minute) == (3, 30)


def test_next_working_morning_same_day_or_next() -> None:
    tuesday_early = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)  # 08:00 Amsterdam
    assert next_working_morning(ANNA, tuesday_early) == datetime(2026, 12, 1, 9, 30, tzinfo=AMS)
    friday_noon = datetime(2026, 12, 4, 11, 0, tzinfo=UTC)
    assert next_working_morning(ANNA, friday_noon) == datetime(2026, 12, 7, 9, 30, tzinfo=AMS)


def test_other_time_zone_has_its_own_morning() -> None:
    ny = MemberCalendar(tz=ZoneInfo("America/New_York"))
    morning = next_working_morning(ny, datetime(2026, 12, 1, 12, 0, tzinfo=UTC))  # 07:00 in New York
    assert morning.astimezone(UTC) == datetime(2026, 12, 1, 14, 30, tzinfo=UTC)


def test_no_working_days_at_all_is_an_error_not_a_hang() -> None:
    nobody = MemberCalendar(tz=AMS, working_days=frozenset())
    with pytest.raises(ValueError):
        previous_working_day(nobody, date(2026, 12, 1))
