"""The WCGB-style judge against a local server that speaks the OpenAI chat completions protocol."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from napkin.errors import BackendError, ConfigError
from napkin.score import ASPECTS, Judge, JudgeSettings, parse_judgement

SCORES = {k: 8 for k in ASPECTS} | {"color_scheme": 4, "ui_consistency": 10}


class ChatServer:
    """Answers POST /v1/chat/completions with the queued replies, recording every request."""

    def __init__(self) -> None:
        self.replies: list[tuple[int, str]] = []  # (status, body)
        self.requests: list[dict] = []
        self.headers: list[dict[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["content-length"]))
                outer.headers.append(dict(self.headers))
                outer.requests.append(json.loads(body) if self.path == "/v1/chat/completions" else {"path": self.path})
                status, text = outer.replies.pop(0) if outer.replies else (500, "no reply queued")
                data = text.encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def reply(self, content: object, status: int = 200) -> None:
        if isinstance(content, str) and status != 200:
            self.replies.append((status, content))
            return
        body = {"id": "x", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}
        self.replies.append((status, json.dumps(body)))

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[ChatServer]:
    s = ChatServer()
    yield s
    s.close()


def images() -> tuple[np.ndarray, np.ndarray]:
    ref = np.full((900, 1280, 3), 255, np.uint8)
    pred = ref.copy()
    pred[100:200, 100:500] = (200, 0, 0)
    return ref, pred


def test_a_well_formed_judgement(server, monkeypatch):
    monkeypatch.setenv("NAPKIN_JUDGE_API_KEY", "sk-test")
    server.reply(json.dumps(SCORES))
    with Judge(JudgeSettings(server.url, "tiny-vlm", image_width=320)) as judge:
        result = judge.judge(*images())
    assert result.ok and result.aspects == {k: float(v) for k, v in SCORES.items()}
    assert result.groups == {"VSA": 8.0, "CAD": 6.0, "TCC": 8.0, "UII": 10.0}
    assert result.overall == pytest.approx(sum(SCORES.values()) / 10)
    request = server.requests[0]
    assert request["model"] == "tiny-vlm" and request["temperature"] == 0
    parts = request["messages"][0]["content"]
    assert [p["type"] for p in parts] == ["text", "image_url", "image_url"]
    assert all(p["image_url"]["url"].startswith("data:image/png;base64,") for p in parts[1:])
    assert all(k in parts[0]["text"] for k in ASPECTS)
    assert {k.lower(): v for k, v in server.headers[0].items()}["authorization"] == "Bearer sk-test"


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("I think they look quite similar, maybe 8/10.", "no JSON object"),
        (json.dumps({k: 7 for k in list(ASPECTS)[:9]}), "lacks ui_consistency"),
        (json.dumps(SCORES | {"layout_consistency": 11}), "outside 0-10"),
        (json.dumps(SCORES | {"font_characteristics": "high"}), "not a number"),
        (json.dumps(SCORES | {"visual_harmony": True}), "not a number"),
        ([{"type": "image"}], "no text"),
        (None, "no text"),
    ],
)
def test_malformed_replies_are_recorded_not_dropped(server, content, error):
    server.reply(content)
    with Judge(JudgeSettings(server.url, "tiny-vlm")) as judge:
        result = judge.judge(*images())
    assert not result.ok and error in result.error
    assert result.overall is None and result.aspects == {}
    if isinstance(content, str):
        assert result.raw == content


def test_fenced_json_with_prose_and_string_numbers_is_read():
    text = "Here you go:\n```json\n" + json.dumps({k: str(v) for k, v in SCORES.items()}) + "\n```\nThanks!"
    assert parse_judgement(text) == {k: float(v) for k, v in SCORES.items()}


def test_braces_in_the_prose_around_the_object_are_not_taken_for_it():
    text = "Scores: " + json.dumps(SCORES) + " (each on a scale {0-10}; see {\"note\": 1})"
    assert parse_judgement(text) == {k: float(v) for k, v in SCORES.items()}
    assert parse_judgement('{"note": "first"} then ' + json.dumps(SCORES)) == {k: float(v) for k, v in SCORES.items()}


def test_server_errors_are_retried_then_raised(server):
    server.replies.append((503, "busy"))
    server.reply(json.dumps(SCORES))
    with Judge(JudgeSettings(server.url, "m", retries=1)) as judge:
        assert judge.judge(*images()).ok
    assert len(server.requests) == 2
    server.replies.append((429, "slow down"))  # rate limits are retried too (they once were not)
    server.reply(json.dumps(SCORES))
    with Judge(JudgeSettings(server.url, "m", retries=1)) as judge:
        assert judge.judge(*images()).ok
    assert len(server.requests) == 4
    server.replies.append((400, '{"error": "bad model"}'))
    with Judge(JudgeSettings(server.url, "m")) as judge, pytest.raises(BackendError, match="HTTP 400"):
        judge.judge(*images())
    server.replies.append((200, "not json at all"))
    with Judge(JudgeSettings(server.url, "m")) as judge, pytest.raises(BackendError, match="not JSON"):
        judge.judge(*images())
    # A reply without choices is the server failing, not the judge's opinion: raised, so that
    # `napkin eval` asks again on its next run.
    server.replies.append((200, json.dumps({"choices": []})))
    with Judge(JudgeSettings(server.url, "m")) as judge, pytest.raises(BackendError, match="without choices"):
        judge.judge(*images())


def test_errors_name_the_judge_settings(server):
    server.replies.append((401, '{"error": {"message": "invalid key"}}'))
    with Judge(JudgeSettings(server.url, "m")) as judge, pytest.raises(BackendError) as err:
        judge.judge(*images())
    assert "invalid key" in str(err.value) and "$NAPKIN_JUDGE_API_KEY" in str(err.value)
    assert "--api-key" not in str(err.value)  # generate's flag, which napkin eval does not have


def test_unreachable_judge_and_bad_settings():
    with pytest.raises(ConfigError):
        JudgeSettings("localhost:8000", "m")
    with pytest.raises(ConfigError):
        JudgeSettings("http://127.0.0.1:9/v1", "")
    # Port 9 (discard) on the loopback: nothing listens, the connection is refused at once.
    with Judge(JudgeSettings("http://127.0.0.1:9/v1", "m", retries=0)) as judge, pytest.raises(BackendError, match="could not connect"):
        judge.judge(*images())
