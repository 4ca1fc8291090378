"""The remote backend: any OpenAI-compatible vision chat model, checked in the sandbox, best of n.

Each candidate is a small conversation: the picture and the task; the answer is rendered in
the sandbox; while the page has problems (script errors, a blank page, broken markup, external
resources) and rounds are left, the problems go back to the model with a request for the fixed
file. Candidates run in parallel threads; with more than one, each final rendering is scored
against the picture and the best is kept.
"""

from __future__ import annotations

import io
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from PIL import Image

from napkin.errors import BackendError
from napkin.generate import _prompts
from napkin.generate._chat import ChatClient, Reply
from napkin.generate._check import BLANK, markup_problems, render_problems
from napkin.generate._config import OpenAISettings
from napkin.generate._extract import extract_html
from napkin.generate._image import is_blank, to_data_url
from napkin.generate._select import default_scorer, pick
from napkin.generate._types import Candidate, Kind, Result, Round, Scorer, check_kind

if TYPE_CHECKING:
    import httpx

    from napkin.render import Render, Renderer, RenderOptions

log = logging.getLogger(__name__)

# The sandbox viewport follows the picture's width when it looks like a page (Design2Code's
# screenshots are 1280 px wide); photos of sketches and odd sizes get the desktop width.
_MIN_VIEWPORT, _MAX_VIEWPORT, _DEFAULT_VIEWPORT = 320, 1920, 1280


