"""A vision-language judge in the style of Web2Code's WCGB (Yun et al. 2024, "Web2Code").

The judge model sees the reference screenshot and the screenshot of the generated page and rates
ten aspects from 0 to 10, grouped as in WCGB: visual structure and alignment (VSA), colour and
aesthetic design (CAD), textual and content consistency (TCC), and user-interface consistency
(UII). Each group scores the mean of its aspects, and overall the mean of all ten.

Any OpenAI-compatible chat endpoint works (`POST {base_url}/chat/completions`, images as data
URLs). A reply that cannot be read is kept with its raw text and an error; it is never dropped
and never counted as a score.
"""

from __future__ import annotations

import base64
import io
import json
import os
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from napkin.errors import ConfigError

ASPECTS: dict[str, tuple[str, str]] = {
    # key: (group, what the judge is asked to rate)
    "layout_consistency": ("VSA", "Layout consistency: the arrangement of sections, headers, footers and columns"),
    "element_alignment": ("VSA", "Element alignment: how elements line up with each other and the page"),
    "proportional_accuracy": ("VSA", "Proportional accuracy: the sizes and proportions of elements"),
    "visual_harmony": ("VSA", "Visual harmony: the overall balance and spacing of the page"),
    "color_scheme": ("CAD", "Color scheme: backgrounds, text and accent colours"),
    "aesthetic_resemblance": ("CAD", "Aesthetic resemblance: the overall look and style"),
    "font_characteristics": ("TCC", "Font characteristics: typeface, size, weight and style of the text"),
    "textual_content": ("TCC", "Textual content match: the words on the page"),
    "numbers_and_special_characters": ("TCC", "Numbers and special characters: digits, prices, dates, symbols"),
    "ui_consistency": ("UII", "User interface consistency: buttons, menus, forms and other controls"),
}
GROUPS = ("VSA", "CAD", "TCC", "UII")

_PROMPT = """You compare two screenshots of web pages. The first image is the reference design; the \
second is a page generated to reproduce it. Rate how closely the generated page matches the \
reference on each aspect below, from 0 (nothing alike) to 10 (identical).

{aspects}

Answer with one JSON object and nothing else, with exactly these keys and integer values 0-10:
{keys}"""


@dataclass(slots=True)
class JudgeSettings:
    """Where the judge lives. The API key is read from the environment, never stored in reports."""

    base_url: str
    model: str
    api_key_env: str = "NAPKIN_JUDGE_API_KEY"
    timeout_s: float = 120.0
    max_tokens: int = 400
    # Screenshots are cut at this height (CSS px) and scaled to this width before sending:
    # tall pages would otherwise cost thousands of image tokens for little information.
    max_height: int = 4000
    image_width: int = 768
    retries: int = 2  # refused connections, 408, 409, 429 and 5xx; a malformed reply is not retried

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise ConfigError(f"judge URL must start with http:// or https://, not {self.base_url!r}")
        if not self.model:
            raise ConfigError("judge model name is empty: pass the model the endpoint serves (--judge-model)")


@dataclass(slots=True)
class JudgeScores:
    """One judgement. `error` is set (and the scores are empty) when the reply could not be used."""

    aspects: dict[str, float] = field(default_factory=dict)
    groups: dict[str, float] = field(default_factory=dict)
    overall: float | None = None
    model: str = ""
    error: str = ""
    raw: str = ""  # the model's reply, kept for audit

    @property
    def ok(self) -> bool:
        return not self.error

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def judge_prompt() -> str:
    lines = "\n".join(f"- {key}: {text}" for key, (_, text) in ASPECTS.items())
    keys = json.dumps({k: 0 for k in ASPECTS})
    return _PROMPT.format(aspects=lines, keys=keys)


def _objects(text: str) -> Any:
    """Every JSON object in `text`, wherever it starts: prose, fences or other braces around it."""
    decoder = json.JSONDecoder()
    at = text.find("{")
    while at != -1:
        try:
            obj, end = decoder.raw_decode(text, at)
        except json.JSONDecodeError:
            at = text.find("{", at + 1)
            continue
        if isinstance(obj, dict):
            yield obj
        at = text.find("{", end)


