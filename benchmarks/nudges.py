"""Plan and send the nudges of 500 teams x 20 members x 4 deadlines through the SlackMessenger to the fake Slack API.

16 days of sweeps at 09:30, 09:45, 10:30 and 10:45 Amsterdam time. Every nudge goes through the real
pipeline: plan cache, batched claims and cap slots, Block Kit rendering, slack_sdk's WebClient (with its
retry handlers) and the fake Slack Web API of the e2e tests, which records every call. The first
BENCH_HTTP_TEAMS teams (default 10) go over real HTTP to the fake on localhost; for the others the
client hands the same serialized request to the fake in-process (about 700 HTTP requests/s is the
ceiling of the stdlib fake and urllib on this machine, too slow for 160,000 nudges in 2 minutes).

Reported: nudges/s of bot-side work (wall time minus time inside the transport), end to end; peak RSS;
duplicates by the fake's recorded chat.postMessage calls and by the claims table (both must be 0).
BENCH_TEAMS scales the cohort (default 500).
"""

from __future__ import annotations

import json
import os
import re
import resource
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from slack_sdk import WebClient  # noqa: E402

from bot.claims import Claim
from bot.config import load_settings  # noqa: E402
from bot.db import Database  # noqa: E402
from bot.deadlines import nudge_sending  # noqa: E402
from bot.deadlines.models import Deadline, DeadlineOwner, Sprint, Team, TeamMember
from bot.people.models import Member  # noqa: E402
from handlers.slack.client import retry_handlers  # noqa: E402
from handlers.slack.messenger import SlackMessenger  # noqa: E402
from tests.e2e.fake_slack import FakeSlack  # noqa: E402

TEAMS, MEMBERS, DEADLINES = int(os.environ.get("BENCH_TEAMS", "500")), 20, 4
HTTP_TEAMS = int(os.environ.get("BENCH_HTTP_TEAMS", "10"))
START = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)  # Monday
TEAM_OF = re.compile(rb'"?[UD](\d+)x\d+')
PREVIOUS = "41 nudges/s bot-side (old design: whole plan per sweep, one statement per claim; BENCH_TEAMS=25)"