class OpenAIGenerator:
    """Generate pages with a vision model behind an OpenAI-compatible chat-completions API.

    >>> gen = OpenAIGenerator(OpenAISettings(base_url="http://localhost:11434/v1", model="qwen2.5vl:7b"))  # doctest: +SKIP
    >>> result = gen.generate(image, kind="screenshot")

    `renderer` is the sandbox for the repair loop and for scoring (the shared Chromium pool by
    default, started only when n > 1 or repair rounds > 0); `scorer` ranks candidates.
    """

    def __init__(
        self,
        settings: OpenAISettings | None = None,
        renderer: Renderer | None = None,
        scorer: Scorer | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        self.settings = settings or OpenAISettings()
        self.settings.require_model()
        self._chat = ChatClient(self.settings, client)
        self._renderer = renderer
        self._scorer = scorer

    @property
    def name(self) -> str:
        return "openai"

    def close(self) -> None:
        self._chat.close()

    def __enter__(self) -> OpenAIGenerator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def generate(self, image: Image.Image, kind: Kind = "auto") -> Result:
        kind = check_kind(kind)
        s = self.settings
        t0 = time.perf_counter()
        width = image.width if _MIN_VIEWPORT <= image.width <= _MAX_VIEWPORT else _DEFAULT_VIEWPORT
        opening = _prompts.first_messages(kind, to_data_url(image, s.image_max_side), image.size, width)
        sandbox = _Sandbox(self._renderer, width, is_blank(image)) if s.n > 1 or s.repair_rounds > 0 else None
        t_prepared = time.perf_counter()

        def run(index: int) -> tuple[Candidate, Image.Image | None]:
            return self._candidate(index, opening, sandbox, width)

        if s.n == 1:
            outcomes = [run(0)]
        else:
            with ThreadPoolExecutor(max_workers=min(s.n, s.parallel), thread_name_prefix="napkin-candidate") as pool:
                outcomes = list(pool.map(run, range(s.n)))
        candidates = [c for c, _ in outcomes]
        t_candidates = time.perf_counter()

        if s.n > 1:
            scorer = self._scorer or default_scorer()
            for c, rendering in outcomes:
                if c.error is None and rendering is not None:
                    c.score = float(scorer(image, rendering))
        chosen = pick(candidates)
        if chosen is None:
            errors = "; ".join(f"candidate {c.index}: {c.error}" for c in candidates)
            raise BackendError(f"no candidate produced HTML ({errors})")
        best = candidates[chosen]
        warnings = [f"the kept page still has problems: {p}" for p in best.problems]
        warnings += [f"candidate {c.index} failed: {c.error}" for c in candidates if c.error is not None]
        usage: dict[str, int] = {}
        for c in candidates:
            for k, v in c.usage.items():
                usage[k] = usage.get(k, 0) + v
        t_end = time.perf_counter()
        return Result(
            html=best.html,
            backend=self.name,
            kind=kind,
            tree=None,
            timings={
                "prepare": t_prepared - t0,
                "candidates": t_candidates - t_prepared,
                "score": t_end - t_candidates,
                "total": t_end - t0,
            },
            warnings=warnings,
            candidates=candidates,
            chosen=chosen,
            usage=usage,
            model=s.model,
        )

    def _candidate(
        self, index: int, opening: list[dict[str, Any]], sandbox: _Sandbox | None, width: int
    ) -> tuple[Candidate, Image.Image | None]:
        """One candidate, and the rendering of the HTML it keeps: the first answer, then repairs
        while the sandbox finds problems."""
        cand = Candidate(index=index)
        kept_image: Image.Image | None = None
        messages = opening
        best_problems: int | None = None
        for round_index in range(self.settings.repair_rounds + 1):
            t0 = time.perf_counter()
            try:
                reply = self._chat.complete(messages)
            except BackendError as exc:
                if round_index == 0:
                    cand.error = str(exc)
                    return cand, None
                # A failed repair request keeps the answer we have.
                log.warning("candidate %d: repair request failed: %s", index, exc)
                break
            for k, v in reply.usage.items():
                cand.usage[k] = cand.usage.get(k, 0) + v
            html = extract_html(reply.text)
            if html is None:
                problems = [_prompts.NO_HTML_PROBLEM]
                cand.rounds.append(Round(round_index, problems, 0, reply.finish_reason, time.perf_counter() - t0))
                if sandbox is None or round_index == self.settings.repair_rounds:
                    break
                messages = _prompts.repair_messages(opening, _clip(reply.text), problems, width)
                continue
            problems = _reply_problems(reply) + markup_problems(html)
            image: Image.Image | None = None
            if sandbox is not None:
                result, image = sandbox.render(html)
                problems += render_problems(result, sandbox.input_blank)
                rendered = image is not None and not any(p.startswith(BLANK) for p in problems)
            else:
                rendered = True  # not checked: n == 1 and no repair rounds
            cand.rounds.append(Round(round_index, problems, len(html), reply.finish_reason, time.perf_counter() - t0))
            if best_problems is None or len(problems) <= best_problems:
                # The answer with the fewest problems is kept; a later one wins a tie.
                best_problems = len(problems)
                cand.html = html
                cand.rendered = rendered
                cand.kept_round = len(cand.rounds) - 1
                kept_image = image
            if not problems or sandbox is None or round_index == self.settings.repair_rounds:
                break
            messages = _prompts.repair_messages(opening, f"```html\n{html}```", problems, width)
        if not cand.html:
            first = cand.rounds[0] if cand.rounds else None
            cand.error = "the model's replies contained no HTML" + (
                f" (it stopped with finish_reason={first.finish_reason})" if first and first.finish_reason else ""
            )
        return cand, kept_image


def _reply_problems(reply: Reply) -> list[str]:
    if reply.finish_reason == "length":
        # Said to the model as a problem; said to the user through the warnings (raise max_tokens).
        return ["the answer stopped at the token limit before the file was complete: write a shorter file (less repeated CSS)"]
    if reply.truncated:
        return ["the answer was cut off before the end: write the whole file again"]
    return []


def _clip(text: str, limit: int = 4000) -> str:
    return text if len(text) <= limit else text[:limit] + "\n[…]"


class _Sandbox:
    """Renders answers for the repair loop, at the picture's width."""

    def __init__(self, renderer: Renderer | None, width: int, input_blank: bool) -> None:
        from napkin.render import RenderOptions, Viewport, default_renderer

        self._renderer = renderer or default_renderer()
        self.options: RenderOptions = RenderOptions(viewport=Viewport(width, 720, 1.0, False, f"{width}x720"))
        self.input_blank = input_blank

    def render(self, html: str) -> tuple[Render, Image.Image | None]:
        result = self._renderer.render(html, self.options)
        if not result.ok or result.image is None:
            return result, None
        with Image.open(io.BytesIO(result.image)) as img:
            return result, img.convert("RGB")
