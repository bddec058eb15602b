"""The composition root: settings, database, knowledge base, services and the command router."""

from __future__ import annotations

import logging

from bot.clock import Clock, SystemClock
from bot.commands import CommandContext, CommandRouter
from bot.config import Settings
from bot.db import Database
from bot.messenger import Messenger
from bot.replies import Incoming, Reply
from bot.services.answering import Answer, AnsweringService, clean_text
from bot.services.language import guess_language
from knowledge_base.kb import KnowledgeBase

log = logging.getLogger(__name__)


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
        self.router.register("vraag", self._ask_command, "stel een vraag: `/lef vraag <je vraag>`", "ask a question", ("ask",))
        self.messenger: Messenger | None = None
        if messenger is not None:
            self.attach_messenger(messenger)

    def attach_messenger(self, messenger: Messenger) -> None:
        """Give the core a way to send messages on its own initiative."""
        self.messenger = messenger
        self.answering.messenger = messenger

    def is_process_supporter(self, user_id: str) -> bool:
        """True for users configured in PROCESS_SUPPORTERS."""
        return user_id in self.settings.process_supporters

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

    def ask(self, incoming: Incoming) -> Answer:
        """Answer a question; small talk "help" lists the commands too."""
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
        if reply is not None:
            return reply
        return self._ask_command(ctx, text)
