"""Check-ins pause after a team's last sprint (supporters are told once), unless the team asks to keep them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from bot.chat.commands import CommandContext
from bot.config import load_settings
from bot.core import Core
from bot.deadlines.models import Sprint
from tests.checkin_seed import seed
from tests.fakes.clock import FrozenClock
from tests.fakes.messenger import FakeMessenger

MONDAY_AFTER = datetime(2026, 12, 14, 8, 30, tzinfo=UTC)  # 09:30 in Amsterdam, after Sprint 1 (ends Fri 11-12)
NOTICE = datetime(2026, 12, 12, 8, 0, tzinfo=UTC)  # Saturday 09:00: the morning after the last sprint


@pytest.fixture
def core(env: dict[str, str], clock: FrozenClock, messenger: FakeMessenger) -> Core:
    core = Core(load_settings(env, dotenv=False), clock=clock, messenger=messenger)
    seed(core.db)
    return core


def run(core: Core, moment: datetime) -> dict[str, int]:
    core.clock.set(moment)
    return core.checkins.run(moment)


def test_no_prompts_after_the_last_sprint_and_the_supporter_hears_once(core: Core, messenger: FakeMessenger) -> None:
    assert run(core, NOTICE)["paused"] == 1
    (notice,) = messenger.to("S1")
    assert "De laatste sprint van Team Noord eindigde op 11-12-2026" in notice.reply.text
    assert "{cmd} checkin Team Noord doorgaan" in notice.reply.text
    assert run(core, NOTICE.replace(hour=12))["paused"] == 0
    assert run(core, MONDAY_AFTER)["prompts"] == 0
    assert messenger.to("U1") == []


def test_a_coming_sprint_keeps_them_going(core: Core) -> None:
    with core.db.session() as s:
        s.add(Sprint(team_id=1, name="Sprint 2", goal="Door", start=date(2027, 1, 4), end=date(2027, 1, 22)))
    assert run(core, NOTICE)["paused"] == 0
    assert run(core, MONDAY_AFTER)["prompts"] == 3


def test_the_team_can_ask_to_keep_them(core: Core) -> None:
    ctx = CommandContext("S1", "D1", "slash", "nl")
    saved = core.command(ctx, "checkin Team Noord doorgaan").text
    assert "ze gaan door na de laatste sprint" in saved
    assert run(core, NOTICE)["paused"] == 0
    assert run(core, MONDAY_AFTER)["prompts"] == 3
    assert "pauzeren ze" in core.command(ctx, "checkin Team Noord pauzeren").text
    with core.db.session() as s:
        assert len(s.exec(select(Sprint)).all()) == 1


def test_simulate_lists_the_pause_notice_and_no_prompts_after_it(core: Core) -> None:
    from bot.simulate import simulate

    planned = simulate(core, datetime(2026, 12, 10, tzinfo=UTC), datetime(2026, 12, 17, tzinfo=UTC))
    kinds = [(p.kind, p.local()) for p in planned if p.kind in ("checkin", "pause")]
    assert ("pause", "za 12-12-2026 09:00 CET") in kinds
    assert all(p.at < NOTICE for p in planned if p.kind == "checkin")
