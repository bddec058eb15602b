"""The Teams bot: an Agents SDK AgentApplication on aiohttp, driving the same core as Slack and the console.

POST /api/messages (JWT-checked by the SDK unless anonymous, then shape-checked: malformed → 400, then deduplicated
in the database) and GET /healthz. The core is synchronous: every call into it runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from aiohttp import web
from microsoft_agents.activity import AdaptiveCardInvokeResponse, load_configuration_from_env
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_decorator, start_agent_process
from microsoft_agents.hosting.core import AgentApplication, MemoryStorage, TurnContext, TurnState
from microsoft_agents.hosting.core.security.outbound_host_validator import OutboundHostValidator

from bot.chat.actions import ActionResult
from bot.chat.commands import CommandContext
from bot.chat.messenger import MessengerError
from bot.chat.replies import Incoming, MessageRef, Reply
from bot.core import Core
from handlers.slack.dedupe import claim
from handlers.teams import cards
from handlers.teams.app_package import COMMANDS
from handlers.teams.forms import SUBMIT_VERB, Forms, form_card
from handlers.teams.inbound import (
    Where,
    command_text,
    dedupe_key,
    invalid_activity,
    mentions_bot,
    message_text,
    unhandled_invoke,
    valid_value,
    where,
)
from handlers.teams.messenger import TeamsMessenger
from handlers.teams.references import ReferenceStore, channel_key, user_key
from handlers.teams.settings import TeamsSettings

log = logging.getLogger(__name__)
ANY = re.compile(r".*")
NOTICE = "notice"  # a click result shown to the clicker only, the card unchanged
SORRY = {
    "nl": "Sorry, er ging iets mis bij lefbot. Probeer het zo nog eens.",
    "en": "Sorry, something went wrong in lefbot. Please try again in a moment.",
}
PRIVATE_SENT = {
    "nl": "Ik heb je een persoonlijk bericht gestuurd.",
    "en": "I sent you a personal message.",
}
STALE_BUTTON = {
    "nl": "Deze knop werkt niet meer. Typ `help` voor wat ik kan.",
    "en": "This button no longer works. Type `help` to see what I can do.",
}
NO_PERSONAL_CHAT = {
    "nl": "Open eerst een chat met lefbot (Apps → lefbot), dan kan ik je persoonlijk antwoorden.",
    "en": "Open a chat with lefbot first (Apps → lefbot), so I can answer you personally.",
}
_SDK_LOGGERS = ("microsoft_agents.hosting.core.app.agent_application", "microsoft_agents.activity.activity")


class _NoTraceback(logging.Filter):
    """The SDK logs turn failures with the exception text and traceback; keep one line, no text, no traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage().startswith("Validation error for Activity"):
            return False  # answered 400 before the SDK sees it
        if record.exc_info:
            error = record.exc_info[1]
            record.msg, record.args = "turn failed: %s", (error.__class__.__name__,)
            record.exc_info, record.exc_text = None, None
        elif record.levelno <= logging.INFO and "error" in record.getMessage().lower():
            return False
        return True


def quiet_sdk_logs() -> None:
    """Install the filter on the SDK loggers that log user-visible failures; the SDK's per-send chatter (with
    conversation ids) only at DEBUG."""
    for name in _SDK_LOGGERS:
        logging.getLogger(name).addFilter(_NoTraceback())
    sdk = logging.getLogger("microsoft_agents")
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        sdk.setLevel(logging.WARNING)
    # Anonymous local testing warns on every turn that no App ID is set; the start-up warning says it once.
    logging.getLogger("microsoft_agents.hosting.core.connector.client.user_token_client").setLevel(logging.ERROR)


