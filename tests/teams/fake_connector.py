"""A fake Teams connector service (Bot Framework REST API v3) on 127.0.0.1: the activities' `serviceUrl` in tests."""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

FIRST_ACTIVITY_ID = 1764590400000  # Teams activity ids are millisecond timestamps

_ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    ("POST", re.compile(r"^/v3/conversations/(?P<conv>[^/]+)/activities/(?P<act>[^/]+)$"), "reply"),
    ("POST", re.compile(r"^/v3/conversations/(?P<conv>[^/]+)/activities$"), "send"),
    ("PUT", re.compile(r"^/v3/conversations/(?P<conv>[^/]+)/activities/(?P<act>[^/]+)$"), "update"),
    ("DELETE", re.compile(r"^/v3/conversations/(?P<conv>[^/]+)/activities/(?P<act>[^/]+)$"), "delete"),
    ("POST", re.compile(r"^/v3/conversations$"), "create"),
    ("GET", re.compile(r"^/v3/conversations/(?P<conv>[^/]+)/members/(?P<user>[^/]+)$"), "member"),
    ("GET", re.compile(r"^/v3/conversations/(?P<conv>[^/]+)/members$"), "members"),
]


@dataclass
class Call:
    """One request the fake connector received."""

    kind: str  # send, reply, update, delete, create, member, members or unknown
    method: str
    path: str
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    conversation_id: str = ""
    activity_id: str = ""  # the replyToId (reply) or the updated/deleted activity id
    answer: Any = None

    @property
    def ok(self) -> bool:
        """True when the fake answered 2xx."""
        return 200 <= self.status < 300

    @property
    def activity(self) -> dict[str, Any]:
        """The activity the bot sent (empty for calls without one)."""
        return self.body if isinstance(self.body, dict) and self.kind in ("send", "reply", "update") else {}

    @property
    def type(self) -> str:
        """The sent activity's type (message, typing, ...)."""
        return str(self.activity.get("type", ""))

    @property
    def sent_id(self) -> str:
        """The id the fake gave the sent or created activity."""
        return str(self.answer.get("id", "")) if isinstance(self.answer, dict) else ""

    def texts(self) -> str:
        """All text of the sent activity: its text plus every text/title in its attachments (cards)."""
        found: list[str] = [str(self.activity.get("text") or "")]

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key in ("text", "title", "fallbackText") and isinstance(value, str):
                        found.append(value)
                    else:
                        walk(value)
            elif isinstance(node, list):
                for item in node:
                    walk(item)

        walk(self.activity.get("attachments") or [])
        return "\n".join(t for t in found if t)


@dataclass
class _Failure:
    kind: str | None
    status: int
    retry_after: int | None
    remaining: int


class _Server(ThreadingHTTPServer):
    """A threaded HTTP server with a listen backlog large enough for bursts."""

    request_queue_size = 512
    daemon_threads = True


