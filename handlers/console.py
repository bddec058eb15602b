"""The console chat: the same answers and commands as on Slack, in a terminal or through a pipe."""

from __future__ import annotations

import sys
import threading
from typing import TextIO

from bot.commands import CommandContext
from bot.core import Core
from bot.replies import Button, Incoming, MessageRef, Reply
from bot.texts import t

CONSOLE_USER = "console-user"
_YES = {"ja", "j", "yes", "y"}
_NO = {"nee", "n", "no"}
_STOP = {"stop", "exit", "quit", "/stop", "/quit"}


def render(reply: Reply) -> str:
    """Plain text for a reply, with numbered choices and button hints."""
    lines = [f"*{reply.title}*", reply.body or ""] if reply.title else [reply.body or reply.text]
    lines = [line for line in lines if line]
    if reply.choices and reply.body:
        lines += [f"  {i}. {c.label}" for i, c in enumerate(reply.choices, 1)]
    if reply.sources:
        lines.append("Bronnen: " + "; ".join(f"{s.title} <{s.url}>" for s in reply.sources))
    if reply.context:
        lines.append(f"({reply.context})")
    if reply.buttons:
        lines.append("  " + "  ".join(f"[{b.label}]" for b in reply.buttons))
    return "\n".join(lines)


class ConsoleMessenger:
    """Messages the core sends on its own initiative, printed to the console."""

    def __init__(self, out: TextIO, lock: threading.Lock) -> None:
        self.out = out
        self.lock = lock
        self.count = 0
        self.inbox: list[tuple[MessageRef, Reply]] = []

    def _show(self, header: str, reply: Reply) -> MessageRef:
        with self.lock:
            self.count += 1
            ref = MessageRef(header, str(self.count))
            self.inbox.append((ref, reply))
            print(f"\n[{header}] {render(reply)}", file=self.out, flush=True)
        return ref

    def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        """Print a direct message."""
        return self._show(f"DM aan {user_id}", reply)

    def post(self, channel: str, reply: Reply, thread: str | None = None) -> MessageRef:
        """Print a channel post."""
        return self._show(f"#{channel}" + (" (draad)" if thread else ""), reply)

    def update(self, ref: MessageRef, reply: Reply) -> None:
        """Print an updated message."""
        self._show(f"bijgewerkt {ref.channel}", reply)

    def permalink(self, ref: MessageRef) -> str | None:
        """Console messages have no links."""
        return None

    def already_delivered(self, target: str, key: str) -> bool | None:
        """The console keeps no history across processes: cannot tell."""
        return None


class ConsoleChat:
    """A dialog loop: questions, `/lef` commands, numbered choices and yes/no feedback."""

    def __init__(self, core: Core, out: TextIO = sys.stdout, user_id: str = CONSOLE_USER) -> None:
        self.core = core
        self.out = out
        self.user_id = user_id
        self.lock = threading.Lock()
        self.messenger = ConsoleMessenger(out, self.lock)
        core.attach_messenger(self.messenger)
        self.pending: list[Button] = []
        self.lang = core.settings.language

    def say(self, text: str) -> None:
        """Print a bot line."""
        with self.lock:
            print(text, file=self.out, flush=True)

    def show(self, reply: Reply) -> None:
        """Print a reply and remember its buttons for the next input."""
        self.pending = list(reply.choices) + [b for b in reply.buttons]
        self.say(render(reply))
        if reply.choices:
            self.say(t("console.choose", self.lang))
        elif any(b.action_id == "answer_helpful" for b in reply.buttons):
            self.say(t("console.feedback", self.lang))

    def handle(self, line: str) -> bool:
        """Handle one input line; False means stop."""
        text = line.strip()
        if text.lower() in _STOP:
            self.say(t("console.bye", self.lang))
            return False
        button = self._button_for(text)
        if button is not None:
            self.show(self.click(button))
            return True
        self.pending = []
        if text.lower().startswith("/lef"):
            ctx = CommandContext(self.user_id, "console", "console", self.core.lang_for(text))
            self.show(self.core.command(ctx, text[4:]))
            return True
        answer = self.core.ask(Incoming(self.user_id, text, "console", "console"))
        self.lang = answer.lang
        self.show(answer.reply)
        return True

    def _button_for(self, text: str) -> Button | None:
        lowered = text.lower()
        choices = [b for b in self.pending if b.action_id == "answer_choose"]
        if lowered.isdigit() and choices and 1 <= int(lowered) <= len(choices):
            return choices[int(lowered) - 1]
        preferred = (
            ("answer_helpful", "answer_escalate")
            if lowered in _YES
            else ("answer_not_helpful",)
            if lowered in _NO
            else ()
        )
        for action_id in preferred:
            for b in self.pending:
                if b.action_id == action_id:
                    return b
        found = next((b for b in self.pending if b.label.lower() == lowered), None)
        if found is None:  # a button on the latest message the bot sent on its own (e.g. a nudge)
            for _ref, reply in reversed(self.messenger.inbox):
                if reply.buttons:
                    return next((b for b in reply.buttons if b.label.lower() == lowered), None)
        return found

    def click(self, button: Button) -> Reply:
        """What a button does, as on Slack."""
        ctx = CommandContext(self.user_id, "console", "console", self.lang)
        return self.core.click(ctx, button.action_id, button.value).reply

    def run(self, stream: TextIO = sys.stdin) -> None:
        """Read lines until end of input or `stop`."""
        interactive = stream.isatty()
        if interactive:
            self.say(t("console.welcome", self.lang))
        while True:
            if interactive:
                with self.lock:
                    print("\n> ", end="", file=self.out, flush=True)
            line = stream.readline()
            if not line:
                break
            if line.strip() and not self.handle(line):
                break
