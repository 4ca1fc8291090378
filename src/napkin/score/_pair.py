"""`score_pair`: one prediction against one reference, rendered on the spot."""

from __future__ import annotations

import re

from napkin.errors import InputError
from napkin.render import VIEWPORTS, Renderer, RenderJob, RenderOptions, default_renderer
from napkin.score._judge import Judge
from napkin.score._match import MatchConfig
from napkin.score._page import PairScore, Scorer, page_from_image, page_from_render
from napkin.score._visual import VisualMetric

DESKTOP = RenderOptions()
# The responsive check needs DOM facts only: no screenshot, about half the cost of a render.
MOBILE = RenderOptions(viewport=VIEWPORTS["mobile"], screenshot=False)

# Pages are scored as they look once still. A full-page capture resizes the window, which can
# start CSS transitions and restart animations, and the capture then catches them halfway: the
# same page gave different pixels from one render to the next. Transitions are turned off and
# animations jump to their end state (the state a visitor sees after a moment).
_STILL = (
    b"<style>*,*::before,*::after{transition:none!important;animation-duration:0s!important;"
    b"animation-delay:0s!important}</style>"
)
STILL_ELEMENTS = 1  # the <style> still_html adds
_HEAD = re.compile(rb"<head\b[^>]*>", re.I)
_DOCTYPE = re.compile(rb"<!doctype[^>]*>", re.I)


def still_html(html: str | bytes) -> bytes:
    """The page with its motion frozen (see _STILL), for scoring renders. The original is what code quality reads."""
    data = html.encode("utf-8") if isinstance(html, str) else html
    head = data[:65536]
    m = _HEAD.search(head) or _DOCTYPE.search(head)
    at = m.end() if m else 0
    return data[:at] + _STILL + data[at:]


def score_pair(
    pred: str | bytes,
    ref: str | bytes,
    *,
    ref_is_image: bool = False,
    pred_is_image: bool = False,
    renderer: Renderer | None = None,
    visual: str | VisualMetric | Scorer | None = None,
    match: MatchConfig | None = None,
    responsive: bool = True,
    judge: Judge | None = None,
    name: str = "",
) -> PairScore:
    """Render and score a predicted page against a reference page (HTML, or screenshot bytes).

    With a `judge`, the two screenshots are also rated by its vision model.
    """
    scorer = visual if isinstance(visual, Scorer) else Scorer(visual, match)
    renderer = renderer or default_renderer()
    jobs: list[RenderJob] = []
    if not pred_is_image:
        jobs.append(RenderJob(still_html(pred), DESKTOP))
        if responsive:
            jobs.append(RenderJob(still_html(pred), MOBILE))
    if not ref_is_image:
        jobs.append(RenderJob(still_html(ref), DESKTOP))
    results = iter(list(renderer.render_many(jobs)))
    if pred_is_image:
        pred_page = page_from_image(_image_bytes(pred))
    else:
        desktop = next(results)
        mobile = next(results) if responsive else None
        pred_page = page_from_render(desktop, _text(pred), mobile, STILL_ELEMENTS)
    if ref_is_image:
        ref_page = page_from_image(_image_bytes(ref))
    else:
        ref_page = page_from_render(next(results), _text(ref), added_elements=STILL_ELEMENTS)
        if ref_page.failure:
            raise InputError(f"the reference did not render ({ref_page.failure}); a pair needs a reference that renders")
    result = scorer.score(pred_page, ref_page, name)
    if judge is not None:
        result.judge = judge.judge(ref_page.pixels, pred_page.pixels)
    return result


def _image_bytes(data: str | bytes) -> bytes:
    if not isinstance(data, bytes):
        raise InputError("a screenshot must be given as the bytes of a PNG or JPEG file")
    return data


def _text(html: str | bytes) -> str:
    from napkin.render import decode_html

    return decode_html(html)[0]
