"""The fake renderer stands in for Chromium in unit tests of code above the seam."""

from __future__ import annotations

from napkin.render import FakeRenderer, Render, Renderer, RenderOptions


def test_fake_is_a_renderer_and_records_calls():
    fake = FakeRenderer()
    assert isinstance(fake, Renderer)
    r = fake.render("<h1>Title</h1><p>Body text</p>")
    assert r.ok and [e.text for e in r.elements] == ["Title", "Body text"]
    assert r.width == 1280 and r.image is not None
    assert fake.calls[0][0].startswith("<h1>")


def test_fake_takes_canned_answers():
    def respond(html: str, options: RenderOptions) -> Render:
        return FakeRenderer().render("<p>canned</p>", options)

    fake = FakeRenderer(respond)
    assert [r.elements[0].text for r in fake.render_many(["a", "b"])] == ["canned", "canned"]
