"""The repair loop and best-of-n in the real sandbox (Chromium), against the local chat server."""

from __future__ import annotations

import pytest
from PIL import Image

from napkin.generate import OpenAIGenerator, OpenAISettings
from tests.conftest import image_of
from tests.generate.chat_server import answer, status

pytestmark = pytest.mark.browser

BROKEN = """<!DOCTYPE html><html><head><style>h1{color:#c00}</style></head>
<body><h1>Pricing</h1><button id="buy">Buy</button>
<script>document.getElementById('buy').addEventListener('click', () => {}); startCarousel();</script>
</body></html>"""
FIXED = BROKEN.replace(" startCarousel();", "")

REFERENCE = """<!DOCTYPE html><html><head><style>
body{margin:0;font-family:sans-serif} header{background:#1d2b53;height:90px}
.cols{display:flex;gap:24px;padding:40px} .cols div{flex:1;height:260px;background:#9aa5b1}
</style></head><body><header></header><div class="cols"><div></div><div></div><div></div></div></body></html>"""
NEAR = REFERENCE.replace("#1d2b53", "#22305a").replace("height:260px", "height:250px")
FAR = "<!DOCTYPE html><html><body style='margin:0;background:#f5c400'><p>Sale</p></body></html>"


def gen(server, renderer, **kw) -> OpenAIGenerator:
    s = OpenAISettings(base_url=server.url, model="test-vlm", **kw)
    return OpenAIGenerator(s, renderer=renderer)


def test_js_error_is_sent_back_and_fixed(server, renderer):
    server.actions = [answer(f"```html\n{BROKEN}\n```"), answer(f"Fixed:\n```html\n{FIXED}\n```")]
    picture = Image.new("RGB", (800, 400), "white")
    with gen(server, renderer, repair_rounds=2) as g:
        result = g.generate(picture, "screenshot")

    assert len(server.requests) == 2  # the clean second answer ends the loop
    second = server.requests[1]
    feedback = second.last_user_text()
    assert "startCarousel is not defined" in feedback and "uncaught JavaScript error" in feedback
    roles = [m["role"] for m in second.body["messages"]]
    assert roles == ["system", "user", "assistant", "user"]
    assert "startCarousel();" in second.body["messages"][2]["content"]  # the answer being fixed

    assert "startCarousel" not in result.html and "<h1>Pricing</h1>" in result.html
    rounds = result.candidates[0].rounds
    assert [len(r.problems) for r in rounds] == [1, 0]
    assert result.rounds == 2 and result.warnings == []


def test_gives_up_after_the_last_round_keeping_the_best_answer(server, renderer):
    worse = BROKEN.replace("startCarousel();", "console.error('no slides'); startCarousel();")
    server.actions = [answer(f"```html\n{BROKEN}\n```"), answer(f"```html\n{worse}\n```")]
    with gen(server, renderer, repair_rounds=1) as g:
        result = g.generate(Image.new("RGB", (800, 400), "white"))
    assert len(server.requests) == 2
    assert result.html.strip() == BROKEN.strip()  # one problem beats two
    assert any("startCarousel" in w for w in result.warnings)


def test_blank_page_and_cdn_are_repaired(server, renderer):
    blank = "<!DOCTYPE html><html><head><script src='https://cdn.tailwindcss.com'></script></head><body></body></html>"
    server.actions = [answer(blank), answer(f"```html\n{FIXED}\n```")]
    with gen(server, renderer, repair_rounds=1) as g:
        result = g.generate(image_of(renderer.render(REFERENCE)))
    feedback = server.requests[1].last_user_text()
    assert "renders blank" in feedback and "cdn.tailwindcss.com" in feedback
    assert "Pricing" in result.html


def test_reply_without_html_is_asked_again(server, renderer):
    server.actions = [answer("This looks like a pricing page with a red title."), answer(f"```html\n{FIXED}\n```")]
    with gen(server, renderer, repair_rounds=1) as g:
        result = g.generate(Image.new("RGB", (800, 400), "white"))
    assert "no HTML document" in server.requests[1].last_user_text()
    assert "Pricing" in result.html and result.candidates[0].rounds[0].problems == ["the reply contained no HTML"]


def test_best_of_n_keeps_the_rendering_closest_to_the_picture(server, renderer):
    picture = image_of(renderer.render(REFERENCE))
    server.actions = [answer(f"```html\n{h}\n```") for h in (FAR, NEAR, FAR.replace("#f5c400", "#e0245e"))]
    with gen(server, renderer, n=3, repair_rounds=0) as g:
        result = g.generate(picture, "screenshot")
    assert len(server.requests) == 3
    assert result.html.strip() == NEAR.strip()
    scores = sorted(c.score for c in result.candidates if c.score is not None)
    assert len(scores) == 3 and result.candidates[result.chosen].score == scores[-1]


def test_best_of_n_uses_the_given_scorer_and_survives_a_failed_candidate(server, renderer):
    def yellowness(reference: Image.Image, candidate: Image.Image) -> float:
        r, g, b = candidate.convert("RGB").resize((1, 1)).getpixel((0, 0))  # type: ignore[misc]
        return (r + g - b) / 510

    server.actions = [status(400, "bad image"), answer(NEAR), answer(FAR)]
    s = OpenAISettings(base_url=server.url, model="m", n=3, repair_rounds=0, parallel=1, max_retries=0)
    with OpenAIGenerator(s, renderer=renderer, scorer=yellowness) as g:
        result = g.generate(Image.new("RGB", (640, 400), "white"))
    assert "#f5c400" in result.html
    assert any("candidate 0 failed" in w and "bad image" in w for w in result.warnings)
    assert result.candidates[0].error is not None and result.candidates[0].score is None
