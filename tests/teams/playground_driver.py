"""Run a bot, the M365 Agents Playground and headless Chromium together; print one JSON result line.

Meant to run inside a private network namespace with only loopback up (see tests/teams/test_playground.py):
`unshare -n -- bash -c 'ip link set lo up && exec python -m tests.teams.playground_driver JOB_JSON'`.
JOB_JSON: {"bot": [argv...], "steps": [browser steps, see playground/drive.mjs], "failure_screenshot": path,
"require_isolation": bool}.
The bot gets PORT (and the repository on PYTHONPATH) in its environment and must answer GET /healthz.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.teams.harness import free_port, start_server, stop_server

REPO = Path(__file__).resolve().parents[2]
PLAYGROUND = Path(__file__).resolve().parent / "playground"
AGENTS_PLAYGROUND = PLAYGROUND / "node_modules" / ".bin" / "agentsplayground"
CONFIG = PLAYGROUND / "m365agentsplayground.yml"
BROWSER_SECONDS = 90


def interfaces() -> list[str]:
    """The network interfaces this process can see (its namespace's)."""
    return sorted(name for _, name in socket.if_nameindex())


def playground_env(base: dict[str, str]) -> dict[str, str]:
    """The Playground's environment: no browser of its own, no statsbeat telemetry."""
    return {**base, "TEAMSAPPTESTER_BROWSER": "none", "APPLICATION_INSIGHTS_NO_STATSBEAT": "true"}


def run(job: dict[str, Any]) -> dict[str, Any]:
    """Start the bot and the Playground, drive the browser, stop everything; the result as a dict."""
    result: dict[str, Any] = {"ok": False, "interfaces": interfaces()}
    if job.get("require_isolation", True) and result["interfaces"] != ["lo"]:
        result["error"] = f"not in a private network namespace: interfaces {result['interfaces']}"
        return result
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="lefbot-playground-"))
    processes: list[subprocess.Popen] = []
    logs = {"bot": work / "bot.log", "playground": work / "playground.log",
            "playground_debug": work / "devTools" / "m365agentsplayground.log"}  # fmt: skip
    try:
        bot_port, playground_port = free_port(), free_port()
        python_path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
        env = {**os.environ, "PORT": str(bot_port), "PYTHONUNBUFFERED": "1", "PYTHONPATH": python_path}
        processes.append(start_server(job["bot"], env, work, logs["bot"], f"http://127.0.0.1:{bot_port}/healthz"))
        result["bot_ready_s"] = round(time.monotonic() - started, 2)
        shutil.copy(CONFIG, work / ".m365agentsplayground.yml")  # read from its working directory
        command = [str(AGENTS_PLAYGROUND), "-e", f"http://127.0.0.1:{bot_port}/api/messages", "-c", "msteams",
                   "-p", str(playground_port), "--dt"]  # fmt: skip
        url = f"http://127.0.0.1:{playground_port}/"
        processes.append(start_server(command, playground_env(dict(os.environ)), work, logs["playground"], url))
        result["playground_ready_s"] = round(time.monotonic() - started, 2)
        browse = {"url": url, "bot_url": f"http://127.0.0.1:{bot_port}", "steps": job["steps"],
                  "failure_screenshot": job.get("failure_screenshot")}  # fmt: skip
        done = subprocess.run(
            ["node", "drive.mjs", json.dumps(browse)],
            cwd=PLAYGROUND,
            capture_output=True,
            text=True,
            timeout=BROWSER_SECONDS,
        )
        lines = done.stdout.strip().splitlines()
        result["browser"] = json.loads(lines[-1]) if lines else {"ok": False, "error": done.stderr[-2000:]}
        result["ok"] = bool(result["browser"].get("ok"))
    except (RuntimeError, OSError, subprocess.TimeoutExpired, ValueError, KeyError) as error:
        result["error"] = f"{error.__class__.__name__}: {error}"[:4000]
    finally:
        for process in reversed(processes):
            stop_server(process)
        result["total_s"] = round(time.monotonic() - started, 2)
        if not result["ok"]:
            result["logs"] = {name: path.read_text(errors="replace")[-3000:] for name, path in logs.items()
                              if path.exists()}  # fmt: skip
        shutil.rmtree(work, ignore_errors=True)
    return result


def main() -> None:
    """Read the job from argv, print the result as JSON, exit 0 only when it passed."""
    result = run(json.loads(sys.argv[1]))
    print(json.dumps(result))
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
