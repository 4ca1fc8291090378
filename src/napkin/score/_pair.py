"""`score_pair`: one prediction against one reference, rendered on the spot."""

from __future__ import annotations

from napkin.errors import InputError
from napkin.render import VIEWPORTS, Renderer, RenderJob, RenderOptions, default_renderer
from napkin.score._judge import Judge
from napkin.score._match import MatchConfig
from napkin.score._page import PairScore, Scorer, page_from_image, page_from_render
from napkin.score._visual import VisualMetric

DESKTOP = RenderOptions()
# The responsive check needs DOM facts only: no screenshot, about half the cost of a render.
MOBILE = RenderOptions(viewport=VIEWPORTS["mobile"], screenshot=False)

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
        jobs.append(RenderJob(pred, DESKTOP))
        if responsive:
            jobs.append(RenderJob(pred, MOBILE))
    if not ref_is_image:
        jobs.append(RenderJob(ref, DESKTOP))
    results = iter(list(renderer.render_many(jobs)))
    if pred_is_image:
        pred_page = page_from_image(_image_bytes(pred))
    else:
        desktop = next(results)
        mobile = next(results) if responsive else None
        pred_page = page_from_render(desktop, _text(pred), mobile)
    if ref_is_image:
        ref_page = page_from_image(_image_bytes(ref))
    else:
        ref_page = page_from_render(next(results), _text(ref))
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
