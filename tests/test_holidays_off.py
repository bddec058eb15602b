"""HOLIDAYS_OFF means the same for nudges and check-ins, `none` included (King's Day 2027 is a Tuesday)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.checkins.plan import plan_prompts
from bot.config import load_settings
from bot.core import Core
from bot.deadlines import nudge_sending
from bot.deadlines.cohort import import_file
from tests.fakes.clock import FrozenClock

KINGS_DAY = date(2027, 4, 27)
COHORT = """\
teams:
  - name: Lente
    members:
      - {id: U01, name: Anna}
    checkins: {days: [tuesday], time: "09:30", summary: "16:00"}
    sprints:
      - name: April
        start: 2027-04-19
        end: 2027-04-30
        deadlines:
          - {title: Oplevering, due: "2027-04-28 17:00", owners: team}
"""


def plan_days(env: dict[str, str], tmp_path: Path, holidays_off: str | None) -> tuple[set[date], set[date]]:
    """The local dates of the check-in prompts and of the deadline nudges for the cohort above."""
    extra = {"HOLIDAYS_OFF": holidays_off} if holidays_off is not None else {}
    settings = load_settings({**env, "NUDGE_OFFSETS": "1", "SCHEDULER_ENABLED": "false", **extra}, dotenv=False)
    now = datetime(2027, 4, 20, 6, 0, tzinfo=UTC)
    core = Core(settings, clock=FrozenClock(now))
    path = tmp_path / "cohort.yaml"
    path.write_text(COHORT, encoding="utf-8")
    assert import_file(core, path).ok
    prompts = plan_prompts(core.checkins.service.teams(), now, now + timedelta(days=10))
    reminders = [n for n in nudge_sending.upcoming(core, now) if n.kind == "before"]
    core.db.dispose()
    return {p.local_date for p in prompts}, {n.send_at.astimezone(n.cal.tz).date() for n in reminders}


@pytest.mark.parametrize("holidays_off", ["none", "-kings_day,all,-kings_day"])
def test_kings_day_is_a_working_day_for_both_when_not_off(
    env: dict[str, str], tmp_path: Path, holidays_off: str
) -> None:
    checkins, reminders = plan_days(env, tmp_path, holidays_off)
    assert KINGS_DAY in checkins
    assert reminders == {KINGS_DAY}


def test_by_default_kings_day_is_off_for_both(env: dict[str, str], tmp_path: Path) -> None:
    checkins, reminders = plan_days(env, tmp_path, None)
    assert KINGS_DAY not in checkins and date(2027, 4, 20) in checkins
    assert reminders == {date(2027, 4, 26)}
