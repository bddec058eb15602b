"""Button clicks, platform-neutral: an action id maps to a handler that returns what to show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.chat.commands import CommandContext
from bot.chat.replies import Reply


@dataclass(frozen=True)
class ActionResult:
    """What a click shows: `replace` swaps the whole message, `amend` swaps only its buttons.

    `sent`: the core already delivered it (a fallback, see bot.chat.fallbacks); the adapter shows nothing more.
    """

    reply: Reply
    mode: str = "amend"  # replace | amend | private | sent


ActionHandler = Callable[[CommandContext, str], ActionResult]


class ActionRouter:
    """Maps action ids to handlers."""

    def __init__(self) -> None:
        self._handlers: dict[str, ActionHandler] = {}

    def register(self, action_id: str, handler: ActionHandler) -> None:
        """Register the handler for one action id."""
        if action_id in self._handlers:
            raise ValueError(f"action {action_id!r} registered twice")
        self._handlers[action_id] = handler

    def ids(self) -> list[str]:
        """All registered action ids."""
        return list(self._handlers)

    def dispatch(self, ctx: CommandContext, action_id: str, value: str) -> ActionResult | None:
        """Run the handler for a click; None for an unknown action."""
        handler = self._handlers.get(action_id)
        return handler(ctx, value) if handler else None
