"""The console chat: the same answers and commands as on Slack, in a terminal or through a pipe."""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable
from typing import TextIO

from rapidfuzz import fuzz, process

from bot.chat import markup
from bot.chat.commands import CommandContext
from bot.chat.messenger import Capabilities
from bot.chat.replies import Button, Incoming, MessageRef, Reply
from bot.core import Core
from bot.texts import t

CONSOLE_USER = "console-user"
COMMAND = "/lef"  # typed like the Slack command, so help texts read the same
_YES = {"ja", "j", "yes", "y", "ok", "oké"}
_NO = {"nee", "n", "no"}
_STOP = {"stop", "exit", "quit", "/stop", "/quit"}
_YES_ACTIONS = ("answer_helpful", "answer_escalate", "privacy_erase")
_NO_ACTIONS = ("answer_not_helpful",)
_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")
_BARE = re.compile(r"<((?:https?://|mailto:)[^>]+)>")
_MENTION = re.compile(r"<([@#!])([^|>]+)(?:\|([^>]+))?>")
_BOLD = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])")
_STRIKE = re.compile(r"(?<![\w~])~(?!\s)([^~\n]+?)(?<!\s)~(?![\w~])")


def plain(text: str) -> str:
    """The core's markup as clean plain text: no `**bold**`, backticks, `[label](url)` or `<url>`.

    Knowledge-base answers still carry Slack-style `*bold*` and `<url|label>`; those become plain too.
    """
    text = markup.MENTION.sub(lambda m: m.group(1) + (m.group(2).lstrip(m.group(1)) or m.group(4)), text)
    text = markup.LINK.sub(lambda m: f"{m.group(1)} ({m.group(2).removeprefix('mailto:')})", text)
    text = markup.BOLD.sub(r"\1", text).replace(markup.CMD, COMMAND)
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    text = _BARE.sub(lambda m: m.group(1).removeprefix("mailto:"), text)
    text = _MENTION.sub(lambda m: m.group(3) or (m.group(1) if m.group(1) != "!" else "@") + m.group(2), text)
    text = text.replace("```", "").replace("`", "")
    for pattern in (_BOLD, _ITALIC, _STRIKE):
        text = pattern.sub(r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def options(reply: Reply) -> list[Button]:
    """A reply's choices and buttons, in the order they are numbered on screen."""
    return list(reply.choices) + list(reply.buttons)


def render(reply: Reply) -> str:
    """Plain text for a reply, with numbered choices and numbered buttons."""
    lines = [reply.title, reply.body or ""] if reply.title else [reply.body or reply.text]
    lines = [plain(line) for line in lines if line]
    if reply.choices and reply.body:
        lines += [f"  {i}. {plain(c.label)}" for i, c in enumerate(reply.choices, 1)]
    if reply.sources:
        lines.append("Bronnen: " + "; ".join(f"{plain(s.title)} ({s.url})" for s in reply.sources))
    if reply.context:
        lines.append(f"({plain(reply.context)})")
    if reply.buttons:
        first = len(reply.choices) + 1
        lines.append("  " + "  ".join(f"[{i}: {plain(b.label)}]" for i, b in enumerate(reply.buttons, first)))
    return "\n".join(lines)


def first_word(label: str) -> str:
    """The first word of a button label, lowercased and without punctuation."""
    words = re.findall(r"[\w'’-]+", label.lower())
    return words[0] if words else ""


CONSOLE = Capabilities(
    private_replies=True,  # one person at the console: every reply is private
    update_in_place=True,  # an update is printed as the message's new version
    threads=False,  # a thread reply says so in words
    files=False,  # a file is shown inline
    direct_by_id=True,
)


class ConsoleMessenger:
    """Messages the core sends on its own initiative, printed to the console."""

    platform = "console"
    capabilities = CONSOLE

    def __init__(self, out: TextIO, lock: threading.Lock) -> None:
        self.out = out
        self.lock = lock
        self.count = 0
        self.inbox: list[tuple[MessageRef, Reply]] = []
        self.listener: Callable[[str | None, Reply], None] | None = None  # the chat, to make buttons typeable

    def _show(self, header: str, reply: Reply) -> MessageRef:
        with self.lock:
            self.count += 1
            ref = MessageRef(header, str(self.count))
            self.inbox.append((ref, reply))
            print(f"\n[{header}] {render(reply)}", file=self.out, flush=True)
        return ref

    def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        """Print a direct message; its buttons can be typed next when it is for the console user."""
        ref = self._show(f"DM aan {user_id}", reply)
        if self.listener is not None:
            self.listener(user_id, reply)
        return ref

    def post(self, channel: str, reply: Reply, thread: str | None = None) -> MessageRef:
        """Print a channel post; a reply in a thread says so in words."""
        name = "#" + channel.lstrip("#")
        return self._show(f"{name}, in een draad" if thread else name, reply)

    def update(self, ref: MessageRef, reply: Reply) -> None:
        """Print an updated message."""
        self._show(f"bijgewerkt: {ref.channel}", reply)

    def permalink(self, ref: MessageRef) -> str | None:
        """Console messages have no links."""
        return None

    def already_delivered(self, target: str, key: str) -> bool | None:
        """The console keeps no history across processes: cannot tell."""
        return None


class ConsoleChat:
    """A dialog loop: questions, `/lef` commands, numbered choices and buttons by word or number."""

    def __init__(self, core: Core, out: TextIO = sys.stdout, user_id: str = CONSOLE_USER) -> None:
        self.core = core
        self.out = out
        self.user_id = user_id
        self.lock = threading.Lock()
        self.messenger = ConsoleMessenger(out, self.lock)
        core.attach_messenger(self.messenger)
        self.messenger.listener = self._arrived
        self.pending: list[Button] = []
        self.lang = core.settings.language

    def say(self, text: str) -> None:
        """Print a bot line as plain text."""
        with self.lock:
            print(plain(text), file=self.out, flush=True)

    def show(self, reply: Reply) -> None:
        """Print a reply, remember its choices and buttons for the next input, and say how to use them."""
        self.pending = options(reply)
        self.say(render(reply))
        if reply.choices:
            self.say(t("console.choose", self.lang, last=len(self.pending)))
        elif any(b.action_id == "answer_helpful" for b in reply.buttons):
            self.say(t("console.feedback", self.lang))
        elif reply.buttons:
            self.say(t("console.buttons", self.lang, last=len(self.pending)))

    def _arrived(self, user_id: str | None, reply: Reply) -> None:
        """A DM for the console user with buttons: its numbers are the ones to type now."""
        if user_id == self.user_id and reply.buttons:
            self.pending = options(reply)

    def handle(self, line: str) -> bool:
        """Handle one input line; False means stop."""
        text = line.strip()
        if text.lower() in _STOP:
            reply = self._conversation(text)
            if reply is None:
                self.say(t("console.bye", self.lang))
                return False
            self.show(reply)
            return True
        if self._button_or_refusal(text):
            return True
        self.pending = []
        if text.lower().startswith("/lef"):
            self.show(self._command(text[4:]))
            return True
        answer = self.core.ask(Incoming(self.user_id, text, "console", "console"))
        self.lang = answer.lang
        self.show(answer.reply)
        return True

    def _conversation(self, text: str) -> Reply | None:
        """The reply of an open DM conversation (a check-in) to this text; None when none is open."""
        incoming = Incoming(self.user_id, text, "console", "console")
        for intercept in self.core.dm_interceptors:
            reply = intercept(incoming)
            if reply is not None:
                return reply
        return None

    def _command(self, rest: str) -> Reply:
        """A `/lef` command; an unknown one gets the closest command and a pointer to `/lef help`."""
        ctx = CommandContext(self.user_id, "console", "console", self.core.lang_for(rest or "help"))
        words = rest.split()
        if not words or self.core.router.match(rest) is not None:
            return self.core.command(ctx, rest)
        names = self.core.router.names()
        typed = [" ".join(words[:2]).lower(), words[0].lower()]
        found = next(
            (m for q in typed if (m := process.extractOne(q, names, scorer=fuzz.ratio, score_cutoff=70))), None
        )
        key = "console.unknown_command_near" if found else "console.unknown_command"
        text = t(key, ctx.lang, command=words[0][:40], near=found[0] if found else "")
        return Reply(text, body=text, private=True)

    def _button_or_refusal(self, text: str) -> bool:
        """Click the button the text names, or say which numbers are valid; False when neither applies."""
        lowered = text.lower().strip(" .!")
        if lowered.isdigit() and self.pending:
            if 1 <= int(lowered) <= len(self.pending):
                self.show(self.click(self.pending[int(lowered) - 1]))
            else:
                self.say(t("console.bad_number", self.lang, last=len(self.pending)))
            return True
        button = self._named(lowered, self.pending) or self._named(lowered, self._inbox_buttons())
        if button is not None:
            self.show(self.click(button))
            return True
        if lowered in _NO and self.pending:
            self.pending = []
            self.say(t("console.no_action", self.lang))
            return True
        return False

    def _inbox_buttons(self) -> list[Button]:
        """The buttons on the latest message the bot sent on its own (e.g. a nudge or a check-in prompt)."""
        for _ref, reply in reversed(self.messenger.inbox):
            if reply.buttons:
                return list(reply.buttons)
        return []

    @staticmethod
    def _named(lowered: str, buttons: list[Button]) -> Button | None:
        """The button for `ja`/`nee`, its full label or the first word of its label."""
        if not lowered or not buttons:
            return None
        actions = _YES_ACTIONS if lowered in _YES else _NO_ACTIONS if lowered in _NO else ()
        for action_id in actions:
            found = next((b for b in buttons if b.action_id == action_id), None)
            if found is not None:
                return found
        exact = next((b for b in buttons if b.label.lower() == lowered), None)
        if exact is not None or " " in lowered:
            return exact
        matches = [b for b in buttons if first_word(b.label) == lowered]
        if not matches and lowered in _YES | _NO:
            wanted = _YES if lowered in _YES else _NO
            matches = [b for b in buttons if first_word(b.label) in wanted]
        return matches[0] if len(matches) == 1 else None

    def click(self, button: Button) -> Reply:
        """What a button does, as on Slack."""
        ctx = CommandContext(self.user_id, "console", "console", self.lang)
        return self.core.click(ctx, button.action_id, button.value).reply

    def run(self, stream: TextIO = sys.stdin) -> None:
        """Read lines until end of input or `stop`."""
        interactive = stream.isatty()
        if interactive:
            self.say(t("console.welcome", self.lang, user=self.user_id))
        while True:
            if interactive:
                with self.lock:
                    print("\n> ", end="", file=self.out, flush=True)
            line = stream.readline()
            if not line:
                break
            if line.strip() and not self.handle(line):
                break
