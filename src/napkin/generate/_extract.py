"""Pull the HTML out of a chat model's reply, whatever it wrapped it in.

Replies come as a fenced code block with prose around it, a bare document, a document cut off
by a token limit, a fragment without <html>, HTML and CSS in separate blocks, or after a
reasoning model's <think> section. Each becomes one complete document, or None when the reply
holds no HTML at all.
"""

from __future__ import annotations

import re

_THINK = re.compile(r"<think>.*?(</think>|$)", re.S | re.I)
# An opening fence, its info string, the body, and a closing fence or the end of a cut reply.
_FENCE = re.compile(r"(?:^|\n)[ \t]*(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^\n]*\n(.*?)(?:\n[ \t]*\1[ \t]*(?=\n|$)|$)", re.S)
_DOC_START = re.compile(r"<!doctype\s+html|<html[\s>]", re.I)
_DOC_END = re.compile(r"</html\s*>", re.I)
_DOCTYPE = re.compile(r"^\s*<!doctype", re.I)
# Tags a fragment of a page may start with; a lone "<" in prose (a < b) is not HTML.
_FRAGMENT_START = re.compile(
    r"<(head|body|style|main|header|footer|nav|section|article|aside|div|form|table|ul|ol|h[1-6]|p|img|button|a|span)[\s>/]",
    re.I,
)
_HTML_LANGS = {"html", "htm", "xhtml", "xml", "svg", "vue", "jsx", ""}
_CSS_LANGS = {"css"}
_JS_LANGS = {"js", "javascript"}


def extract_html(reply: str) -> str | None:
    """The HTML document in a model's reply, completed into a whole document; None if there is none."""
    text = _THINK.sub("", reply)
    blocks = [(m.group(2).lower(), m.group(3)) for m in _FENCE.finditer(text)]
    html = _from_blocks(blocks) if blocks else None
    if html is None:
        html = _from_text(text)
    if html is None:
        return None
    if not _DOC_START.search(html):
        html = _wrap(html)
    if not _DOCTYPE.match(html):
        # Without a doctype the browser lays the page out in quirks mode.
        html = "<!DOCTYPE html>\n" + html.lstrip()
    return html.strip() + "\n"


def _from_blocks(blocks: list[tuple[str, str]]) -> str | None:
    html_blocks = [body for lang, body in blocks if lang in _HTML_LANGS and _looks_like_html(body)]
    if not html_blocks:
        return None
    # A whole document beats fragments; among equals the longest is the answer (earlier blocks
    # are often excerpts the model quotes before giving the full file).
    docs = [b for b in html_blocks if _DOC_START.search(b)]
    html = max(docs or html_blocks, key=len)
    html = _trim_document(html)
    css = "\n".join(body.strip() for lang, body in blocks if lang in _CSS_LANGS)
    js = "\n".join(body.strip() for lang, body in blocks if lang in _JS_LANGS)
    if css and "<style" not in html.lower():
        html = _insert_before(html, r"</head\s*>", f"<style>\n{css}\n</style>\n", head=True)
    if js and "<script" not in html.lower():
        html = _insert_before(html, r"</body\s*>", f"<script>\n{js}\n</script>\n", head=False)
    return html


def _from_text(text: str) -> str | None:
    m = _DOC_START.search(text)
    if m:
        return _trim_document(text[m.start():])
    m = _FRAGMENT_START.search(text)
    if m:
        end = text.rfind(">")
        return text[m.start(): end + 1] if end > m.start() else text[m.start():]
    return None


def _looks_like_html(body: str) -> bool:
    return bool(_DOC_START.search(body) or _FRAGMENT_START.search(body))


def _trim_document(html: str) -> str:
    """From the doctype (or <html>) to the last </html>; to the end when the document was cut off."""
    m = _DOC_START.search(html)
    start = m.start() if m else 0
    doctype = html.lower().rfind("<!doctype", 0, start + 1)
    if 0 <= doctype <= start:
        start = doctype
    ends = list(_DOC_END.finditer(html))
    return html[start: ends[-1].end()] if ends else html[start:]


def _insert_before(html: str, closing: str, snippet: str, head: bool) -> str:
    m = re.search(closing, html, re.I)
    if m:
        return html[: m.start()] + snippet + html[m.start():]
    if head:
        body = re.search(r"<body[\s>]", html, re.I)
        if body:
            return html[: body.start()] + snippet + html[body.start():]
        return snippet + html
    return html + snippet


def _wrap(fragment: str) -> str:
    """A fragment (or a <head>/<body> pair without <html>) made into a document."""
    if re.search(r"<(head|body)[\s>]", fragment, re.I):
        return f'<html lang="en">\n{fragment.strip()}\n</html>'
    return (
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n</head>\n'
        f"<body>\n{fragment.strip()}\n</body>\n</html>"
    )
