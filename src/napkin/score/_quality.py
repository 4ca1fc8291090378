"""Code quality: what a person editing the generated page will run into.

Visual fidelity says nothing of whether the code is worth keeping. These checks read the HTML
and its renders: parse errors (markup a browser must repair), script errors, absolutely
positioned elements (a layout that breaks as soon as text changes), DOM size and depth, the
share of semantic tags, network requests the page tried to make (the sandbox blocks them, a
real browser would not), whether the page survives a phone-sized window, and whether the
Design2Code benchmark's repetition check would cut it short (`repetition_cut`).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from typing import Any

import numpy as np

from napkin.render import Render

# Phone width of the responsive check: the render engine's "mobile" viewport.
MOBILE_WIDTH = 390
_MAX_MESSAGES = 30

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param", "keygen"}
# Elements whose end tag HTML lets the author leave out (HTML Living Standard, "optional tags").
_OPTIONAL_END = {
    "html", "head", "body", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th",
    "thead", "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rtc", "rp",
}
# Start tags that close an open <p> (the same section of the standard).
_CLOSES_P = {
    "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "main",
    "menu", "nav", "ol", "p", "pre", "section", "table", "ul",
}
_CLOSES_SIBLING = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "option": {"option"}, "tr": {"tr"},
                   "td": {"td", "th"}, "th": {"td", "th"}, "thead": {"tbody", "tfoot"}, "tbody": {"tbody", "tfoot"}}

SEMANTIC_TAGS = frozenset(
    "header nav main section article aside footer h1 h2 h3 h4 h5 h6 p ul ol li dl dt dd figure figcaption "
    "blockquote table thead tbody tfoot tr th td caption form label button input select textarea option "
    "fieldset legend a img picture video audio time address strong em code pre small mark abbr cite q "
    "details summary dialog menu hr br".split()
)
_STRUCTURE = {"html", "head", "body"}


class _Checker(HTMLParser):
    """Counts the places where a browser has to repair the markup (a subset of HTML's parse errors)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors = 0
        self.messages: list[str] = []
        self.doctype = False
        self.seen_tag = False

    def error_at(self, text: str) -> None:
        self.errors += 1
        if len(self.messages) < _MAX_MESSAGES:
            line, col = self.getpos()
            self.messages.append(f"line {line}:{col + 1}: {text}")

    def handle_decl(self, decl: str) -> None:
        if decl.lower().startswith("doctype"):
            if self.seen_tag:
                self.error_at("<!DOCTYPE> after the first tag")
            self.doctype = True

    def _open(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.seen_tag and not self.doctype:
            self.error_at("no <!DOCTYPE html>: the page renders in quirks mode")
        self.seen_tag = True
        names = [k for k, _ in attrs]
        if len(set(names)) != len(names):
            dup = sorted({n for n in names if names.count(n) > 1})
            self.error_at(f"<{tag}> repeats attribute {', '.join(dup)}")
        if tag in _CLOSES_P and "p" in self.stack:
            self._close_to("p", implicit=True)
        closes = _CLOSES_SIBLING.get(tag)
        if closes and self.stack and self.stack[-1] in closes:
            self.stack.pop()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs)
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs)
        if tag not in _VOID and not self._foreign():
            # HTML ignores the slash: <div/> opens a div that stays open.
            self.error_at(f"<{tag}/> is not self-closing in HTML; the element stays open")
            self.stack.append(tag)

    def _foreign(self) -> bool:
        return "svg" in self.stack or "math" in self.stack

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            if tag != "br":
                self.error_at(f"</{tag}>: <{tag}> has no end tag")
            return
        if tag not in self.stack:
            if tag not in _STRUCTURE:
                self.error_at(f"</{tag}> closes nothing")
            return
        self._close_to(tag, implicit=False)

    def _close_to(self, tag: str, implicit: bool) -> None:
        while self.stack:
            top = self.stack.pop()
            if top == tag:
                return
            if top not in _OPTIONAL_END and not implicit:
                self.error_at(f"<{top}> is not closed before </{tag}>")

    def close(self) -> None:
        super().close()
        left = [t for t in self.stack if t not in _OPTIONAL_END]
        if left:
            self.error_at(f"not closed at the end: {', '.join(f'<{t}>' for t in left[-5:])}")


