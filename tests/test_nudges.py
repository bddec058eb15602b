"""Nudge planning and sending with a frozen clock: calendars, DST, zones, snooze, done, moves, restarts, races."""

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.claims import Claim
from bot.db import Database
from bot.deadlines import deadlines as dl
from bot.deadlines import nudge_sending
from bot.deadlines.models import Deadline
from tests.deadline_helpers import add_deadline, make_core, setup_team
from tests.fakes.clock import FrozenClock
from tests.fakes.messenger import FakeMessenger

AMS = ZoneInfo("Europe/Amsterdam")
CREATED = datetime(2026, 1, 2, 9, 0, tzinfo=UTC)


def ams(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


def plan_for(core, user: str = "U01") -> list[tuple[str, datetime]]:  # noqa: ANN001
    return [
        (n.key.split(":")[3], n.send_at)
        for n in nudge_sending.upcoming(core, CREATED)
        if n.user_id == user and n.kind != "escalation"
    ]


@pytest.fixture
def core(settings, db: Database, messenger: FakeMessenger):  # noqa: ANN001
    return make_core(settings, db, FrozenClock(CREATED), messenger)


def test_offsets_skip_the_weekend(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01"}])
    add_deadline(core.db, team, "Plan", ams(2026, 12, 8, 17), ["U01"], CREATED)  # Tuesday
    assert plan_for(core) == [
        ("before3", ams(2026, 12, 3, 9, 30)),  # Thursday
        ("before1", ams(2026, 12, 7, 9, 30)),  # Monday
        ("day0", ams(2026, 12, 8, 9, 30)),
        ("overdue", ams(2026, 12, 9, 9, 30)),
    ]


def test_kings_day_and_easter_monday_are_skipped(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01"}])
    add_deadline(core.db, team, "Na koningsdag", ams(2026, 4, 28, 12), ["U01"], CREATED)  # Tue after King's Day
    add_deadline(core.db, team, "Na Pasen", ams(2026, 4, 7, 12), ["U01"], CREATED)
    by_title = {}
    for n in nudge_sending.upcoming(core, CREATED):
        by_title.setdefault(n.deadline_title, {})[n.key.split(":")[3]] = n.send_at.date()
    assert by_title["Na koningsdag"]["before1"] == date(2026, 4, 24)  # Friday; Mon 27 April is off
    assert by_title["Na Pasen"]["before1"] == date(2026, 4, 2)  # Thursday; Good Friday and Easter Monday off
    assert by_title["Na Pasen"]["before3"] == date(2026, 3, 31)


def test_christmas_and_out_of_office_move_nudges_earlier(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01", "away": [(date(2026, 12, 21), date(2026, 12, 23))]}])
    add_deadline(core.db, team, "Eindrapport", ams(2026, 12, 28, 17), ["U01"], CREATED)
    kinds = dict(plan_for(core))
    assert kinds["day0"] == ams(2026, 12, 28, 9, 30)
    assert kinds["before1"] == ams(2026, 12, 24, 9, 30)  # 25/26 Christmas, weekend
    assert kinds["before3"] == ams(2026, 12, 17, 9, 30)  # 24, 18, 17: 21-23 away


def test_free_friday_moves_the_day_nudge_to_thursday(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01", "free": "fri"}])
    add_deadline(core.db, team, "Vrijdagklus", ams(2026, 12, 11, 17), ["U01"], CREATED)
    kinds = dict(plan_for(core))
    assert kinds["day0"] == ams(2026, 12, 10, 9, 30)
    assert "before1" not in kinds  # same moment as the day nudge: sent once
    assert kinds["before3"] == ams(2026, 12, 8, 9, 30)  # 10, 9, 8


def test_both_dst_changes_keep_half_past_nine_local(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01"}])
    add_deadline(core.db, team, "Lente", ams(2026, 3, 31, 17), ["U01"], CREATED)
    add_deadline(core.db, team, "Herfst", ams(2026, 10, 27, 17), ["U01"], CREATED)
    for n in nudge_sending.upcoming(core, CREATED):
        assert (n.send_at.hour, n.send_at.minute) == (9, 30)
    spring = {
        n.key.split(":")[3]: n.send_at for n in nudge_sending.upcoming(core, CREATED) if n.deadline_title == "Lente"
    }
    assert spring["before3"].utcoffset() == timedelta(hours=1)  # Thu 26 March, CET
    assert spring["before1"].utcoffset() == timedelta(hours=2)  # Mon 30 March, CEST


def test_member_in_another_zone_gets_their_own_morning(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01"}, {"id": "UNY", "tz": "America/New_York"}])
    add_deadline(core.db, team, "Samen", ams(2026, 12, 8, 17), [], CREATED)
    ny = dict(plan_for(core, "UNY"))
    assert ny["day0"] == datetime(2026, 12, 8, 9, 30, tzinfo=ZoneInfo("America/New_York"))
    assert ny["day0"] > ams(2026, 12, 8, 9, 30)
    line = [n for n in nudge_sending.upcoming(core, CREATED) if n.user_id == "UNY"][0].as_json()
    assert line["send_at"].endswith("-05:00")


def _run(core, moment: datetime) -> nudge_sending.SweepResult:  # noqa: ANN001
    core.clock.set(moment)
    return nudge_sending.send_due(core, moment)


def test_sweep_sends_once_with_buttons_and_not_again(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01"}])
    add_deadline(core.db, team, "Plan", ams(2026, 12, 8, 17), ["U01"], CREATED)
    assert _run(core, ams(2026, 12, 3, 9, 29)).sent == 0
    assert _run(core, ams(2026, 12, 3, 9, 30)).sent == 1
    assert _run(core, ams(2026, 12, 3, 9, 31)).sent == 0
    [msg] = core.messenger.to("U01")
    assert "Plan" in msg.reply.text and "dinsdag 8 december om 17:00" in msg.reply.text
    assert [b.action_id for b in msg.reply.buttons] == ["deadline_done", "deadline_snooze", "deadline_help"]


def test_done_before_the_nudge_means_no_nudge(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01"}])
    deadline_id = add_deadline(core.db, team, "Plan", ams(2026, 12, 8, 17), ["U01"], CREATED)
    with core.db.session() as s:
        dl.close(s, dl.get(s, deadline_id), "U01", CREATED)
    for day in range(1, 12):
        _run(core, ams(2026, 12, day, 10))
    assert core.messenger.sent == []


def test_deleted_deadline_sends_nothing(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01"}])
    deadline_id = add_deadline(core.db, team, "Plan", ams(2026, 12, 8, 17), ["U01"], CREATED)
    with core.db.session() as s:
        dl.delete(s, dl.get(s, deadline_id))
    _run(core, ams(2026, 12, 3, 9, 30))
    assert core.messenger.sent == []


def test_moved_deadline_replans_and_old_nudges_never_come(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01"}])
    deadline_id = add_deadline(core.db, team, "Plan", ams(2026, 12, 8, 17), ["U01"], CREATED)
    with core.db.session() as s:
        dl.move(s, dl.get(s, deadline_id), ams(2026, 12, 15, 17), ams(2026, 12, 1, 12))
    assert _run(core, ams(2026, 12, 3, 9, 30)).sent == 0  # was 3 working days before the old date
    assert _run(core, ams(2026, 12, 10, 9, 30)).sent == 1
    assert "15 december" in core.messenger.sent[0].reply.text


def test_overdue_once_then_escalation_to_the_supporter(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01", "name": "Anna"}])
    add_deadline(core.db, team, "Plan", ams(2026, 12, 8, 17), ["U01"], CREATED)
    for moment in [ams(2026, 12, 9, 9, 30), ams(2026, 12, 9, 11), ams(2026, 12, 10, 9, 30), ams(2026, 12, 11, 9, 30)]:
        _run(core, moment)
    overdue = [m for m in core.messenger.to("U01") if "had af moeten zijn" in m.reply.text]
    assert len(overdue) == 1
    [esc] = core.messenger.to("USUP")
    assert "Anna" in esc.reply.text and "Plan" in esc.reply.text


def test_restart_between_planning_and_sending_sends_once_when_back(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01"}])
    add_deadline(core.db, team, "Plan", ams(2026, 12, 8, 17), ["U01"], CREATED)
    # down at 09:30 on Thursday 3 December, back at 11:00: still working hours, still relevant
    assert _run(core, ams(2026, 12, 3, 11, 0)).sent == 1
    fresh = make_core(core.settings, Database(core.db.url), core.clock, core.messenger)  # "another process"
    assert _run(fresh, ams(2026, 12, 3, 11, 1)).sent == 0
    fresh.db.dispose()


def test_down_overnight_waits_for_working_hours_and_sends_only_the_latest(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01"}])
    add_deadline(core.db, team, "Plan", ams(2026, 12, 8, 17), ["U01"], CREATED)
    assert _run(core, ams(2026, 12, 7, 22, 0)).sent == 0  # back late Monday evening
    result = _run(core, ams(2026, 12, 8, 9, 30))
    assert result.sent == 1 and result.skipped == 2  # before3 and before1 are recorded as skipped
    assert "Vandaag" in core.messenger.sent[0].reply.text


def test_failed_delivery_is_released_and_retried(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01"}])
    add_deadline(core.db, team, "Plan", ams(2026, 12, 8, 17), ["U01"], CREATED)
    core.messenger.fail_next = 1
    assert _run(core, ams(2026, 12, 3, 9, 30)).failed == 1
    assert _run(core, ams(2026, 12, 3, 9, 31)).sent == 1
    assert len(core.messenger.to("U01")) == 1


def test_daily_cap_defers_the_rest_to_the_next_working_morning(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01"}])
    for i in range(5):
        add_deadline(core.db, team, f"Klus {i}", ams(2026, 12, 8, 17) + timedelta(minutes=i), ["U01"], CREATED)
    result = _run(core, ams(2026, 12, 3, 9, 30))
    assert result.sent == core.settings.nudge_daily_cap == 3 and result.capped == 2
    assert _run(core, ams(2026, 12, 4, 9, 30)).sent == 2


def test_snooze_sends_again_next_working_morning(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01"}])
    deadline_id = add_deadline(core.db, team, "Plan", ams(2026, 12, 8, 17), ["U01"], CREATED)
    _run(core, ams(2026, 12, 3, 9, 30))
    with core.db.session() as s:
        member = s.exec(__import__("sqlmodel").select(dl.Member).where(dl.Member.user_id == "U01")).one()
        s.add(
            dl.Snooze(deadline_id=deadline_id, member_id=member.id, send_at=ams(2026, 12, 4, 9, 30), created_at=CREATED)
        )
    assert _run(core, ams(2026, 12, 4, 9, 30)).sent == 1
    assert "herinneren" in core.messenger.sent[-1].reply.text


@pytest.mark.parametrize("runs", [2])
def test_two_schedulers_on_one_database_send_each_nudge_once(core, database_url: str, runs: int) -> None:  # noqa: ANN001
    members = [{"id": f"U{i:02d}"} for i in range(8)]
    team = setup_team(core.db, CREATED, members)
    for i in range(5):
        add_deadline(core.db, team, f"Klus {i}", ams(2026, 12, 8, 17) + timedelta(minutes=i), [], CREATED)
    moment = ams(2026, 12, 3, 9, 30)
    core.clock.set(moment)
    barrier = threading.Barrier(runs)
    shared = FakeMessenger()
    lock = threading.Lock()

    class Locked:
        def send_dm(self, user_id, reply):  # noqa: ANN001, ANN202
            with lock:
                return shared.send_dm(user_id, reply)

    def worker() -> None:
        other = make_core(core.settings, Database(database_url), core.clock, Locked())
        barrier.wait()
        nudge_sending.send_due(other, moment)
        other.db.dispose()

    threads = [threading.Thread(target=worker) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    keys = [(s.target, s.reply.meta["deadline_id"]) for s in shared.sent]
    assert len(keys) == len(set(keys)) == 8 * 3  # cap 3 per member per day
    with core.db.session() as s:
        assert len(s.exec(__import__("sqlmodel").select(Claim).where(Claim.kind == "nudge")).all()) == 24


def test_done_between_plan_and_claim_is_not_sent(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01"}])
    deadline_id = add_deadline(core.db, team, "Plan", ams(2026, 12, 8, 17), ["U01"], CREATED)
    with core.db.session() as s:
        s.get(Deadline, deadline_id).status = "done"
    assert _run(core, ams(2026, 12, 3, 9, 30)).sent == 0
