"""`/lef onbeantwoord` for process supporters: the questions lefbot could not answer, and closing them."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.answering.curation import open_questions, resolve
from bot.calendar.dates import local_stamp
from bot.chat.commands import CommandContext
from bot.chat.replies import Reply
from bot.deadlines.models import TeamMember
from bot.people.models import Member
from bot.ports import CoreServices
from bot.texts import t

LOOK_BACK = timedelta(days=30)
SHOWN = 20


class CurationCommands:
    """List and resolve unanswered questions from the chat."""

    def __init__(self, core: CoreServices) -> None:
        self.core = core

    def allowed(self, ctx: CommandContext) -> bool:
        """Configured process supporters, supporters of any team, and the console user when none are configured."""
        configured = self.core.settings.process_supporters
        if ctx.user_id in configured or (not configured and ctx.channel_kind == "console"):
            return True
        with self.core.db.session() as s:
            row = s.exec(
                select(TeamMember.id)
                .join(Member, Member.id == TeamMember.member_id)
                .where(Member.user_id == ctx.user_id, TeamMember.role == "supporter")
            ).first()
        return row is not None

    def list(self, ctx: CommandContext, rest: str) -> Reply:
        """`/lef onbeantwoord`: the newest open questions of the last 30 days."""
        if not self.allowed(ctx):
            return Reply(t("curation.not_allowed", ctx.lang), private=True)
        now = self.core.clock.now()
        found = open_questions(self.core.db, now - LOOK_BACK, SHOWN)
        tz = self.core.settings.timezone
        lines = [t("curation.title", ctx.lang, count=len(found))]
        lines += [f"• #{q.id} · {local_stamp(q.asked_at, tz, ctx.lang)} · {q.reason} · {q.text[:120]}" for q in found]
        lines.append(t("curation.how", ctx.lang))
        text = "\n".join(lines)
        return Reply(text, body=text, private=True)

    def resolve(self, ctx: CommandContext, rest: str) -> Reply:
        """`/lef onbeantwoord opgelost 12 15`: mark questions as dealt with."""
        if not self.allowed(ctx):
            return Reply(t("curation.not_allowed", ctx.lang), private=True)
        words = rest.replace(",", " ").replace("#", " ").split()
        if not words or not all(w.isdigit() for w in words):
            return Reply(t("curation.usage", ctx.lang), private=True)
        done, missing = resolve(self.core.db, [int(w) for w in words], self.core.clock.now())
        parts = [t("curation.resolved", ctx.lang, ids=", ".join(map(str, done)))] if done else []
        if missing:
            parts.append(t("curation.missing", ctx.lang, ids=", ".join(map(str, missing))))
        return Reply(" ".join(parts), private=True)


def register(core: CoreServices) -> CurationCommands:
    """Register the curation commands on a Core."""
    feature = CurationCommands(core)
    core.router.register(
        "onbeantwoord", feature.list, "vragen die lefbot niet kon beantwoorden (procesbegeleiders)",
        "questions lefbot could not answer (process supporters)", ("unanswered",),
    )  # fmt: skip
    core.router.register(
        "onbeantwoord opgelost", feature.resolve, "zo'n vraag afsluiten: `{cmd} onbeantwoord opgelost 12`",
        "close such a question", ("unanswered resolve",),
    )  # fmt: skip
    return feature
