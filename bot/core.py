"""The composition root: settings, database, knowledge base, services and the command router."""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot import scheduler
from bot.answering import curation_commands
from bot.answering.home import HomeData, home_data
from bot.answering.language import guess_language
from bot.answering.service import Answer, AnsweringService
from bot.answering.sharing import Shared, share
from bot.chat import fallbacks
from bot.chat.actions import ActionResult, ActionRouter
from bot.chat.addresses import AddressBook, platform_of
from bot.chat.cleaning import clean_text
from bot.chat.commands import CommandContext, CommandRouter
from bot.chat.forms import Form, FormBuilder, FormRegistry, FormSubmitter, Submitted
from bot.chat.messenger import Capabilities, Messenger, MessengerError, capabilities_of
from bot.chat.reach import ReachingMessenger
from bot.chat.replies import Incoming, Reply
from bot.checkins import commands as checkin_commands
from bot.checkins.service import FORM_ID as CHECKIN_FORM_ID
from bot.checkins.settings_commands import SETTINGS_FORM_ID
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db import Database
from bot.deadlines import member_data, nudge_jobs
from bot.deadlines.commands import feature as deadline_commands
from bot.deadlines.commands.base import DEADLINE_FORM_ID
from bot.people.privacy import PrivacyService
from bot.texts import t
from knowledge_base.kb import KnowledgeBase

log = logging.getLogger(__name__)


def _per_round(
    lang_of: Callable[[str, str], str],
    build: Callable[[str, int, str], Form | Reply],
    submit: Callable[[str, int, dict[str, str], str], Submitted],
) -> tuple[FormBuilder, FormSubmitter]:
    """A check-in form (answers of a round, a team's settings) keyed by a numeric id in its button and metadata."""

    def open_form(ctx: CommandContext, value: str) -> Form | Reply:
        lang = lang_of(ctx.user_id, ctx.lang)
        return build(ctx.user_id, int(value), lang) if value.isdigit() else Reply(t("checkins.error.round_gone", lang))

    def submit_form(ctx: CommandContext, metadata: str, values: dict[str, str]) -> Submitted:
        lang = lang_of(ctx.user_id, ctx.lang)
        gone = Submitted({"_": t("checkins.error.round_gone", lang)})
        return (submit(ctx.user_id, int(metadata), values, lang) or gone) if metadata.isdigit() else gone

    return open_form, submit_form


