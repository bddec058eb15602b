"""End to end against Microsoft's own Teams emulator: the M365 Agents Playground driven by headless Chromium.

Everything (bot, Playground, browser) runs in a private network namespace with only loopback up, so no byte of
this test leaves the machine. `.ci/teams-playground-setup` installs what it needs; in CI (CI set) missing tools
fail the test, on a developer machine they skip it with the reason.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.bare_teams import FIXED_TEXT
from tests.teams import card_bot
from tests.teams.playground_driver import AGENTS_PLAYGROUND, PLAYGROUND

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT_DIR_ENV = "TEAMS_SCREENSHOT_DIR"
RUN_SECONDS = 180


def missing_tools() -> list[str]:
    """What this test needs but the machine lacks (run .ci/teams-playground-setup to install it)."""
    missing = [tool for tool in ("node", "unshare", "ip") if shutil.which(tool) is None]
    if not CHROMIUM.exists():
        missing.append(str(CHROMIUM))
    if not AGENTS_PLAYGROUND.exists() or not (PLAYGROUND / "node_modules" / "playwright-core").is_dir():
        missing.append("npm packages in tests/teams/playground")
    if os.geteuid() != 0:
        missing.append("root (for unshare -n)")
    return missing


def require(missing: list[str], ci: bool) -> None:
    """Fail under CI, skip elsewhere, when tools are missing."""
    if missing:
        reason = f"Teams Playground tools missing: {', '.join(missing)} (run .ci/teams-playground-setup)"
        if ci:
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def tools() -> None:
    """The Playground's tools are there (else fail in CI, skip on a developer machine)."""
    require(missing_tools(), bool(os.environ.get("CI")))


def test_missing_tools_fail_in_ci_and_skip_elsewhere() -> None:
    with pytest.raises(pytest.fail.Exception, match="chromium"):
        require(["/usr/bin/chromium"], ci=True)
    with pytest.raises(pytest.skip.Exception, match="teams-playground-setup"):
        require(["/usr/bin/chromium"], ci=False)
    require([], ci=True)


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (AssertionError when it is no PNG)."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def run_in_namespace(job: dict) -> dict:
    """Run the Playground driver in a private network namespace (only loopback up); its JSON result."""
    inner = f'ip link set lo up && exec {sys.executable} -m tests.teams.playground_driver "$0"'
    done = subprocess.run(
        ["unshare", "-n", "--", "bash", "-c", inner, json.dumps(job)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
    )
    lines = done.stdout.strip().splitlines()
    assert lines, f"driver printed nothing (exit {done.returncode}):\n{done.stderr[-4000:]}"
    return json.loads(lines[-1])


def test_personal_chat_and_channel_mention_get_the_bots_reply(tools: None, tmp_path: Path) -> None:
    folder = Path(os.environ.get(SCREENSHOT_DIR_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    personal, channel = folder / "teams-personal-chat.png", folder / "teams-channel.png"
    for shot in (personal, channel):
        shot.unlink(missing_ok=True)
    steps = [
        {"open": "Personal Chat"},
        {"type": "Wanneer is de deadline?"},
        {"send": True},
        {"expect": FIXED_TEXT},
        {"screenshot": str(personal)},
        {"open": "General"},
        {"mention": "lefbot"},
        {"type": "wie is onze procesbegeleider?"},
        {"send": True},
        {"expect": FIXED_TEXT},  # only the open conversation is on screen: this is the reply in the channel
        {"screenshot": str(channel)},
    ]
    bot = [sys.executable, str(REPO / "benchmarks" / "bare_teams.py")]
    result = run_in_namespace({"bot": bot, "steps": steps, "failure_screenshot": str(tmp_path / "failure.png")})
    assert result["interfaces"] == ["lo"], result
    assert result["ok"], json.dumps(result, indent=2)[-6000:]
    done = result["browser"]["steps"]
    assert done[3]["texts"] == [FIXED_TEXT]
    assert done[9]["texts"] == [FIXED_TEXT]
    assert png_size(personal) == png_size(channel) == (1280, 800)


def test_action_execute_updates_the_card_in_place_and_a_proactive_message_arrives(tools: None, tmp_path: Path) -> None:
    folder = Path(os.environ.get(SCREENSHOT_DIR_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    screenshot = folder / "teams-card-updated.png"
    steps = [
        {"open": "Personal Chat"},
        {"type": "Wat is een terugkomdag?"},
        {"send": True},
        {"expect": card_bot.ANSWER},
        {"click": "Ja, dit hielp"},
        {"expect": card_bot.THANKS},
        {"screenshot": str(screenshot)},
        {"post": "/notify"},
        {"expect": card_bot.NUDGE},
    ]
    bot = [sys.executable, "-m", "tests.teams.card_bot"]
    result = run_in_namespace({"bot": bot, "steps": steps, "failure_screenshot": str(tmp_path / "failure.png")})
    assert result["ok"], json.dumps(result, indent=2)[-6000:]
    done = result["browser"]["steps"]
    assert done[5]["texts"] == [card_bot.THANKS]
    assert done[8]["texts"] == [card_bot.NUDGE]
    assert png_size(screenshot) == (1280, 800)


def test_real_lefbot_answer_card_feedback_channel_thread_and_proactive_nudge(tools: None, tmp_path: Path) -> None:
    from tests.teams.lefbot_playground import DEADLINE_TITLE

    folder = Path(os.environ.get(SCREENSHOT_DIR_ENV) or tmp_path).resolve()  # the browser runs elsewhere
    folder.mkdir(parents=True, exist_ok=True)
    shots = {name: folder / f"teams-{name}.png" for name in ("answer", "helpful", "thread", "nudge")}
    for shot in shots.values():
        shot.unlink(missing_ok=True)
    steps = [
        {"open": "Personal Chat"},
        {"type": "Wat is een sprint?"},
        {"send": True},
        {"expect": "Een sprint is een korte periode"},
        {"screenshot": str(shots["answer"])},
        {"click": "Ja, dit hielp"},
        {"expect": "Fijn dat het hielp"},
        {"screenshot": str(shots["helpful"])},
        {"open": "General"},
        {"mention": "lefbot"},
        {"type": "hoe lang duurt een sprint?"},
        {"send": True},
        {"expect": "Een sprint is een korte periode"},
        {"screenshot": str(shots["thread"])},
        {"open": "Personal Chat"},
        {"post": "/test/nudge"},
        {"expect": DEADLINE_TITLE},
        {"screenshot": str(shots["nudge"])},
    ]
    bot = [sys.executable, "-m", "tests.teams.lefbot_playground"]
    result = run_in_namespace({"bot": bot, "steps": steps, "failure_screenshot": str(tmp_path / "failure.png")})
    assert result["interfaces"] == ["lo"], result
    assert result["ok"], json.dumps(result, indent=2)[-6000:]
    done = result["browser"]["steps"]
    assert any("Fijn dat het hielp" in text for text in done[6]["texts"])
    assert any(DEADLINE_TITLE in text for text in done[16]["texts"])
    assert all(png_size(shot) == (1280, 800) for shot in shots.values())
