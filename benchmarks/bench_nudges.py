"""Plan and send nudges for 500 teams x 20 members x 4 deadlines: nudges/s bot-side, peak memory, duplicates.

Uses an in-process recording messenger (the fake Slack Web API lives in the Slack adapter's branch);
bot-side time excludes the time spent inside the messenger, as it would exclude rate-limit waits.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import load_settings  # noqa: E402
from bot.db import Database  # noqa: E402
from bot.services import nudges  # noqa: E402
from bot.team_models import Deadline, DeadlineOwner, Member, Sprint, Team, TeamMember  # noqa: E402

TEAMS, MEMBERS, DEADLINES = int(os.environ.get("BENCH_TEAMS", "500")), 20, 4
START = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)  # Monday


class CountingMessenger:
    """Records sends and the time spent inside them."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.seconds = 0.0

    def send_dm(self, user_id, reply):  # noqa: ANN001, ANN201
        t0 = time.perf_counter()
        self.sent.append((user_id, reply.buttons[0].value if reply.buttons else reply.text))
        self.seconds += time.perf_counter() - t0
        return SimpleNamespace(channel=user_id, ts=str(len(self.sent)))

    def post(self, channel, reply, thread=None):  # noqa: ANN001, ANN201
        return SimpleNamespace(channel=channel, ts="0")


def populate(db: Database) -> None:
    """Bulk-insert the cohort."""
    now = START
    with db.session() as s:
        for t in range(TEAMS):
            team = Team(name=f"Team {t}", channel=f"C{t}", created_at=now)
            s.add(team)
            s.flush()
            sprint = Sprint(team_id=team.id, name="S1", start=date(2026, 11, 30), end=date(2026, 12, 24))
            s.add(sprint)
            ids = []
            for m in range(MEMBERS):
                member = Member(
                    user_id=f"U{t}x{m}", name=f"M{m}", created_at=now, free_days="fri" if m % 5 == 0 else ""
                )
                s.add(member)
                s.flush()
                ids.append(member.id)
                s.add(TeamMember(team_id=team.id, member_id=member.id, role="member"))
            s.flush()
            for d in range(DEADLINES):
                due = datetime(2026, 12, 7 + 2 * d, 16, 0, tzinfo=UTC)
                deadline = Deadline(sprint_id=sprint.id, title=f"D{d}", due_at=due, created_at=now, updated_at=now)
                s.add(deadline)
                s.flush()
                for member_id in ids:
                    s.add(DeadlineOwner(deadline_id=deadline.id, member_id=member_id))


def main() -> None:
    """Run the benchmark and print the figures (BENCH_TEAMS scales the cohort)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
            "SECRET_KEY": "bench-secret-key-0123",
            "LEFBOT_DATA_DIR": tmp,
            "NUDGE_DAILY_CAP": "10",
        }
        settings = load_settings(env, dotenv=False)
        db = Database(settings.database_url)
        db.upgrade()
        populate(db)
        messenger = CountingMessenger()
        core = SimpleNamespace(settings=settings, db=db, messenger=messenger, clock=None)
        tracemalloc.start()
        t0 = time.perf_counter()
        plan_size = len(nudges.upcoming(core, START))
        plan_seconds = time.perf_counter() - t0
        moment = START
        sweeps = 0
        t1 = time.perf_counter()
        while moment < START + timedelta(days=16):
            local = moment.astimezone(settings.timezone)
            if local.hour in (9, 10) and local.minute in (30, 45):
                nudges.send_due(core, moment)
                sweeps += 1
            moment += timedelta(minutes=15)
        send_seconds = time.perf_counter() - t1
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        bot_side = send_seconds - messenger.seconds
        dupes = sum(c - 1 for c in Counter(messenger.sent).values() if c > 1)
        print(f"cohort: {TEAMS} teams x {MEMBERS} members x {DEADLINES} deadlines; plan {plan_size} nudges "
              f"in {plan_seconds:.2f}s")  # fmt: skip
        print(f"sent {len(messenger.sent)} nudges in {sweeps} sweeps; bot-side {bot_side:.2f}s "
              f"=> {len(messenger.sent) / bot_side:,.0f} nudges/s (target >= 1,000)")  # fmt: skip
        print(f"peak traced memory {peak / 1e6:.1f} MB; duplicates: {dupes} (must be 0)")
        db.dispose()
        if dupes:
            sys.exit(1)


if __name__ == "__main__":
    main()
