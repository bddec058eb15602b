"""One check-in round for 500 teams x 20 members: prompts, answers and summaries; throughput and peak memory.

Each process supporter follows 5 teams (so blockers go out as DMs).

Baseline (same run, same database): the bare exactly-once cost of the same number of sends, i.e. one
transaction that inserts a claim and marks it sent per message, with no planning or rendering.
Set BENCH_TEAMS / BENCH_MEMBERS to scale, BENCH_TRACE=1 for tracemalloc's peak,
BENCH_DATABASE_URL to run on PostgreSQL (an empty database).
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import claims  # noqa: E402
from bot.chat.replies import MessageRef, Reply  # noqa: E402
from bot.checkins.models import CheckinSettings  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.core import Core  # noqa: E402
from bot.deadlines.models import Team, TeamMember  # noqa: E402
from bot.people.models import Member  # noqa: E402
from tests.fakes.clock import FrozenClock  # noqa: E402

TEAMS = int(os.environ.get("BENCH_TEAMS", "500"))
MEMBERS = int(os.environ.get("BENCH_MEMBERS", "20"))
TRACE = os.environ.get("BENCH_TRACE", "") == "1"  # tracemalloc: exact Python peak, several times slower
PROMPT = datetime(2026, 12, 3, 8, 30, tzinfo=UTC)
SUMMARY = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


class CountingMessenger:
    """A messenger that only counts (so memory reflects lefbot, not a recording)."""

    def __init__(self) -> None:
        self.counts = {"dm": 0, "post": 0, "update": 0}

    def _ref(self, kind: str, target: str) -> MessageRef:
        self.counts[kind] += 1
        return MessageRef(target, f"{sum(self.counts.values())}.000")

    def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        return self._ref("dm", user_id)

    def post(self, channel: str, reply: Reply, thread: str | None = None) -> MessageRef:
        return self._ref("post", channel)

    def update(self, ref: MessageRef, reply: Reply) -> None:
        self._ref("update", ref.channel)

    def permalink(self, ref: MessageRef) -> str | None:
        return None


def populate(core: Core) -> None:
    """Teams, members and check-in settings with bulk inserts."""
    now = PROMPT
    with core.db.engine.begin() as conn:
        conn.execute(
            sa.insert(Team.__table__),
            [
                {
                    "name": f"Team {t:04d}",
                    "channel": f"C{t:05d}",
                    "timezone": "Europe/Amsterdam",
                    "nudge_offsets": "",
                    "created_at": now,
                }
                for t in range(TEAMS)
            ],
        )
        ids = [r[0] for r in conn.execute(sa.select(Team.__table__.c.id).order_by(Team.__table__.c.id))]
        conn.execute(
            sa.insert(Member.__table__),
            [
                {
                    "user_id": f"U{t:04d}{m:02d}",
                    "name": f"Lid {t}-{m}",
                    "timezone": "Europe/Amsterdam",
                    "language": "nl",
                    "working_days": "mon,tue,wed,thu,fri",
                    "free_days": "",
                    "created_at": now,
                }
                for t in range(TEAMS)
                for m in range(MEMBERS)
            ]
            + [
                {
                    "user_id": f"S{t // 5:04d}",
                    "name": f"Begeleider {t // 5}",
                    "timezone": "Europe/Amsterdam",
                    "language": "nl",
                    "working_days": "mon,tue,wed,thu,fri",
                    "free_days": "",
                    "created_at": now,
                }
                for t in range(0, TEAMS, 5)
            ],
        )
        members = {r[1]: r[0] for r in conn.execute(sa.select(Member.__table__.c.id, Member.__table__.c.user_id))}
        conn.execute(
            sa.insert(TeamMember.__table__),
            [
                {"team_id": ids[t], "member_id": members[f"U{t:04d}{m:02d}"], "role": "member"}
                for t in range(TEAMS)
                for m in range(MEMBERS)
            ]
            + [{"team_id": ids[t], "member_id": members[f"S{t // 5:04d}"], "role": "supporter"} for t in range(TEAMS)],
        )
        conn.execute(
            sa.insert(CheckinSettings.__table__),
            [
                {
                    "team_id": i,
                    "enabled": True,
                    "days": "mon,thu",
                    "time": "09:30",
                    "summary_time": "16:00",
                    "questions": "",
                    "updated_at": now,
                }
                for i in ids
            ],
        )


def baseline(core: Core, count: int) -> float:
    """Seconds for `count` bare claim-and-mark-sent transactions plus a messenger call each."""
    messenger = CountingMessenger()
    start = time.perf_counter()
    for i in range(count):
        key = f"bench:baseline:{i}"
        with core.db.session() as s:
            claims.claim(s, key, now=PROMPT, kind="bench")
        ref = messenger.send_dm("U", Reply("x"))
        with core.db.session() as s:
            claims.mark_sent(s, key, ref.channel, ref.ts)
    return time.perf_counter() - start


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="lefbot-bench-"))
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}"
    settings = load_settings(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret-key-0123456789",
            "LEFBOT_DATA_DIR": str(tmp),
            "SCHEDULER_ENABLED": "false",
        },
        dotenv=False,
    )
    messenger = CountingMessenger()
    clock = FrozenClock(PROMPT)
    core = Core(settings, clock=clock, messenger=messenger)
    populate(core)
    people = TEAMS * MEMBERS
    print(f"check-in round: {TEAMS} teams x {MEMBERS} members = {people} members ({core.db.engine.dialect.name})")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if TRACE:
        tracemalloc.start()
    results = {}

    start = time.perf_counter()
    counts = core.checkins.run(PROMPT)
    results["prompts"] = (counts["prompts"], time.perf_counter() - start)

    clock.set(PROMPT.replace(minute=31))
    start = time.perf_counter()
    idle = core.checkins.run(clock.now())
    idle_seconds = time.perf_counter() - start
    assert idle["prompts"] == 0, "a prompt was sent twice"

    start = time.perf_counter()
    service = core.checkins.service
    with core.db.session() as s:
        pairs = s.execute(sa.text("SELECT user_id, round_id FROM checkin_answers")).all()
    for i, (user_id, round_id) in enumerate(pairs):
        blocker = "Wacht op een besluit van de directie" if i % 10 == 0 else "niets"
        service.submit(
            user_id,
            round_id,
            {"q0": f"Gedaan {i}", "q1": "Verder met het plan", "q2": blocker, "q3": str(1 + i % 5)},
            "nl",
        )
    results["answers"] = (len(pairs), time.perf_counter() - start)

    clock.set(SUMMARY)
    start = time.perf_counter()
    counts = core.checkins.run(SUMMARY)
    sends = counts["summaries"] + counts["threads"] + counts["blockers"]
    results["summaries"] = (counts["summaries"], time.perf_counter() - start)
    peak = tracemalloc.get_traced_memory()[1] if TRACE else 0
    tracemalloc.stop()

    for name, (count, seconds) in results.items():
        print(f"  {name:<10} {count:>6} in {seconds:6.1f} s  = {count / seconds:8.0f}/s")
    print(f"  a sweep one minute after the prompts (nothing due, all claimed): {idle_seconds:.2f} s")
    print(
        f"  summary sweep also posted {counts['threads']} thread replies and {counts['blockers']} blocker DMs "
        f"({sends} sends)"
    )
    sent = results["prompts"][0] + sends
    seconds = results["prompts"][1] + results["summaries"][1]
    base = baseline(core, min(sent, 5000)) * sent / min(sent, 5000)
    print(
        f"  baseline (bare claim + send + mark per message): {sent / base:8.0f}/s; "
        f"check-in sends: {sent / seconds:8.0f}/s; ratio {seconds / base:.2f}x the bare exactly-once cost"
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    traced = f"; peak traced Python allocations {peak / 2**20:.1f} MiB" if TRACE else ""
    print(f"  memory: process max RSS {rss:.0f} MiB ({rss - rss_before:+.0f} MiB during the round){traced}")
    expected = people
    ok = results["prompts"][0] == expected and results["summaries"][0] == TEAMS and messenger.counts["dm"] >= expected
    print("  ok" if ok else "  MISMATCH: not every member was prompted or not every team summarised")
    core.db.dispose()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
