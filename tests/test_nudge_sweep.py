"""The sweep's in-memory plan (rebuilt only on changes) and the back-off after failed deliveries."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.claims import Claim
from bot.db import Database
from bot.deadlines import nudge_sending
from bot.deadlines.models import DeliveryFailure
from bot.people.models import Member
from tests.deadline_helpers import add_deadline, make_core, setup_team
from tests.fakes.clock import FrozenClock
from tests.fakes.messenger import FakeMessenger

AMS = ZoneInfo("Europe/Amsterdam")
CREATED = datetime(2026, 1, 2, 9, 0, tzinfo=UTC)


def ams(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


@pytest.fixture
def core(settings, db: Database, messenger: FakeMessenger):  # noqa: ANN001
    return make_core(settings, db, FrozenClock(CREATED), messenger)


def run(core, moment: datetime) -> nudge_sending.SweepResult:  # noqa: ANN001
    core.clock.set(moment)
    return nudge_sending.send_due(core, moment)


def test_unchanged_inputs_are_not_reloaded(core, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01"}])
    add_deadline(core.db, team, "Plan", ams(2026, 12, 8, 17), ["U01"], CREATED)
    loads: list[int] = []
    real = nudge_sending.load
    monkeypatch.setattr(nudge_sending, "load", lambda *a, **k: loads.append(1) or real(*a, **k))
    run(core, ams(2026, 12, 3, 9, 0))
    assert run(core, ams(2026, 12, 3, 9, 30)).sent == 1
    run(core, ams(2026, 12, 3, 9, 45))
    assert len(loads) == 1


def test_a_change_in_another_process_is_seen_by_the_next_sweep(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01"}])
    add_deadline(core.db, team, "Vrijdagklus", ams(2026, 12, 11, 17), ["U01"], CREATED)
    assert run(core, ams(2026, 12, 10, 9, 0)).sent == 0  # plan cached: day nudge on Friday 11th
    other = Database(core.db.url)  # e.g. the web process, where `/lef vrije dagen vrijdag` ran
    with other.session() as s:
        s.exec(select(Member).where(Member.user_id == "U01")).one().free_days = "fri"
    other.dispose()
    assert run(core, ams(2026, 12, 10, 9, 30)).sent == 1  # moved to Thursday
    assert "Vandaag" not in core.messenger.sent[0].reply.text


def test_failed_deliveries_back_off_and_then_give_up(core, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(nudge_sending, "MAX_ATTEMPTS", 4)
    team = setup_team(core.db, CREATED, [{"id": "U01"}])
    add_deadline(core.db, team, "Plan", ams(2026, 12, 8, 17), ["U01"], CREATED)
    core.messenger.fail_next = 100
    start = ams(2026, 12, 3, 9, 30)
    assert run(core, start).failed == 1
    assert run(core, start + timedelta(minutes=1)).failed == 1  # first back-off: 1 minute
    assert run(core, start + timedelta(minutes=2)).backed_off == 1  # second: 5 minutes
    assert run(core, start + timedelta(minutes=6)).failed == 1
    with core.db.session() as s:
        assert s.exec(select(DeliveryFailure)).one().attempts == 3
    assert run(core, start + timedelta(minutes=20)).backed_off == 1  # third: 15 minutes
    moment = start + timedelta(minutes=21)
    assert run(core, moment).given_up == 1
    with core.db.session() as s:
        assert [c.status for c in s.exec(select(Claim).where(Claim.kind == "nudge"))] == ["failed"]
    core.messenger.fail_next = 0
    assert run(core, moment + timedelta(hours=4)).sent == 0  # given up, not retried forever


def test_a_delivery_that_recovers_clears_its_failures(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01"}])
    add_deadline(core.db, team, "Plan", ams(2026, 12, 8, 17), ["U01"], CREATED)
    core.messenger.fail_next = 1
    run(core, ams(2026, 12, 3, 9, 30))
    assert run(core, ams(2026, 12, 3, 9, 31)).sent == 1
    with core.db.session() as s:
        assert s.exec(select(DeliveryFailure)).all() == []


def test_backing_off_nudge_is_dropped_once_it_is_no_longer_relevant(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01"}])
    add_deadline(core.db, team, "Plan", ams(2026, 12, 8, 17), ["U01"], CREATED)
    core.messenger.fail_next = 100
    assert run(core, ams(2026, 12, 8, 9, 30)).failed == 1  # the day nudge
    core.messenger.fail_next = 0
    result = run(core, ams(2026, 12, 8, 17, 30))  # deadline passed: the day nudge is pointless now
    assert result.sent == 0 and core.messenger.sent == []


def test_a_failed_delivery_gives_its_daily_slot_back(core) -> None:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01"}])
    for i in range(4):
        add_deadline(core.db, team, f"Klus {i}", ams(2026, 12, 8, 17) + timedelta(minutes=i), ["U01"], CREATED)
    core.messenger.fail_next = 1
    first = run(core, ams(2026, 12, 3, 9, 30))
    assert (first.sent, first.failed, first.capped) == (2, 1, 1)
    second = run(core, ams(2026, 12, 3, 9, 31))
    assert (second.sent, second.capped) == (1, 1)  # the retry got the freed slot; the fourth still waits
    assert len(core.messenger.to("U01")) == core.settings.nudge_daily_cap
