"""The check-in plan is a pure function of teams, schedules and the shared working-day calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.calendar.workdays import Holidays, MemberCalendar, parse_weekdays
from bot.checkins.plan import MemberInput, TeamInput, due_prompts, plan_prompts
from bot.checkins.setup import Schedule, parse_block, parse_clock

AMS = ZoneInfo("Europe/Amsterdam")


def member(user_id: str, tz: str = "Europe/Amsterdam", free: str = "", away=()) -> MemberInput:
    cal = MemberCalendar(tz=ZoneInfo(tz), free_days=parse_weekdays(free), away=tuple(away), holidays=Holidays())
    return MemberInput(hash(user_id) % 1000, user_id, user_id, "nl", cal)


def team(*members: MemberInput, schedule: Schedule | None = None) -> TeamInput:
    return TeamInput(1, "Team Noord", "C1", AMS, schedule or Schedule(), members)


def test_default_schedule_is_monday_and_thursday_at_half_past_nine_local() -> None:
    plan = plan_prompts([team(member("U1"))], datetime(2026, 11, 30, tzinfo=UTC), datetime(2026, 12, 7, tzinfo=UTC))
    assert [(p.local_date, p.send_at.astimezone(AMS).time()) for p in plan] == [
        (date(2026, 11, 30), time(9, 30)),
        (date(2026, 12, 3), time(9, 30)),
    ]
    assert plan[0].summary_at.astimezone(AMS).time() == time(16, 0)
    assert plan[0].reminder_at.astimezone(AMS).time() == time(15, 0)


def test_no_prompts_on_free_days_out_of_office_and_public_holidays() -> None:
    friday_team = team(
        member("free", free="thu"),
        member("away", away=[(date(2026, 12, 3), date(2026, 12, 3))]),
        member("here"),
        schedule=Schedule(days=frozenset({3, 4})),
    )
    plan = plan_prompts([friday_team], datetime(2026, 12, 21, tzinfo=UTC), datetime(2026, 12, 26, tzinfo=UTC))
    assert [(p.member.user_id, p.local_date) for p in plan] == [
        ("away", date(2026, 12, 24)),
        ("here", date(2026, 12, 24)),
    ]  # Fri 25: Christmas
    week = plan_prompts([friday_team], datetime(2026, 11, 30, tzinfo=UTC), datetime(2026, 12, 5, tzinfo=UTC))
    assert ("free", date(2026, 12, 3)) not in [(p.member.user_id, p.local_date) for p in week]
    assert ("away", date(2026, 12, 3)) not in [(p.member.user_id, p.local_date) for p in week]
    assert ("away", date(2026, 12, 4)) in [(p.member.user_id, p.local_date) for p in week]


def test_each_member_gets_the_prompt_at_their_own_local_time_across_dst() -> None:
    london, ams = member("lon", tz="Europe/London"), member("ams")
    plan = plan_prompts([team(london, ams)], datetime(2027, 4, 1, tzinfo=UTC), datetime(2027, 4, 2, tzinfo=UTC))
    times = {p.member.user_id: p.send_at.astimezone(UTC).time() for p in plan}
    assert times == {"ams": time(7, 30), "lon": time(8, 30)}  # summer time since 28 March


def test_no_reminder_outside_working_hours() -> None:
    late = Schedule(at=time(9, 30), summary=time(19, 0))
    plan = plan_prompts(
        [team(member("U1"), schedule=late)], datetime(2026, 12, 3, tzinfo=UTC), datetime(2026, 12, 4, tzinfo=UTC)
    )
    assert plan[0].reminder_at is None  # 18:00 is after working hours
    west = plan_prompts(
        [team(member("la", tz="America/Los_Angeles"))],
        datetime(2026, 12, 3, tzinfo=UTC),
        datetime(2026, 12, 4, tzinfo=UTC),
    )
    assert west[0].send_at > west[0].summary_at and west[0].reminder_at is None
    assert due_prompts([team(member("la", tz="America/Los_Angeles"))], west[0].send_at) != []  # still asked


def test_due_prompts_stop_at_the_summary_and_disabled_teams_are_not_planned() -> None:
    t = team(member("U1"))
    assert len(due_prompts([t], datetime(2026, 12, 3, 8, 30, tzinfo=UTC))) == 1
    assert due_prompts([t], datetime(2026, 12, 3, 8, 29, tzinfo=UTC)) == []
    assert due_prompts([t], datetime(2026, 12, 3, 15, 0, tzinfo=UTC)) == []
    off = team(member("U1"), schedule=Schedule(enabled=False))
    assert due_prompts([off], datetime(2026, 12, 3, 9, tzinfo=UTC)) == []


def test_cohort_block_is_validated_with_clear_messages() -> None:
    values, errors = parse_block({"days": ["monday", "thursday"], "time": "09:30", "summary": "16:00"})
    assert errors == [] and values == {"enabled": True, "days": "mon,thu", "time": "09:30", "summary_time": "16:00"}
    _, errors = parse_block({"days": ["saturday"], "time": "25:00", "colour": "red"})
    assert any("onbekende sleutel" in e and "colour" in e for e in errors)
    assert any("alleen werkdagen" in e for e in errors)
    assert any("checkins.time" in e for e in errors)
    _, errors = parse_block({"time": "16:00", "summary": "09:00"})
    assert errors == ["checkins.summary: moet later zijn dan checkins.time"]
    assert parse_block({"time": 570, "__line__": 3})[0]["time"] == "09:30"  # YAML reads 09:30 as 570
    values, errors = parse_block({"questions": ["Wat deed je?", {"nl": "Waar loop je vast?", "kind": "blocker"}]})
    assert errors == [] and '"confidence"' in values["questions"]
    assert parse_clock("9.30") == time(9, 30) and parse_clock("16") == time(16, 0)
