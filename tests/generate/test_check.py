from __future__ import annotations

import io

from PIL import Image, ImageDraw

from napkin.generate import markup_problems, render_problems
from napkin.render import FakeRenderer, Render, RenderOptions
from napkin.render._types import failed


def test_balanced_markup_has_no_problems():
    html = (
        "<!DOCTYPE html><html><head><meta charset=utf-8><style>p{}</style></head><body>"
        "<ul><li>a<li>b</ul><p>one<p>two<br><img src=x.png>"
        "<svg viewBox='0 0 1 1'><path d='M0 0'/><circle r=1></circle></svg>"
        "<table><tr><td>1<td>2</table><script>if (a < b && c > d) {}</script></body></html>"
    )
    assert markup_problems(html) == []


def test_unclosed_elements_at_the_end():
    problems = markup_problems("<html><body><main><section><div><p>text")
    assert len(problems) == 1
    assert "never closed" in problems[0] and "<main>" in problems[0] and "<div>" in problems[0] and "cut off" in problems[0]


def test_stray_and_misnested_end_tags():
    problems = markup_problems("<body>\n<div><span>a</div>\n</section></body>")
    assert "line 2: </div> closes <div> while <span> (line 2) is still open" in problems
    assert "line 3: </section> closes an element that is not open" in problems


def png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def rendered(image: Image.Image, **kw) -> Render:
    def respond(html: str, options: RenderOptions) -> Render:
        return Render(image=png(image), image_format="png", width=image.width, height=image.height,
                      page_width=image.width, page_height=image.height, viewport=options.viewport, elements=[], **kw)

    return FakeRenderer(respond).render("<p>x</p>")


def drawn() -> Image.Image:
    img = Image.new("RGB", (200, 100), "white")
    ImageDraw.Draw(img).rectangle((10, 10, 120, 40), fill="navy")
    return img


def test_errors_from_the_page_are_problems():
    r = rendered(drawn(), page_errors=["foo is not defined"], console_errors=["boom 3"],
                 blocked_requests=["https://cdn.tailwindcss.com/", "https://example.com/photo.jpg?w=200"])
    problems = render_problems(r)
    assert problems[0] == "uncaught JavaScript error: foo is not defined"
    assert problems[1] == "console error: boom 3"
    assert "cdn.tailwindcss.com" in problems[2] and "photo.jpg" not in problems[2]  # images get placeholders
    assert len(problems) == 3


def test_blank_page_is_a_problem_unless_the_picture_is_blank():
    blank = rendered(Image.new("RGB", (200, 100), "#fafafa"))
    assert any("renders blank" in p for p in render_problems(blank))
    assert render_problems(blank, input_blank=True) == []
    assert render_problems(rendered(drawn())) == []


def test_failed_render():
    r = failed(RenderOptions(), "timeout", "the page did not finish rendering within 15 s")
    assert render_problems(r) == ["the page did not render (timeout): the page did not finish rendering within 15 s"]
