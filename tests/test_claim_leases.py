"""Claim owners and leases: an expired claim is taken over, looked up first, and every send is marked at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot import claims, scheduler
from bot.claims import Claim
from bot.db import Database, make_engine, upgrade
from bot.deadlines import nudge_plan, nudge_sending
from tests.deadline_helpers import add_deadline, make_core, setup_team
from tests.fakes.clock import FrozenClock
from tests.fakes.messenger import FakeMessenger

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
AMS = ZoneInfo("Europe/Amsterdam")
CREATED = datetime(2026, 1, 2, 9, 0, tzinfo=UTC)


def test_a_live_claim_is_kept_and_an_expired_one_is_taken_over(db: Database) -> None:
    with db.session() as s:
        assert claims.claim(s, "k", now=NOW)
    with db.session() as s:
        assert not claims.claim(s, "k", now=NOW + claims.LEASE - timedelta(seconds=1))
        assert claims.resumed(s, ["k"]) == set()
    with db.session() as s:
        assert claims.claim(s, "k", now=NOW + claims.LEASE + timedelta(seconds=1))
        assert claims.resumed(s, ["k"]) == {"k"}
        row = s.get(Claim, "k")
        assert row.owner == claims.owner() and row.takeovers == 1


def test_a_sent_or_skipped_claim_is_never_taken_over(db: Database) -> None:
    with db.session() as s:
        claims.claim(s, "sent", now=NOW)
        claims.mark_sent(s, "sent", "D1", "1.0")
        claims.claim(s, "skipped", now=NOW, status="skipped")
    later = NOW + timedelta(days=30)
    with db.session() as s:
        assert not claims.claim(s, "sent", now=later)
        assert not claims.claim(s, "skipped", now=later)
        settled, leased = claims.lease_states(s, ["sent", "skipped"], later)
    assert settled == {"sent", "skipped"} and leased == {}


def test_lease_states_tell_leased_from_settled(db: Database) -> None:
    with db.session() as s:
        claims.claim_many(s, [{"key": k, "created_at": NOW} for k in ("a", "b")])
        claims.mark_sent(s, "b")
    with db.session() as s:
        settled, leased = claims.lease_states(s, ["a", "b", "c"], NOW)
        assert settled == {"b"} and leased == {"a": NOW + claims.LEASE}
        assert claims.lease_states(s, ["a"], NOW + claims.LEASE * 2) == (set(), {})


def test_renew_extends_only_this_process_s_claims(db: Database) -> None:
    with db.session() as s:
        claims.claim(s, "mine", now=NOW)
        s.execute(sa.insert(Claim.__table__).values(key="theirs", owner="other", status="claimed", created_at=NOW,
                                                    expires_at=NOW + claims.LEASE))  # fmt: skip
    later = NOW + timedelta(seconds=10)
    with db.session() as s:
        assert claims.renew(s, ["mine", "theirs"], later) == {"mine"}
        assert claims.lease_states(s, ["mine"], later)[1] == {"mine": later + claims.LEASE}


@pytest.fixture
def core(settings, db: Database, messenger: FakeMessenger):  # noqa: ANN001
    return make_core(settings, db, FrozenClock(CREATED), messenger)


def _due_nudge(core) -> tuple[datetime, str]:  # noqa: ANN001
    team = setup_team(core.db, CREATED, [{"id": "U01"}])
    add_deadline(core.db, team, "Plan", datetime(2026, 12, 8, 17, tzinfo=AMS), ["U01"], CREATED)
    moment = datetime(2026, 12, 3, 9, 31, tzinfo=AMS)
    plan = [n for n in nudge_sending.upcoming(core, moment) if nudge_plan.is_due(n, moment)]
    assert len(plan) == 1
    return moment, plan[0].key


def _dead_owner_claim(db: Database, key: str, moment: datetime) -> None:
    """What a worker that died after claiming leaves behind: a claim whose lease ran out."""
    with db.session() as s:
        s.execute(sa.insert(Claim.__table__).values(
            key=key, kind="nudge", subject="U01", status="claimed", owner="dead:1:x",
            created_at=moment - timedelta(hours=1), expires_at=moment - timedelta(minutes=1)))  # fmt: skip


def test_a_dead_worker_s_unsent_nudge_is_sent_once_with_its_key(core) -> None:  # noqa: ANN001
    moment, key = _due_nudge(core)
    _dead_owner_claim(core.db, key, moment)
    core.clock.set(moment)
    result = nudge_sending.send_due(core, moment)
    assert (result.sent, result.confirmed) == (1, 0)
    assert [s.reply.meta.get(claims.CLAIM_META) for s in core.messenger.sent] == [key]
    with core.db.session() as s:
        assert s.get(Claim, key).status == "sent"


def test_a_dead_worker_s_nudge_that_arrived_is_not_sent_again(core) -> None:  # noqa: ANN001
    moment, key = _due_nudge(core)
    _dead_owner_claim(core.db, key, moment)
    core.messenger.send_dm("U01", claims.tagged(nudges_reply(), key))  # arrived just before the owner died
    core.clock.set(moment)
    result = nudge_sending.send_due(core, moment)
    assert result.confirmed == 1
    assert len(core.messenger.sent) == 1
    with core.db.session() as s:
        assert s.get(Claim, key).status == "sent"


def nudges_reply():  # noqa: ANN201
    from bot.chat.replies import Reply

    return Reply("Herinnering")


def test_a_live_claim_of_another_worker_is_left_alone_until_its_lease_ends(core) -> None:  # noqa: ANN001
    moment, key = _due_nudge(core)
    with core.db.session() as s:
        s.execute(sa.insert(Claim.__table__).values(key=key, status="claimed", owner="other", created_at=moment,
                                                    expires_at=moment + timedelta(minutes=2)))  # fmt: skip
    core.clock.set(moment)
    assert nudge_sending.send_due(core, moment).sent == 0
    later = moment + timedelta(minutes=3)  # the other worker died without sending
    core.clock.set(later)
    assert nudge_sending.send_due(core, later).sent == 1
    assert len(core.messenger.sent) == 1


class Dies(FakeMessenger):
    """A messenger whose process dies (an exception nobody catches) at the second message."""

    def send_dm(self, user_id, reply):  # noqa: ANN001, ANN201
        if self.sent:
            raise KeyboardInterrupt
        return super().send_dm(user_id, reply)


def test_each_nudge_is_marked_sent_right_after_it_went_out(settings, db: Database) -> None:  # noqa: ANN001
    core = make_core(settings, db, FrozenClock(CREATED), Dies())
    team = setup_team(db, CREATED, [{"id": "U01"}, {"id": "U02"}])
    add_deadline(db, team, "Plan", datetime(2026, 12, 8, 17, tzinfo=AMS), ["U01", "U02"], CREATED)
    moment = datetime(2026, 12, 3, 9, 31, tzinfo=AMS)
    core.clock.set(moment)
    with pytest.raises(KeyboardInterrupt):
        nudge_sending.send_due(core, moment)
    with db.session() as s:
        statuses = sorted(c.status for c in s.exec(select(Claim).where(Claim.kind == "nudge")))
    assert statuses == ["claimed", "sent"]  # the first is recorded; the second is left to its lease


def test_upcoming_lists_a_nudge_whose_claim_lease_ran_out(core) -> None:  # noqa: ANN001
    moment, key = _due_nudge(core)
    _dead_owner_claim(core.db, key, moment)
    assert [n.key for n in nudge_sending.upcoming(core, moment)][:1] == [key]


# --- schedulers sharing one database ---------------------------------------------------------------


def test_the_job_store_table_comes_from_the_migrations(db: Database) -> None:
    assert "apscheduler_jobs" in sa.inspect(db.engine).get_table_names()


def test_removing_a_job_another_scheduler_removed_is_a_no_op(db: Database) -> None:
    first, second = scheduler.build(db.engine), scheduler.build(db.engine)
    first.start(paused=True)
    second.start(paused=True)
    try:
        first.add_job("bot.scheduler:run_sweep", "date", run_date=NOW + timedelta(days=1), id="nudge:2")
        first.remove_job("nudge:2")
        second.remove_job("nudge:2")  # APScheduler would raise JobLookupError and, in its loop, end the thread
        job = second.get_job("nudge:2")
        assert job is None
    finally:
        first.shutdown(wait=False)
        second.shutdown(wait=False)


def test_a_job_store_update_of_a_removed_job_is_a_no_op(db: Database) -> None:
    first, second = scheduler.build(db.engine), scheduler.build(db.engine)
    first.start(paused=True)
    second.start(paused=True)
    try:
        job = first.add_job("bot.scheduler:run_sweep", "date", run_date=NOW + timedelta(days=1), id="nudge:3")
        second.remove_job("nudge:3")
        first._lookup_jobstore("default").update_job(job)
        assert first.get_job("nudge:3") is None
    finally:
        first.shutdown(wait=False)
        second.shutdown(wait=False)


def test_a_failing_job_is_logged_and_does_not_raise(caplog: pytest.LogCaptureFixture) -> None:
    def boom(core: object, now: datetime, arg: object) -> None:
        raise RuntimeError("kapot")

    scheduler.register_handler("test-boom", boom)
    scheduler._CORE = type("Core", (), {"clock": FrozenClock(NOW)})()
    try:
        scheduler.run_job("test-boom", 1)
    finally:
        scheduler._CORE = None
        scheduler.HANDLERS.pop("test-boom", None)
    assert "job test-boom failed" in caplog.text


def test_migrations_started_together_on_a_fresh_database_all_succeed(tmp_path: Path) -> None:
    errors: list[BaseException] = []
    url = f"sqlite:///{tmp_path / 'fresh.db'}"

    def migrate() -> None:
        engine = make_engine(url)
        try:
            upgrade(engine)
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=migrate) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    engine = make_engine(url)
    assert "claims" in sa.inspect(engine).get_table_names()
    engine.dispose()


def test_slack_stamps_the_claim_key_and_finds_it_in_the_dm_history() -> None:
    from slack_sdk import WebClient

    from bot.chat.replies import Reply
    from handlers.slack.messenger import SlackMessenger
    from tests.e2e.fake_slack import FakeSlack

    fake = FakeSlack().start()
    try:
        messenger = SlackMessenger(WebClient(token="xoxb-t", base_url=fake.api_url))
        messenger.send_dm("U01", claims.tagged(Reply("Hoi"), "nudge:1:U01:day0:x"))
        messenger.send_dm("U01", Reply("zonder sleutel"))
        assert messenger.already_delivered("U01", "nudge:1:U01:day0:x") is True
        assert messenger.already_delivered("U01", "nudge:1:U01:overdue:x") is False
        assert messenger.already_delivered("U02", "nudge:1:U01:day0:x") is False
        fake.fail_next(3, status=500, method="conversations.history", retry_after=None)
        assert messenger.already_delivered("U01", "nudge:1:U01:day0:x") is None  # cannot tell
        assert fake.deliveries() == {"nudge:1:U01:day0:x": 1}
    finally:
        fake.stop()


def test_a_taken_over_nudge_keeps_the_daily_slot_its_dead_owner_took(settings, db: Database) -> None:  # noqa: ANN001
    core = make_core(settings, db, FrozenClock(CREATED), FakeMessenger())
    moment, key = _due_nudge(core)
    _dead_owner_claim(db, key, moment)
    day = moment.date().isoformat()
    with db.session() as s:  # the member's daily cap is used up, one slot by the dead owner for this nudge
        claims.claim_many(s, [{"key": f"cap:U01:{day}:{i}", "kind": "cap", "subject": "U01",
                                  "local_day": moment.date(), "status": "slot", "created_at": moment}
                                 for i in range(settings.nudge_daily_cap)])  # fmt: skip
    core.clock.set(moment)
    assert nudge_sending.send_due(core, moment).sent == 1
