"""Baseline for the Teams bench: a bare Agents SDK app that answers every message with a fixed text (no core, no db).

Run: `python benchmarks/bare_teams.py` with PORT (default 3978) and the SDK's own configuration in the environment;
without any it runs anonymously (CONNECTIONS__SERVICE_CONNECTION__SETTINGS__ANONYMOUS_ALLOWED=true), for tests only.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping

from aiohttp import web
from microsoft_agents.activity import Activity, load_configuration_from_env
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_decorator, start_agent_process
from microsoft_agents.hosting.core import AgentApplication, MemoryStorage, TurnContext, TurnState
from pydantic import ValidationError

FIXED_TEXT = "Dit is een vast antwoord."
ANONYMOUS = {"CONNECTIONS__SERVICE_CONNECTION__SETTINGS__ANONYMOUS_ALLOWED": "true"}
log = logging.getLogger("bare_teams")


def sdk_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment the SDK configures from: anonymous when no service connection is configured."""
    env = dict(environ)
    if not any(key.startswith("CONNECTIONS__SERVICE_CONNECTION__") for key in env):
        env.update(ANONYMOUS)
    return env


def invalid_activity(raw: bytes) -> str | None:
    """Why `raw` is not an activity the SDK can handle, or None (the SDK itself answers 500 on most of these)."""
    try:
        body = json.loads(raw)
    except ValueError:
        return "body is not JSON"
    if not isinstance(body, dict):
        return "activity must be a JSON object"
    try:
        activity = Activity.model_validate(body)
    except ValidationError as error:
        return f"invalid activity ({error.error_count()} errors)"
    missing = [
        name
        for name, value in (
            ("type", activity.type),
            ("channelId", activity.channel_id),
            ("conversation.id", activity.conversation and activity.conversation.id),
            ("from.id", activity.from_property and activity.from_property.id),
            ("recipient.id", activity.recipient and activity.recipient.id),
        )
        if not value
    ]
    if missing:
        return "activity lacks " + ", ".join(missing)
    if not (activity.service_url or "").startswith(("https://", "http://")):
        return "activity lacks an http(s) serviceUrl"
    return None


class _QuietValidation(logging.Filter):
    """Drop the SDK's own traceback log of an activity that fails validation (we answer 400 for those)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Validation error for Activity")


def build_app(environ: Mapping[str, str]) -> web.Application:
    """The aiohttp application: POST /api/messages (JWT middleware, then validation, then the SDK) and GET /healthz."""
    logging.getLogger("microsoft_agents.activity.activity").addFilter(_QuietValidation())
    config = load_configuration_from_env(sdk_environment(environ))
    connections = MsalConnectionManager(**config)
    adapter = CloudAdapter(connection_manager=connections)
    agent = AgentApplication[TurnState](storage=MemoryStorage(), connection_manager=connections, **config)

    @agent.activity("message")
    async def answer(context: TurnContext, _state: TurnState) -> None:
        """Answer with a fixed text."""
        await context.send_activity(FIXED_TEXT)

    @agent.error
    async def on_error(context: TurnContext, error: Exception) -> None:
        """Log the failure without showing it to the user."""
        log.error("turn failed: %s", error.__class__.__name__)

    async def messages(request: web.Request) -> web.StreamResponse:
        problem = invalid_activity(await request.read())
        if problem:
            return web.json_response({"error": problem}, status=400)
        return await start_agent_process(request, agent, adapter)

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/api/messages", jwt_authorization_decorator(messages))
    app.router.add_get("/healthz", healthz)
    app["agent_configuration"] = connections.get_default_connection_configuration()
    return app


def main() -> None:
    """Serve on 127.0.0.1:PORT (HOST to change)."""
    logging.basicConfig(level=logging.ERROR)
    web.run_app(
        build_app(os.environ),
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "3978")),
        backlog=512,
        access_log=None,
        print=None,
    )


if __name__ == "__main__":
    main()
