"""Clean real HTML into a self-contained page that renders without any network access.

What goes: scripts and everything that runs code (event handlers, `javascript:` URLs, iframes,
objects), trackers (1x1 pixels, beacons), comments, hidden elements, remote fonts, prefetch
hints. What is replaced: external stylesheets are inlined when their text is available (from
the same folder or the same WARC file) and dropped otherwise; remote images become local
placeholders of the same size; remote CSS backgrounds are removed. Every removal is counted,
so a dataset can say what it changed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from napkin._extras import require
from napkin.errors import InputError
from napkin.render import decode_html
from napkin.render._assets import DEFAULT_IMAGE, placeholder_data_url

# Resolves a stylesheet URL to its text, or None when it is not available offline.
Resolver = Callable[[str], str | None]

_RUNS_CODE = {"script", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet", "portal", "template"}
_DROP_LINKS = {"preload", "prefetch", "dns-prefetch", "preconnect", "modulepreload", "manifest", "icon",
               "shortcut icon", "apple-touch-icon", "alternate", "pingback", "search", "amphtml", "canonical"}
_HIDDEN_STYLE = re.compile(r"(^|;)\s*(display\s*:\s*none|visibility\s*:\s*hidden)\s*(!important)?\s*(;|$)", re.I)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""", re.I)
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.I)
_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'");\s]+)['"]?\s*\)?[^;]*;""", re.I)
# ASCII whitespace only: a non-breaking space is content (pages use &nbsp; paragraphs as spacers).
_WS = re.compile(r"[ \t\n\r\f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_DOCTYPE = re.compile(r"^\ufeff?\s*(?:<!--.*?-->\s*)*(<!doctype[^>]*>)", re.I | re.S)
_TRACKER_HOSTS = ("google-analytics", "googletagmanager", "doubleclick", "facebook.com/tr", "pixel", "analytics",
                  "quantserve", "scorecardresearch", "hotjar", "segment.", "adservice", "adsystem")
_PRE = {"pre", "textarea", "code", "style"}


@dataclass(slots=True)
class Cleaned:
    html: str
    removed: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)


def _is_remote(url: str) -> bool:
    u = url.strip().lower()
    return u.startswith(("http:", "https:", "//", "ftp:", "ws:", "wss:", "file:"))


def clean_css(css: str, removed: Counter[str]) -> str:
    """Remote fonts, imports and url() references out of a stylesheet."""
    css, n = _FONT_FACE.subn("", css)
    removed["font_faces"] += n
    css, n = _IMPORT.subn("", css)
    removed["css_imports"] += n

    def url(m: re.Match[str]) -> str:
        target = m.group(2).strip()
        if target.startswith("data:"):
            return m.group(0)
        removed["css_urls"] += 1
        return "none"

    return _CSS_URL.sub(url, css)