class BenchClient(WebClient):
    """A WebClient that times its transport: real HTTP for the sample teams, the fake in-process for the rest."""

    def __init__(self, fake: FakeSlack, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fake = fake
        self.transport_seconds = 0.0
        self.http_calls = 0

    def _perform_urllib_http_request_internal(self, url: str, req: Any) -> dict[str, Any]:
        t0 = time.perf_counter()
        try:
            match = TEAM_OF.search(req.data or b"")
            if match is None or int(match.group(1)) < HTTP_TEAMS:
                self.http_calls += 1
                return super()._perform_urllib_http_request_internal(url, req)
            parts = urlsplit(url)
            headers = {k.title(): str(v) for k, v in req.header_items()}
            status, extra, payload = self.fake._answer(parts.path, headers, req.data.decode(), parts.query)
            return {"status": status, "headers": extra, "body": json.dumps(payload)}
        finally:
            self.transport_seconds += time.perf_counter() - t0


def populate(db: Database) -> None:
    """Bulk-insert the cohort."""
    now = START
    with db.engine.begin() as conn:
        conn.execute(sa.insert(Team.__table__), [
            {"id": t + 1, "name": f"Team {t}", "channel": f"C{t}", "timezone": "Europe/Amsterdam", "nudge_offsets": "",
             "created_at": now} for t in range(TEAMS)])  # fmt: skip
        conn.execute(sa.insert(Sprint.__table__), [
            {"id": t + 1, "team_id": t + 1, "name": "S1", "goal": "", "start": date(2026, 11, 30),
             "end": date(2026, 12, 24)} for t in range(TEAMS)])  # fmt: skip
        conn.execute(sa.insert(Member.__table__), [
            {"id": t * MEMBERS + m + 1, "user_id": f"U{t}x{m}", "name": f"M{m}", "timezone": "Europe/Amsterdam",
             "language": "nl", "working_days": "mon,tue,wed,thu,fri", "free_days": "fri" if m % 5 == 0 else "",
             "created_at": now} for t in range(TEAMS) for m in range(MEMBERS)])  # fmt: skip
        conn.execute(sa.insert(TeamMember.__table__), [
            {"team_id": t + 1, "member_id": t * MEMBERS + m + 1, "role": "member"}
            for t in range(TEAMS) for m in range(MEMBERS)])  # fmt: skip
        conn.execute(sa.insert(Deadline.__table__), [
            {"id": t * DEADLINES + d + 1, "sprint_id": t + 1, "title": f"D{d}",
             "due_at": datetime(2026, 12, 7 + 2 * d, 16, 0, tzinfo=UTC), "whole_team": False, "status": "open",
             "created_at": now, "updated_at": now} for t in range(TEAMS) for d in range(DEADLINES)])  # fmt: skip
        conn.execute(sa.insert(DeadlineOwner.__table__), [
            {"deadline_id": t * DEADLINES + d + 1, "member_id": t * MEMBERS + m + 1}
            for t in range(TEAMS) for d in range(DEADLINES) for m in range(MEMBERS)])  # fmt: skip


def drain(fake: FakeSlack, posts: Counter) -> None:
    """Move the fake's recorded chat.postMessage calls into a counter (keeps memory flat)."""
    with fake._cond:
        calls, fake.calls[:] = list(fake.calls), []
    for call in calls:
        if call.method == "chat.postMessage" and call.ok:
            blocks = call.body.get("blocks") or []
            value = next((e.get("value") for b in blocks if b.get("type") == "actions" for e in b["elements"]), "")
            posts[(call.body.get("channel"), value or call.body.get("text"))] += 1


def main() -> None:
    """Run the benchmark and print the figures."""
    wall0 = time.perf_counter()
    fake = FakeSlack().start()
    with tempfile.TemporaryDirectory() as tmp:
        env = {"DATABASE_URL": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "bench-secret-key-0123",
               "LEFBOT_DATA_DIR": tmp, "NUDGE_DAILY_CAP": "10"}  # fmt: skip
        settings = load_settings(env, dotenv=False)
        db = Database(settings.database_url)
        db.upgrade()
        populate(db)
        client = BenchClient(fake, token="xoxb-bench", base_url=fake.api_url, retry_handlers=retry_handlers())
        core = SimpleNamespace(settings=settings, db=db, messenger=SlackMessenger(client), clock=None)
        posts: Counter = Counter()
        moment, sweeps, sent, rss_before = START, 0, 0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t1 = time.perf_counter()
        while moment < START + timedelta(days=16):
            local = moment.astimezone(settings.timezone)
            if local.hour in (9, 10) and local.minute in (30, 45):
                sent += nudge_sending.send_due(core, moment).sent
                sweeps += 1
                drain(fake, posts)
            moment += timedelta(minutes=15)
        send_seconds = time.perf_counter() - t1
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with db.session() as s:
            claims = s.execute(sa.select(sa.func.count()).where(Claim.kind == "nudge", Claim.status == "sent")).scalar()
        db.dispose()
    fake.stop()
    bot_side = send_seconds - client.transport_seconds
    dupes = sum(c - 1 for c in posts.values() if c > 1)
    dupes_claims = abs(claims - len(posts))
    print(f"cohort: {TEAMS} teams x {MEMBERS} members x {DEADLINES} deadlines (planning happens in the sweeps)")
    print(f"sent {sent:,} nudges in {sweeps} sweeps ({client.http_calls:,} calls over real HTTP); "
          f"{send_seconds:.1f}s in all, {client.transport_seconds:.1f}s in the transport")  # fmt: skip
    print(f"bot-side {bot_side:.1f}s => {sent / bot_side:,.0f} nudges/s (target >= 1,000; before: {PREVIOUS}); "
          f"end to end {sent / send_seconds:,.0f} nudges/s")  # fmt: skip
    print(
        f"peak RSS {peak / 1024:.0f} MB (after setup {rss_before / 1024:.0f} MB); "
        f"duplicates: {dupes} in the fake's calls, {dupes_claims} between claims and calls (must be 0)"
    )
    print(f"total {time.perf_counter() - wall0:.0f}s")
    if dupes or dupes_claims or sent != len(posts):
        sys.exit(1)


if __name__ == "__main__":
    main()
