"""The real lefbot Teams app for the Playground test, plus one test-only route: POST /test/nudge.

`handlers.teams.app.build_app` with the real Core (anonymous, the e2e knowledge base, a fresh SQLite database),
its clock frozen so the test can make a nudge due: /test/nudge sets up a team in which the Playground's own user
(aadObjectId from playground/m365agentsplayground.yml) owns a deadline, moves the clock to the first nudge and runs
`bot.scheduler.sweep_all`, exactly what the worker's job runs. The nudge then reaches the Playground proactively
through the conversation reference lefbot stored when that user wrote in the personal chat.
Run with PORT set (and a writable working directory).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from aiohttp import web

from bot import scheduler
from bot.chat.commands import CommandContext
from bot.config import load_settings
from bot.core import Core
from bot.deadlines import nudge_sending
from bot.deadlines import teams as team_svc
from bot.deadlines.models import Sprint, Team
from handlers.teams.app import build_app
from handlers.teams.references import SqlReferenceStore
from handlers.teams.settings import TeamsSettings
from tests.fakes.clock import FrozenClock

REPO = Path(__file__).resolve().parents[2]
PLAYGROUND_USER = "7d3a9e51-2b4c-4f86-a1d0-6c8e5b2f9a37"  # currentUser.aadObjectId in m365agentsplayground.yml
START = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # Monday 09:00 in Amsterdam
DEADLINE_TITLE = "Conceptplan inleveren"


def make_core() -> Core:
    """The real core on a fresh database, with a clock the nudge route can move."""
    home = Path(tempfile.mkdtemp(prefix="lefbot-playground-bot-"))
    settings = load_settings(
        {"DATABASE_URL": f"sqlite:///{home / 'lefbot.db'}", "SECRET_KEY": "playground-secret-0123456789",
         "KB_PATH": str(REPO / "tests" / "e2e" / "fixtures" / "kb"), "LEFBOT_DATA_DIR": str(home),
         "SCHEDULER_ENABLED": "false"},
        dotenv=False,
    )  # fmt: skip
    return Core(settings, clock=FrozenClock(START))


def nudge_now(core: Core) -> int:
    """Make the Playground user's deadline nudge due and run the scheduler's sweep; the number of nudges planned."""
    clock = core.clock
    assert isinstance(clock, FrozenClock)
    clock.set(START)
    now, name = clock.now(), f"Team {uuid.uuid4().hex[:6]}"
    with core.db.session() as s:
        team = Team(name=name, channel="", created_at=now)
        s.add(team)
        s.flush()
        member = team_svc.ensure_member(s, PLAYGROUND_USER, now, "Sanne de Vries")
        team_svc.add_to_team(s, team, member, team_svc.SUPPORTER)
        s.add(Sprint(team_id=team.id, name="Sprint 1", start=date(2026, 12, 7), end=date(2026, 12, 18)))
    ctx = CommandContext(PLAYGROUND_USER, "", "dm", "nl")
    core.command(ctx, f"deadline nieuw {name} | {DEADLINE_TITLE} | vrijdag 17:00 | {PLAYGROUND_USER}")
    planned = [n for n in nudge_sending.upcoming(core, clock.now()) if n.user_id == PLAYGROUND_USER]
    if planned:
        clock.set(planned[0].send_at)
        scheduler.sweep_all(core, clock.now())
    return len(planned)


def main() -> None:
    """Serve on 127.0.0.1:PORT."""
    core = make_core()
    app = build_app(core, TeamsSettings(anonymous=True), SqlReferenceStore(core.db))

    async def nudge(_request: web.Request) -> web.Response:
        planned = await asyncio.to_thread(nudge_now, core)
        return web.json_response({"planned": planned}, status=200 if planned else 409)

    app.router.add_post("/test/nudge", nudge)
    web.run_app(app, host="127.0.0.1", port=int(os.environ["PORT"]), print=None)


if __name__ == "__main__":
    main()
