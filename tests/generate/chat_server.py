"""A small local server speaking the OpenAI chat-completions protocol, scripted per test.

Each request is answered by the next action in `actions` (or `default` when none is left); an
action writes a whole HTTP response, well-formed or not, through the handler. Every request's
JSON body and headers are kept in `requests`.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

Action = Callable[["_Handler", dict[str, Any]], None]


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    def text(self) -> str:
        """Every text part of every message, joined: what a model would read."""
        out = []
        for m in self.body.get("messages", []):
            content = m.get("content")
            if isinstance(content, str):
                out.append(content)
            elif isinstance(content, list):
                out += [p.get("text", "") for p in content if p.get("type") == "text"]
        return "\n".join(out)

    def last_user_text(self) -> str:
        content = [m for m in self.body["messages"] if m["role"] == "user"][-1]["content"]
        return content if isinstance(content, str) else " ".join(p.get("text", "") for p in content)


@dataclass
class ChatServer:
    url: str = ""
    actions: list[Action] = field(default_factory=list)
    default: Action | None = None
    requests: list[Seen] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_action(self) -> Action:
        with self.lock:
            if self.actions:
                return self.actions.pop(0)
        return self.default or answer("<!DOCTYPE html><html><body><h1>Default</h1></body></html>")


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "FakeChat/1.0"
    chat: ChatServer  # set on the subclass made per server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw)
        except json.JSONDecodeError:
            body = {}
        with self.chat.lock:
            self.chat.requests.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        try:
            self.chat.next_action()(self, body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    # -- building blocks for actions ----------------------------------------------------------

    def send_json(self, obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.send_raw(json.dumps(obj).encode(), status, "application/json", headers)

    def send_raw(self, data: bytes, status: int = 200, ctype: str = "application/json", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def start_stream(self) -> None:
        # HTTP/1.0 without a length: the body ends when the connection closes, as SSE allows.
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()

    def event(self, obj: Any) -> None:
        payload = obj if isinstance(obj, str) else json.dumps(obj)
        self.wfile.write(f"data: {payload}\n\n".encode())
        self.wfile.flush()


def completion(text: str, finish: str = "stop") -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
    }


def chunk(text: str | None = None, finish: str | None = None) -> dict[str, Any]:
    delta = {"content": text} if text is not None else {}
    return {"id": "chatcmpl-1", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


def pieces(text: str, size: int = 40) -> list[str]:
    return [text[i: i + size] for i in range(0, len(text), size)]


def answer(text: str, finish: str = "stop") -> Action:
    """A normal answer, streamed or not as the request asks."""

    def act(h: _Handler, body: dict[str, Any]) -> None:
        if not body.get("stream"):
            h.send_json(completion(text, finish))
            return
        h.start_stream()
        h.wfile.write(b": keep-alive comment\n\n")
        h.event({"id": "chatcmpl-1", "choices": [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}]})
        for p in pieces(text):
            h.event(chunk(p))
        h.event(chunk(finish=finish))
        h.event({"id": "chatcmpl-1", "choices": [], "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150}})
        h.event("[DONE]")

    return act


def status(code: int, message: str = "nope", headers: dict[str, str] | None = None) -> Action:
    def act(h: _Handler, body: dict[str, Any]) -> None:
        h.send_json({"error": {"message": message, "type": "test"}}, code, headers)

    return act


def stall(seconds: float) -> Action:
    """Say nothing for a while (the client should time out first)."""

    def act(h: _Handler, body: dict[str, Any]) -> None:
        h.chat.stop.wait(seconds)

    return act


def raw(data: bytes, ctype: str = "application/json") -> Action:
    def act(h: _Handler, body: dict[str, Any]) -> None:
        h.send_raw(data, 200, ctype)

    return act


def stream_lines(lines: list[str]) -> Action:
    """A stream of exactly these lines, then the connection closes (no [DONE] unless listed)."""

    def act(h: _Handler, body: dict[str, Any]) -> None:
        h.start_stream()
        for line in lines:
            h.wfile.write(line.encode() + b"\n")
        h.wfile.flush()

    return act


@contextmanager
def chat_server() -> Iterator[ChatServer]:
    chat = ChatServer()
    handler = type("Handler", (_Handler,), {"chat": chat})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.block_on_close = False
    chat.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield chat
    finally:
        chat.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
