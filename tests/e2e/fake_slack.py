"""A fake Slack Web API (stdlib HTTP server on a free port) that records every call and can fail on demand."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

BOT_USER = "UBOT"
BOT_ID = "BBOT"
TEAM = "T0LEF"
UNKNOWN_USER_PREFIX = "UNKNOWN"
CLAIM_EVENT = "lefbot_claim"
INVALID_TOKENS = frozenset({"xoxb-invalid", "xapp-invalid"})  # tokens Slack refuses with invalid_auth
BACKLOG = 1024  # waiting connections the listen queue holds (the stdlib default of 5 overflows under load)


class _Server(ThreadingHTTPServer):
    request_queue_size = BACKLOG
    daemon_threads = True


def listen_overflows() -> int:
    """Connections this machine's kernel refused because a listen queue was full (TcpExt ListenOverflows)."""
    try:
        text = Path("/proc/net/netstat").read_text(encoding="ascii")
    except OSError:
        return 0
    lines = [line.split() for line in text.splitlines() if line.startswith("TcpExt:")]
    return int(dict(zip(lines[0], lines[1], strict=True)).get("ListenOverflows", 0)) if len(lines) == 2 else 0


@dataclass
class Call:
    """One request the fake received."""

    method: str  # e.g. chat.postMessage, or response_url for /response_url/... posts
    path: str
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    answer: Any = None

    @property
    def ok(self) -> bool:
        """True when the fake answered 200."""
        return self.status == 200

    def message(self) -> dict[str, Any]:
        """A posted message as Slack stores it: the request body plus the ts the fake gave it."""
        ts = self.answer.get("ts", "") if isinstance(self.answer, dict) else ""
        return {**self.body, "ts": ts}

    def texts(self) -> str:
        """All text of the call: fallback text plus every text in its blocks (for assertions)."""
        found: list[str] = [str(self.body.get("text", ""))]

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key == "text" and isinstance(value, str):
                        found.append(value)
                    else:
                        walk(value)
            elif isinstance(node, list):
                for item in node:
                    walk(item)

        walk(self.body.get("blocks", []))
        return "\n".join(found)

    def action_ids(self) -> list[str]:
        """The action ids of all buttons in the call's blocks."""
        return [
            e.get("action_id", "")
            for b in self.body.get("blocks", [])
            if b.get("type") == "actions"
            for e in b.get("elements", [])
        ]

    def button(self, action_id: str) -> tuple[dict[str, Any], str]:
        """The button with this action id and the block_id of its actions block."""
        for block in self.body.get("blocks", []):
            for element in block.get("elements", []) if block.get("type") == "actions" else []:
                if element.get("action_id") == action_id:
                    return element, block.get("block_id", "")
        raise AssertionError(f"no button {action_id!r} in {self.action_ids()}")


@dataclass
class _Hold:
    """Hold the answer to the `after`-th next matching call (it is delivered, only the reply waits)."""

    method: str
    token: str | None
    after: int
    holder: str = ""  # the bot token of the call whose answer is held
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


@dataclass
class _Failure:
    method: str | None
    status: int
    retry_after: int | None
    remaining: int
    channel: str | None = None


