"""Plain-language descriptions of synthetic pages, from the facts the data engine knows exactly.

The UI embedding learns to put a picture and the words a person would use for it in one place.
Each synthetic page comes with its section list, its layout tree and its screenshot, so its
descriptions can be exact: the page type, which sections appear in what order and how many
items each holds, the forms' inputs and buttons, the colours a person would name. Several
phrasings per page, drawn from different templates (short prompts as a player would type,
lists of sections, counts of elements, keyword strings), so that a model learns the structure
behind the words rather than one template.

    >>> tree = {"kind": "page", "children": [{"kind": "navbar", "children": []},
    ...         {"kind": "main", "children": [{"kind": "input"}, {"kind": "input"}, {"kind": "button", "text": "Log in"}]}]}
    >>> facts = page_facts(tree, "login", "desktop", ["navbar", "login"])
    >>> describe(facts, seed=0, n=3)[0]
    'a login page with a navigation bar and a login form with two inputs and a button'
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# How people name each page type (the first is the plain one).
PAGE_NAMES: dict[str, tuple[str, ...]] = {
    "landing": ("landing page", "home page", "marketing page", "product homepage", "startup website"),
    "pricing": ("pricing page", "plans page", "page of subscription plans"),
    "blog_article": ("blog post", "article page", "blog article"),
    "blog_index": ("blog index", "list of blog posts", "blog home page"),
    "dashboard": ("dashboard", "admin dashboard", "analytics dashboard"),
    "product": ("product page", "shop item page", "product detail page"),
    "listing": ("product listing", "shop category page", "catalogue page"),
    "checkout": ("checkout page", "payment page", "order form"),
    "login": ("login page", "sign-in page", "login screen"),
    "signup": ("signup page", "registration page", "create-account page"),
    "contact": ("contact page", "contact form page", "get-in-touch page"),
    "docs": ("documentation page", "docs page", "developer docs"),
    "portfolio": ("portfolio", "personal website", "portfolio page"),
    "settings": ("settings page", "account settings", "preferences screen"),
    "mobile_app": ("mobile app screen", "phone app screen", "app screen"),
    "about": ("about page", "about-us page", "company page"),
    "error": ("error page", "404 page", "page-not-found screen"),
}

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


@dataclass(slots=True)
class Section:
    name: str  # the data engine's section name (navbar, pricing_tiers, ...)
    items: int = 0  # the largest group of like items in it (cards, plans, columns)
    counts: dict[str, int] = field(default_factory=dict)  # element kinds inside it


@dataclass(slots=True)
class PageFacts:
    page_type: str
    viewport: str
    sections: list[Section]
    counts: dict[str, int]  # element kinds over the whole page
    dark: bool | None = None  # dark page background (from the screenshot's pixels)
    accent: str | None = None  # the colour name of the most common saturated colour
    navbar_tone: str | None = None  # "dark", "light" or a colour name


def _count(node: dict[str, Any], into: Counter[str]) -> None:
    into[node["kind"]] += 1
    for child in node.get("children", ()):
        _count(child, into)


_GROUPS = (("card", "column"), ("list_item", "image", "avatar", "table_row"))


def _largest_group(node: dict[str, Any], kinds: tuple[str, ...] | None = None) -> int:
    """The most children of one kind under one parent: the cards of a grid, the plans of a pricing row.
    Cards and columns first: a pricing plan's feature list must not count as the plans."""
    if kinds is None:
        for group in _GROUPS:
            if (found := _largest_group(node, group)) >= 2:
                return found
        return 0
    best = 0
    children = node.get("children", ())
    if len(children) >= 2:
        seen = Counter(c["kind"] for c in children if c["kind"] in kinds)
        if seen:
            best = max(seen.values())
    for child in children:
        best = max(best, _largest_group(child, kinds))
    return best


