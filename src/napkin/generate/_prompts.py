"""What Napkin says to a chat model: the rules of the answer, the task per kind of picture, repairs.

The rules come from what the rest of Napkin needs of a page: it must render in the sandbox with
no network (so no CDNs, web fonts or remote images), be editable (flow layout, one stylesheet)
and be comparable with the picture (same text, same sizes, every section). The image goes first
in the user message; most open VLMs were trained with the picture before the question.
"""

from __future__ import annotations

from typing import Any

from napkin.generate._types import Kind

SYSTEM = """\
You are an expert front-end developer. You rebuild user interfaces from pictures as one \
self-contained HTML file.

Rules for the file:
- One complete HTML5 document (<!DOCTYPE html>, <html>, <head>, <body>) with all CSS in a \
single <style> element in the <head>. Use semantic elements (header, nav, main, section, \
article, aside, footer, h1-h6, p, ul, button, form, input, table) and readable class names.
- Flow layout: normal block flow, flexbox and CSS grid, with margins, padding and gaps. Do not \
place content with position: absolute or fixed, and do not fix the height of the page.
- Nothing external: no CDN links, frameworks (no Tailwind, no Bootstrap), web fonts or remote \
URLs of any kind. Use system font stacks such as Arial, Helvetica, sans-serif.
- Pictures (photos, illustrations, product shots, maps, image logos) are placeholders: \
<img src="placeholder.svg" alt="what it shows" width="W" height="H"> with the width and height \
the picture has. Small icons can be inline SVG or a Unicode symbol.
- Add JavaScript only where the interface needs behaviour (a menu toggle, tabs), and make sure \
it runs without errors.

Answer with the complete file in one ```html code block, and nothing else: no explanation, \
no partial snippets, no "rest of the page" comments."""

_SCREENSHOT = """\
The picture is a screenshot of a web page ({size}). Write the HTML that reproduces it as \
closely as possible in a browser window {width} px wide:
- the same text, word for word, with the same line breaks where you can see them;
- the same layout: every section from top to bottom, columns, rows and grids in the same \
places, with the same sizes, spacing and alignment;
- the same colors for backgrounds, text, buttons and borders, and the same font sizes and \
weights.
Include every repeated item (cards, list entries, links, table rows); never summarise them."""

_SKETCH = """\
The picture is a hand-drawn sketch or wireframe of a web page ({size}). Turn it into a clean, \
working web page {width} px wide with exactly the structure the sketch shows:
- keep every element in its place: the same sections, rows and columns, in the same order, with \
the same relative sizes;
- handwritten words are the real text: use them as written; wavy lines, zigzags and scribbles \
stand for text: write short, plausible text of about the same length;
- a box with a cross or diagonal lines is a picture: use an image placeholder of that size;
- small labelled rectangles are buttons, long empty rectangles are input fields, circles may \
be icons or avatars, horizontal lines are dividers;
- style it simply and tastefully (white background, dark text, one accent color for buttons \
and links) unless the sketch shows colors."""

_AUTO = """\
The picture ({size}) is either a screenshot of a real web page or a sketch or wireframe of one. \
Decide which, then write the HTML of the page for a browser window {width} px wide.

If it is a screenshot, reproduce it as closely as possible: the same text word for word, the \
same layout with every section and every repeated item, the same sizes, spacing, alignment, \
colors, font sizes and weights.

If it is a sketch or wireframe, make a clean, working page with exactly its structure: keep \
every element in its place with the same relative sizes; use handwritten words as the text; \
wavy lines and scribbles stand for text (write short, plausible text of about that length); a \
crossed box is an image placeholder; labelled rectangles are buttons and long empty ones are \
input fields; style it simply unless the sketch shows colors."""

_TASKS: dict[str, str] = {"screenshot": _SCREENSHOT, "sketch": _SKETCH, "auto": _AUTO}

REPAIR = """\
I opened your HTML in a browser (Chromium, window {width} px wide) and found these problems:
{problems}

Fix them, keep everything that already matches the picture, and answer with the complete \
corrected file in one ```html code block."""

NO_HTML = """\
Your reply contained no HTML document. Answer with the complete HTML file for the page in the \
picture, in one ```html code block and nothing else."""


def task_prompt(kind: Kind, size: tuple[int, int], width: int) -> str:
    w, h = size
    return _TASKS[kind].format(size=f"{w}x{h} pixels", width=width)


def first_messages(kind: Kind, data_url: str, size: tuple[int, int], width: int) -> list[dict[str, Any]]:
    """The opening conversation: rules, then the picture and the task in one user turn."""
    return [
        {"role": "system", "content": SYSTEM},
        {
            "role": "user",
            "content": [
                {"type": "image_url", "image_url": {"url": data_url}},
                {"type": "text", "text": task_prompt(kind, size, width)},
            ],
        },
    ]


def repair_messages(
    opening: list[dict[str, Any]], last_reply: str, problems: list[str], width: int
) -> list[dict[str, Any]]:
    """The opening, the latest answer and the problems found in it.

    Only the latest answer is kept, not every earlier one: each repair then costs one page of
    tokens, not all of them, and the model is not pulled back towards versions it already fixed.
    """
    if problems == [NO_HTML_PROBLEM]:
        follow_up = NO_HTML
    else:
        follow_up = REPAIR.format(width=width, problems="\n".join(f"- {p}" for p in problems))
    return [*opening, {"role": "assistant", "content": last_reply}, {"role": "user", "content": follow_up}]


NO_HTML_PROBLEM = "the reply contained no HTML"