class TeamsBot:
    """Routes Teams activities to the core and renders its replies as Adaptive Cards."""

    def __init__(self, core: Core, store: ReferenceStore, messenger: TeamsMessenger) -> None:
        self.core = core
        self.store = store
        self.messenger = messenger
        self.secret = core.settings.secret_key
        self.manifest_commands = tuple(COMMANDS)
        self.forms = Forms(core)

    # -- references ----------------------------------------------------------------------------------

    def remember(self, context: TurnContext) -> None:
        """Store how to reach this member (personal chat) or this channel later (runs in a thread)."""
        activity = context.activity
        reference = activity.get_conversation_reference().model_dump(by_alias=True, exclude_none=True, mode="json")
        reference.pop("activityId", None)  # proactive sends continue the conversation, not one message
        here = where(activity)
        if here.kind == "dm":
            self.store.save(user_key(here.user_id), reference)
            return
        reference["conversation"]["id"] = here.channel
        self.store.save(channel_key(here.channel), reference)

    def forget(self, context: TurnContext) -> None:
        """The app was removed: forget the reference."""
        here = where(context.activity)
        self.store.delete(user_key(here.user_id) if here.kind == "dm" else channel_key(here.channel))

    # -- messages ------------------------------------------------------------------------------------

    def answer(self, activity: Any) -> tuple[Reply | dict[str, Any], str, Where]:
        """The core's reply to a message, or a form card (runs in a thread); lang is the reply's language."""
        here = where(activity)
        text = message_text(activity.text)
        lang = self.core.lang_for(text or "help")
        command = command_text(text, self.manifest_commands)
        if command is not None:
            ctx = CommandContext(here.user_id, here.channel, here.kind, lang, here.user_name, here.timezone)
            opened = self.forms.command_form(ctx, command)
            if opened is not None:
                return (form_card(opened.form) if opened.form else opened.reply), lang, here
            return self.core.command(ctx, command), lang, here
        incoming = Incoming(here.user_id, text, here.channel, here.kind, here.thread)
        answer = self.core.ask(incoming)
        log.info("answered %s message: outcome=%s", here.kind, answer.outcome)
        return answer.reply, answer.lang, here

    async def on_message(self, context: TurnContext, _state: TurnState) -> None:
        """A message: in a personal chat always, in a channel or group chat only when it @mentions the bot."""
        activity = context.activity
        lang = self.core.settings.language
        try:
            await asyncio.to_thread(self.remember, context)
            if where(activity).kind == "channel" and not mentions_bot(activity):
                return
            if not message_text(activity.text):
                return  # an Action.Submit or an empty message: lefbot's cards use Action.Execute
            reply, lang, here = await asyncio.to_thread(self.answer, activity)
            await self.deliver(context, reply, lang, here)
        except Exception as error:  # never the exception text to the user
            log.error("message failed: %s", error.__class__.__name__)
            await self.apologise(context, lang)

    async def deliver(self, context: TurnContext, reply: Reply | dict[str, Any], lang: str, here: Where) -> None:
        """Send a reply where it belongs: private ones in the member's personal chat; a form card as it is."""
        if isinstance(reply, dict) and here.kind == "channel":  # a form is filled in alone, in the 1:1 chat
            try:
                await asyncio.to_thread(self.messenger.send_card_dm, here.user_id, reply)
                reply = Reply(PRIVATE_SENT.get(lang, PRIVATE_SENT["nl"]))
            except MessengerError:
                reply = Reply(NO_PERSONAL_CHAT.get(lang, NO_PERSONAL_CHAT["nl"]))
        if isinstance(reply, dict):
            await context.send_activity(cards.card_message(reply))
            return
        if reply.private and here.kind == "channel":
            try:
                await asyncio.to_thread(self.messenger.send_dm, here.user_id, reply)
                reply = Reply(PRIVATE_SENT.get(lang, PRIVATE_SENT["nl"]))
            except MessengerError:
                reply = Reply(NO_PERSONAL_CHAT.get(lang, NO_PERSONAL_CHAT["nl"]))
        await context.send_activity(cards.message(reply, lang, self.secret))

    async def apologise(self, context: TurnContext, lang: str) -> None:
        """A kind, fixed apology."""
        try:
            await context.send_activity(SORRY.get(lang, SORRY["nl"]))
        except Exception as error:
            log.warning("could not send the apology: %s", error.__class__.__name__)

    # -- clicks --------------------------------------------------------------------------------------

    def click(self, activity: Any, verb: str, data: dict[str, Any]) -> tuple[ActionResult | dict[str, Any], str, Where]:
        """The result of an Action.Execute press (runs in a thread): the core's, or a form card to show."""
        here = where(activity)
        lang = self.core.lang_for(message_text(activity.text)) if activity.text else self.core.settings.language
        where_ref = here.user_id if here.kind == "dm" else here.channel  # as the messenger names its messages
        ref = MessageRef(where_ref, activity.reply_to_id) if activity.reply_to_id else None
        ctx = CommandContext(here.user_id, here.channel, here.kind, lang, here.user_name, here.timezone, ref)
        value = data.get("v") if isinstance(data.get("v"), str) else ""
        if verb == SUBMIT_VERB:
            submitted, form = self.forms.submit(ctx, data)
            log.info("form submitted by %s: errors=%d", here.user_id, len(submitted.errors))
            shown = self.forms.answer_card(submitted, form, data, lang)
            return (ActionResult(Reply(shown), "replace") if isinstance(shown, str) else shown), lang, here
        opener = self.forms.opener(verb)
        if opener is not None:
            opened = opener(ctx, value)
            if opened.form is not None and here.kind == "channel":  # filled in alone, in the 1:1 chat
                try:
                    self.messenger.send_card_dm(here.user_id, form_card(opened.form))
                    return ActionResult(Reply(PRIVATE_SENT.get(lang, PRIVATE_SENT["nl"])), NOTICE), lang, here
                except MessengerError:
                    return ActionResult(Reply(NO_PERSONAL_CHAT.get(lang, NO_PERSONAL_CHAT["nl"])), NOTICE), lang, here
            if opened.form is not None:
                return form_card(opened.form), lang, here
            return ActionResult(opened.reply or Reply(""), "private"), lang, here
        if verb not in self.core.actions.ids() or not valid_value(value):
            log.info("unhandled action %s", verb[:60])
            return ActionResult(Reply(STALE_BUTTON.get(lang, STALE_BUTTON["nl"])), "private"), lang, here
        try:
            result = self.core.click(ctx, verb, value)
        except MessengerError:
            result = ActionResult(Reply(SORRY.get(lang, SORRY["nl"])), "private")
        log.info("action %s by %s: mode=%s", verb, here.user_id, result.mode)
        return result, lang, here

    async def on_execute(self, context: TurnContext, _state: TurnState, data: Any) -> AdaptiveCardInvokeResponse:
        """Action.Execute: the answer replaces the card (replace), extends it (amend) or goes to the 1:1 chat."""
        activity = context.activity
        verb = str(((activity.value or {}).get("action") or {}).get("verb") or "")[:255]
        data = data if isinstance(data, dict) else {}
        lang = self.core.settings.language
        try:
            result, lang, here = await asyncio.to_thread(self.click, activity, verb, data)
            if isinstance(result, dict):
                return self.replacement(result)
            return await asyncio.to_thread(self.shown, result, lang, here, data)
        except Exception as error:
            log.error("action failed: %s", error.__class__.__name__)
            return self.notice(SORRY.get(lang, SORRY["nl"]))

    def shown(self, result: ActionResult, lang: str, here: Where, data: dict[str, Any]) -> AdaptiveCardInvokeResponse:
        """The invoke response that shows a click's result."""
        reply = result.reply
        if result.mode == "replace":
            return self.replacement(cards.card(reply, lang, self.secret))
        if result.mode == NOTICE:
            return self.notice(cards.plain(reply.text))
        if result.mode == "private":
            # Only the clicker may see it, and the card stays: from a channel, or with buttons, in the 1:1 chat.
            if here.kind == "channel" or reply.buttons or reply.choices:
                try:
                    self.messenger.send_dm(here.user_id, reply)
                    if here.kind == "channel":
                        return self.notice(PRIVATE_SENT.get(lang, PRIVATE_SENT["nl"]))
                except MessengerError:
                    pass
            return self.notice(cards.plain(reply.text))
        old_body = cards.unpack_body(data, self.secret)
        if old_body is None:
            return self.replacement(cards.card(reply, lang, self.secret))
        return self.replacement(cards.amended(old_body, reply, lang, self.secret))

    @staticmethod
    def replacement(card: dict[str, Any]) -> AdaptiveCardInvokeResponse:
        """The card that replaces the clicked one."""
        return AdaptiveCardInvokeResponse(status_code=200, type=cards.CARD_TYPE, value=card)

    @staticmethod
    def notice(text: str) -> AdaptiveCardInvokeResponse:
        """A short message to the clicker; the card stays as it is."""
        return AdaptiveCardInvokeResponse(
            status_code=200, type="application/vnd.microsoft.activity.message", value=text
        )

    # -- installs --------------------------------------------------------------------------------------

    async def on_installation(self, context: TurnContext, _state: TurnState) -> None:
        """installationUpdate: store the reference on add, forget it on remove."""
        try:
            if (context.activity.action or "").startswith("remove"):
                await asyncio.to_thread(self.forget, context)
            else:
                await asyncio.to_thread(self.remember, context)
        except Exception as error:
            log.error("installation update failed: %s", error.__class__.__name__)

    async def on_conversation_update(self, context: TurnContext, _state: TurnState) -> None:
        """conversationUpdate: store the reference; forget it when the bot itself was removed."""
        activity = context.activity
        try:
            if any(m.id == activity.recipient.id for m in activity.members_removed or []):
                await asyncio.to_thread(self.forget, context)
            else:
                await asyncio.to_thread(self.remember, context)
        except Exception as error:
            log.error("conversation update failed: %s", error.__class__.__name__)


