"""The chat-completions client and the remote backend's answer handling, against a local server.

No browser here: n=1 and repair_rounds=0 need no sandbox.
"""

from __future__ import annotations

import json
import socket

import pytest
from PIL import Image

from napkin.errors import BackendError, ConfigError
from napkin.generate import OpenAIGenerator, OpenAISettings, generate
from napkin.generate._chat import ChatClient
from tests.generate.chat_server import answer, chunk, raw, stall, status, stream_lines

PAGE = "<!DOCTYPE html>\n<html><head><style>h1{color:#c00}</style></head><body><h1>Shop</h1></body></html>"
PICTURE = Image.new("RGB", (320, 200), "white")


def settings(server, **kw) -> OpenAISettings:
    base = {"base_url": server.url, "model": "test-vlm", "api_key": "sk-test", "repair_rounds": 0, "max_retries": 2}
    return OpenAISettings(**{**base, **kw})


def run(server, **kw):
    with OpenAIGenerator(settings(server, **kw)) as gen:
        return gen.generate(PICTURE, "screenshot")


@pytest.mark.parametrize("stream", [True, False])
def test_answer_with_prose_and_fence(server, stream):
    server.actions = [answer(f"Sure! Here is the page:\n\n```html\n{PAGE}\n```\n\nIt uses flexbox.")]
    result = run(server, stream=stream)
    assert result.html.strip() == PAGE
    assert result.backend == "openai" and result.model == "test-vlm" and result.tree is None
    assert result.usage["total_tokens"] == 150
    assert result.rounds == 1 and result.candidates[0].rounds[0].finish_reason == "stop"

    req = server.requests[0]
    assert req.path == "/v1/chat/completions"
    assert req.headers["authorization"] == "Bearer sk-test"
    assert req.body["model"] == "test-vlm" and req.body["stream"] is stream
    system, user = req.body["messages"]
    assert system["role"] == "system" and "self-contained" in system["content"]
    image_part = next(p for p in user["content"] if p["type"] == "image_url")
    assert image_part["image_url"]["url"].startswith("data:image/png;base64,")
    assert "screenshot" in req.text() and "320 px" in req.text()


def test_prompt_variants_per_kind(server):
    with OpenAIGenerator(settings(server)) as gen:
        for kind in ("screenshot", "sketch", "auto"):
            gen.generate(PICTURE, kind)
    texts = [r.last_user_text() for r in server.requests]
    assert "screenshot of a web page" in texts[0] and "sketch" not in texts[0]
    assert "hand-drawn sketch" in texts[1] and "scribbles" in texts[1]
    assert "either a screenshot" in texts[2]


def test_optional_parameters_only_when_set(server):
    run(server)
    run(server, temperature=0.3, max_tokens=5000)
    assert "temperature" not in server.requests[0].body and "max_tokens" not in server.requests[0].body
    assert server.requests[1].body["temperature"] == 0.3 and server.requests[1].body["max_tokens"] == 5000


def test_401_says_how_to_fix(server):
    server.actions = [status(401, "Incorrect API key provided")]
    with pytest.raises(BackendError, match=r"HTTP 401.*refused.*Incorrect API key.*NAPKIN_OPENAI_API_KEY"):
        run(server)
    assert len(server.requests) == 1  # never retried


def test_429_waits_for_retry_after(server):
    server.actions = [status(429, "slow down", {"Retry-After": "1"}), answer(PAGE)]
    result = run(server)
    assert "<h1>Shop</h1>" in result.html
    assert len(server.requests) == 2


def test_429_with_a_long_retry_after_fails_at_once(server):
    server.actions = [status(429, "quota", {"Retry-After": "3600"})]
    with pytest.raises(BackendError, match=r"HTTP 429.*quota.*3600 s.*max_retry_wait"):
        run(server)
    assert len(server.requests) == 1


def test_500_is_retried_then_reported(server):
    server.default = status(500, "model crashed")
    with pytest.raises(BackendError, match=r"HTTP 500.*model crashed.*after 2 attempts"):
        run(server, max_retries=1, stream=False)
    assert len(server.requests) == 2


