"""The core's Messenger port on Teams: proactive sends through stored conversation references.

The core is synchronous and runs in worker threads; the SDK is async. The messenger owns one event loop in a
daemon thread and runs every send there, in the web process and in the worker alike.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from microsoft_agents.activity import Activity, ConversationReference
from microsoft_agents.hosting.core import ClaimsIdentity, ConnectorClientBase, TurnContext

from bot.chat.messenger import MessengerError
from bot.chat.replies import MessageRef, Reply
from handlers.teams.cards import card_message, message
from handlers.teams.references import ReferenceStore, channel_key, user_key

log = logging.getLogger(__name__)
SEND_TIMEOUT = 30.0
THREAD_MARK = ";messageid="


class TeamsMessenger:
    """Sends the core's proactive messages to Teams members and channels that have a stored reference."""

    def __init__(self, adapter: Any, store: ReferenceStore, app_id: str, secret: str, lang: str = "nl") -> None:
        self.adapter = adapter
        self.store = store
        self.app_id = app_id
        self.secret = secret
        self.lang = lang
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="teams-messenger", daemon=True)
        self.thread.start()

    def close(self) -> None:
        """Stop the send loop."""
        self.loop.call_soon_threadsafe(self.loop.stop)

    def _run(self, coro: Awaitable[Any]) -> Any:
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)  # type: ignore[arg-type]
        try:
            return future.result(SEND_TIMEOUT)
        except MessengerError:
            raise
        except Exception as exc:  # the connector refused, timed out or could not be reached
            log.warning("Teams send failed: %s", exc.__class__.__name__)
            raise MessengerError(exc.__class__.__name__) from exc

    def _reference(self, key: str) -> ConversationReference:
        stored = self.store.get(key)
        if stored is None:
            raise MessengerError("no_reference: the lefbot app is not installed there")
        return ConversationReference.model_validate(stored)

    async def _continue(self, reference: ConversationReference, work: Callable[[TurnContext], Awaitable[Any]]) -> Any:
        result: list[Any] = []

        async def callback(context: TurnContext) -> None:
            result.append(await work(context))

        continuation = reference.get_continuation_activity()
        if self.app_id:
            await self.adapter.continue_conversation(self.app_id, continuation, callback)
        else:  # anonymous (local testing): plain continue_conversation wants a token
            await self.adapter.continue_conversation_with_claims(ClaimsIdentity({}, False), continuation, callback)
        return result[0] if result else None

    def _send(
        self, reference: ConversationReference, conversation_id: str, reply: Reply | Activity, as_reply: bool
    ) -> MessageRef:
        activity = reply if isinstance(reply, Activity) else message(reply, self.lang, self.secret)

        async def work(context: TurnContext) -> str:
            if as_reply:
                response = await context.send_activity(activity)
                return response.id if response else ""
            client = context.services.get(ConnectorClientBase)
            outgoing = activity.apply_conversation_reference(reference, is_incoming=False)
            outgoing.conversation.id = conversation_id
            outgoing.reply_to_id = None
            outgoing.id = str(uuid.uuid4())  # the SDK would send "id": null, which the connector may refuse
            response = await client.conversations.send_to_conversation(conversation_id, outgoing)
            return response.id if response else ""

        activity_id = self._run(self._continue(reference, work))
        return MessageRef(conversation_id, activity_id or "")

    def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        """A message in the member's personal chat with the bot; its ref names the member (ids stay short)."""
        reference = self._reference(user_key(user_id))
        sent = self._send(reference, reference.conversation.id, reply, as_reply=True)
        return MessageRef(user_id, sent.ts)

    def send_card_dm(self, user_id: str, card: dict[str, Any]) -> MessageRef:
        """A ready card (a form) in the member's personal chat."""
        reference = self._reference(user_key(user_id))
        sent = self._send(reference, reference.conversation.id, card_message(card), as_reply=True)
        return MessageRef(user_id, sent.ts)

    def post(self, channel: str, reply: Reply, thread: str | None = None) -> MessageRef:
        """A new post in a team channel, or a reply in one of its threads; the ref names the channel."""
        base = channel.partition(THREAD_MARK)[0]
        reference = self._reference(channel_key(base))
        if thread:
            reference.conversation.id = f"{base}{THREAD_MARK}{thread}"
            sent = self._send(reference, reference.conversation.id, reply, as_reply=True)
        else:
            sent = self._send(reference, base, reply, as_reply=False)
        return MessageRef(base, sent.ts)

    def update(self, ref: MessageRef, reply: Reply) -> None:
        """Replace an earlier message (a card updated in place) in a member's personal chat or a channel."""
        if is_teams_target(ref.channel) and not ref.channel.startswith("19:"):
            reference = self._reference(user_key(ref.channel))
        else:
            reference = self._reference(channel_key(ref.channel.partition(THREAD_MARK)[0]))
            reference.conversation.id = ref.channel
        conversation_id = reference.conversation.id
        activity = message(reply, self.lang, self.secret)

        async def work(context: TurnContext) -> None:
            client = context.services.get(ConnectorClientBase)
            outgoing = activity.apply_conversation_reference(reference, is_incoming=False)
            outgoing.id = ref.ts
            await client.conversations.update_activity(conversation_id, ref.ts, outgoing)

        self._run(self._continue(reference, work))

    def permalink(self, ref: MessageRef) -> str | None:
        """A Teams deep link to a channel message; None for personal chats (others cannot open them)."""
        channel, _, _root = ref.channel.partition(THREAD_MARK)
        if not channel.startswith("19:") or not ref.ts:
            return None
        return f"https://teams.microsoft.com/l/message/{channel}/{ref.ts}"

    def already_delivered(self, target: str, key: str) -> bool | None:
        """Teams gives a bot no history to search: cannot tell."""
        return None


def is_teams_target(target: str) -> bool:
    """True for ids that belong to Teams: members' Entra object ids (GUIDs) and `19:` channel ids."""
    try:
        uuid.UUID(target)
        return True
    except ValueError:
        return target.startswith("19:")
