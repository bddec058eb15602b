"""Render the README's pictures from real Slack payloads: an answer and a nudge, as HTML and PNG.

The payloads come from the code itself (the core answers "wat is een krachtteam?" from the bundled
knowledge base; the nudge sweep sends a DM for the sample cohort through the Slack messenger), so the
pictures stay true when texts change. `python scripts/render_pictures.py` writes docs/pictures/*.html
and, when Chromium is installed, docs/pictures/*.png (headless screenshots). tests/test_docs.py checks
that the committed HTML still matches the current payloads.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
PICTURES = ROOT / "docs" / "pictures"
COHORT = ROOT / "docs" / "examples" / "cohort.yaml"
QUESTION = "wat is een krachtteam?"
ASKER = "Sanne"
NUDGE_AT = datetime(2027, 2, 9, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))  # Anna's first nudge in the cohort
NUDGE_TO = "U0ANNA"
WIDTH = 720

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


class _Clock:
    """A clock that stands still at one moment."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        """The fixed moment."""
        return self.moment


class _RecordingClient:
    """The two Slack Web API calls the messenger makes for a DM, recorded instead of sent."""

    def __init__(self) -> None:
        self.posted: list[dict[str, Any]] = []

    def conversations_open(self, users: str) -> dict[str, Any]:
        """The DM channel with a user."""
        return {"channel": {"id": f"D{users}"}}

    def chat_postMessage(self, **kwargs: Any) -> dict[str, Any]:  # noqa: N802 (slack_sdk's name)
        """Record a message."""
        self.posted.append(kwargs)
        return {"channel": kwargs["channel"], "ts": f"{len(self.posted)}.000100"}


def _core(folder: Path, moment: datetime, messenger: Any = None) -> Any:
    from bot.config import load_settings
    from bot.core import Core

    env = {
        "DATABASE_URL": f"sqlite:///{folder / 'lefbot.db'}",
        "LEFBOT_DATA_DIR": str(folder),
        "SECRET_KEY": "pictures-only-secret-key",
        "SCHEDULER_ENABLED": "false",
    }
    return Core(load_settings(env, dotenv=False), clock=_Clock(moment), messenger=messenger)


def answer_payload(folder: Path) -> dict[str, Any]:
    """The Slack payload of the answer to QUESTION, from the bundled knowledge base."""
    from bot.chat.replies import Incoming
    from handlers.slack.blocks import render

    core = _core(folder / "answer", NUDGE_AT)
    answer = core.ask(Incoming(user_id="U0SANNE", text=QUESTION, channel="D0SANNE", channel_kind="dm"))
    core.answering.questions.flush()
    return render(answer.reply, answer.lang)


def nudge_payload(folder: Path) -> dict[str, Any]:
    """The Slack payload of Anna's first nudge for the sample cohort, as the sweep sends it."""
    from bot.deadlines import nudge_sending
    from bot.deadlines.cohort import import_file
    from handlers.slack.messenger import SlackMessenger

    client = _RecordingClient()
    core = _core(folder / "nudge", datetime(2027, 1, 15, 12, tzinfo=ZoneInfo("UTC")), SlackMessenger(client))  # type: ignore[arg-type]
    report = import_file(core, COHORT)
    if not report.ok:
        raise SystemExit(f"{COHORT}: {report.errors}")
    core.clock.moment = NUDGE_AT
    nudge_sending.send_due(core, NUDGE_AT)
    sent = [p for p in client.posted if p["channel"] == f"D{NUDGE_TO}"]
    if not sent:
        raise SystemExit(f"no nudge for {NUDGE_TO} at {NUDGE_AT}")
    return {k: v for k, v in sent[0].items() if k in ("text", "blocks")}


def payloads() -> dict[str, dict[str, Any]]:
    """Both payloads, built in a throw-away data folder (semantic search off: the answer is lexical)."""
    os.environ.setdefault("SEMANTIC_SEARCH", "off")
    with tempfile.TemporaryDirectory(prefix="lefbot-pictures-") as tmp:
        folder = Path(tmp)
        return {"answer": answer_payload(folder), "nudge": nudge_payload(folder)}


_LINK = re.compile(r"&lt;((?:https?://|mailto:)[^|]*?)(?:\|(.*?))?&gt;")


def mrkdwn(text: str) -> str:
    """Slack mrkdwn (bold, italic, code, links, line breaks) as HTML."""
    out = html.escape(html.unescape(text), quote=False)
    out = _LINK.sub(lambda m: f'<a href="{m.group(1)}">{m.group(2) or m.group(1)}</a>', out)
    out = re.sub(r"`([^`\n]+)`", r"<code>\1</code>", out)
    out = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"<b>\1</b>", out)
    out = re.sub(r"(?<![\w_])_([^_\n]+)_(?![\w_])", r"<i>\1</i>", out)
    return out.replace("\n", "<br>")


