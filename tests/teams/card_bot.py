"""A test bot: answers every message with an Adaptive Card whose Action.Execute buttons update it in place;
POST /notify sends a proactive message to the last conversation through its stored reference.

Proves the harness (Playground + browser steps) handles cards and proactive sends before the real adapter exists.
Run with PORT set; anonymous, like benchmarks/bare_teams.py.
"""

from __future__ import annotations

import os
from typing import Any

from aiohttp import web
from microsoft_agents.activity import AdaptiveCardInvokeResponse, ConversationReference, load_configuration_from_env
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter, start_agent_process
from microsoft_agents.hosting.core import (
    AgentApplication,
    CardFactory,
    ClaimsIdentity,
    MemoryStorage,
    MessageFactory,
    TurnContext,
    TurnState,
)

from benchmarks.bare_teams import invalid_activity, sdk_environment

ANSWER = "Het antwoord op je vraag."
THANKS = "Fijn dat het hielp! Dank je."
SORRY = "Jammer. Vraag het een procesbegeleider."
NUDGE = "Herinnering: je deadline is morgen."


def card(text: str, buttons: bool = True) -> dict[str, Any]:
    """An Adaptive Card 1.5 with a text and, optionally, the feedback buttons."""
    content: dict[str, Any] = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [{"type": "TextBlock", "text": text, "wrap": True}],
    }
    if buttons:
        content["actions"] = [
            {"type": "Action.Execute", "title": "Ja, dit hielp", "verb": "helpful", "data": {"answer": 1}},
            {"type": "Action.Execute", "title": "Nee", "verb": "not_helpful", "data": {"answer": 1}},
        ]
    return content


def build_app() -> web.Application:
    """The aiohttp application: POST /api/messages and GET /healthz."""
    config = load_configuration_from_env(sdk_environment(os.environ))
    connections = MsalConnectionManager(**config)
    adapter = CloudAdapter(connection_manager=connections)
    agent = AgentApplication[TurnState](storage=MemoryStorage(), connection_manager=connections, **config)

    def replacement(text: str) -> AdaptiveCardInvokeResponse:
        return AdaptiveCardInvokeResponse(
            status_code=200, type="application/vnd.microsoft.card.adaptive", value=card(text, buttons=False)
        )

    @agent.adaptive_card.action_execute("helpful")
    async def helpful(_context: TurnContext, _state: TurnState, _data: Any) -> AdaptiveCardInvokeResponse:
        return replacement(THANKS)

    @agent.adaptive_card.action_execute("not_helpful")
    async def not_helpful(_context: TurnContext, _state: TurnState, _data: Any) -> AdaptiveCardInvokeResponse:
        return replacement(SORRY)

    references: list[dict[str, Any]] = []  # as a worker would keep them in the database: plain JSON

    @agent.activity("message")
    async def answer(context: TurnContext, _state: TurnState) -> None:
        references.append(context.activity.get_conversation_reference().model_dump(by_alias=True, exclude_none=True))
        await context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card(ANSWER))))

    async def notify(_request: web.Request) -> web.Response:
        if not references:
            return web.json_response({"error": "no conversation yet"}, status=409)
        reference = ConversationReference.model_validate(references[-1])

        async def send(context: TurnContext) -> None:
            await context.send_activity(NUDGE)

        # Anonymous: plain continue_conversation wants a token; the reference's activity id makes it a reply.
        await adapter.continue_conversation_with_claims(ClaimsIdentity({}), reference.get_continuation_activity(), send)
        return web.json_response({"ok": True})

    async def messages(request: web.Request) -> web.StreamResponse:
        problem = invalid_activity(await request.read())
        if problem:
            return web.json_response({"error": problem}, status=400)
        return await start_agent_process(request, agent, adapter)

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.router.add_post("/notify", notify)
    app.router.add_get("/healthz", healthz)
    return app


if __name__ == "__main__":
    web.run_app(build_app(), host="127.0.0.1", port=int(os.environ["PORT"]), print=None)
