"""The `/lef ...` command language, shared by every chat adapter and the console."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.chat.markup import CMD
from bot.chat.replies import Mention, MessageRef, Reply


@dataclass(frozen=True)
class CommandContext:
    """Who runs a command, and where."""

    user_id: str
    channel: str = ""
    channel_kind: str = "console"
    lang: str = "nl"
    user_name: str = ""
    user_tz: str = ""
    message: MessageRef | None = None  # the message a click came from, when the platform can link to it
    mentions: tuple[Mention, ...] = ()  # the people and channels named in the command text, as `@<id>` / `#<id>`


Handler = Callable[[CommandContext, str], Reply]


@dataclass(frozen=True)
class Command:
    """A registered subcommand: its words (Dutch first, then aliases), handler and help line."""

    words: tuple[str, ...]
    handler: Handler
    help_nl: str
    help_en: str
    aliases: tuple[tuple[str, ...], ...] = ()


class CommandRouter:
    """Matches the longest registered word prefix of a command text and calls its handler."""

    def __init__(self) -> None:
        self._commands: list[Command] = []
        self._by_words: dict[tuple[str, ...], Command] = {}

    def register(self, words: str, handler: Handler, help_nl: str, help_en: str, aliases: tuple[str, ...] = ()) -> None:
        """Register `handler` for the command `words` (e.g. "mijn deadlines") and its aliases."""
        key = tuple(words.lower().split())
        alias_keys = tuple(tuple(a.lower().split()) for a in aliases)
        command = Command(key, handler, help_nl, help_en, alias_keys)
        for k in (key, *alias_keys):
            if k in self._by_words:
                raise ValueError(f"command {' '.join(k)!r} registered twice")
            self._by_words[k] = command
        self._commands.append(command)

    def match(self, text: str) -> tuple[Command, str] | None:
        """The command a text starts with, and the rest of the text; None when nothing matches."""
        words = text.strip().split()
        lowered = [w.lower() for w in words]
        for length in range(min(len(words), 4), 0, -1):
            command = self._by_words.get(tuple(lowered[:length]))
            if command:
                parts = text.strip().split(None, length)
                return command, parts[length] if len(parts) > length else ""
        return None

    def dispatch(self, ctx: CommandContext, text: str) -> Reply | None:
        """Run the matching command; None when the text is not a known command."""
        found = self.match(text)
        if found is None:
            return None
        command, rest = found
        return command.handler(ctx, rest)

    def names(self) -> list[str]:
        """Every command's words and aliases, for suggesting the closest one to a typo."""
        return [" ".join(words) for words in self._by_words]

    def help_lines(self, lang: str) -> list[str]:
        """One line per command, in registration order."""
        return [f"`{CMD} {' '.join(c.words)}` — {c.help_en if lang == 'en' else c.help_nl}" for c in self._commands]