def parse_errors(html: str) -> tuple[int, list[str]]:
    """How many markup errors a browser repairs in `html`, and the first few of them."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    if not checker.seen_tag and html.strip():
        checker.error_at("no tags at all: this is text, not HTML")
    return checker.errors, checker.messages


_TAG = re.compile("<.*?>")  # one line at a time, as the check it mirrors strips tags


def repetition_cut(html: str, chunk: int = 100, times: int = 5, similar: float = 0.8,
                   max_chars: int = 50_000) -> int | None:
    """Where the Design2Code benchmark's repetition check would cut `html`, or None.

    Before scoring, the benchmark's scripts guard against language models that loop: with the
    tags removed, the text is cut into `chunk`-character pieces, each piece joins the first
    earlier distinct piece it is at least `similar` alike with (difflib's ratio), and once
    `times` pieces are alike the page is cut where the first of them starts, which usually
    leaves an empty page scored 0. A stylesheet of many near-identical rules trips it as surely
    as a loop. This is our reading of that check (Si et al., 2024, data_utils/dedup_post_gen.py);
    the returned offset is in the text without tags.

    The check compares every piece with every earlier distinct one, so its cost grows with the
    square of the text: only the first `max_chars` characters are checked (Napkin's pages of the
    design2code-dev screenshots hold 5,800-11,400; 8 MB of text takes 2 s). difflib's cheap
    upper bounds skip most comparisons without changing any answer (on those 100 pages, 12
    times faster than comparing in full).
    """
    text = _TAG.sub("", html)[:max_chars]
    groups: list[tuple[difflib.SequenceMatcher[str], list[int]]] = []
    for i in range(0, len(text), chunk):
        piece = text[i:i + chunk]
        for matcher, members in groups:
            matcher.set_seq1(piece)  # the group's first piece stays seq2, whose index difflib keeps
            if matcher.real_quick_ratio() >= similar and matcher.quick_ratio() >= similar and matcher.ratio() >= similar:
                members.append(i)
                if len(members) >= times:
                    return members[0]
                break
        else:
            groups.append((difflib.SequenceMatcher(None, piece, piece), [i]))
    return None


@dataclass(slots=True)
class CodeQuality:
    """Code-quality facts of one page. Shares are in [0, 1]; counts are plain counts."""

    parse_errors: int = 0
    render_errors: int = 0
    absolute_share: float = 0.0
    dom_depth: int = 0
    dom_size: int = 0
    semantic_share: float = 0.0
    external_requests: int = 0
    html_bytes: int = 0
    # At MOBILE_WIDTH px: how far the page sticks out sideways, and how many pairs of text boxes
    # overlap. None when the responsive check did not run.
    mobile_overflow_px: float | None = None
    mobile_overlaps: int | None = None
    # 1 when the Design2Code benchmark's repetition check would cut the page short (repetition_cut).
    repetition_cut: int = 0
    messages: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def code_quality(html: str, result: Render, mobile: Render | None = None) -> CodeQuality:
    """Check the code of a page from its HTML, its desktop render and (optionally) a render at phone width."""
    n_parse, messages = parse_errors(html)
    elements = [e for e in result.elements if e.tag not in _STRUCTURE]
    q = CodeQuality(
        parse_errors=n_parse,
        render_errors=len(result.page_errors) + len(result.console_errors) + (0 if result.ok else 1),
        dom_depth=max((e.depth for e in result.elements), default=0),
        dom_size=result.dom_size,
        external_requests=len(result.blocked_requests),
        html_bytes=len(html.encode("utf-8", errors="replace")),
        messages=messages,
    )
    cut = repetition_cut(html)
    if cut is not None:
        q.repetition_cut = 1
        q.messages.append(f"the Design2Code benchmark's repetition check would cut this page at character {cut} of its "
                          "text (tags removed): five 100-character pieces are 80 % alike")
    if elements:
        q.absolute_share = sum(e.position in ("absolute", "fixed") for e in elements) / len(elements)
        q.semantic_share = sum(e.tag in SEMANTIC_TAGS for e in elements) / len(elements)
    q.messages += [f"script error: {m[:200]}" for m in (result.page_errors + result.console_errors)[:10]]
    if not result.ok:
        q.messages.append(f"render failed: {result.failure}: {result.message}")
    q.messages += [f"network request blocked: {u[:200]}" for u in result.blocked_requests[:10]]
    if mobile is not None and mobile.ok:
        q.mobile_overflow_px = max(0.0, mobile.page_width - mobile.viewport.width)
        q.mobile_overlaps = overlapping_text(mobile)
        if q.mobile_overflow_px > 0:
            q.messages.append(f"at {mobile.viewport.width} px the page is {mobile.page_width:.0f} px wide")
        if q.mobile_overlaps:
            q.messages.append(f"at {mobile.viewport.width} px {q.mobile_overlaps} pairs of text boxes overlap")
    return q


def overlapping_text(result: Render, min_share: float = 0.2) -> int:
    """Pairs of text boxes that overlap by more than `min_share` of the smaller one.

    Only text of different flows counts: within one block the browser lays lines out without
    overlap, but the box of a wrapped text node spans all its lines and would seem to cover the
    inline elements beside it.
    """
    flow: dict[int, int] = {}  # element index -> index of the block whose lines it sits in
    boxes: list[tuple[float, float, float, float]] = []
    owners: list[int] = []
    for el in result.elements:
        inline = el.display.startswith("inline") or el.display == "contents"
        flow[el.index] = flow.get(el.parent, el.index) if inline else el.index
        for tb in el.text_boxes:
            if tb.w > 0 and tb.h > 0:
                boxes.append((tb.x, tb.y, tb.x + tb.w, tb.y + tb.h))
                owners.append(flow[el.index])
    if len(boxes) < 2:
        return 0
    b = np.asarray(boxes)  # (N, 4)
    ix = np.clip(np.minimum(b[:, None, 2], b[None, :, 2]) - np.maximum(b[:, None, 0], b[None, :, 0]), 0, None)
    iy = np.clip(np.minimum(b[:, None, 3], b[None, :, 3]) - np.maximum(b[:, None, 1], b[None, :, 1]), 0, None)
    area = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    smaller = np.minimum(area[:, None], area[None, :])
    own = np.asarray(owners)
    overlap = (ix * iy > min_share * smaller) & (own[:, None] != own[None, :])
    return int(np.triu(overlap, k=1).sum())
