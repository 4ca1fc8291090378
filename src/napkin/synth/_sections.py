"""Section builders shared by many page types: navigation, heroes, features, social proof, pricing, FAQ, CTA, footers.

Each builder takes the page context and returns one top-level node (a section, header, navbar
or footer). Variants inside a builder are chosen with weights; which builders a page uses is
decided by the page grammar in `_pages.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from napkin.layout import Node, Style
from napkin.synth._build import Ctx

Builder = Callable[[Ctx], Node]


def _tone(ctx: Ctx, weights: dict[str, float]) -> str:
    return ctx.choose(weights)


def _logo(ctx: Ctx, name: str | None = None) -> Node:
    kids = [ctx.icon(boxed=ctx.chance(0.5))] if ctx.chance(0.45) else []
    return Node("logo", name or ctx.w.brand, children=kids, style=Style(color=ctx.tone.text))


def _cta_buttons(ctx: Ctx, n: int | None = None, justify: str | None = None) -> Node:
    n = n or ctx.pick((1, 2, 2))
    buttons = [ctx.button(ctx.w.short("cta_primary"), "primary", size=ctx.pick((None, 17.0)))]
    if n > 1:
        buttons.append(ctx.button(ctx.w.short("cta_secondary"), ctx.pick((None, "ghost"))))
    return ctx.row(buttons, justify=justify, inline=True, gap=12.0)


def _heading_intro(ctx: Ctx, title: str, align: str | None, lead: bool | None = None, eyebrow: bool = False) -> list[Node]:
    out: list[Node] = []
    if eyebrow:
        out.append(ctx.text(ctx.w.category().upper(), size=13.0, weight=700, color=ctx.tone.link or ctx.theme.primary))
    out.append(ctx.heading(title, 2, align=align))
    if lead if lead is not None else ctx.chance(0.6):
        out.append(ctx.para(ctx.w.subheadline(), muted=True, max_width=680.0 if align == "center" else None, size=ctx.pick((None, 18.0))))
    return out


# -- navigation -----------------------------------------------------------------------------------


def navbar(ctx: Ctx) -> Node:
    w = ctx.w
    tone = _tone(ctx, {"plain": 8, "inverse": 1.5, "brand": 0.8, "tinted": 1})
    with ctx.toned(tone):
        variant = ctx.choose({"split": 5, "left": 3, "center": 1, "shop": 2 if w.topic.kind == "shop" else 0.3, "minimal": 1.5})
        links = [ctx.link(label, nav=True) for label in w.nav(ctx.between(3, 6))]
        auth = w.labels("auth_links", 2)
        if ctx.chance(0.5):
            buttons = [ctx.button(auth[0], "ghost"), ctx.button(auth[1], "primary")]
        else:
            buttons = [ctx.button(auth[1], ctx.pick(("primary", None)))]
        right = ctx.row(buttons, inline=True, gap=8.0)
        if variant == "split":
            kids = [_logo(ctx), ctx.row(links, inline=True, gap=ctx.pick((20.0, 24.0, 32.0))), right]
        elif variant == "left":
            kids = [ctx.row([_logo(ctx), ctx.row(links, inline=True, gap=20.0)], inline=True, gap=40.0), right]
        elif variant == "center":
            kids = [ctx.row(links[:3], inline=True, gap=20.0), _logo(ctx), ctx.row(links[3:] or buttons, inline=True, gap=20.0)]
        elif variant == "shop":
            icons = [Node("link", label, children=[Node("icon")], style=Style(color=ctx.tone.link or ctx.theme.text)) for label in ctx.w.sample(("Account", "Cart (2)", "Wishlist", "Bag"), ctx.between(1, 3))]
            kids = [_logo(ctx), ctx.row(links[:4], inline=True, gap=20.0), ctx.input(w.field("search"), "search", width="220px"), ctx.row(icons, inline=True, gap=16.0)]
        else:
            kids = [_logo(ctx), ctx.row(links, inline=True, gap=24.0)]
        style = Style(background=ctx.tone.background, justify="center" if variant == "center" else None)
        if ctx.layout == "wrapped":
            return Node("navbar", style=style, children=[ctx.row(kids, justify="between", inline=True, wrap_style=Style(max_width=ctx.width))])
        return Node("navbar", style=style, children=kids)


def topbar(ctx: Ctx) -> Node:
    """A thin announcement bar above the navigation."""
    with ctx.toned(ctx.choose({"brand": 3, "inverse": 2})):
        kids = [ctx.text(ctx.pick((f"{ctx.w.short('eyebrows')}: {ctx.w.headline()}", "Free shipping on orders over $50", f"{ctx.w.brand} {ctx.w.year} is here")), size=14.0)]
        if ctx.chance(0.5):
            kids.append(ctx.link(ctx.w.short("cta_secondary") + " →", size=14.0))
        return ctx.section([ctx.row(kids, justify="center", inline=True, gap=12.0)], kind="header", pad=(8.0, 24.0), align="center")


# -- heroes ---------------------------------------------------------------------------------------


def hero_centered(ctx: Ctx) -> Node:
    w = ctx.w
    tone = _tone(ctx, {"plain": 5, "tinted": 2, "brand": 1, "inverse": 1.2})
    with ctx.toned(tone):
        kids: list[Node] = []
        if ctx.chance(0.45):
            kids.append(ctx.row([ctx.badge(w.short("eyebrows")), ctx.text(w.feature()[0], muted=True, size=14.0)], justify="center", inline=True, gap=8.0))
        kids.append(ctx.heading(w.headline(), 1, size=ctx.pick((None, 44.0, 52.0, 56.0))))
        kids.append(ctx.para(w.subheadline(), muted=True, size=ctx.pick((18.0, 20.0)), max_width=ctx.pick((560.0, 640.0, 720.0))))
        kids.append(_cta_buttons(ctx, justify="center"))
        if ctx.chance(0.35):
            kids.append(ctx.text(ctx.pick(ctx.w.phrases["legal"]), muted=True, size=13.0))
        if ctx.chance(0.45):
            kids.append(ctx.image(f"{w.brand} product screenshot", 1040, ctx.pick((480, 560, 600)), radius=ctx.theme.radius * 1.5))
        pad = ctx.pick((72.0, 96.0, 120.0))
        return ctx.section(kids, align="center", pad=(pad, 24.0))


def hero_split(ctx: Ctx) -> Node:
    w = ctx.w
    tone = _tone(ctx, {"plain": 5, "tinted": 2, "brand": 0.7, "inverse": 1})
    with ctx.toned(tone):
        text: list[Node] = []
        if ctx.chance(0.4):
            text.append(ctx.badge(w.short("eyebrows")))
        text += [
            ctx.heading(w.headline(), 1, size=ctx.pick((None, 40.0, 48.0))),
            ctx.para(w.subheadline(), muted=True, size=ctx.pick((None, 18.0))),
            _cta_buttons(ctx),
        ]
        if ctx.chance(0.4):
            people = [ctx.avatar(w.person(), 32) for _ in range(ctx.between(3, 5))]
            text.append(ctx.row([ctx.row(people, inline=True, gap=4.0), ctx.text(f"Loved by {ctx.between(2, 90)},000+ {w.pick(w.topic.audience)}", muted=True, size=14.0)], inline=True, gap=12.0))
        left = ctx.col(text, gap=20.0)
        picture = ctx.col([ctx.image(f"{w.brand} hero", ctx.pick((560, 600, 640)), ctx.pick((400, 440, 480)), radius=ctx.theme.radius * 2)])
        kids = [left, picture] if ctx.chance(0.75) else [picture, left]
        return ctx.section([ctx.row(kids, gap=ctx.pick((32.0, 48.0, 64.0)))], pad=(ctx.pick((56.0, 72.0, 96.0)), 24.0))


def hero_form(ctx: Ctx) -> Node:
    w = ctx.w
    with ctx.toned(_tone(ctx, {"plain": 2, "tinted": 2, "brand": 1.5, "inverse": 1.5})):
        left = ctx.col([ctx.heading(w.headline(), 1, size=ctx.pick((None, 44.0))), ctx.para(w.subheadline(), muted=True),
                        Node("list", children=[Node("list_item", t) for t, _ in w.features(3)])], gap=20.0)
        form = ctx.card([
            ctx.heading(w.fill(w.pick(w.phrases["form_headings"]["signup"])), 3),
            ctx.input(w.field("name")), ctx.input(w.field("email"), "email"),
            ctx.button(w.short("cta_primary"), "primary", full=True),
            ctx.text(ctx.pick(w.phrases["legal"]), muted=True, size=13.0),
        ], kind="form", pad=28.0)
        return ctx.section([ctx.row([left, form], gap=48.0)], pad=(72.0, 24.0))


def page_header(ctx: Ctx, title: str | None = None, lead: str | None = None) -> Node:
    """The title band at the top of an inner page (pricing, blog, contact...)."""
    w = ctx.w
    align = ctx.pick(("center", "center", None))
    with ctx.toned(_tone(ctx, {"plain": 5, "tinted": 3, "inverse": 1, "brand": 0.6})):
        kids: list[Node] = []
        if ctx.chance(0.35):
            kids.append(ctx.row([ctx.link(w.pick(w.phrases["breadcrumbs"]), muted=True), ctx.text("/", muted=True), ctx.text(title or w.category(), muted=True)], inline=True, gap=8.0, justify="center" if align else None))
        kids.append(ctx.heading(title or w.headline(), 1))
        kids.append(ctx.para(lead or w.subheadline(), muted=True, size=ctx.pick((None, 18.0)), max_width=640.0 if align else None))
        return ctx.section(kids, kind="header", align=align, pad=(ctx.pick((40.0, 56.0, 72.0)), 24.0))


# -- features -------------------------------------------------------------------------------------


def features_grid(ctx: Ctx) -> Node:
    w = ctx.w
    align = ctx.pick(("center", None))
    with ctx.toned(_tone(ctx, {"plain": 5, "tinted": 2.5, "inverse": 0.6})):
        cols = ctx.choose({"3": 5, "2": 1.5, "4": 2})
        n = int(cols) * ctx.pick((1, 1, 2))
        style = ctx.choose({"card": 4, "plain": 3, "image": 2})
        items = []
        muted, more, boxed_icon, pad = ctx.chance(0.7), ctx.chance(0.3), ctx.chance(0.6), ctx.pick((None, 28.0))
        item_align = ctx.pick((None, "center")) if align else None
        for title, desc in w.features(n):
            body = [ctx.heading(title, 3), ctx.para(desc, muted=muted)]
            if more:
                body.append(ctx.link(w.short("cta_secondary") + " →"))
            if style == "image":
                items.append(ctx.card([ctx.image(title, 400, 240), *body], pad=pad))
            elif style == "card":
                items.append(ctx.card([ctx.icon(boxed=boxed_icon), *body], pad=pad, align=item_align))
            else:
                items.append(ctx.col([ctx.icon(boxed=boxed_icon), *body], align=item_align))
        kids = _heading_intro(ctx, w.headline(), align, eyebrow=ctx.chance(0.4))
        kids.append(ctx.grid(items, int(cols), gap=ctx.pick((None, 24.0, 32.0))))
        return ctx.section(kids, align=align)


def features_alternating(ctx: Ctx) -> Node:
    w = ctx.w
    with ctx.toned(_tone(ctx, {"plain": 5, "tinted": 2})):
        kids: list[Node] = []
        if ctx.chance(0.6):
            kids += _heading_intro(ctx, w.headline(), "center")
        flip = ctx.chance(0.5)
        for i, (title, desc) in enumerate(w.features(ctx.between(2, 3))):
            text = [ctx.heading(title, 3, size=ctx.pick((None, 26.0))), ctx.para(desc, muted=True), ctx.para(w.sentence(), muted=True)]
            if ctx.chance(0.5):
                text.append(Node("list", children=[Node("list_item", w.feature()[0]) for _ in range(ctx.between(2, 3))]))
            if ctx.chance(0.4):
                text.append(ctx.link(w.short("cta_secondary") + " →"))
            pair = [ctx.col(text), ctx.col([ctx.image(title, 560, 380, radius=ctx.theme.radius)])]
            if (i % 2 == 1) != flip:
                pair.reverse()
            kids.append(ctx.row(pair, gap=ctx.pick((40.0, 56.0, 72.0))))
        return ctx.section(kids, align=None, gap=ctx.pick((48.0, 64.0)))


def logos(ctx: Ctx) -> Node:
    w = ctx.w
    with ctx.toned(_tone(ctx, {"plain": 4, "tinted": 2})):
        caption = ctx.text(ctx.pick(("Trusted by teams at", "Featured in", "Our partners", f"Join {ctx.between(2, 40)},000+ {w.pick(w.topic.audience)}")), muted=True, size=14.0)
        if ctx.chance(0.5):
            marks = [ctx.text(w.pick(w.people["company_words"]), size=ctx.pick((18.0, 20.0, 22.0)), weight=800, muted=True) for _ in range(ctx.between(4, 6))]
        else:
            marks = [ctx.image(w.company(), 120, 40, full=False) for _ in range(ctx.between(4, 6))]
        return ctx.section([caption, ctx.row(marks, justify=ctx.pick(("between", "center")), gap=40.0, inline=True)], align="center", pad=(ctx.pick((32.0, 40.0)), 24.0))


def stats(ctx: Ctx) -> Node:
    w = ctx.w
    with ctx.toned(_tone(ctx, {"plain": 3, "tinted": 2, "brand": 1.5, "inverse": 1})):
        n = ctx.pick((3, 4, 4))
        items = []
        for _ in range(n):
            value, label = w.stat()
            items.append(ctx.col([ctx.heading(value, 2, size=ctx.pick((36.0, 44.0))), ctx.text(label, muted=True)], align="center", gap=4.0))
        kids: list[Node] = []
        if ctx.chance(0.5):
            kids += _heading_intro(ctx, w.headline(), "center", lead=False)
        kids.append(ctx.grid(items, n))
        return ctx.section(kids, align="center")


def testimonials(ctx: Ctx) -> Node:
    w = ctx.w
    with ctx.toned(_tone(ctx, {"plain": 4, "tinted": 3, "inverse": 0.8})):
        variant = ctx.choose({"grid": 3, "single": 1.5})
        if variant == "single":
            person = w.person()
            kids = [ctx.para(f"“{w.testimonial()}”", size=ctx.pick((22.0, 26.0)), max_width=760.0),
                    ctx.row([ctx.avatar(person, 48), ctx.col([ctx.text(person, weight=700), ctx.text(f"{w.job()}, {w.company()}", muted=True, size=14.0)], gap=2.0)], justify="center", inline=True, gap=12.0)]
            return ctx.section(kids, align="center", pad=(72.0, 24.0))
        cards = []
        n = ctx.pick((2, 3, 3))
        for _ in range(n):
            person = w.person()
            body = [ctx.para(f"“{w.testimonial()}”")]
            if ctx.chance(0.4):
                body.insert(0, ctx.text("★★★★★", color=ctx.pick(("#f59e0b", "#eab308"))))
            body.append(ctx.row([ctx.avatar(person, 40), ctx.col([ctx.text(person, weight=600), ctx.text(f"{w.job()}, {w.company()}", muted=True, size=13.0)], gap=0.0)], inline=True, gap=12.0))
            cards.append(ctx.card(body, pad=ctx.pick((None, 24.0))))
        kids = _heading_intro(ctx, ctx.pick(("What our customers say", "Loved by " + w.pick(w.topic.audience), "Don't take our word for it", "Kind words")), "center", lead=ctx.chance(0.4))
        kids.append(ctx.grid(cards, n))
        return ctx.section(kids, align="center")


def pricing_tiers(ctx: Ctx) -> Node:
    w = ctx.w
    with ctx.toned(_tone(ctx, {"plain": 5, "tinted": 2})):
        names = ctx.pick(w.phrases["plan_names"])
        n = ctx.pick((3, 3, 4, 2))
        names = names[:n] if n > 2 else names[1:3]
        period = ctx.pick(w.phrases["billing_periods"])
        popular = ctx.between(0, n - 1) if n > 2 else 1
        features = w.phrases["plan_features"]
        cards = []
        base = ctx.pick((0, 5, 9, 12, 15))
        card_pad, card_align, highlight = ctx.pick((24.0, 28.0, 32.0)), ctx.pick(("left", "left", "center")), ctx.chance(0.7)
        for i, name in enumerate(names):
            amount = base + i * ctx.pick((10, 15, 20, 30)) if not (i == n - 1 and n == 4 and ctx.chance(0.5)) else None
            price = "Custom" if amount is None else (f"{w.currency}{amount}" if amount else f"{w.currency}0")
            head = [ctx.heading(name, 3)]
            if i == popular:
                head = [ctx.row([ctx.heading(name, 3), ctx.badge("Most popular")], justify="between", inline=True)]
            body = [*head, ctx.para(w.fill(ctx.pick(("For individuals getting started.", "For small teams that ship often.", "For growing businesses.", "For organisations with advanced needs.", "Everything you need to {verb} your {noun}."))), muted=True)]
            price_row = [ctx.heading(price, 2, size=ctx.pick((36.0, 40.0)))]
            if amount is not None:
                price_row.append(ctx.text(period, muted=True))
            body.append(ctx.row(price_row, inline=True, gap=4.0))
            body.append(ctx.button(ctx.pick(("Get started", "Choose plan", f"Start with {name}", "Contact sales" if amount is None else "Try it free")), "primary" if i == popular else None, full=True))
            body.append(Node("divider"))
            body.append(Node("list", style=Style(gap=6.0), children=[Node("list_item", f) for f in w.sample(features, ctx.between(3, 6))]))
            cards.append(ctx.card(body, pad=card_pad, align=card_align, highlight=i == popular and highlight))
        kids = _heading_intro(ctx, ctx.pick(("Simple, transparent pricing", "Plans for every team", "Pricing", "Choose your plan", "Pay only for what you use")), "center", lead=ctx.chance(0.7))
        if ctx.chance(0.4):
            kids.append(ctx.row([ctx.button("Monthly", "primary"), ctx.button("Yearly (save 20%)", None)], justify="center", inline=True, gap=0.0))
        kids.append(ctx.grid(cards, n, gap=ctx.pick((16.0, 24.0))))
        return ctx.section(kids, align="center")


def faq(ctx: Ctx) -> Node:
    w = ctx.w
    with ctx.toned(_tone(ctx, {"plain": 4, "tinted": 2})):
        qas = w.faq(ctx.between(4, 6))
        variant = ctx.choose({"stack": 3, "grid": 2, "cards": 1.5, "split": 1.5})
        items: list[Node]
        if variant == "grid":
            body: Node = ctx.grid([ctx.col([ctx.heading(q, 4), ctx.para(a, muted=True)], gap=6.0) for q, a in qas], 2, gap=32.0)
        elif variant == "cards":
            body = ctx.col([ctx.card([ctx.heading(q, 4), ctx.para(a, muted=True)], pad=20.0) for q, a in qas], gap=12.0)
        else:
            items = []
            for q, a in qas:
                items += [ctx.col([ctx.heading(q, 4), ctx.para(a, muted=True)], gap=6.0), Node("divider")]
            body = ctx.col(items[:-1], gap=18.0)
        title = ctx.pick(("Frequently asked questions", "Questions & answers", "FAQ", "Common questions"))
        if variant == "split":
            intro = ctx.col([ctx.heading(title, 2), ctx.para(f"Can't find what you're looking for? Write to us at {w.email('hello')}.", muted=True)])
            return ctx.section([ctx.row([intro, body], gap=48.0)])
        align = ctx.pick(("center", None))
        narrow = ctx.col([body], max_width=760.0) if align else body
        return ctx.section([*_heading_intro(ctx, title, align, lead=False), narrow], align=align)


def cta(ctx: Ctx) -> Node:
    w = ctx.w
    with ctx.toned(_tone(ctx, {"brand": 4, "inverse": 2, "tinted": 2, "plain": 1})):
        variant = ctx.choose({"center": 3, "split": 2, "newsletter": 2})
        if variant == "newsletter":
            title = w.fill(ctx.pick(w.phrases["form_headings"]["newsletter"]))
            form = ctx.row([ctx.input(w.field("email"), "email", width=ctx.pick(("280px", "320px"))), ctx.button(ctx.pick(("Subscribe", "Sign up", "Join")), "primary")], inline=True, gap=8.0, justify="center")
            kids = [ctx.heading(title, 2), ctx.para(ctx.pick(w.phrases["newsletter_blurbs"]), muted=True), form]
            return ctx.section(kids, align="center", pad=(64.0, 24.0))
        if variant == "split":
            text = ctx.col([ctx.heading(w.headline(), 2), ctx.para(w.subheadline(), muted=True)])
            return ctx.section([ctx.row([text, _cta_buttons(ctx)], justify="between", gap=32.0)], pad=(56.0, 24.0))
        kids = [ctx.heading(w.headline(), 2, size=ctx.pick((None, 36.0))), ctx.para(w.subheadline(), muted=True, max_width=600.0), _cta_buttons(ctx, justify="center")]
        return ctx.section(kids, align="center", pad=(72.0, 24.0))


def gallery(ctx: Ctx) -> Node:
    w = ctx.w
    with ctx.toned(_tone(ctx, {"plain": 4, "tinted": 1})):
        cols = ctx.pick((3, 4, 2))
        n = cols * ctx.pick((1, 2))
        shape = ctx.pick(((400, 300), (400, 400), (400, 500), (480, 270)))
        items: list[Node] = []
        captions = ctx.chance(0.5)
        for _ in range(n):
            name = w.pick(w.topic.categories) if ctx.chance(0.5) else w.product()[0]
            pic = ctx.image(name, *shape, radius=ctx.theme.radius)
            items.append(ctx.col([pic, ctx.text(name, weight=600)], gap=8.0) if captions else pic)
        kids = _heading_intro(ctx, ctx.pick(("Gallery", "Our work", "Recent projects", f"Life at {w.brand}", "Inside the studio")), None, lead=ctx.chance(0.4))
        kids.append(ctx.grid(items, cols, gap=ctx.pick((8.0, 16.0, 24.0))))
        return ctx.section(kids)


def team(ctx: Ctx) -> Node:
    w = ctx.w
    with ctx.toned(_tone(ctx, {"plain": 4, "tinted": 2})):
        n = ctx.pick((3, 4, 4, 6))
        cols = 3 if n in (3, 6) else 4
        people = []
        for _ in range(n):
            name = w.person()
            if ctx.chance(0.5):
                people.append(ctx.col([ctx.avatar(name, ctx.pick((96, 112, 128))), ctx.heading(name, 4), ctx.text(w.job(), muted=True)], align="center", gap=6.0))
            else:
                people.append(ctx.col([ctx.image(name, 320, 360), ctx.heading(name, 4), ctx.text(w.job(), muted=True, size=14.0)], gap=6.0))
        kids = _heading_intro(ctx, ctx.pick(("Meet the team", "The people behind " + w.brand, "Our team", "Who we are")), "center", lead=ctx.chance(0.5))
        kids.append(ctx.grid(people, cols, gap=32.0))
        return ctx.section(kids, align="center")


def blog_cards(ctx: Ctx) -> Node:
    w = ctx.w
    with ctx.toned(_tone(ctx, {"plain": 4, "tinted": 2})):
        n = ctx.pick((3, 3, 6, 4))
        cols = 4 if n == 4 else 3
        posts = []
        boxed, badge, avatar_row = ctx.chance(0.5), ctx.chance(0.6), ctx.chance(0.6)
        for _ in range(n):
            author = w.person()
            body: list[Node] = [ctx.image(w.blog_title(), 480, 270, radius=ctx.theme.radius)]
            if badge:
                body.append(ctx.badge(w.category()))
            body += [ctx.heading(w.blog_title(), 3), ctx.para(w.sentence(), muted=True)]
            if avatar_row:
                body.append(ctx.row([ctx.avatar(author, 32), ctx.text(author, size=14.0, weight=600), ctx.text(w.date(), muted=True, size=14.0)], inline=True, gap=8.0))
            else:
                body.append(ctx.text(f"{w.date()} · {ctx.pick(w.phrases['read_times'])}", muted=True, size=14.0))
            posts.append(ctx.card(body) if boxed else ctx.col(body, gap=10.0))
        head = ctx.row([ctx.heading(ctx.pick(("From the blog", "Latest articles", "Stories", "News and updates", "Related posts")), 2), ctx.link("View all →")], justify="between", inline=True)
        return ctx.section([head, ctx.grid(posts, cols, gap=24.0)])


def product_cards(ctx: Ctx, title: str | None = None, n: int | None = None, cols: int | None = None) -> Node:
    with ctx.toned(_tone(ctx, {"plain": 5, "tinted": 1})):
        cols = cols or ctx.pick((3, 4, 4))
        n = n or cols * ctx.pick((1, 1, 2))
        kids = [ctx.row([ctx.heading(title or ctx.pick(("Best sellers", "New arrivals", "You may also like", "Featured", "Popular right now")), 2), ctx.link("Shop all →")], justify="between", inline=True)]
        kids.append(product_grid(ctx, n, cols))
        return ctx.section(kids)


@dataclass(frozen=True, slots=True)
class _ProductLook:
    """What every card of one product grid shows, so a grid looks designed rather than random."""

    boxed: bool
    category: bool
    rating: bool
    cart: bool
    image_height: int
    button: str | None


def product_grid(ctx: Ctx, n: int, cols: int) -> Node:
    look = _ProductLook(ctx.chance(0.5), ctx.chance(0.4), ctx.chance(0.35), ctx.chance(0.5), ctx.pick((400, 480, 300)), ctx.pick((None, "primary")))
    return ctx.grid([product_card(ctx, look) for _ in range(n)], cols, gap=ctx.pick((16.0, 24.0)))


def product_card(ctx: Ctx, look: _ProductLook) -> Node:
    w = ctx.w
    name, price = w.product()
    body: list[Node] = [ctx.image(name, 400, look.image_height, radius=ctx.theme.radius)]
    if ctx.chance(0.2):
        body.append(ctx.badge(ctx.pick(("New", "Sale", "-20%", "Limited", "Best seller"))))
    if look.category:
        body.append(ctx.text(w.category(), muted=True, size=13.0))
    body.append(ctx.heading(name, 4))
    if look.rating:
        body.append(ctx.text(f"★★★★☆ ({ctx.between(3, 480)})", muted=True, size=13.0))
    if look.cart:
        body.append(ctx.row([ctx.text(price, weight=700), ctx.button("Add to cart", look.button, size=14.0)], justify="between", inline=True))
    else:
        body.append(ctx.text(price, weight=700))
    return ctx.card(body, pad=12.0) if look.boxed else ctx.col(body, gap=8.0)


def content(ctx: Ctx) -> Node:
    """A plain text section: a heading and a few paragraphs, sometimes beside a picture."""
    w = ctx.w
    with ctx.toned(_tone(ctx, {"plain": 5, "tinted": 1.5})):
        text: list[Node] = [ctx.heading(w.headline(), 2)]
        text += [ctx.para(w.paragraph(2, 4), muted=ctx.chance(0.3)) for _ in range(ctx.between(1, 3))]
        if ctx.chance(0.4):
            text.append(ctx.link(w.short("cta_secondary") + " →"))
        if ctx.chance(0.5):
            pair = [ctx.col(text), ctx.col([ctx.image(w.headline(), 560, 420, radius=ctx.theme.radius)])]
            if ctx.chance(0.5):
                pair.reverse()
            return ctx.section([ctx.row(pair, gap=48.0)])
        return ctx.section([ctx.col(text, max_width=760.0)] if ctx.layout != "boxed" and ctx.chance(0.5) else text)


def video_section(ctx: Ctx) -> Node:
    w = ctx.w
    with ctx.toned(_tone(ctx, {"plain": 3, "tinted": 2, "inverse": 1})):
        kids = [*_heading_intro(ctx, ctx.pick(("See it in action", "Watch the two-minute tour", f"How {w.brand} works")), "center", lead=ctx.chance(0.6)),
                Node("video", f"{w.brand} product tour", style=Style(max_width=860.0))]
        return ctx.section(kids, align="center")


# -- footers --------------------------------------------------------------------------------------


def footer(ctx: Ctx) -> Node:
    w = ctx.w
    tone = _tone(ctx, {"plain": 4, "tinted": 3, "inverse": 3})
    with ctx.toned(tone):
        variant = ctx.choose({"columns": 5, "simple": 3, "centered": 2})
        copyright_ = ctx.text(f"© {w.year} {w.brand}. {w.fill(ctx.pick(w.phrases['copyright']))}", muted=True, size=14.0)
        if variant == "simple":
            links = ctx.row([ctx.link(label, muted=True, size=14.0) for label in w.sample(("Privacy", "Terms", "Contact", "Status", "Cookies", "Careers"), ctx.between(2, 4))], inline=True, gap=20.0)
            return ctx.section([ctx.row([copyright_, links], justify="between", inline=True)], kind="footer", pad=(28.0, 24.0))
        if variant == "centered":
            links = ctx.row([ctx.link(label, nav=True, size=14.0) for label in w.nav(ctx.between(3, 5))], justify="center", inline=True, gap=24.0)
            social = ctx.row([Node("link", "", children=[Node("icon")]) for _ in range(ctx.between(3, 4))], justify="center", inline=True, gap=16.0)
            return ctx.section([_logo(ctx), links, social, copyright_], kind="footer", align="center", pad=(48.0, 24.0))
        groups = list(w.phrases["footer_groups"])
        cols: list[Node] = []
        about = [_logo(ctx), ctx.para(w.subheadline(), muted=True, size=14.0)]
        if ctx.chance(0.5):
            about.append(ctx.row([ctx.input(w.field("email"), "email", width="220px"), ctx.button("Subscribe", "primary")], inline=True, gap=8.0))
        cols.append(ctx.col(about, width=ctx.pick(("30%", "34%", None))))
        as_list = ctx.chance(0.5)
        for name in w.sample(groups, ctx.between(2, 4)):
            labels = w.sample(w.phrases["footer_groups"][name], ctx.between(3, 5))
            if as_list:
                group = Node("list", attrs={"bare": "1"}, children=[Node("list_item", children=[ctx.link(label, muted=True, size=14.0)]) for label in labels])
            else:
                group = ctx.col([ctx.link(label, muted=True, size=14.0) for label in labels], gap=8.0)
            cols.append(ctx.col([ctx.heading(name, 5, color=ctx.tone.text), group], gap=12.0))
        bottom = [copyright_]
        if ctx.chance(0.5):
            bottom.append(ctx.row([ctx.link(s, muted=True, size=14.0) for s in w.sample(w.phrases["social"], 3)], inline=True, gap=16.0))
        return ctx.section([ctx.row(cols, gap=40.0), Node("divider"), ctx.row(bottom, justify="between", inline=True)], kind="footer", pad=(56.0, 24.0))


SECTIONS: dict[str, Builder] = {
    "navbar": navbar,
    "topbar": topbar,
    "hero_centered": hero_centered,
    "hero_split": hero_split,
    "hero_form": hero_form,
    "page_header": page_header,
    "features_grid": features_grid,
    "features_alternating": features_alternating,
    "logos": logos,
    "stats": stats,
    "testimonials": testimonials,
    "pricing_tiers": pricing_tiers,
    "faq": faq,
    "cta": cta,
    "gallery": gallery,
    "team": team,
    "blog_cards": blog_cards,
    "product_cards": product_cards,
    "content": content,
    "video": video_section,
    "footer": footer,
}
