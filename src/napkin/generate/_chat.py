"""A minimal client for OpenAI-compatible chat completions: streaming, retries, clear errors.

Only what Napkin needs of the protocol: POST {base_url}/chat/completions with messages, read
the answer's text either as server-sent events (`stream: true`) or as one JSON body. Servers
differ (OpenAI, vLLM, Ollama, llama.cpp, LM Studio, proxies), so the reader is lenient about
what it can be lenient about (unknown fields, comments, a JSON body where a stream was asked
for, a stream cut short) and precise in its errors about the rest.
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from napkin._extras import require
from napkin.errors import BackendError
from napkin.generate._config import OpenAISettings

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

_RETRY_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})
# A stream may run this many times the inactivity timeout in all, as long as tokens keep coming.
_STREAM_BUDGET = 10
_BACKOFF = 1.0  # seconds before the first retry when the server does not say; doubles after


@dataclass(slots=True)
class Reply:
    """The text of one answer and how it ended."""

    text: str
    finish_reason: str | None = None
    usage: dict[str, int] = field(default_factory=dict)
    truncated: bool = False  # the stream stopped before the server said it was done
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Advice:
    """What an error tells the user to change, in the words of the command that made the client."""

    api_key: str = "Set --api-key, NAPKIN_OPENAI_API_KEY or api_key under [openai] in the config file"
    timeout: str = "raise --timeout (large models on a CPU can take minutes per page)"
    image_size: str = "For large pictures lower image_max_side"


class _Retryable(Exception):
    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.wait = wait


class ChatClient:
    """Sends chat requests to one endpoint. Thread-safe (one pooled httpx client)."""

    def __init__(self, settings: OpenAISettings, client: httpx.Client | None = None, advice: Advice | None = None,
                 extra: str = "generate") -> None:
        # Imported here so that `import napkin.generate` works without the extra (embedded only).
        self._httpx = httpx_ = require("httpx", extra)
        self.settings = settings
        self.advice = advice or Advice()
        self._own_client = client is None
        timeout = httpx_.Timeout(settings.timeout, connect=min(settings.timeout, 15.0))
        self._client: httpx.Client = client or httpx_.Client(timeout=timeout, follow_redirects=True)

    def close(self) -> None:
        if self._own_client:
            self._client.close()

    def complete(self, messages: list[dict[str, Any]]) -> Reply:
        """One answer. Retries rate limits, server errors and refused connections; raises BackendError."""
        s = self.settings
        body: dict[str, Any] = {"model": s.model, "messages": messages, "stream": s.stream}
        if s.stream:
            body["stream_options"] = {"include_usage": True}
        if s.temperature is not None:
            body["temperature"] = s.temperature
        if s.max_tokens is not None:
            body["max_tokens"] = s.max_tokens
        headers = {"Accept": "text/event-stream" if s.stream else "application/json"}
        if s.api_key:
            headers["Authorization"] = f"Bearer {s.api_key}"
        backoff = _BACKOFF
        for attempt in range(s.max_retries + 1):
            t0 = time.perf_counter()
            try:
                reply = self._send(body, headers)
                reply.seconds = time.perf_counter() - t0
                return reply
            except _Retryable as exc:
                wait = exc.wait if exc.wait is not None else backoff
                backoff *= 2
                if attempt == s.max_retries:
                    raise BackendError(f"{exc} (gave up after {attempt + 1} attempts)") from None
                if wait > s.max_retry_wait:
                    raise BackendError(
                        f"{exc}; the server asks to wait {wait:.0f} s, longer than max_retry_wait "
                        f"({s.max_retry_wait:.0f} s): try again later"
                    ) from None
                log.info("%s; retrying in %.1f s", exc, wait)
                time.sleep(wait)
        raise AssertionError("unreachable")

    # -- one request ---------------------------------------------------------------------------

    def _send(self, body: dict[str, Any], headers: dict[str, str]) -> Reply:
        url = self.settings.endpoint
        httpx = self._httpx
        try:
            with self._client.stream("POST", url, json=body, headers=headers) as resp:
                if resp.status_code != 200:
                    resp.read()
                    raise self._status_error(resp)
                ctype = resp.headers.get("content-type", "")
                if "text/event-stream" in ctype:
                    return self._read_stream(resp)
                resp.read()
                return _parse_completion(resp.content, url)
        except httpx.ConnectError as exc:
            raise _Retryable(f"could not connect to {self.settings.base_url} ({exc}); is the server running?") from None
        except httpx.TimeoutException:
            # Not retried: a model that did not answer in time will not answer faster now.
            raise BackendError(f"no answer from {url} within {self.settings.timeout:g} s; {self.advice.timeout}") from None
        except httpx.HTTPError as exc:
            raise _Retryable(f"the connection to {url} failed: {exc}") from None

    def _status_error(self, resp: httpx.Response) -> Exception:
        code = resp.status_code
        detail = _error_detail(resp)
        where = self.settings.endpoint
        if code in _RETRY_STATUS:
            return _Retryable(f"HTTP {code} from {where}{detail}", _retry_after(resp.headers.get("retry-after")))
        if code in (401, 403):
            return BackendError(
                f"HTTP {code} from {where}: the API key was refused{detail}. {self.advice.api_key}"
            )
        if code == 404:
            return BackendError(
                f"HTTP 404 from {where}{detail}. The base URL usually ends in /v1 "
                f"(e.g. http://localhost:11434/v1), and the model ({self.settings.model!r}) must exist on the server"
            )
        if code in (400, 413, 422):
            return BackendError(
                f"HTTP {code}: the server refused the request{detail}. Is {self.settings.model!r} a vision model "
                f"that accepts image_url parts? {self.advice.image_size}"
            )
        return BackendError(f"HTTP {code} from {where}{detail}")

    def _read_stream(self, resp: httpx.Response) -> Reply:
        parts: list[str] = []
        reply = Reply(text="")
        deadline = time.monotonic() + _STREAM_BUDGET * self.settings.timeout
        done = False
        bad: list[str] = []
        try:
            for line in resp.iter_lines():
                if time.monotonic() > deadline:
                    raise BackendError(
                        f"the answer was still streaming after {_STREAM_BUDGET * self.settings.timeout:g} s; "
                        "raise --timeout or set max_tokens"
                    )
                if not line or line.startswith(":") or line.startswith(("event:", "id:", "retry:")):
                    continue
                if not line.startswith("data:"):
                    bad.append(line)
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    done = True
                    break
                try:
                    chunk = json.loads(data)
                except json.JSONDecodeError:
                    bad.append(line)
                    continue
                if not isinstance(chunk, dict):
                    bad.append(line)
                    continue
                if "error" in chunk:
                    raise BackendError(f"the server reported an error mid-answer: {_message_of(chunk['error'])}")
                _take_usage(reply, chunk)
                for choice in chunk.get("choices") or []:
                    if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                        continue
                    delta = choice.get("delta") or choice.get("message") or {}
                    if isinstance(delta, dict):
                        parts.append(_content_text(delta.get("content")))
                    if choice.get("finish_reason"):
                        reply.finish_reason = str(choice["finish_reason"])
        except (self._httpx.RemoteProtocolError, self._httpx.ReadError) as exc:
            if not parts:
                raise _Retryable(f"the stream from {self.settings.endpoint} broke before any text: {exc}") from None
            log.info("stream broke after %d chunks: %s", len(parts), exc)
        reply.text = "".join(parts)
        reply.truncated = not done and reply.finish_reason is None
        if not reply.text and bad:
            raise BackendError(
                f"{self.settings.endpoint} did not answer in the chat-completions stream format "
                f"(first unreadable line: {bad[0][:120]!r})"
            )
        if bad:
            log.warning("skipped %d unreadable stream lines (first: %r)", len(bad), bad[0][:120])
        return reply


def _parse_completion(raw: bytes, url: str) -> Reply:
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BackendError(
            f"{url} answered with something that is not JSON ({raw[:120]!r}); "
            "is the base URL that of an OpenAI-compatible API (ending in /v1)?"
        ) from None
    if not isinstance(data, dict):
        raise BackendError(f"{url} answered with JSON that is not a chat completion: {str(data)[:120]}")
    if "error" in data:
        raise BackendError(f"the server reported an error: {_message_of(data['error'])}")
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise BackendError(f"{url} answered without choices: {raw[:200]!r}")
    message = choices[0].get("message") or {}
    reply = Reply(
        text=_content_text(message.get("content") if isinstance(message, dict) else None),
        finish_reason=choices[0].get("finish_reason"),
    )
    _take_usage(reply, data)
    return reply


def _content_text(content: Any) -> str:
    """Message content as text: a string, or a list of parts (some servers answer in parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
    return ""


def _take_usage(reply: Reply, data: dict[str, Any]) -> None:
    usage = data.get("usage")
    if isinstance(usage, dict):
        for key in ("prompt_tokens", "completion_tokens", "total_tokens"):
            if isinstance(usage.get(key), int):
                reply.usage[key] = usage[key]


def _message_of(error: Any) -> str:
    if isinstance(error, dict):
        return str(error.get("message") or error)[:300]
    return str(error)[:300]


def _error_detail(resp: httpx.Response) -> str:
    try:
        data = resp.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        text = resp.text.strip()
        return f": {text[:200]}" if text else ""
    if isinstance(data, dict):
        for key in ("error", "detail", "message"):
            if key in data:
                return f": {_message_of(data[key])}"
    return f": {str(data)[:200]}"


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