def test_404_points_at_the_base_url(server):
    server.actions = [status(404, "model 'test-vlm' not found")]
    with pytest.raises(BackendError, match=r"404.*not found.*/v1"):
        run(server)


def test_timeout(server):
    server.actions = [stall(10)]
    with pytest.raises(BackendError, match=r"no answer .* within 0.5 s; raise --timeout"):
        run(server, timeout=0.5)
    assert len(server.requests) == 1  # a slow model is not asked again


def test_refused_connection():
    with socket.socket() as sock:  # a port nothing listens on once this closes
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dead = OpenAISettings(base_url=f"http://127.0.0.1:{port}/v1", model="m", max_retries=0, repair_rounds=0)
    with OpenAIGenerator(dead) as gen, pytest.raises(BackendError, match=r"could not connect.*is the server running"):
        gen.generate(PICTURE)


def test_garbage_json_body(server):
    server.actions = [raw(b"<html>nginx default page</html>", "text/html")]
    with pytest.raises(BackendError, match="not JSON.*/v1"):
        run(server, stream=False)


def test_json_without_choices(server):
    server.actions = [raw(json.dumps({"object": "list", "data": []}).encode())]
    with pytest.raises(BackendError, match="without choices"):
        run(server, stream=False)


def test_garbage_stream(server):
    server.actions = [stream_lines(["hello there", "data: {not json", "data: [1, 2]"])]
    with pytest.raises(BackendError, match="stream format.*hello there"):
        run(server)


def test_json_body_when_a_stream_was_asked_for(server):
    # Some servers ignore `stream: true` and answer with one JSON body: that is fine.
    server.actions = [raw(json.dumps({"choices": [{"index": 0, "message": {"content": PAGE}, "finish_reason": "stop"}]}).encode())]
    assert "<h1>Shop</h1>" in run(server).html


def test_truncated_stream_keeps_what_arrived(server):
    cut = PAGE[: PAGE.index("</h1>")]
    lines = [f"data: {json.dumps(chunk(p))}" for p in ["```html\n", cut]]
    server.actions = [stream_lines(lines)]  # the connection closes: no finish_reason, no [DONE]
    result = run(server)
    assert "<h1>Shop" in result.html and result.html.startswith("<!DOCTYPE html>")
    problems = result.candidates[0].problems
    assert any("cut off" in p for p in problems)
    assert any("problems" in w for w in result.warnings)


def test_token_limit_is_reported(server):
    server.actions = [answer("```html\n<!DOCTYPE html><html><body><div><p>long", finish="length")]
    result = run(server)
    assert any("token limit" in w for w in result.warnings)


def test_error_event_mid_stream(server):
    server.actions = [stream_lines([f"data: {json.dumps(chunk('<html>'))}", 'data: {"error": {"message": "out of memory"}}'])]
    with pytest.raises(BackendError, match="mid-answer: out of memory"):
        run(server)


def test_reply_without_html(server):
    server.actions = [answer("I'm sorry, I cannot see any image in your message.")]
    with pytest.raises(BackendError, match="no candidate produced HTML.*no HTML"):
        run(server)


def test_model_is_required(server):
    with pytest.raises(ConfigError, match="--model"):
        OpenAIGenerator(OpenAISettings(base_url=server.url))


def test_generate_api_with_options(server, tmp_path):
    path = tmp_path / "shot.png"
    PICTURE.save(path)
    result = generate(path, backend="openai", kind="sketch", base_url=server.url, model="m", repair_rounds=0)
    assert result.kind == "sketch" and "<h1>Default</h1>" in result.html
    assert {"load", "total"} <= set(result.timings)


def test_client_sends_usage_request_only_when_streaming(server):
    client = ChatClient(settings(server, stream=False))
    try:
        client.complete([{"role": "user", "content": "hi"}])
    finally:
        client.close()
    assert "stream_options" not in server.requests[0].body