class Core:
    """Everything a chat adapter needs, wired once per process."""

    def __init__(
        self,
        settings: Settings,
        *,
        db: Database | None = None,
        clock: Clock | None = None,
        messenger: Messenger | None = None,
        kb: KnowledgeBase | None = None,
        migrate: bool = True,
    ) -> None:
        self.settings = settings
        self.db = db or Database(settings.database_url)
        if migrate:
            self.db.upgrade()
        self.clock = clock or SystemClock()
        self.kb = kb or KnowledgeBase(settings.kb_path)
        self.answering = AnsweringService(
            self.kb,
            self.db,
            self.clock,
            settings.secret_key,
            settings.language,
            settings.support_channel,
        )
        self.router = CommandRouter()
        self.router.register("help", self._help, "wat ik kan en deze lijst", "what I can do and this list", ("hulp",))
        self.router.register(
            "vraag", self._ask_command, "stel een vraag: `{cmd} vraag <je vraag>`", "ask a question", ("ask",)
        )
        self.privacy = PrivacyService(self.db, settings.secret_key)
        self.router.register(
            "mijn gegevens",
            self._log_stored(self.privacy.my_data),
            "wat lefbot over jou bewaart",
            "what lefbot keeps about you",
            ("my data",),
        )
        self.router.register(
            "vergeet mij",
            self.privacy.forget_me,
            "wis alles wat lefbot over jou bewaart",
            "erase your data",
            ("forget me",),
        )
        self.actions = ActionRouter()
        self.actions.register(
            "privacy_erase",
            lambda ctx, v: ActionResult(self._log_stored(self.privacy.erase_confirmed)(ctx, v), "replace"),
        )
        self.actions.register("answer_choose", self._choose)
        self.actions.register("answer_helpful", lambda ctx, v: self._feedback(ctx, v, True))
        self.actions.register("answer_not_helpful", lambda ctx, v: self._feedback(ctx, v, False))
        self.actions.register("answer_escalate", self._escalate)
        self.deadlines = deadline_commands.register(self)
        member_data.register(self)
        curation_commands.register(self)
        # Features that hold a conversation in DMs (check-ins) see a DM before it is treated as a question.
        self.dm_interceptors: list[Callable[[Incoming], Reply | None]] = []
        self.checkins = checkin_commands.register(self)
        self.forms = FormRegistry()
        self._register_forms()
        self.messenger: ReachingMessenger | None = None
        self.addresses = AddressBook(self.db, platform_of(settings))  # replaced by the messenger's when attached
        if messenger is not None:
            self.attach_messenger(messenger)
        register_jobs()

    def attach_messenger(self, messenger: Messenger) -> None:
        """Give the core a way to send messages on its own initiative; direct messages go through the address book."""
        reaching = ReachingMessenger(messenger, self.db, self.clock, self.settings.language)
        self.messenger = reaching
        self.addresses = reaching.addresses
        self.answering.messenger = reaching

    def _register_forms(self) -> None:
        """Every form by id: adapters open and submit them through `self.forms`, never a feature directly."""
        self.forms.register(
            DEADLINE_FORM_ID,
            lambda ctx, _value: self.deadlines.deadline_form(ctx),
            lambda ctx, _metadata, values: self.deadlines.submit_deadline_form(ctx, values),
        )
        service = self.checkins.service
        self.forms.register(CHECKIN_FORM_ID, *_per_round(service.lang_of, service.form, service.submit))
        self.forms.register(
            SETTINGS_FORM_ID,
            *_per_round(service.lang_of, self.checkins.settings_form, self.checkins.save_settings_form),
        )

    def send_file(self, user_id: str, filename: str, content: str, title: str = "") -> bool:
        """The file port: send a text file to a member; False when the adapter cannot (the caller shows it inline)."""
        if self.messenger is None or not self.capabilities.files:
            return False
        try:
            self.messenger.send_file(user_id, filename, content, title or filename)
        except MessengerError as exc:
            log.warning("sending a file failed: %s", exc.__class__.__name__)
            return False
        return True

    def home(self, user_id: str) -> HomeData:
        """What a member's home page shows (Slack: the App Home tab)."""
        return home_data(self, user_id)

    def share(self, value: str, user_id: str, lang: str) -> Shared | Reply:
        """The answer a share button names, for everyone in the conversation; a private Reply when it is gone."""
        return share(self, value, user_id, lang)

    @property
    def capabilities(self) -> Capabilities:
        """What the attached adapter can do (the defaults when none is attached)."""
        return capabilities_of(self.messenger)

    def lang_for(self, text: str) -> str:
        """The reply language for a message."""
        return guess_language(clean_text(text), self.settings.language)

    def help_reply(self, lang: str) -> Reply:
        """Help, with every registered command."""
        return self.answering.help_reply(lang, self.router.help_lines(lang))

    def _help(self, ctx: CommandContext, _rest: str) -> Reply:
        return self.help_reply(ctx.lang)

    def _ask_command(self, ctx: CommandContext, rest: str) -> Reply:
        incoming = Incoming(ctx.user_id, rest, ctx.channel, "slash")
        return self.ask(incoming).reply

    @staticmethod
    def _question_id(value: str) -> int:
        return int(value.split(":", 1)[0]) if value.split(":", 1)[0].isdigit() else -1

    def _choose(self, ctx: CommandContext, value: str) -> ActionResult:
        entry_id = value.split(":", 1)[-1]
        reply = self.answering.choose(self._question_id(value), entry_id, ctx.user_id, ctx.lang)
        return ActionResult(reply, "private" if reply.private else "replace")

    def _feedback(self, ctx: CommandContext, value: str, helpful: bool) -> ActionResult:
        reply = self.answering.feedback(self._question_id(value), helpful, ctx.user_id, ctx.lang)
        return ActionResult(reply, "private" if reply.private else "amend")

    def _escalate(self, ctx: CommandContext, value: str) -> ActionResult:
        where = ctx.channel_kind if not ctx.channel else f"{ctx.channel_kind} {ctx.channel}"
        link = None
        if ctx.message is not None and self.messenger is not None:
            try:
                link = self.messenger.permalink(ctx.message)
            except MessengerError:
                link = None
        reply = self.answering.escalate(self._question_id(value), ctx.user_id, ctx.lang, where=where, link=link)
        return ActionResult(reply, "private" if reply.private else "amend")

    def click(self, ctx: CommandContext, action_id: str, value: str) -> ActionResult:
        """Handle a button click from any adapter."""
        result = self.actions.dispatch(ctx, action_id, value) or ActionResult(Reply(action_id), "private")
        return fallbacks.click_result(result, ctx, self.capabilities, self.messenger)

    def _log_stored(self, handler: Callable[[CommandContext, str], Reply]) -> Callable[[CommandContext, str], Reply]:
        """The handler, run once the question log has stored every earlier question (privacy reads and erases)."""

        def run(ctx: CommandContext, value: str) -> Reply:
            self.answering.questions.flush()
            return handler(ctx, value)

        return run

    def ask(self, incoming: Incoming) -> Answer:
        """Answer a question; small talk "help" lists the commands too; an open DM conversation goes first."""
        if incoming.channel_kind in ("dm", "console"):
            for intercept in self.dm_interceptors:
                reply = intercept(incoming)
                if reply is not None:
                    return Answer("conversation", reply, lang=self.lang_for(incoming.text))
        answer = self.answering.ask(incoming)
        if answer.outcome == "smalltalk" and answer.reply.title:
            return Answer("smalltalk", self.help_reply(answer.lang), lang=answer.lang)
        return answer

    def command(self, ctx: CommandContext, text: str) -> Reply:
        """Run a `/lef` command text; unknown commands are treated as a question."""
        text = clean_text(text)
        if not text:
            return self.help_reply(ctx.lang)
        reply = self.router.dispatch(ctx, text)
        if reply is None:
            reply = self._ask_command(ctx, text)
        return fallbacks.command_reply(self._file_sent(ctx, reply), ctx, self.capabilities, self.messenger)

    def _file_sent(self, ctx: CommandContext, reply: Reply) -> Reply:
        """A reply that carries a file (`meta["file_content"]`): the file goes out through the port when it can."""
        content = reply.meta.get("file_content")
        filename = reply.meta.get("filename") or "lefbot.txt"
        if content and self.send_file(ctx.user_id, filename, content, filename):
            return Reply(reply.text, private=True)  # the file itself, not its text in a code block
        return reply


def register_jobs() -> None:
    """The scheduled jobs of every feature, by the stable names stored jobs refer to."""
    scheduler.register_handler("nudges", nudge_jobs.sweep_handler, replan=nudge_jobs.replan_all)
    scheduler.register_handler("checkins", checkin_commands.sweep_handler)
