"""The seam between the core and its features: what a feature may use of the core, typed instead of `Any`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import Protocol

from bot.chat.actions import ActionRouter
from bot.chat.commands import CommandRouter
from bot.chat.messenger import Messenger
from bot.chat.replies import Incoming, Reply
from bot.clock import Clock
from bot.config import Settings
from bot.db import Database


class PrivacyRegistry(Protocol):
    """Where a feature adds the personal data it keeps (for `mijn gegevens` and `vergeet mij`)."""

    warners: list[Callable[[str, str], list[str]]]
    tz: tzinfo

    def register(self, name: str, export: Callable[[str], list[str]], erase: Callable[[str], int]) -> None:
        """Add a feature's personal data: how to show it and how to erase it."""


class CoreServices(Protocol):
    """What a feature needs from the core; `bot.core.Core` provides it, tests may pass a smaller stand-in."""

    settings: Settings
    db: Database
    clock: Clock
    messenger: Messenger | None
    router: CommandRouter
    actions: ActionRouter
    dm_interceptors: list[Callable[[Incoming], Reply | None]]
    privacy: PrivacyRegistry