def block_html(block: dict[str, Any]) -> str:
    """One Block Kit block as HTML."""
    kind = block.get("type")
    if kind == "header":
        return f'<div class="header">{html.escape(block["text"]["text"])}</div>'
    if kind == "section":
        return f'<div class="section">{mrkdwn(block["text"]["text"])}</div>'
    if kind == "context":
        return '<div class="context">' + " ".join(mrkdwn(e.get("text", "")) for e in block["elements"]) + "</div>"
    if kind == "actions":
        buttons = []
        for element in block["elements"]:
            style = f" {element['style']}" if element.get("style") else ""
            buttons.append(f'<span class="button{style}">{html.escape(element["text"]["text"])}</span>')
        return '<div class="actions">' + "".join(buttons) + "</div>"
    return f'<div class="section">{html.escape(str(block))}</div>'


CSS = """
body { margin: 0; background: #fff; font: 15px/1.46 "Lato", "Helvetica Neue", Arial, sans-serif; color: #1d1c1d; }
.chat { width: %dpx; padding: 16px 20px 20px; box-sizing: border-box; }
.asked, .message { display: flex; gap: 10px; }
.asked { margin-bottom: 14px; }
.avatar { width: 36px; height: 36px; border-radius: 6px; flex: none; color: #fff; font-weight: 700;
  display: flex; align-items: center; justify-content: center; font-size: 18px; }
.bot { background: #007a5a; }
.person { background: #4a154b; }
.name { font-weight: 900; } .app { font-size: 10px; background: #e8e8e8; color: #616061; padding: 1px 3px;
  border-radius: 2px; margin-left: 4px; vertical-align: 2px; }
.time { color: #616061; font-size: 12px; margin-left: 6px; }
.header { font-size: 18px; font-weight: 900; margin: 4px 0; }
.section { margin: 4px 0; } .context { color: #616061; font-size: 13px; margin: 6px 0; }
code { font: 12px Menlo, Consolas, monospace; background: #f6f6f6; border: 1px solid #e0e0e0; border-radius: 3px;
  padding: 1px 3px; color: #e01e5a; }
a { color: #1264a3; text-decoration: none; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 10px; }
.button { border: 1px solid #bbb; border-radius: 4px; padding: 4px 12px; font-size: 14px; font-weight: 700; }
.button.primary { background: #007a5a; border-color: #007a5a; color: #fff; }
.button.danger { background: #e01e5a; border-color: #e01e5a; color: #fff; }
""".strip()


def page(payload: dict[str, Any], time: str, asked: str | None = None) -> str:
    """An HTML page showing one bot message (and the question it answers) the way Slack lays it out."""
    question = ""
    if asked:
        question = (
            '<div class="asked"><div class="avatar person">S</div><div><span class="name">'
            f'{ASKER}</span><span class="time">{time}</span><div>{html.escape(asked)}</div></div></div>\n'
        )
    blocks = "\n".join(block_html(b) for b in payload["blocks"])
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8"><title>lefbot</title>\n'
        f'<style>\n{CSS % WIDTH}\n</style></head>\n<body><div class="chat">\n{question}'
        '<div class="message"><div class="avatar bot">L</div><div><span class="name">lefbot</span>'
        f'<span class="app">APP</span><span class="time">{time}</span>\n{blocks}\n</div></div>\n</div></body></html>\n'
    )


def pages() -> dict[str, str]:
    """The HTML of every picture, by name."""
    built = payloads()
    return {
        "answer": page(built["answer"], "10:02", asked=QUESTION),
        "nudge": page(built["nudge"], NUDGE_AT.strftime("%H:%M")),
    }


def _chromium() -> str | None:
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


def _height(browser: str, path: Path) -> int:
    """The page's content height, measured by the browser itself."""
    probe = path.with_suffix(".probe.html")
    script = "<script>document.title = 'H' + document.querySelector('.chat').offsetHeight;</script>"
    probe.write_text(path.read_text(encoding="utf-8").replace("</body>", script + "</body>"), encoding="utf-8")
    try:
        dom = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", probe.as_uri()],
            capture_output=True, text=True, timeout=120, check=True,
        ).stdout  # fmt: skip
    finally:
        probe.unlink()
    found = re.search(r"<title>H(\d+)</title>", dom)
    return int(found.group(1)) if found else 600


def screenshot(browser: str, path: Path) -> Path:
    """A PNG of the HTML page, cut to its content."""
    png = path.with_suffix(".png")
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=2",
         f"--screenshot={png}",
         f"--window-size={WIDTH},{_height(browser, path)}", path.as_uri()],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    return png


def main() -> int:
    """Write docs/pictures/*.html, and the PNGs when Chromium is available."""
    PICTURES.mkdir(parents=True, exist_ok=True)
    browser = _chromium()
    for name, content in pages().items():
        path = PICTURES / f"{name}.html"
        path.write_text(content, encoding="utf-8")
        print(path.relative_to(ROOT))
        if browser:
            print(screenshot(browser, path).relative_to(ROOT))
    if not browser:
        print("Chromium not found (apt-get install chromium): wrote the HTML only", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