def page_facts(layout: dict[str, Any], page_type: str, viewport: str, sections: list[str], image: np.ndarray | None = None) -> PageFacts:
    """Gather what the descriptions say about one page: its layout tree (JSON form), the section names
    the data engine recorded, and optionally its screenshot (H, W, 3 uint8) for the colours."""
    children = list(layout.get("children", ()))
    parts: list[Section] = []
    aligned = len(children) == len(sections)
    for i, name in enumerate(sections):
        counts: Counter[str] = Counter()
        items = 0
        if aligned:
            _count(children[i], counts)
            items = _largest_group(children[i])
        parts.append(Section(name, items, dict(counts)))
    total: Counter[str] = Counter()
    _count(layout, total)
    facts = PageFacts(page_type, viewport, parts, dict(total))
    if image is not None:
        facts.dark, facts.accent = _tones(image)
        nav = next((c for c in children if c["kind"] == "navbar" and c.get("box")), None)
        if nav is not None:
            facts.navbar_tone = _region_tone(image, nav["box"], layout.get("box"))
    return facts


# Named colours by hue (degrees): what a person calls a saturated colour.
_HUES = ((15, "red"), (40, "orange"), (65, "yellow"), (160, "green"), (190, "teal"), (250, "blue"), (290, "purple"), (335, "pink"), (360, "red"))


def colour_name(rgb: tuple[float, float, float]) -> str:
    """A plain name for an sRGB colour (0-255): black, white, grey or a hue name."""
    r, g, b = (v / 255.0 for v in rgb)
    hi, lo = max(r, g, b), min(r, g, b)
    if hi < 0.18:
        return "black"
    if hi - lo < 0.12 or (hi - lo) / hi < 0.2:
        return "white" if lo > 0.85 else "grey"
    d = hi - lo
    if hi == r:
        hue = 60 * (((g - b) / d) % 6)
    elif hi == g:
        hue = 60 * ((b - r) / d + 2)
    else:
        hue = 60 * ((r - g) / d + 4)
    return next(name for limit, name in _HUES if hue <= limit)