def parse_judgement(text: str) -> dict[str, float]:
    """The ten scores from a reply, or ValueError saying what is wrong with it."""
    # The first object naming an aspect: a model may echo other JSON ("scale {0-10}") around it.
    objects = list(_objects(text))
    data: Any = next((o for o in objects if any(k in o for k in ASPECTS)), objects[0] if objects else None)
    if not isinstance(data, dict):
        raise ValueError("the reply holds no JSON object")
    scores: dict[str, float] = {}
    missing = [k for k in ASPECTS if k not in data]
    if missing:
        raise ValueError(f"the reply lacks {', '.join(missing)}")
    for key in ASPECTS:
        value = data[key]
        if isinstance(value, str):
            try:
                value = float(value.strip())
            except ValueError:
                raise ValueError(f"{key} is {data[key]!r}, not a number") from None
        if isinstance(value, bool) or not isinstance(value, int | float) or not np.isfinite(value):
            raise ValueError(f"{key} is {data[key]!r}, not a number")
        if not 0 <= value <= 10:
            raise ValueError(f"{key} is {value}, outside 0-10")
        scores[key] = float(value)
    return scores


def summarize(aspects: dict[str, float]) -> tuple[dict[str, float], float]:
    """Group means (VSA, CAD, TCC, UII) and the overall mean of the ten aspects."""
    groups = {g: float(np.mean([v for k, v in aspects.items() if ASPECTS[k][0] == g])) for g in GROUPS}
    return groups, float(np.mean(list(aspects.values())))


def _data_url(pixels: NDArray[np.uint8], settings: JudgeSettings) -> str:
    from PIL import Image

    img = Image.fromarray(pixels)
    if img.height > settings.max_height:
        img = img.crop((0, 0, img.width, settings.max_height))
    if img.width > settings.image_width:
        img = img.resize((settings.image_width, max(1, round(img.height * settings.image_width / img.width))), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=False)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


MAX_RETRY_WAIT_S = 60.0  # a Retry-After longer than this fails at once


class Judge:
    """A WCGB-style judge behind an OpenAI-compatible chat endpoint. Thread-safe; close() when done.

    It talks through generate's ChatClient: the same retries (429 with the server's Retry-After,
    refused connections, 5xx), the same reading of servers that differ, the same errors.
    """

    def __init__(self, settings: JudgeSettings, client: Any = None) -> None:
        from napkin.generate._chat import Advice, ChatClient
        from napkin.generate._config import OpenAISettings

        self.settings = settings
        chat = OpenAISettings(
            base_url=settings.base_url,
            model=settings.model,
            api_key=os.environ.get(settings.api_key_env) or None,
            timeout=settings.timeout_s,
            temperature=0,
            max_tokens=settings.max_tokens,
            stream=False,  # one short JSON answer: nothing to watch arrive
            max_retries=settings.retries,
            max_retry_wait=MAX_RETRY_WAIT_S,
        )
        advice = Advice(
            api_key=f"Set ${settings.api_key_env} to the judge's key",
            timeout="raise --judge-timeout (a vision model on a CPU can take minutes per pair)",
            image_size="JudgeSettings.image_width sets the width screenshots are sent at",
        )
        self._client = ChatClient(chat, client=client, advice=advice, extra="score")

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Judge:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def judge(self, ref: NDArray[np.uint8], pred: NDArray[np.uint8]) -> JudgeScores:
        """Rate `pred` against `ref` (RGB screenshots). HTTP failures raise BackendError; bad replies are recorded."""
        messages = [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": judge_prompt()},
                    {"type": "image_url", "image_url": {"url": _data_url(ref, self.settings)}},
                    {"type": "image_url", "image_url": {"url": _data_url(pred, self.settings)}},
                ],
            }
        ]
        reply = self._client.complete(messages)
        result = JudgeScores(model=self.settings.model, raw=reply.text[:2000])
        if not reply.text.strip():
            result.error = "the reply has no text"
            return result
        try:
            result.aspects = parse_judgement(reply.text)
        except ValueError as exc:
            result.error = str(exc)
            return result
        result.groups, result.overall = summarize(result.aspects)
        return result
