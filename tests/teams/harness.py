"""Start and stop an HTTP server under test as a subprocess (the Teams bot, the bare baseline app)."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

READY_SECONDS = 60


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    """True when GET `url` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def start_server(
    command: list[str], env: dict[str, str], cwd: Path, log_path: Path, health_url: str
) -> subprocess.Popen:
    """Start `command` and wait until `health_url` answers 200; RuntimeError with the log tail when it does not."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"{Path(command[0]).name} exited with {process.returncode}:\n{log_path.read_text()[-4000:]}"
            )
        if healthy(health_url):
            return process
        time.sleep(0.05)  # polling the health check until the server listens
    stop_server(process)
    raise RuntimeError(f"{Path(command[0]).name} did not become healthy:\n{log_path.read_text()[-4000:]}")


def stop_server(process: subprocess.Popen) -> None:
    """Stop gracefully (SIGTERM), kill when stuck."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
