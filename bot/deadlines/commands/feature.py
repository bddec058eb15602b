"""The deadline commands as one feature: the parts put together, and registered on the core."""

from __future__ import annotations

from bot.chat.commands import CommandContext
from bot.chat.replies import Reply
from bot.deadlines.commands.availability import AvailabilityCommands
from bot.deadlines.commands.base import AWAY_CONFIRM_ACTION, NEW_FORM_ACTION
from bot.deadlines.commands.buttons import NudgeButtons
from bot.deadlines.commands.deadlines import DeadlineTextCommands
from bot.deadlines.commands.form import DeadlineForm
from bot.deadlines.commands.sprints import SprintCommands
from bot.deadlines.commands.teams import TeamCommands
from bot.deadlines.ical import ical_reply
from bot.ports import CoreServices


class DeadlineCommands(
    TeamCommands, SprintCommands, DeadlineTextCommands, DeadlineForm, AvailabilityCommands, NudgeButtons
):
    """The chat side of sprint deadlines: `/lef team`, `sprint`, `deadline`, free days, away, and the nudge buttons."""


def register(core: CoreServices) -> DeadlineCommands:
    """Register the deadline commands and buttons on a Core."""
    feature = DeadlineCommands(core)
    r = core.router
    r.register("team", feature.team, "teams beheren: `{cmd} team` voor uitleg", "manage teams", ())
    r.register("teams", feature.teams, "alle teams", "all teams")
    r.register("sprint", feature.sprint, "sprints: `{cmd} sprint` voor uitleg", "sprints")
    r.register("deadline", feature.deadline, "deadlines: `{cmd} deadline` voor uitleg", "deadlines")
    r.register("deadlines ical", lambda c, a: _ical(core, c, a), "agenda (iCal) van je team", "team calendar (iCal)")
    r.register("deadlines", lambda c, a: feature.deadline_list(c, a), "open deadlines van je teams", "open deadlines")
    r.register("mijn deadlines", feature.mine, "jouw open deadlines", "your open deadlines", ("my deadlines",))
    r.register(
        "vrije dagen", feature.free_days, "je vaste vrije dagen, bv. `vrijdag`", "your free days", ("free days", "vrij")
    )
    r.register("afwezig", feature.away, "afwezig, bv. `21-12 tot 3-1`", "out of office", ("away",))
    core.actions.register("deadline_done", feature.click_done)
    core.actions.register("deadline_snooze", feature.click_snooze)
    core.actions.register("deadline_help", feature.click_help)
    core.actions.register(NEW_FORM_ACTION, feature.click_new)
    core.actions.register(AWAY_CONFIRM_ACTION, feature.click_away)
    return feature


def _ical(core: CoreServices, ctx: CommandContext, args: str) -> Reply:
    return ical_reply(core, ctx, args)