def make_adapter(teams: TeamsSettings) -> tuple[CloudAdapter, MsalConnectionManager, dict[str, Any]]:
    """The SDK adapter: JWT and tokens from the Entra app; outbound host validation on unless anonymous."""
    config = load_configuration_from_env(teams.sdk_environment())
    connections = MsalConnectionManager(**config)
    validator = OutboundHostValidator(enabled=not teams.anonymous)
    adapter = CloudAdapter(connection_manager=connections, host_validator=validator)
    return adapter, connections, config


def build_app(core: Core, teams: TeamsSettings, store: ReferenceStore) -> web.Application:
    """The aiohttp application serving POST /api/messages and GET /healthz."""
    quiet_sdk_logs()
    adapter, connections, config = make_adapter(teams)
    messenger = TeamsMessenger(adapter, store, teams.app_id, core.settings.secret_key, core.settings.language)
    core.attach_messenger(messenger)
    bot = TeamsBot(core, store, messenger)
    agent = AgentApplication[TurnState](storage=MemoryStorage(), connection_manager=connections, **config)
    agent.options.start_typing_timer = False  # answers take milliseconds; a typing activity would double the sends
    agent.adaptive_card.action_execute(ANY)(bot.on_execute)
    agent.activity("installationUpdate")(bot.on_installation)
    agent.activity("conversationUpdate")(bot.on_conversation_update)
    agent.activity("message")(bot.on_message)

    @agent.error
    async def on_error(context: TurnContext, error: Exception) -> None:
        """A failure the handlers did not catch: one line in the log, a fixed apology to the user."""
        log.error("turn failed: %s", error.__class__.__name__)
        await bot.apologise(context, core.settings.language)

    async def messages(request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        problem = invalid_activity(raw)
        if problem:
            return web.json_response({"error": problem}, status=400)
        if unhandled_invoke(raw):
            return web.json_response({}, status=200)
        key = dedupe_key(raw)
        if key and not await asyncio.to_thread(claim, core.db, key, core.clock.now()):
            log.info("activity already handled: skipped")
            return web.json_response({}, status=200)
        return await start_agent_process(request, agent, adapter)

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app = web.Application(client_max_size=2_000_000)
    app.router.add_post("/api/messages", jwt_authorization_decorator(messages))
    app.router.add_get("/healthz", healthz)
    app["agent_configuration"] = connections.get_default_connection_configuration()
    app.on_cleanup.append(lambda _app: _close(messenger))
    return app


async def _close(messenger: TeamsMessenger) -> None:
    messenger.close()