class FakeSlack:
    """Answers auth.test, chat.*, conversations.open, users.info, views.*, file uploads (v2) and response_url posts."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._failures: list[_Failure] = []
        self._holds: list[_Hold] = []
        self.history: dict[str, list[dict[str, Any]]] = defaultdict(list)  # channel -> posted messages
        self._cond = threading.Condition()
        self._ts = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                self._handle()

            def do_POST(self) -> None:
                self._handle()

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                path, _, query = self.path.partition("?")
                status, headers, payload = fake._answer(path, dict(self.headers), raw, query)
                hold = getattr(threading.current_thread(), "lefbot_hold", None)
                if hold is not None:
                    threading.current_thread().lefbot_hold = None
                    hold.held.set()
                    hold.release.wait()
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "text/plain" if isinstance(payload, bytes) else "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except OSError:  # the client died while its answer was held
                    self.close_connection = True

        self.server = _Server(("127.0.0.1", 0), Handler)
        self._overflows = listen_overflows()
        self.thread = threading.Thread(target=self.server.serve_forever, name="fake-slack", daemon=True)

    # -- lifecycle ---------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Base URL of the fake, without a trailing slash."""
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        """What to put in SLACK_API_URL."""
        return self.url + "/api/"

    def response_url(self, name: str) -> str:
        """A response_url that points at the fake."""
        return f"{self.url}/response_url/{name}"

    def start(self) -> FakeSlack:
        """Serve in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()

    # -- scripting ---------------------------------------------------------------------------------

    def fail_next(
        self,
        count: int,
        status: int = 429,
        method: str | None = None,
        retry_after: int | None = 1,
        channel: str | None = None,
    ) -> None:
        """Answer the next `count` calls (of `method` or any method; only those to `channel` if given) with `status`."""
        with self._cond:
            self._failures.append(_Failure(method, status, retry_after if status == 429 else None, count, channel))

    def hold_next(self, method: str = "chat.postMessage", token: str | None = None, after: int = 1) -> _Hold:
        """Deliver the `after`-th next `method` call (by bot `token`, if given) but hold its answer until released.

        `.held.wait()` tells when the caller waits on the wire (e.g. to kill it then; `.holder` is its token),
        `.release.set()` lets the answer go.
        """
        hold = _Hold(method, token, after)
        with self._cond:
            self._holds.append(hold)
        return hold

    def deliveries(self) -> Counter:
        """How many times each claim key arrived (chat.postMessage with lefbot_claim metadata)."""
        with self._cond:
            return Counter(
                m["metadata"]["event_payload"]["key"]
                for messages in self.history.values()
                for m in messages
                if (m.get("metadata") or {}).get("event_type") == CLAIM_EVENT
            )

    def reset(self) -> None:
        """Forget recorded calls, scripted failures, holds (released) and message history."""
        with self._cond:
            self.calls.clear()
            self._failures.clear()
            for hold in self._holds:
                hold.release.set()
            self._holds.clear()
            self.history.clear()
            self._overflows = listen_overflows()

    @property
    def refused(self) -> int:
        """Connections refused for a full listen queue since start or reset (machine-wide: an upper bound)."""
        return listen_overflows() - self._overflows

    # -- inspection --------------------------------------------------------------------------------

    def calls_to(self, method: str, ok_only: bool = True, where: Callable[[Call], bool] | None = None) -> list[Call]:
        """Recorded calls of one method (only answered ones unless ok_only=False)."""
        with self._cond:
            return [
                c for c in self.calls if c.method == method and (c.ok or not ok_only) and (where is None or where(c))
            ]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        where: Callable[[Call], bool] | None = None,
        timeout: float = 15.0,
        ok_only: bool = True,
    ) -> list[Call]:
        """Block until at least `count` matching calls arrived (woken by each new call); fail on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [
                    c
                    for c in self.calls
                    if c.method == method and (c.ok or not ok_only) and (where is None or where(c))
                ]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(c.method, c.status) for c in self.calls]
                    raise AssertionError(f"expected {count} x {method}, got {len(found)}; all calls: {seen}")
                self._cond.wait(remaining)

    # -- the fake API ------------------------------------------------------------------------------

    def _take_failure(self, method: str, body: dict[str, Any]) -> _Failure | None:
        for failure in self._failures:
            if failure.channel is not None and str(body.get("channel", "")) != failure.channel:
                continue
            if failure.remaining > 0 and failure.method in (None, method):
                failure.remaining -= 1
                return failure
        return None

    def _answer(self, path: str, headers: dict[str, str], raw: str, query: str) -> tuple[int, dict[str, str], Any]:
        raw_upload = path.startswith("/upload/")
        body = {} if raw_upload else {**dict(parse_qsl(query, keep_blank_values=True)),
                                      **_parse(raw, headers.get("Content-Type", ""))}  # fmt: skip
        if path.startswith("/response_url/"):
            method, result = "response_url", (200, {}, b"ok")
        elif path.startswith("/upload/"):  # files_upload_v2 step 2: the raw file to the upload URL
            body = {"file_id": path.removeprefix("/upload/"), "content": raw}
            method, result = "file_upload", (200, {}, f"OK - {len(raw.encode())}".encode())
        elif path.startswith("/api/"):
            method = path.removeprefix("/api/")
            result = self._api(method, body, headers)
        else:
            method, result = "unknown", (404, {}, {"ok": False, "error": "unknown_path"})
        with self._cond:
            failure = self._take_failure(method, body) if method not in ("auth.test", "response_url") else None
            if failure is not None:
                extra = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
                error = "ratelimited" if failure.status == 429 else "internal_error"
                result = (failure.status, extra, {"ok": False, "error": error})
            self.calls.append(Call(method, path, result[0], body, headers, result[2]))
            if method == "chat.postMessage" and result[0] == 200 and isinstance(result[2], dict):
                self._remember(body, result[2])
            self._take_hold(method, headers)
            self._cond.notify_all()
        return result

    def _remember(self, body: dict[str, Any], answer: dict[str, Any]) -> None:
        if not answer.get("ok"):
            return
        metadata = body.get("metadata")
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata)
            except json.JSONDecodeError:
                metadata = None
        message = {"ts": answer.get("ts", ""), "text": body.get("text", ""), "bot_id": BOT_ID}
        if isinstance(metadata, dict):
            message["metadata"] = metadata
        self.history[str(answer.get("channel", ""))].append(message)

    def _take_hold(self, method: str, headers: dict[str, str]) -> None:
        for hold in self._holds:
            token_ok = hold.token is None or headers.get("Authorization", "") == f"Bearer {hold.token}"
            if hold.method == method and token_ok and not hold.held.is_set() and hold.after > 0:
                hold.after -= 1
                if hold.after == 0:
                    hold.holder = headers.get("Authorization", "").removeprefix("Bearer ")
                    threading.current_thread().lefbot_hold = hold
                return

    def _api(self, method: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        auth = headers.get("Authorization", "")
        if auth.removeprefix("Bearer ") in INVALID_TOKENS:
            return 200, {}, {"ok": False, "error": "invalid_auth"}
        if method == "apps.connections.open" and auth.startswith("Bearer xapp-"):
            return 200, {}, {"ok": True, "url": "wss://127.0.0.1:9/link"}
        if not auth.startswith("Bearer xoxb-"):
            return 200, {}, {"ok": False, "error": "not_authed"}
        ts = f"{int(time.time())}.{next(self._ts):06d}"
        channel = str(body.get("channel", ""))
        answers: dict[str, Any] = {
            "auth.test": {
                "ok": True,
                "url": "https://lef.example.slack.com/",
                "team": "Lef",
                "team_id": TEAM,
                "user": "lefbot",
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            },
            "chat.postMessage": {
                "ok": True,
                "channel": channel,
                "ts": ts,
                "message": {"text": body.get("text", ""), "ts": ts, "bot_id": BOT_ID},
            },
            "chat.postEphemeral": {"ok": True, "message_ts": ts},
            "chat.update": {"ok": True, "channel": channel, "ts": body.get("ts", ""), "text": body.get("text", "")},
            "chat.getPermalink": {
                "ok": True,
                "channel": channel,
                "permalink": f"https://lef.example.slack.com/archives/{channel}/p"
                + str(body.get("message_ts", "")).replace(".", ""),
            },
            "conversations.open": {"ok": True, "channel": {"id": "D" + str(body.get("users", "")).lstrip("U")}},
            "views.open": {"ok": True, "view": {"id": "V0001"}},
            "views.publish": {"ok": True, "view": {"id": "V0002"}},
            "files.getUploadURLExternal": {
                "ok": True,
                "upload_url": f"{self.url}/upload/F{next(self._ts):05d}",
                "file_id": "F0CSV",
            },
            "files.completeUploadExternal": {"ok": True, "files": [{"id": "F0CSV", "title": body.get("files", "")}]},
        }
        if method == "users.info":
            user = str(body.get("user", ""))
            if user.startswith(UNKNOWN_USER_PREFIX):
                return 200, {}, {"ok": False, "error": "user_not_found"}
            return (
                200,
                {},
                {
                    "ok": True,
                    "user": {
                        "id": user,
                        "name": user.lower(),
                        "real_name": f"Ambtenaar {user}",
                        "tz": "Europe/Amsterdam",
                        "profile": {"display_name": f"amb-{user.lower()}"},
                    },
                },
            )
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts):08d}"
            return 200, {}, {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = json.loads(str(body.get("files", "[]")))
            return 200, {}, {"ok": True, "files": [{"id": f["id"], "title": f.get("title", "")} for f in files]}
        if method == "conversations.history":
            with self._cond:
                messages = [dict(m) for m in reversed(self.history.get(channel, []))]
            if str(body.get("include_all_metadata", "")).lower() not in ("1", "true"):
                for message in messages:
                    message.pop("metadata", None)
            limit = int(body.get("limit") or 100)
            return 200, {}, {"ok": True, "messages": messages[:limit], "has_more": len(messages) > limit}
        if method in answers:
            return 200, {}, answers[method]
        return 200, {}, {"ok": False, "error": "unknown_method"}


def _parse(raw: str, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            return {"_raw": raw}
    return dict(parse_qsl(raw, keep_blank_values=True))