def _tones(image: np.ndarray) -> tuple[bool, str | None]:
    px = image[::4, ::4].reshape(-1, 3).astype(np.float32)
    luma = px @ np.array([0.299, 0.587, 0.114], np.float32)
    dark = bool(np.median(luma) < 100)
    hi, lo = px.max(1), px.min(1)
    saturated = px[(hi - lo > 60) & (hi > 70)]
    if len(saturated) < 0.003 * len(px):
        return dark, None
    names = Counter(colour_name(tuple(p)) for p in saturated[:: max(1, len(saturated) // 400)])
    return dark, names.most_common(1)[0][0]


def _region_tone(image: np.ndarray, box: list[float], page_box: list[float] | None) -> str | None:
    h, w = image.shape[:2]
    pw = (page_box[0] + page_box[2]) if page_box else w
    scale = w / max(pw, 1.0)
    x, y, bw, bh = (v * scale for v in box)
    region = image[int(y) : int(y + bh) + 1, int(x) : int(x + bw) + 1]
    if region.size == 0:
        return None
    median = np.median(region.reshape(-1, 3), axis=0)
    name = colour_name((float(median[0]), float(median[1]), float(median[2])))
    if name in ("black", "grey") and float(median.mean()) < 110:
        return "dark"
    if name in ("white", "grey"):
        return "light"
    return name


def _num(n: int, rng: random.Random) -> str:
    if n < len(_NUMBER_WORDS) and rng.random() < 0.8:
        return _NUMBER_WORDS[n]
    return str(n)


def _plural(n: int, one: str, many: str | None = None, rng: random.Random | None = None) -> str:
    word = one if n == 1 else (many or one + "s")
    return f"{_num(n, rng or random.Random(0))} {word}" if n != 1 else f"a {word}" if one[0] not in "aeiou" else f"an {word}"


def _section_phrase(s: Section, rng: random.Random) -> str | None:
    n, c = s.items, s.counts
    inputs = c.get("input", 0) + c.get("select", 0) + c.get("textarea", 0)
    links = c.get("link", 0)
    table = {
        "navbar": lambda: rng.choice(("a navigation bar", "a top menu", f"a navbar with {_num(links, rng)} links" if links > 1 else "a navbar")),
        "app_navbar": lambda: rng.choice(("an app toolbar", "a top bar with a search box", "a navigation bar")),
        "topbar": lambda: rng.choice(("a thin announcement bar", "a banner strip at the very top")),
        "hero_centered": lambda: rng.choice(("a centered hero with a big headline", "a big centered headline and a button", "a hero section")),
        "hero_split": lambda: rng.choice(("a hero with text beside a picture", "a split hero, headline on one side and an image on the other", "a hero section with an image")),
        "hero_form": lambda: rng.choice(("a hero with a signup form", "a headline next to a short form", "a hero section with inputs")),
        "page_header": lambda: rng.choice(("a page title with a short intro", "a title and a lead paragraph")),
        "listing_header": lambda: "a category title",
        "contact_header": lambda: "a title inviting people to get in touch",
        "blog_header": lambda: "a blog title",
        "pricing_header": lambda: "a pricing title",
        "features_grid": lambda: f"a grid of {_num(n, rng)} features" if n > 1 else "a features section",
        "features_alternating": lambda: rng.choice(("features in alternating rows of text and picture", "zig-zag feature rows")),
        "logos": lambda: rng.choice(("a row of customer logos", "a strip of partner logos")),
        "stats": lambda: f"{_num(n, rng)} big numbers" if n > 1 else "a row of statistics",
        "testimonials": lambda: f"{_num(n, rng)} customer quotes" if n > 1 else "testimonials",
        "pricing_tiers": lambda: f"{_num(n, rng)} pricing plans" if n > 1 else "pricing plans",
        "faq": lambda: rng.choice(("a list of frequently asked questions", "an FAQ", "questions and answers")),
        "cta": lambda: rng.choice(("a call-to-action banner", "a final sign-up call to action", "a banner with a button")),
        "gallery": lambda: rng.choice(("a picture gallery", f"a gallery of {_num(n, rng)} images" if n > 1 else "an image gallery")),
        "team": lambda: f"{_num(n, rng)} team members with photos" if n > 1 else "the team",
        "blog_cards": lambda: f"{_num(n, rng)} blog post cards" if n > 1 else "blog posts",
        "product_cards": lambda: f"{_num(n, rng)} product cards" if n > 1 else "products",
        "related_products": lambda: f"{_num(n, rng)} related products" if n > 1 else "related products",
        "content": lambda: rng.choice(("a block of text", "paragraphs of text", "a text section")),
        "video": lambda: rng.choice(("a video", "an embedded video player")),
        "footer": lambda: rng.choice(("a footer", "a footer with link columns", "footer links")),
        "product_detail": lambda: rng.choice(("a product photo with its price and an add-to-cart button", "a big product image beside a buy button")),
        "reviews": lambda: rng.choice(("customer reviews", "star ratings and reviews")),
        "listing": lambda: f"a grid of {_num(n, rng)} products" + (" with a filter sidebar" if c.get("sidebar") else "") if n > 1 else "a product grid",
        "checkout": lambda: f"a checkout form with {_num(inputs, rng)} fields and an order summary" if inputs > 1 else "a checkout form",
        "article": lambda: rng.choice(("a long article", "an article with headings and paragraphs")),
        "author_bio": lambda: "an author bio with a photo",
        "docs": lambda: rng.choice(("documentation with a sidebar menu", "a docs layout with a side navigation")),
        "login": lambda: f"a login form with {_plural(inputs, 'input', rng=rng)} and a button",
        "signup": lambda: f"a signup form with {_plural(inputs, 'input', rng=rng)}",
        "contact": lambda: f"a contact form with {_plural(inputs, 'field', rng=rng)}",
        "portfolio_hero": lambda: rng.choice(("an introduction with a portrait", "a personal intro with a photo")),
        "projects": lambda: f"{_num(n, rng)} project cards" if n > 1 else "projects",
        "skills": lambda: "a list of skills",
        "error": lambda: rng.choice(("a big error message with a link home", "a 404 message")),
        "comparison": lambda: rng.choice(("a plan comparison table", "a feature comparison table")),
        "dashboard": lambda: rng.choice((f"{_num(n, rng)} stat cards and a table" if n > 1 else "charts and tables", "charts, numbers and a data table")),
        "settings": lambda: rng.choice(("a settings form with toggles", "account options with switches and inputs")),
    }
    make = table.get(s.name)
    if make is not None:
        return make()
    if s.name.startswith("mobile"):
        return f"a list of {_num(n, rng)} items" if n > 1 else None
    return None


class _Plain(random.Random):
    """Always the first option and number words: the one plain description of a page."""

    def choice(self, seq):
        return seq[0]

    def random(self) -> float:
        return 0.0


def _article(phrase: str) -> str:
    return ("an " if phrase[0] in "aeiou" else "a ") + phrase


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def describe(facts: PageFacts, seed: int = 0, n: int = 6) -> list[str]:
    """`n` different descriptions of one page (the first is always the full plain one)."""
    rng = random.Random(seed)
    out: list[str] = []
    for attempt in range(n * 4):
        text = _one(facts, rng, style=0 if attempt == 0 else rng.randrange(7))
        if text not in out:
            out.append(text)
        if len(out) == n:
            break
    return out


def _one(f: PageFacts, rng: random.Random, style: int) -> str:
    names = PAGE_NAMES.get(f.page_type, (f.page_type.replace("_", " ") + " page",))
    name = names[0] if style == 0 else rng.choice(names)
    phone = f.viewport != "desktop" and f.page_type != "mobile_app"
    if phone and rng.random() < 0.8:
        name = rng.choice(("mobile ", "phone ")) + name
    body = [p for p in (_section_phrase(s, rng) for s in f.sections if s.name != "footer" or rng.random() < 0.5) if p]
    if style == 0:  # the plain one: every section in order (footers left out unless asked for)
        plain = _Plain()
        body = [p for p in (_section_phrase(s, plain) for s in f.sections if s.name != "footer") if p]
        return _article(name) + (" with " + _join(body) if body else "")
    if style == 1:  # a short prompt, as a player would type it
        return _article(name) + (" with " + rng.choice(body) if body and rng.random() < 0.7 else "")
    if style == 2:  # a few sections, in order
        if not body:
            return _article(name)
        k = rng.randint(1, min(3, len(body)))
        picked = sorted(rng.sample(range(len(body)), k))
        return _article(name) + " with " + _join([body[i] for i in picked])
    if style == 3:  # colours and tone
        bits = []
        if f.dark is not None:
            bits.append(rng.choice(("dark", "dark-themed")) if f.dark else rng.choice(("light", "white", "bright")))
        text = _article(" ".join([*bits, name]))
        extras = []
        if f.navbar_tone:
            tone = f.navbar_tone
            extras.append(f"a {tone} navigation bar" if tone in ("dark", "light") else f"a {tone} top bar")
        buttons = f.counts.get("button", 0)
        if f.accent and buttons:
            extras.append(f"{_num(buttons, rng)} {f.accent} buttons" if buttons > 1 else f"a {f.accent} button")
        elif f.accent:
            extras.append(f"{f.accent} accents")
        if extras:
            text += " with " + _join(rng.sample(extras, rng.randint(1, len(extras))))
        return text
    if style == 4:  # counts of elements over the page
        c = f.counts
        pairs = [("input", c.get("input", 0) + c.get("textarea", 0) + c.get("select", 0)), ("button", c.get("button", 0)),
                 ("image", c.get("image", 0)), ("card", c.get("card", 0)), ("table", c.get("table", 0)), ("checkbox", c.get("checkbox", 0))]
        present = [(k, v) for k, v in pairs if v]
        if not present:
            return _article(name)
        chosen = rng.sample(present, rng.randint(1, min(3, len(present))))
        lead = rng.choice((_article(name), "a page", "a screen"))
        return lead + " with " + _join([_plural(v, k, rng=rng) for k, v in chosen])
    if style == 5:  # keywords
        words = [name]
        words += rng.sample(body, min(len(body), rng.randint(1, 3))) if body else []
        if f.dark is not None and rng.random() < 0.6:
            words.append("dark theme" if f.dark else "light theme")
        if f.accent and rng.random() < 0.5:
            words.append(f.accent)
        return ", ".join(words)
    # style 6: top to bottom
    if len(body) < 2:
        return _article(name) + (" with " + body[0] if body else "")
    first, last = body[0], body[-1]
    middle = body[1:-1]
    text = f"{_article(name)}: {first} at the top"
    if middle:
        text += ", then " + _join(middle[: rng.randint(1, min(3, len(middle)))])
    return text + f", and {last} at the bottom"