class FakeConnector:
    """Records what a bot sends to Teams and answers like the connector service does."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.members: dict[str, dict[str, Any]] = {}  # user id or aadObjectId -> TeamsChannelAccount
        self._failures: list[_Failure] = []
        self._cond = threading.Condition()
        self._ids = itertools.count(FIRST_ACTIVITY_ID)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                self._handle()

            def do_POST(self) -> None:
                self._handle()

            def do_PUT(self) -> None:
                self._handle()

            def do_DELETE(self) -> None:
                self._handle()

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                status, headers, payload = fake._answer(self.command, self.path, dict(self.headers), raw)
                data = json.dumps(payload).encode()
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, name="fake-connector", daemon=True)

    # -- lifecycle ---------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The serviceUrl to put in activities (with a trailing slash, as Teams sends it)."""
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> FakeConnector:
        """Serve in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeConnector:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- scripting ---------------------------------------------------------------------------------

    def fail_next(self, count: int, status: int = 429, kind: str | None = None, retry_after: int | None = 1) -> None:
        """Answer the next `count` calls (of `kind`, e.g. "reply", or any kind) with `status` (429 adds Retry-After)."""
        with self._cond:
            self._failures.append(_Failure(kind, status, retry_after if status == 429 else None, count))

    def add_member(
        self,
        user_id: str,
        name: str,
        email: str,
        aad_object_id: str,
        tenant_id: str = "",
    ) -> dict[str, Any]:
        """Make the member lookup know a user (found by `29:` id or by aadObjectId)."""
        given, _, surname = name.partition(" ")
        member = {
            "id": user_id,
            "name": name,
            "aadObjectId": aad_object_id,
            "email": email,
            "userPrincipalName": email,
            "givenName": given,
            "surname": surname,
            "tenantId": tenant_id,
            "userRole": "user",
        }
        with self._cond:
            self.members[user_id] = member
            self.members[aad_object_id] = member
        return member

    def reset(self) -> None:
        """Forget recorded calls and pending failures (members stay)."""
        with self._cond:
            self.calls.clear()
            self._failures.clear()

    # -- inspection --------------------------------------------------------------------------------

    def sent(self, conversation_id: str | None = None, include_typing: bool = False) -> list[Call]:
        """Accepted sends, replies and updates (optionally in one conversation), typing indicators left out."""
        with self._cond:
            return [c for c in self.calls if self._is_sent(c, conversation_id, include_typing)]

    def wait_for(self, predicate: Callable[[list[Call]], bool], timeout: float = 10.0) -> list[Call]:
        """Wait until `predicate(calls)` holds; the calls then, or AssertionError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate(self.calls):
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(c.kind, c.status, c.conversation_id, c.type) for c in self.calls]
                    raise AssertionError(f"connector: condition not met in {timeout}s; calls: {seen}")
                self._cond.wait(left)
            return list(self.calls)

    def wait_for_activities(
        self, count: int = 1, conversation_id: str | None = None, timeout: float = 10.0, include_typing: bool = False
    ) -> list[Call]:
        """Wait until at least `count` activities were accepted (in `conversation_id` if given); returns them."""
        self.wait_for(
            lambda calls: sum(self._is_sent(c, conversation_id, include_typing) for c in calls) >= count, timeout
        )
        return self.sent(conversation_id, include_typing)

    @staticmethod
    def _is_sent(call: Call, conversation_id: str | None, include_typing: bool) -> bool:
        return (
            call.kind in ("send", "reply", "update")
            and call.ok
            and (conversation_id is None or call.conversation_id == conversation_id)
            and (include_typing or call.type != "typing")
        )

    # -- the connector ---------------------------------------------------------------------------

    def _answer(self, method: str, raw_path: str, headers: dict[str, str], raw: str) -> tuple[int, dict, Any]:
        path = raw_path.partition("?")[0]
        kind, params = "unknown", {}
        for route_method, pattern, route_kind in _ROUTES:
            match = pattern.match(path) if route_method == method else None
            if match:
                kind, params = route_kind, {k: unquote(v) for k, v in match.groupdict().items()}
                break
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        call = Call(kind, method, path, 0, body, headers, params.get("conv", ""), params.get("act", ""))
        with self._cond:
            status, extra, payload = self._failure(kind) or self._route(call, params)
            call.status, call.answer = status, payload
            self.calls.append(call)
            self._cond.notify_all()
        return status, extra, payload

    def _failure(self, kind: str) -> tuple[int, dict, Any] | None:
        for failure in self._failures:
            if failure.remaining > 0 and failure.kind in (None, kind):
                failure.remaining -= 1
                if failure.remaining == 0:
                    self._failures.remove(failure)
                extra = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
                return failure.status, extra, _error("Throttled" if failure.status == 429 else "ServiceError")
        return None

    def _route(self, call: Call, params: dict[str, str]) -> tuple[int, dict, Any]:
        if call.kind == "unknown":
            return 404, {}, _error("NotFound", f"{call.method} {call.path}")
        if call.kind in ("send", "reply", "create") and not isinstance(call.body, dict):
            return 400, {}, _error("BadArgument", "body must be a JSON object")
        if call.kind in ("send", "reply"):
            return 201, {}, {"id": str(next(self._ids))}
        if call.kind == "update":
            return 200, {}, {"id": call.activity_id}
        if call.kind == "delete":
            return 200, {}, {}
        if call.kind == "create":
            return 201, {}, self._create(call.body)
        if call.kind == "member":
            member = self.members.get(params["user"])
            return (200, {}, member) if member else (404, {}, _error("MemberNotFoundInConversation"))
        return 200, {}, [m for key, m in self.members.items() if key == m["id"]]

    def _create(self, body: dict[str, Any]) -> dict[str, Any]:
        activity_id = str(next(self._ids))
        channel = ((body.get("channelData") or {}).get("channel") or {}).get("id")
        if body.get("isGroup") and channel:
            conversation_id = f"{channel};messageid={activity_id}"
        else:
            conversation_id = f"a:1{uuid.uuid4().hex}{uuid.uuid4().hex}"
        return {"id": conversation_id, "activityId": activity_id, "serviceUrl": self.url}


def _error(code: str, message: str = "") -> dict[str, Any]:
    """The connector's error body."""
    return {"error": {"code": code, "message": message or code}}