def clean_html(
    html: str | bytes,
    base_url: str = "",
    resolve: Resolver | None = None,
    max_bytes: int = 2_000_000,
) -> Cleaned:
    """Clean one page. Raises InputError when nothing usable is left or it is too large."""
    lxml_html = require("lxml.html", "data")
    etree = require("lxml.etree", "data")
    text, warnings = decode_html(html)
    text, n = _CONTROL.subn("", text)  # libxml2 refuses them, and browsers do not draw them
    if n:
        warnings.append(f"control_characters: {n} removed")
    if not text.strip():
        raise InputError("the page is empty")
    removed: Counter[str] = Counter()
    try:
        doc = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"the page could not be parsed as HTML: {exc}") from exc

    for el in list(doc.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop(el, keep_tail=True)
        removed["comments"] += 1

    for el in list(doc.iter()):
        if not isinstance(el.tag, str) or not _attached(el, doc):
            continue  # a comment, or inside something already removed
        tag = el.tag.lower()
        if tag in _RUNS_CODE:
            removed[tag if tag in ("script", "iframe") else "embedded_code"] += 1
            _drop(el, keep_tail=True)
            continue
        if tag == "base":
            _drop(el, keep_tail=True)
            continue
        if tag == "meta" and el.get("http-equiv", "").lower() in ("refresh", "set-cookie", "content-security-policy"):
            removed["meta_refresh"] += 1
            _drop(el, keep_tail=True)
            continue
        if tag == "link":
            rel = " ".join(el.get("rel", "").lower().split())
            href = el.get("href", "")
            if rel == "stylesheet" and href:
                css = resolve(urljoin(base_url, href)) if resolve else None
                if css is None:
                    removed["stylesheets_dropped"] += 1
                    _drop(el, keep_tail=True)
                else:
                    style = lxml_html.Element("style")
                    style.text = clean_css(css, removed)
                    el.addprevious(style)
                    _drop(el, keep_tail=True)
                    removed["stylesheets_inlined"] += 1
                continue
            removed["links"] += 1
            _drop(el, keep_tail=True)
            continue
        for attr in list(el.attrib):
            a = attr.lower()
            value = el.attrib[attr]
            if a.startswith("on"):
                del el.attrib[attr]
                removed["event_handlers"] += 1
            elif a in ("href", "src", "action", "formaction", "poster", "background") and value.strip().lower().startswith(("javascript:", "vbscript:")):
                el.attrib[attr] = "#"
                removed["javascript_urls"] += 1
            elif a in ("ping", "srcset", "integrity", "nonce"):
                del el.attrib[attr]
        if _hidden(el):
            removed["hidden_elements"] += 1
            _drop(el, keep_tail=True)
            continue
        if tag == "img":
            _clean_img(el, removed)
        elif tag in ("source", "track"):
            # libxml2 does not know these are void elements and nests what follows inside them:
            # remove the tag, keep its content.
            el.drop_tag()
        elif tag in ("video", "audio"):
            el.attrib.pop("src", None)
            el.attrib.pop("poster", None)
            el.set("preload", "none")
        elif tag == "style":
            el.text = clean_css(el.text or "", removed)
        if "style" in el.attrib:
            el.set("style", clean_css(el.get("style", ""), removed))
        if tag == "a" and _is_remote(el.get("href", "")):
            el.set("href", "#")  # links are not followed when rendering; no need to keep where they went

    _normalise_whitespace(doc)
    # Keep the page's own doctype, or its absence: quirks mode changes layout (height: 100%).
    # (libxml2 invents an HTML 4.0 doctype for pages without one, so read it off the source.)
    m = _DOCTYPE.match(text)
    doctype = m.group(1) if m else ""
    out = (doctype + "\n" if doctype else "") + lxml_html.tostring(doc, encoding="unicode", method="html")
    size = len(out.encode())
    if size > max_bytes:
        raise InputError(f"the cleaned page is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit")
    if doc.body is None or not (doc.body.text_content() or "").strip() and doc.body.find(".//img") is None:
        raise InputError("nothing visible is left after cleaning")
    return Cleaned(out, +removed, warnings)


def _clean_img(el: object, removed: Counter[str]) -> None:
    src = el.get("src", "").strip()  # type: ignore[attr-defined]
    w, h = el.get("width", ""), el.get("height", "")  # type: ignore[attr-defined]
    if (w.strip() in ("0", "1") and h.strip() in ("0", "1")) or any(t in src.lower() for t in _TRACKER_HOSTS):
        removed["tracking_pixels"] += 1
        _drop(el, keep_tail=True)
        return
    if src.startswith("data:"):
        return
    # A placeholder of the image's declared size, or of the size the renderer gives images it
    # cannot fetch, so the cleaned page keeps the layout it had.
    try:
        size = (int(w), int(h)) if int(w) > 0 and int(h) > 0 else DEFAULT_IMAGE
    except ValueError:
        size = DEFAULT_IMAGE
    el.set("src", placeholder_data_url(*size))  # type: ignore[attr-defined]
    el.attrib.pop("loading", None)  # type: ignore[attr-defined]
    removed["images_replaced"] += 1


def _attached(el: object, doc: object) -> bool:
    # getroottree() still answers with the document for removed subtrees, so climb instead.
    top = el
    while (parent := top.getparent()) is not None:  # type: ignore[attr-defined]
        top = parent
    return top is doc


def _hidden(el: object) -> bool:
    if el.get("hidden") is not None:  # type: ignore[attr-defined]
        return True
    if el.tag == "input" and el.get("type", "").lower() == "hidden":  # type: ignore[attr-defined]
        return True
    return bool(_HIDDEN_STYLE.search(el.get("style", "")))  # type: ignore[attr-defined]


def _drop(el: object, keep_tail: bool) -> None:
    """Remove an element (or comment) but keep the text that follows it."""
    parent = el.getparent()  # type: ignore[attr-defined]
    if parent is None:
        return
    tail = el.tail if keep_tail else None  # type: ignore[attr-defined]
    if tail:
        prev = el.getprevious()  # type: ignore[attr-defined]
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _normalise_whitespace(doc: object) -> None:
    for el in doc.iter():  # type: ignore[attr-defined]
        if not isinstance(el.tag, str):
            continue
        in_pre = el.tag in _PRE or any(a.tag in _PRE for a in el.iterancestors())
        if in_pre:
            continue
        if el.text:
            el.text = _WS.sub(_collapse, el.text)
        if el.tail and not (el.getparent() is not None and el.getparent().tag in _PRE):
            el.tail = _WS.sub(_collapse, el.tail)


def _collapse(m: re.Match[str]) -> str:
    # A run with a line break stays a line break, for text styled white-space: pre-line.
    return "\n" if "\n" in m.group(0) else " "


def same_folder_resolver(folder: str) -> Resolver:
    """Stylesheets next to the page (relative links only; never outside the folder)."""
    from pathlib import Path

    root = Path(folder).resolve()

    def resolve(url: str) -> str | None:
        parts = urlsplit(url)
        if parts.scheme not in ("", "file") or parts.netloc:
            return None
        target = (root / parts.path.lstrip("/")).resolve()
        if not target.is_relative_to(root) or not target.is_file() or target.stat().st_size > 2_000_000:
            return None
        return target.read_text(errors="replace")

    return resolve
