"""The nudge jobs: a date-trigger job per deadline's next nudge, and the sweep entry the core registers."""

from __future__ import annotations

import logging
from datetime import datetime

from bot import scheduler
from bot.deadlines.nudge_plan import LOOKAHEAD, OVERDUE_RELEVANT, PlanContext, build_plan, load, relevant
from bot.deadlines.nudge_sending import send_due
from bot.deadlines.overview import send_overviews
from bot.ports import CoreServices

log = logging.getLogger(__name__)


def job_id(deadline_id: int) -> str:
    """The scheduler job id of a deadline's next nudge."""
    return f"nudge:{deadline_id}"


def replan_deadline(core: CoreServices, deadline_id: int) -> None:
    """Plan (or cancel) the date-trigger job for a deadline's next nudge; the sweep covers the rest."""
    if not scheduler.running():
        return
    now = core.clock.now()
    ctx = PlanContext.from_settings(core.settings)
    with core.db.session() as session:
        nudges = build_plan(load(session, deadline_ids=[deadline_id]), ctx)
    future = [n.send_at for n in nudges if n.send_at > now and relevant(n, n.send_at)]
    if future:
        scheduler.at(job_id(deadline_id), min(future), "nudges", deadline_id)
    else:
        scheduler.cancel(job_id(deadline_id))


def replan_all(core: CoreServices) -> None:
    """At start: one date-trigger job per open deadline with a nudge still to come."""
    now = core.clock.now()
    ctx = PlanContext.from_settings(core.settings)
    with core.db.session() as session:
        nudges = build_plan(load(session, due_from=now - OVERDUE_RELEVANT, due_until=now + LOOKAHEAD), ctx)
    nearest: dict[int, datetime] = {}
    for n in nudges:
        if n.send_at > now and relevant(n, n.send_at):
            nearest[n.deadline_id] = min(nearest.get(n.deadline_id, n.send_at), n.send_at)
    for deadline_id, when in nearest.items():
        scheduler.at(job_id(deadline_id), when, "nudges", deadline_id)


def sweep_handler(core: CoreServices, now: datetime, arg: int | str | None) -> None:
    """Scheduler entry: one deadline (arg) or everything (None), then the weekly overviews."""
    if getattr(core, "messenger", None) is None:
        log.warning("no messenger attached; nudges wait")
        return
    if arg is None:
        send_due(core, now)
        send_overviews(core, now)
    else:
        send_due(core, now, deadline_ids=[int(arg)])
        replan_deadline(core, int(arg))
