"""Page-type specific builders (apps, shops, articles, docs, forms) and the page grammar.

The grammar is data: for each page type, an ordered list of slots; each slot names the
builders that may fill it, with weights, the chance that it appears at all, and how many
times it repeats. Slots that share a `shuffle` group swap places between samples.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from napkin.layout import Node, Style
from napkin.synth._build import Ctx
from napkin.synth._sections import SECTIONS, Builder, footer, navbar, page_header, product_cards, product_grid

# -- app chrome (dashboards, settings) ------------------------------------------------------------


def app_navbar(ctx: Ctx) -> Node:
    w = ctx.w
    with ctx.toned(ctx.choose({"plain": 5, "inverse": 2, "brand": 1})):
        me = w.person()
        right = [ctx.button("", "ghost", icon=True), ctx.avatar(me, 32)]
        if ctx.chance(0.5):
            right.insert(0, ctx.button(ctx.pick(w.phrases["misc_buttons"]), "primary", size=14.0))
        kids = [ctx.row([Node("logo", w.brand, children=[ctx.icon(boxed=True)] if ctx.chance(0.5) else [], style=Style(color=ctx.tone.text)),
                         ctx.input(w.field("search"), "search", width=ctx.pick(("240px", "280px", "320px")))], inline=True, gap=32.0),
                ctx.row(right, inline=True, gap=12.0)]
        return Node("navbar", style=Style(background=ctx.tone.background), children=kids)


def app_sidebar(ctx: Ctx, labels: list[str] | None = None, width: str = "240px") -> Node:
    w = ctx.w
    with ctx.toned(ctx.choose({"tinted": 4, "inverse": 2, "plain": 2})):
        labels = labels or w.sample(w.phrases["nav_app"], ctx.between(5, 8))
        active = ctx.between(0, len(labels) - 1)
        items = []
        for i, label in enumerate(labels):
            item = Node("link", label, children=[Node("icon")] if ctx.chance(0.8) else [], style=Style(color=ctx.tone.text or ctx.theme.text))
            if i == active:
                item.style = Style(color=ctx.tone.link or ctx.theme.primary, font_weight=700)
            items.append(Node("list_item", children=[item]))
        kids: list[Node] = []
        if ctx.chance(0.5):
            kids.append(Node("logo", w.brand, style=Style(color=ctx.tone.text)))
        kids.append(Node("list", attrs={"bare": "1"}, style=Style(gap=ctx.pick((10.0, 14.0, 18.0))), children=items))
        if ctx.chance(0.5):
            kids.append(Node("divider"))
            kids.append(ctx.row([ctx.avatar(w.person(), 32), ctx.text(w.person(), size=14.0)], inline=True, gap=8.0))
        pad = ctx.pick((16.0, 20.0, 24.0))
        return Node("sidebar", style=Style(background=ctx.tone.background, color=ctx.tone.text, width=width, padding=(pad, pad, pad, pad)), children=kids)


def _table(ctx: Ctx, headers: list[str], rows: list[list[Node]]) -> Node:
    head = Node("table_row", children=[Node("table_cell", h, attrs={"header": "1"}) for h in headers])
    return Node("table", children=[head, *[Node("table_row", children=r) for r in rows]])


def _cell(text: str) -> Node:
    return Node("table_cell", text)


def orders_table(ctx: Ctx, n: int | None = None) -> Node:
    w = ctx.w
    rows = []
    for _ in range(n or ctx.between(4, 7)):
        status = ctx.pick(w.phrases["status_labels"])
        rows.append([_cell(f"#{ctx.between(1000, 9999)}"), _cell(w.person()), _cell(w.date()),
                     Node("table_cell", children=[ctx.badge(status)]), _cell(w.money(20, 900))])
    return _table(ctx, ["Order", "Customer", "Date", "Status", "Amount"], rows)


def dashboard_main(ctx: Ctx) -> Node:
    w = ctx.w
    title = w.fill(ctx.pick(w.phrases["dashboard_titles"]))
    head = ctx.row([ctx.col([ctx.heading(title, 1, size=ctx.pick((24.0, 28.0))), ctx.text(ctx.pick(w.phrases["time_ranges"]), muted=True, size=14.0)], gap=4.0),
                    ctx.row([ctx.select(w.sample(w.phrases["time_ranges"], 3), width="170px"), ctx.button(ctx.pick(("Export", "New report", "Add widget")), "primary")], inline=True, gap=8.0)],
                   justify="between")
    n = ctx.pick((3, 4, 4))
    cards = []
    size, pad, delta, icon = ctx.pick((24.0, 28.0, 32.0)), ctx.pick((16.0, 20.0)), ctx.chance(0.8), ctx.chance(0.3)
    for _ in range(n):
        label, value, change = w.metric()
        kids: list[Node] = [ctx.row([ctx.text(label, muted=True, size=14.0), ctx.icon(boxed=True)], justify="between", inline=True) if icon else ctx.text(label, muted=True, size=14.0),
                            ctx.heading(value, 3, size=size)]
        if delta:
            kids.append(ctx.row([ctx.badge(change, soft=True), ctx.text("vs last period", muted=True, size=13.0)], inline=True, gap=8.0))
        cards.append(ctx.card(kids, pad=pad))
    chart = ctx.card([ctx.row([ctx.heading(ctx.pick(("Revenue", "Traffic", "Activity", "Growth")), 3), ctx.text(ctx.pick(w.phrases["time_ranges"]), muted=True, size=14.0)], justify="between", inline=True),
                      ctx.image("Chart", 720, ctx.pick((260, 300, 320)))], pad=20.0)
    feed = ctx.card([ctx.heading(ctx.pick(("Recent activity", "Latest updates", "Notifications")), 3),
                     Node("list", attrs={"bare": "1"}, children=[Node("list_item", children=[ctx.row([ctx.avatar(w.person(), 28), ctx.text(w.activity(), size=14.0)], inline=True, gap=10.0)]) for _ in range(ctx.between(3, 5))])], pad=20.0)
    body: list[Node] = [head, ctx.grid(cards, n, gap=16.0)]
    body.append(ctx.row([chart, feed], gap=16.0) if ctx.chance(0.7) else chart)
    if ctx.chance(0.8):
        body.append(ctx.card([ctx.row([ctx.heading(ctx.pick(("Recent orders", "Latest transactions", "Top customers")), 3), ctx.link("View all")], justify="between", inline=True), orders_table(ctx)], pad=20.0))
    pad = ctx.pick((24.0, 32.0))
    return Node("main", style=Style(padding=(pad, pad, pad, pad), gap=ctx.pick((16.0, 24.0))), children=body)


def dashboard_body(ctx: Ctx) -> Node:
    if ctx.chance(0.6):
        return ctx.row([app_sidebar(ctx), dashboard_main(ctx)], gap=0.0)
    return dashboard_main(ctx)


def settings_body(ctx: Ctx) -> Node:
    w = ctx.w
    names = w.sample(list(w.phrases["settings_sections"]), ctx.between(2, 3))
    body: list[Node] = [ctx.col([ctx.heading("Settings", 1, size=ctx.pick((26.0, 30.0))), ctx.para("Manage your account, preferences and team.", muted=True)], gap=4.0)]
    for name in names:
        fields: list[Node] = [ctx.col([ctx.heading(name, 3), ctx.para(w.sentence(), muted=True, size=14.0)], gap=4.0)]
        for label in w.phrases["settings_sections"][name]:
            options = w.phrases["select_options"].get(label)
            if options:
                fields.append(ctx.field(label, ctx.select(options)))
            elif any(k in label.lower() for k in ("notification", "summary", "news", "two-factor")):
                fields.append(Node("checkbox", label, attrs={"checked": "1"} if ctx.chance(0.5) else {}))
            elif label == "Bio":
                fields.append(ctx.field(label, Node("textarea", w.sentence(), attrs={"rows": "3"})))
            else:
                filled = ctx.chance(0.6)
                value = {"Display name": w.person(), "Username": w.slug, "Email address": w.email(), "Location": w.city(), "Website": f"https://{w.slug}.example", "Billing email": w.email(), "Team name": w.brand}.get(label)
                fields.append(ctx.field(label, ctx.input(value if filled and value else label, "password" if "password" in label.lower() else "text", filled=bool(filled and value))))
        body.append(ctx.card(fields, kind="form", pad=ctx.pick((20.0, 24.0, 32.0))))
    body.append(ctx.row([ctx.button("Cancel", None), ctx.button("Save changes", "primary")], justify="end", inline=True, gap=8.0))
    if ctx.chance(0.4):
        body.append(ctx.card([ctx.heading("Danger zone", 3, color="#b91c1c"), ctx.para("Deleting your account removes all of your data. This cannot be undone.", muted=True),
                              ctx.button("Delete account", None)], pad=20.0))
    pad = ctx.pick((24.0, 32.0, 40.0))
    main = Node("main", style=Style(padding=(pad, pad, pad, pad), gap=24.0, max_width=ctx.pick((None, 880.0))), children=body)
    if ctx.chance(0.7):
        return ctx.row([app_sidebar(ctx, w.sample(list(w.phrases["settings_sections"]), 6), width=ctx.pick(("220px", "240px"))), main], gap=0.0)
    return main


# -- shop -----------------------------------------------------------------------------------------


def product_detail(ctx: Ctx) -> Node:
    w = ctx.w
    name, price = w.product()
    gallery_kids: list[Node] = [ctx.image(name, 640, ctx.pick((640, 560, 720)), radius=ctx.theme.radius)]
    if ctx.chance(0.7):
        gallery_kids.append(ctx.grid([ctx.image(f"{name}, view {i + 2}", 160, 160, radius=ctx.theme.radius) for i in range(4)], 4, gap=8.0))
    info: list[Node] = []
    if ctx.chance(0.5):
        info.append(ctx.text(w.category().upper(), muted=True, size=13.0, weight=600))
    info.append(ctx.heading(name, 1, size=ctx.pick((28.0, 32.0, 36.0))))
    info.append(ctx.row([ctx.text("★★★★☆", color="#f59e0b"), ctx.link(f"{ctx.between(4, 600)} reviews", muted=True)], inline=True, gap=8.0))
    price_row = [ctx.heading(price, 2, size=ctx.pick((24.0, 28.0)))]
    if ctx.chance(0.3):
        price_row.append(ctx.badge(ctx.pick(("Save 20%", "In stock", "Free shipping"))))
    info.append(ctx.row(price_row, inline=True, gap=12.0))
    info.append(ctx.para(w.paragraph(2, 3), muted=True))
    if w.topic.id in ("fashion", "outdoor"):
        info.append(ctx.field("Size", ctx.select(w.phrases["select_options"]["Size"])))
    elif ctx.chance(0.5):
        info.append(ctx.field(ctx.pick(("Option", "Colour", "Format")), ctx.select(ctx.pick((["Natural", "Black", "Olive"], ["Standard", "Gift box"], ["250 g", "500 g", "1 kg"])))))
    info.append(ctx.row([ctx.select(w.phrases["select_options"]["Quantity"], width="80px"), ctx.button(ctx.pick(("Add to cart", "Add to bag", "Buy now")), "primary"), ctx.button("", None, icon=True)], inline=True, gap=8.0))
    if ctx.chance(0.6):
        info.append(Node("divider"))
        info.append(Node("list", children=[Node("list_item", t) for t in ctx.w.sample(("Free shipping over $50", "30-day returns", "Ships in 2 business days", "Two-year warranty", "Secure checkout", "Made to order"), 3)]))
    return ctx.section([ctx.row([ctx.col(gallery_kids, gap=8.0), ctx.col(info, gap=16.0)], gap=48.0)], pad=(40.0, 24.0))


def reviews(ctx: Ctx) -> Node:
    w = ctx.w
    with ctx.toned(ctx.choose({"plain": 3, "tinted": 1})):
        items: list[Node] = []
        for _ in range(ctx.between(2, 4)):
            person = w.person()
            items.append(ctx.col([
                ctx.row([ctx.avatar(person, 40), ctx.col([ctx.text(person, weight=600), ctx.text(w.date(), muted=True, size=13.0)], gap=0.0)], inline=True, gap=12.0),
                ctx.text(ctx.pick(("★★★★★", "★★★★☆", "★★★☆☆")), color="#f59e0b"),
                ctx.heading(ctx.pick(w.people["review_titles"]), 4),
                ctx.para(w.testimonial(), muted=True),
            ], gap=8.0))
            items.append(Node("divider"))
        summary = ctx.col([ctx.heading(f"{ctx.pick(('4.6', '4.8', '4.3', '4.9'))} out of 5", 3), ctx.text(f"Based on {ctx.between(20, 900)} reviews", muted=True), ctx.button("Write a review", None)], gap=10.0, width="260px")
        return ctx.section([ctx.heading("Customer reviews", 2), ctx.row([summary, ctx.col(items[:-1], gap=20.0)], gap=48.0)])


def listing_body(ctx: Ctx) -> Node:
    w = ctx.w
    filters: list[Node] = []
    filters.append(ctx.heading("Filters", 4))
    for title in w.sample(("Category", "Price", "Availability", "Brand", "Rating"), ctx.between(2, 3)):
        filters.append(ctx.heading(title, 5))
        if title == "Price":
            filters.append(ctx.row([ctx.input("Min", "number", width="90px"), ctx.input("Max", "number", width="90px")], inline=True, gap=8.0))
        elif title == "Category":
            filters += [Node("checkbox", c, attrs={"checked": "1"} if ctx.chance(0.3) else {}) for c in w.sample(w.topic.categories, 4)]
        elif title == "Rating":
            filters += [Node("radio", f"{n} stars & up") for n in (4, 3, 2)]
        else:
            filters += [Node("checkbox", c) for c in w.sample(("In stock", "On sale", "New", "Free shipping", "Pre-order"), 3)]
    filters.append(ctx.button("Apply filters", ctx.pick(("primary", None)), full=True))
    cols = ctx.pick((3, 3, 4))
    n = cols * ctx.pick((2, 3))
    top = ctx.row([ctx.text(f"Showing 1–{n} of {n * ctx.between(3, 12)} results", muted=True), ctx.select(w.phrases["select_options"]["Sort by"], width="200px")], justify="between", inline=True)
    pages = ctx.row([ctx.button("← Previous", None), *[ctx.button(str(i), "primary" if i == 1 else "ghost") for i in range(1, 4)], ctx.button("Next →", None)], justify="center", inline=True, gap=6.0)
    main = ctx.col([top, product_grid(ctx, n, cols), pages], gap=24.0)
    side = Node("sidebar", style=Style(width=ctx.pick(("220px", "240px", "260px")), padding=(0.0, 0.0, 0.0, 0.0), gap=10.0), children=filters)
    return ctx.section([ctx.row([side, main], gap=32.0)], pad=(32.0, 24.0))


def checkout_body(ctx: Ctx) -> Node:
    w = ctx.w
    form: list[Node] = [ctx.heading("Checkout", 1, size=28.0), ctx.heading("Contact", 3), ctx.input(w.field("email"), "email"),
                        ctx.heading("Shipping address", 3), ctx.grid([ctx.input("First name"), ctx.input("Last name")], 2, gap=12.0),
                        ctx.input("Street address"), ctx.grid([ctx.input("City"), ctx.input("Postal code")], 2, gap=12.0),
                        ctx.select(w.phrases["select_options"]["Country"]), ctx.heading("Payment", 3),
                        ctx.input("Card number"), ctx.grid([ctx.input("MM / YY"), ctx.input("CVC")], 2, gap=12.0),
                        Node("checkbox", "Save this information for next time"), ctx.button(f"Pay {w.money(40, 400)}", "primary", full=True)]
    items = []
    for name, price in w.products(ctx.between(2, 3)):
        items.append(ctx.row([ctx.image(name, 64, 64, full=False, radius=ctx.theme.radius), ctx.col([ctx.text(name, weight=600), ctx.text("Qty 1", muted=True, size=13.0)], gap=2.0), ctx.text(price)], inline=True, gap=12.0))
    summary = ctx.card([ctx.heading("Order summary", 3), *items, Node("divider"),
                        ctx.row([ctx.text("Subtotal", muted=True), ctx.text(w.money(40, 400))], justify="between", inline=True),
                        ctx.row([ctx.text("Shipping", muted=True), ctx.text(ctx.pick(("Free", w.money(4, 12))))], justify="between", inline=True),
                        ctx.row([ctx.text("Total", weight=700), ctx.text(w.money(40, 420), weight=700)], justify="between", inline=True)], pad=24.0)
    return ctx.section([ctx.row([ctx.card(form, kind="form", flat=True, pad=0.0), summary], gap=48.0)], pad=(40.0, 24.0))


# -- content --------------------------------------------------------------------------------------


def article(ctx: Ctx) -> Node:
    w = ctx.w
    author = w.person()
    kids: list[Node] = []
    if ctx.chance(0.6):
        kids.append(ctx.badge(w.category()))
    kids.append(ctx.heading(w.blog_title(), 1, size=ctx.pick((None, 36.0, 42.0))))
    if ctx.chance(0.5):
        kids.append(ctx.para(w.subheadline(), muted=True, size=20.0))
    kids.append(ctx.row([ctx.avatar(author, 40), ctx.col([ctx.text(author, weight=600), ctx.text(f"{w.date()} · {ctx.pick(w.phrases['read_times'])}", muted=True, size=14.0)], gap=0.0)], inline=True, gap=12.0))
    if ctx.chance(0.7):
        kids.append(ctx.image(w.blog_title(), 1200, ctx.pick((600, 675)), radius=ctx.theme.radius))
    for i in range(ctx.between(2, 4)):
        if i:
            kids.append(ctx.heading(w.fill(ctx.pick(("Why {noun} matter", "Getting started", "What we learned", "A closer look", "The {adj} approach", "Step {number}: plan your {noun}", "Putting it together"))), 2, size=ctx.pick((None, 26.0))))
        kids += [ctx.para(w.paragraph(3, 5)) for _ in range(ctx.between(1, 2))]
        extra = ctx.choose({"none": 3, "list": 1.2, "quote": 0.8, "image": 0.8, "video": 0.25, "code": 0.4 if w.topic.kind == "software" else 0.0})
        if extra == "list":
            kids.append(Node("list", attrs={"ordered": "1"} if ctx.chance(0.4) else {}, children=[Node("list_item", w.sentence()) for _ in range(ctx.between(3, 5))]))
        elif extra == "quote":
            kids.append(ctx.card([ctx.para(f"“{w.testimonial()}”", size=20.0), ctx.text(f"— {w.person()}", muted=True)], flat=True, pad=24.0))
        elif extra == "image":
            kids += [ctx.image(w.headline(), 800, 450, radius=ctx.theme.radius), ctx.text(w.sentence(), muted=True, size=14.0)]
        elif extra == "code":
            kids.append(_code_block(ctx, ctx.between(2, 4)))
        elif extra == "video":
            kids.append(Node("video", f"Video: {w.blog_title()}"))
    if ctx.chance(0.5):
        kids.append(ctx.row([ctx.badge(w.category(), soft=True) for _ in range(ctx.between(2, 4))], inline=True, gap=8.0))
    body = ctx.col(kids, gap=20.0, max_width=None)
    if ctx.chance(0.35):
        side = Node("sidebar", style=Style(width="300px", padding=(0.0, 0.0, 0.0, 0.0)), children=[
            ctx.heading("Popular posts", 4),
            ctx.col([ctx.link(w.blog_title()) for _ in range(4)], gap=10.0),
            ctx.card([ctx.heading(w.fill(ctx.pick(w.phrases["form_headings"]["newsletter"])), 4), ctx.para(ctx.pick(w.phrases["newsletter_blurbs"]), muted=True, size=14.0),
                      ctx.input(w.field("email"), "email"), ctx.button("Subscribe", "primary", full=True)], kind="form", pad=20.0)])
        return ctx.section([ctx.row([body, side], gap=48.0)], pad=(48.0, 24.0))
    return ctx.section([body], pad=(48.0, 24.0), width=ctx.pick((680.0, 720.0, 760.0)))


def author_bio(ctx: Ctx) -> Node:
    w = ctx.w
    person = w.person()
    return ctx.section([ctx.card([ctx.row([ctx.avatar(person, 64), ctx.col([ctx.heading(person, 4), ctx.para(f"{w.job()} at {w.brand}. {w.sentence()}", muted=True)], gap=4.0)], inline=True, gap=16.0)], pad=24.0)],
                       width=ctx.pick((680.0, 720.0, 760.0)))


def _code_block(ctx: Ctx, lines: int) -> Node:
    dark = ctx.pick(("#0f172a", "#1e1e1e", "#111827", "#282c34"))
    code = [Node("paragraph", ctx.w.code_line(), style=Style(font_family="mono", font_size=14.0, color="#e5e7eb")) for _ in range(lines)]
    return Node("card", style=Style(background=dark, border_color=dark, gap=4.0, padding=(16.0, 20.0, 16.0, 20.0)), children=code)


def docs_body(ctx: Ctx) -> Node:
    w = ctx.w
    groups = w.sample(w.phrases["docs_groups"], ctx.between(2, 4))
    nav: list[Node] = []
    active = w.pick(w.phrases["docs_topics"])
    for g in groups:
        nav.append(ctx.text(g.upper(), size=12.0, weight=700, muted=True))
        items = [Node("list_item", children=[Node("link", t, style=Style(color=ctx.theme.text if t != active else None, font_size=14.0))]) for t in w.sample(w.phrases["docs_topics"], ctx.between(3, 5))]
        nav.append(Node("list", attrs={"bare": "1"}, style=Style(gap=8.0), children=items))
    side = Node("sidebar", style=Style(width=ctx.pick(("220px", "240px", "260px")), padding=(24.0, 16.0, 24.0, 24.0), gap=12.0, background=ctx.theme.surface if ctx.chance(0.4) else None), children=nav)
    doc: list[Node] = []
    if ctx.chance(0.6):
        doc.append(ctx.row([ctx.link("Docs", muted=True), ctx.text("/", muted=True), ctx.link(groups[0], muted=True), ctx.text("/", muted=True), ctx.text(active)], inline=True, gap=6.0))
    doc += [ctx.heading(active, 1, size=ctx.pick((30.0, 36.0))), ctx.para(w.paragraph(2, 3), muted=True, size=18.0)]
    for _ in range(ctx.between(2, 3)):
        doc.append(ctx.heading(w.pick(w.phrases["docs_topics"]), 2, size=ctx.pick((22.0, 24.0))))
        doc.append(ctx.para(w.paragraph(2, 4)))
        extra = ctx.choose({"code": 3, "table": 1.5, "callout": 1.2, "list": 1})
        if extra == "code":
            doc.append(_code_block(ctx, ctx.between(1, 4)))
        elif extra == "table":
            names = w.sample(w.phrases["param_names"], ctx.between(3, 5))
            doc.append(_table(ctx, ["Parameter", "Type", "Description"], [[Node("table_cell", n, style=Style(font_family="mono")), _cell(ctx.pick(w.phrases["param_types"])), _cell(ctx.pick(w.phrases["param_docs"]))] for n in names]))
        elif extra == "callout":
            bg = ctx.pick(("#eff6ff", "#fef9c3", "#ecfdf5", "#fef2f2"))
            doc.append(Node("card", style=Style(background=bg, border_color=bg, color="#1f2937"), children=[Node("paragraph", ctx.pick(w.phrases["callouts"]))]))
        else:
            doc.append(Node("list", children=[Node("list_item", w.sentence()) for _ in range(ctx.between(3, 4))]))
    doc.append(Node("divider"))
    doc.append(ctx.row([ctx.card([ctx.text("Previous", muted=True, size=13.0), ctx.link(w.pick(w.phrases["docs_topics"]))], pad=16.0),
                        ctx.card([ctx.text("Next", muted=True, size=13.0), ctx.link(w.pick(w.phrases["docs_topics"]))], pad=16.0, align="right")], gap=16.0))
    main = Node("main", style=Style(padding=(32.0, 40.0, 48.0, 40.0), max_width=ctx.pick((None, 860.0)), gap=18.0), children=doc)
    kids = [side, main]
    if ctx.chance(0.4):
        toc = Node("sidebar", style=Style(width="200px", padding=(32.0, 16.0, 32.0, 16.0), gap=8.0), children=[
            ctx.text("On this page", size=13.0, weight=700), *[ctx.link(t, muted=True, size=13.0) for t in w.sample(w.phrases["docs_topics"], 4)]])
        kids.append(toc)
    return ctx.row(kids, gap=0.0)


# -- forms ----------------------------------------------------------------------------------------


def _auth_form(ctx: Ctx, signup: bool) -> Node:
    w = ctx.w
    kind = "signup" if signup else "login"
    kids: list[Node] = []
    if ctx.chance(0.6):
        kids.append(Node("logo", w.brand, children=[ctx.icon(boxed=True)] if ctx.chance(0.5) else []))
    kids.append(ctx.heading(w.fill(ctx.pick(w.phrases["form_headings"][kind])), 1, size=ctx.pick((24.0, 28.0, 32.0))))
    if ctx.chance(0.6):
        kids.append(ctx.para(ctx.pick(("Enter your details to continue.", f"Welcome to {w.brand}.", "It only takes a minute.", "Use your work email to get started.")), muted=True))
    if ctx.chance(0.4):
        kids.append(ctx.col([ctx.button("Continue with Google", None, full=True, icon=ctx.chance(0.5)), ctx.button("Continue with GitHub", None, full=True)], gap=8.0))
        kids.append(ctx.text("or continue with email", muted=True, size=13.0))
    labels = ctx.chance(0.6)
    fields: list[tuple[str, str]] = []
    if signup:
        fields += [(w.field("name"), "text")]
        if ctx.chance(0.3):
            fields += [(w.field("company"), "text")]
    fields += [(w.field("email"), "email"), (w.field("password"), "password")]
    if signup and ctx.chance(0.4):
        fields += [("Confirm password", "password")]
    for label, t in fields:
        kids.append(ctx.field(label, ctx.input(ctx.pick(("", label)), t)) if labels else ctx.input(label, t))
    if signup:
        if ctx.chance(0.4):
            kids.append(ctx.field("Plan", ctx.select(w.phrases["select_options"]["Plan"])))
        kids.append(Node("checkbox", "I agree to the terms and privacy policy"))
    else:
        kids.append(ctx.row([Node("checkbox", ctx.pick(("Remember me", "Keep me signed in"))), ctx.link("Forgot password?")], justify="between", inline=True))
    kids.append(ctx.button(ctx.pick(("Create account", "Sign up", "Get started")) if signup else ctx.pick(("Sign in", "Log in", "Continue")), "primary", full=True))
    if not signup and ctx.chance(0.3):
        kids.append(ctx.button(ctx.pick(("Email me a sign-in link", "Use single sign-on", "Sign in with a passkey")), "ghost", full=True))
    if ctx.chance(0.8):
        kids.append(ctx.row([ctx.text("Already have an account?" if signup else "Don't have an account?", muted=True), ctx.link("Sign in" if signup else "Sign up")], justify="center", inline=True, gap=6.0))
    if signup and ctx.chance(0.4):
        kids.append(ctx.text(ctx.pick(w.phrases["legal"]), muted=True, size=12.0))
    return ctx.card(kids, kind="form", pad=ctx.pick((28.0, 32.0, 40.0)), flat=ctx.chance(0.3))


def auth_body(ctx: Ctx, signup: bool) -> Node:
    form = _auth_form(ctx, signup)
    variant = ctx.choose({"center": 3, "split": 2})
    if variant == "split":
        w = ctx.w
        with ctx.toned(ctx.choose({"brand": 2, "inverse": 2, "tinted": 1})):
            art = ctx.col([ctx.heading(w.headline(), 2, size=ctx.pick((28.0, 36.0))), ctx.para(f"“{w.testimonial()}”", muted=True),
                           ctx.text(f"— {w.person()}, {w.job()}", size=14.0)], gap=20.0)
            side = Node("section", style=Style(background=ctx.tone.background, color=ctx.tone.text, padding=(64.0, 48.0, 64.0, 48.0), justify="center"),
                        children=[art] if ctx.chance(0.5) else [ctx.image(w.brand, 640, 720, radius=ctx.theme.radius), art])
        right = Node("section", style=Style(align="center", padding=(64.0, 24.0, 64.0, 24.0)), children=[ctx.col([form], max_width=ctx.pick((400.0, 440.0)))])
        return ctx.row([side, right], gap=0.0)
    kids = [ctx.col([form], max_width=ctx.pick((380.0, 420.0, 460.0)))]
    if ctx.chance(0.3):
        kids.insert(0, ctx.link("← Back to home", muted=True))
    if ctx.chance(0.35):
        kids.append(ctx.row([ctx.link(label, muted=True, size=13.0) for label in ("Privacy", "Terms", "Help")], justify="center", inline=True, gap=16.0))
    return Node("main", style=Style(align="center", padding=(72.0, 24.0, 72.0, 24.0), background=ctx.theme.surface if ctx.chance(0.4) else None), children=kids)


def contact_body(ctx: Ctx) -> Node:
    w = ctx.w
    form = ctx.card([
        ctx.grid([ctx.field(w.field("name"), ctx.input(w.field("name"))), ctx.field("Email", ctx.input(w.field("email"), "email"))], 2, gap=16.0) if ctx.chance(0.5)
        else ctx.field("Name", ctx.input(w.field("name"))),
        *([ctx.field("Phone", ctx.input(w.field("phone"), "tel"))] if ctx.chance(0.3) else []),
        ctx.field("Topic", ctx.select(w.phrases["select_options"]["Topic"])) if ctx.chance(0.5) else ctx.field("Subject", ctx.input(w.field("subject"))),
        ctx.field("Message", Node("textarea", w.field("message"), attrs={"rows": ctx.pick(("4", "5", "6"))})),
        *([Node("checkbox", "Subscribe to the newsletter")] if ctx.chance(0.4) else []),
        ctx.button(ctx.pick(("Send message", "Submit", "Send", "Get in touch")), "primary"),
    ], kind="form", pad=ctx.pick((24.0, 32.0)), flat=ctx.chance(0.4))
    info: list[Node] = [ctx.heading(ctx.pick(("Visit us", "Contact details", "Other ways to reach us", "Our office")), 3)]
    for label, value in (("Address", w.address()), ("Phone", w.phone()), ("Email", w.email("hello")), ("Hours", ctx.pick(("Mon–Fri, 9am–6pm", "Every day, 8am–8pm", "Tue–Sat, 10am–7pm")))):
        if ctx.chance(0.85):
            info.append(ctx.row([ctx.icon(boxed=ctx.chance(0.5)), ctx.col([ctx.text(label, weight=600), ctx.text(value, muted=True)], gap=0.0)], inline=True, gap=12.0))
    if ctx.chance(0.6):
        info.append(ctx.image("Map", 560, 320, radius=ctx.theme.radius))
    pair = [form, ctx.col(info, gap=16.0)]
    if ctx.chance(0.3):
        pair.reverse()
    return ctx.section([ctx.row(pair, gap=48.0)])


# -- portfolio ------------------------------------------------------------------------------------


def portfolio_hero(ctx: Ctx) -> Node:
    w = ctx.w
    name = w.person()
    ctx.w.brand = name  # a portfolio's brand is its owner
    role = ctx.pick(w.phrases["portfolio_roles"])
    with ctx.toned(ctx.choose({"plain": 4, "tinted": 2, "inverse": 1})):
        text = [ctx.heading(ctx.pick((f"Hi, I'm {name.split()[0]}.", name, f"{role} based in {w.city()}")), 1, size=ctx.pick((40.0, 48.0, 56.0))),
                ctx.para(f"{role} based in {w.city()}. {w.sentence()}", muted=True, size=ctx.pick((18.0, 20.0))),
                ctx.row([ctx.button(ctx.pick(("See my work", "View projects", "Hire me")), "primary"), ctx.button("Get in touch", None)], inline=True, gap=12.0)]
        if ctx.chance(0.5):
            return ctx.section([ctx.row([ctx.col(text, gap=20.0), ctx.avatar(name, ctx.pick((200, 240, 280)))], gap=48.0)], pad=(80.0, 24.0))
        return ctx.section([ctx.avatar(name, ctx.pick((96, 120))), *text], align="center", pad=(80.0, 24.0))


def projects(ctx: Ctx) -> Node:
    w = ctx.w
    cols = ctx.pick((2, 3, 3))
    items = []
    shape = ctx.pick((400, 450, 600, 0))  # 0: a masonry of mixed heights
    for _ in range(cols * ctx.pick((1, 2))):
        title = f"{w.pick(w.people['company_words'])} {ctx.pick(w.phrases['project_words'])}"
        height = shape or ctx.pick((400, 450, 600))
        items.append(ctx.col([ctx.image(title, 600, height, radius=ctx.theme.radius), ctx.heading(title, 3), ctx.text(" · ".join(w.sample(w.phrases["skills"], 2)), muted=True, size=14.0)], gap=10.0))
    return ctx.section([ctx.heading(ctx.pick(("Selected work", "Projects", "Recent work", "Case studies")), 2), ctx.grid(items, cols, gap=ctx.pick((24.0, 32.0)))])


def skills(ctx: Ctx) -> Node:
    w = ctx.w
    text = ctx.col([ctx.heading(ctx.pick(("About me", "About", "A little about me")), 2), ctx.para(w.paragraph(3, 4), muted=True), ctx.para(w.paragraph(2, 3), muted=True)])
    badges = ctx.row([ctx.badge(s, soft=True) for s in w.sample(w.phrases["skills"], ctx.between(5, 9))], inline=True, gap=8.0)
    return ctx.section([ctx.row([text, ctx.col([ctx.heading("Skills", 3), badges, ctx.heading("Clients", 3), ctx.para(", ".join(w.company() for _ in range(4)), muted=True)])], gap=48.0)])


# -- other pages ----------------------------------------------------------------------------------


def error_body(ctx: Ctx) -> Node:
    w = ctx.w
    kids = [ctx.heading(ctx.pick(("404", "Oops!", "500")), 1, size=ctx.pick((72.0, 96.0))), ctx.heading(ctx.pick(w.phrases["error_titles"]), 2),
            ctx.para("The page you are looking for may have moved, or it never existed. Try the search or head back home.", muted=True, max_width=520.0),
            ctx.row([ctx.button("Back to home", "primary"), ctx.button("Contact support", None)], justify="center", inline=True, gap=12.0)]
    if ctx.chance(0.4):
        kids.insert(0, ctx.image("Illustration", 320, 240, full=False))
    return Node("main", style=Style(align="center", padding=(120.0, 24.0, 120.0, 24.0)), children=kids)


def _mobile_blocks(ctx: Ctx, variant: str) -> list[Node]:
    """The main content of one kind of phone screen."""
    w = ctx.w
    body: list[Node] = []
    if variant == "feed":
        body.append(ctx.row([ctx.heading(ctx.pick(("For you", "Trending", "Today", "Popular")), 3), ctx.link("See all")], justify="between", inline=True))
        for _ in range(ctx.between(1, 3)):
            body.append(ctx.card([ctx.image(w.headline(), 358, ctx.pick((160, 200))), ctx.heading(w.blog_title(), 4), ctx.text(f"{w.person()} · {w.date()}", muted=True, size=13.0)], pad=12.0))
    elif variant == "list":
        items: list[Node] = []
        avatars = ctx.chance(0.6)
        for _ in range(ctx.between(3, 7)):
            lead = ctx.avatar(w.person(), 44) if avatars else ctx.image(w.product()[0], 56, 56, full=False, radius=8.0)
            trail = ctx.text(ctx.pick((w.short_date(), "2m", "1h", "Yesterday", w.price())), muted=True, size=12.0) if ctx.chance(0.7) else ctx.badge(str(ctx.between(1, 9)))
            items.append(ctx.row([lead, ctx.col([ctx.text(w.person() if avatars else w.product()[0], weight=600), ctx.text(w.activity(), muted=True, size=13.0)], gap=2.0, width="100%"), trail],
                                 inline=True, gap=12.0, justify="between"))
            items.append(Node("divider"))
        if ctx.chance(0.4):
            body.append(ctx.heading(ctx.pick(("Recent", "Today", "Unread", "Earlier")), 4))
        body.append(ctx.col(items[:-1], gap=12.0))
    elif variant == "detail":
        name, price = w.product()
        body += [ctx.image(name, 358, ctx.pick((220, 260, 300)), radius=12.0), ctx.heading(name, 2, size=24.0),
                 ctx.row([ctx.text(price, weight=700, size=20.0), ctx.badge(w.category())], justify="between", inline=True),
                 ctx.para(w.paragraph(2, 3), muted=True)]
        if ctx.chance(0.5):
            body.append(ctx.row([ctx.badge(t, soft=True) for t in w.sample(("Free delivery", "In stock", "Top rated", "New"), 2)], inline=True, gap=8.0))
        body.append(ctx.button(ctx.pick(("Add to cart", "Book now", "Continue", "Buy now")), "primary", full=True))
    elif variant == "profile":
        person = w.person()
        body += [ctx.col([ctx.avatar(person, 88), ctx.heading(person, 2, size=22.0), ctx.text(w.job(), muted=True)], align="center", gap=6.0),
                 ctx.grid([ctx.col([ctx.heading(str(ctx.between(3, 999)), 4), ctx.text(lbl, muted=True, size=12.0)], align="center", gap=0.0) for lbl in ("Posts", "Followers", "Following")], 3, keep=True),
                 ctx.grid([ctx.button("Follow", "primary", full=True), ctx.button("Message", None, full=True)], 2, gap=8.0, keep=True)]
        if ctx.chance(0.7):
            body.append(ctx.grid([ctx.image(f"Photo {i + 1}", 120, 120) for i in range(ctx.pick((3, 6, 9)))], 3, gap=4.0, keep=True))
    elif variant == "stats":
        cards = []
        for _ in range(ctx.pick((2, 4))):
            label, value, change = w.metric()
            cards.append(ctx.card([ctx.text(label, muted=True, size=12.0), ctx.heading(value, 3, size=22.0), ctx.badge(change, soft=True)], pad=12.0))
        body.append(ctx.grid(cards, 2, gap=12.0, keep=True))
        if ctx.chance(0.6):
            body.append(ctx.card([ctx.heading(ctx.pick(("This week", "Activity", "Spending")), 4), ctx.image("Chart", 326, 160)], pad=12.0))
    elif variant == "settings":
        rows: list[Node] = []
        for label in w.sample(w.phrases["checkbox_labels"], ctx.between(3, 6)):
            rows += [Node("checkbox", label, attrs={"checked": "1"} if ctx.chance(0.5) else {}), Node("divider")]
        body += [ctx.heading(ctx.pick(("Preferences", "Notifications", "Privacy")), 4), ctx.col(rows[:-1], gap=12.0), ctx.button("Log out", None, full=True)]
    elif variant == "chat":
        for i in range(ctx.between(3, 6)):
            mine = i % 2 == 1
            bubble = ctx.card([ctx.para(w.sentence(), size=14.0, color=ctx.theme.on_primary if mine else None)], pad=10.0)
            if mine:
                bubble.style.background, bubble.style.border_color = ctx.theme.primary, ctx.theme.primary
            body.append(ctx.row([bubble], justify="end" if mine else "start", inline=True))
        body.append(ctx.row([ctx.input("Message", width="280px"), ctx.button("", "primary", icon=True)], inline=True, gap=8.0, justify="between"))
    elif variant == "promo":
        with ctx.toned("brand"):
            banner = ctx.card([ctx.heading(ctx.pick(("Get 20% off your first order", "Invite friends, earn rewards", "New this week")), 4), ctx.para(w.sentence(), muted=True, size=14.0),
                               ctx.button(ctx.pick(("Claim offer", "Invite", "Explore")), "primary")], pad=16.0)
        body.append(banner)
    else:
        grid = product_grid(ctx, ctx.pick((2, 4)), 2)
        grid.attrs["keep"] = "1"
        body += [ctx.row([ctx.heading(ctx.pick(("Popular", "New in", "Recommended")), 4), ctx.link("See all")], justify="between", inline=True), grid]
    return body


def mobile_screen(ctx: Ctx) -> list[Node]:
    """The top-level nodes of a phone app screen: app bar, content blocks, tab bar."""
    w = ctx.w
    title = ctx.pick(w.phrases["mobile_titles"])
    with ctx.toned(ctx.choose({"plain": 4, "brand": 2, "inverse": 1})):
        bar_style = ctx.choose({"back": 3, "title": 2, "greeting": 1.5})
        if bar_style == "greeting":
            kids = [ctx.col([ctx.text(ctx.pick(("Good morning", "Welcome back", "Hello")), muted=True, size=13.0), ctx.heading(w.first_name(), 3, color=ctx.tone.text)], gap=0.0),
                    ctx.avatar(w.person(), 36)]
        elif bar_style == "title":
            kids = [ctx.heading(title, 2, size=26.0, color=ctx.tone.text), ctx.row([ctx.button("", "ghost", icon=True) for _ in range(ctx.between(1, 2))], inline=True, gap=4.0)]
        else:
            kids = [ctx.button("", "ghost", icon=True), ctx.heading(title, 3, color=ctx.tone.text), ctx.avatar(w.person(), 32) if ctx.chance(0.5) else ctx.button("", "ghost", icon=True)]
        bar = Node("navbar", style=Style(background=ctx.tone.background, padding=(12.0, 16.0, 12.0, 16.0)), children=kids)
    shop = 1.5 if w.topic.kind == "shop" else 0.4
    main_variant = ctx.choose({"feed": 3, "list": 3, "detail": 2, "profile": 1.5, "shop": shop, "stats": 1.2, "settings": 1, "chat": 1})
    ctx.log.append(f"mobile_{main_variant}")
    body: list[Node] = []
    if ctx.chance(0.55) and main_variant not in ("detail", "chat", "settings"):
        body.append(ctx.input(w.field("search"), "search"))
    if main_variant in ("feed", "shop", "list") and ctx.chance(0.5):
        body.append(ctx.row([ctx.badge(c, soft=i > 0) for i, c in enumerate(w.sample(w.topic.categories, ctx.between(3, 4)))], inline=True, gap=8.0))
    if main_variant in ("feed", "shop", "stats", "list") and ctx.chance(0.25):
        body += _mobile_blocks(ctx, "promo")
    body += _mobile_blocks(ctx, main_variant)
    if main_variant in ("feed", "shop", "stats") and ctx.chance(0.4):
        body += _mobile_blocks(ctx, ctx.pick(("list", "feed", "shop")))
    main = Node("main", style=Style(padding=(16.0, 16.0, 16.0, 16.0), gap=16.0), children=body)
    nodes = [bar, main]
    if ctx.chance(0.8):
        labeled = ctx.chance(0.8)
        tabs = [ctx.col([Node("icon"), ctx.text(label, size=11.0, color=ctx.theme.primary if i == 0 else None, muted=i > 0)], align="center", gap=2.0) if labeled else Node("icon")
                for i, label in enumerate(w.sample(w.phrases["tab_labels"], ctx.between(3, 5)))]
        nodes.append(Node("footer", style=Style(padding=(8.0, 16.0, 8.0, 16.0), background=ctx.theme.surface if ctx.chance(0.5) else None),
                          children=[ctx.row(tabs, justify="between", inline=True)]))
    return nodes


# -- the grammar ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Slot:
    """A place in a page: which builders may fill it (with weights), how likely it is, how often it repeats."""

    options: Mapping[str, float]
    p: float = 1.0
    repeat: tuple[int, int] = (1, 1)
    shuffle: str | None = None  # slots with the same group trade places


BUILDERS: dict[str, Builder] = {
    **SECTIONS,
    "app_navbar": app_navbar,
    "dashboard": dashboard_body,
    "settings": settings_body,
    "product_detail": product_detail,
    "reviews": reviews,
    "related_products": lambda ctx: product_cards(ctx, title=ctx.pick(("You may also like", "Related products", "Customers also bought")), cols=4, n=4),
    "listing": listing_body,
    "listing_header": lambda ctx: page_header(ctx, title=ctx.w.category(), lead=ctx.w.sentence()),
    "checkout": checkout_body,
    "article": article,
    "author_bio": author_bio,
    "docs": docs_body,
    "login": lambda ctx: auth_body(ctx, signup=False),
    "signup": lambda ctx: auth_body(ctx, signup=True),
    "contact": contact_body,
    "contact_header": lambda ctx: page_header(ctx, title=ctx.w.fill(ctx.pick(ctx.w.phrases["form_headings"]["contact"])), lead=ctx.pick(("We usually reply within one business day.", ctx.w.sentence()))),
    "blog_header": lambda ctx: page_header(ctx, title=ctx.pick(("Blog", "Journal", "Stories", f"The {ctx.w.brand} blog", "News")), lead=ctx.w.subheadline()),
    "portfolio_hero": portfolio_hero,
    "projects": projects,
    "skills": skills,
    "error": error_body,
    "pricing_header": lambda ctx: page_header(ctx, title=ctx.pick(("Pricing", "Plans and pricing", "Simple pricing for everyone")), lead=ctx.w.subheadline()),
    "comparison": lambda ctx: _comparison(ctx),
    "footer": footer,
    "navbar": navbar,
}


def _comparison(ctx: Ctx) -> Node:
    w = ctx.w
    plans = ctx.pick(w.phrases["plan_names"])[:3]
    rows = []
    for feature in w.sample(w.phrases["plan_features"], ctx.between(4, 7)):
        marks = sorted(ctx.chance(0.6) for _ in plans)
        rows.append([_cell(feature), *[_cell("✓" if m else "—") for m in marks]])
    return ctx.section([ctx.heading(ctx.pick(("Compare plans", "Feature comparison", "What's included")), 2), _table(ctx, ["Feature", *plans], rows)])


_MARKETING_MIDDLE = "middle"

RECIPES: dict[str, list[Slot]] = {
    "landing": [
        Slot({"topbar": 1}, p=0.12),
        Slot({"navbar": 1}),
        Slot({"hero_centered": 4, "hero_split": 4, "hero_form": 1}),
        Slot({"logos": 1}, p=0.4),
        Slot({"features_grid": 3, "features_alternating": 2}, repeat=(1, 2), shuffle=_MARKETING_MIDDLE),
        Slot({"stats": 1, "video": 0.9, "content": 0.8, "gallery": 0.5, "team": 0.3}, p=0.6, shuffle=_MARKETING_MIDDLE),
        Slot({"testimonials": 1}, p=0.6, shuffle=_MARKETING_MIDDLE),
        Slot({"pricing_tiers": 1}, p=0.3),
        Slot({"blog_cards": 1}, p=0.15),
        Slot({"faq": 1}, p=0.35),
        Slot({"cta": 1}, p=0.7),
        Slot({"footer": 1}),
    ],
    "pricing": [
        Slot({"navbar": 1}),
        Slot({"pricing_tiers": 1}),
        Slot({"comparison": 1}, p=0.5),
        Slot({"logos": 1, "testimonials": 1.5, "stats": 0.6}, p=0.5),
        Slot({"faq": 1}, p=0.7),
        Slot({"cta": 1}, p=0.5),
        Slot({"footer": 1}),
    ],
    "blog_article": [
        Slot({"navbar": 1}),
        Slot({"article": 1}),
        Slot({"author_bio": 1}, p=0.4),
        Slot({"blog_cards": 1}, p=0.5),
        Slot({"cta": 1}, p=0.3),
        Slot({"footer": 1}),
    ],
    "blog_index": [
        Slot({"navbar": 1}),
        Slot({"blog_header": 1}),
        Slot({"blog_cards": 1}, repeat=(1, 2)),
        Slot({"cta": 1}, p=0.5),
        Slot({"footer": 1}),
    ],
    "dashboard": [
        Slot({"app_navbar": 1}, p=0.7),
        Slot({"dashboard": 1}),
    ],
    "product": [
        Slot({"topbar": 1}, p=0.2),
        Slot({"navbar": 1}),
        Slot({"product_detail": 1}),
        Slot({"features_grid": 1, "content": 0.6}, p=0.4),
        Slot({"reviews": 1}, p=0.6),
        Slot({"related_products": 1}, p=0.7),
        Slot({"footer": 1}),
    ],
    "listing": [
        Slot({"topbar": 1}, p=0.2),
        Slot({"navbar": 1}),
        Slot({"listing_header": 1}, p=0.6),
        Slot({"listing": 1}),
        Slot({"cta": 1}, p=0.3),
        Slot({"footer": 1}),
    ],
    "checkout": [
        Slot({"navbar": 1}, p=0.7),
        Slot({"checkout": 1}),
        Slot({"footer": 1}, p=0.6),
    ],
    "login": [
        Slot({"navbar": 1}, p=0.3),
        Slot({"login": 1}),
        Slot({"footer": 1}, p=0.25),
    ],
    "signup": [
        Slot({"navbar": 1}, p=0.3),
        Slot({"signup": 1}),
        Slot({"footer": 1}, p=0.25),
    ],
    "contact": [
        Slot({"navbar": 1}),
        Slot({"contact_header": 1}),
        Slot({"contact": 1}),
        Slot({"faq": 1}, p=0.3),
        Slot({"footer": 1}),
    ],
    "docs": [
        Slot({"navbar": 1}),
        Slot({"docs": 1}),
        Slot({"footer": 1}, p=0.4),
    ],
    "portfolio": [
        Slot({"navbar": 1}),
        Slot({"portfolio_hero": 1}),
        Slot({"projects": 1}),
        Slot({"skills": 1, "content": 0.5}, p=0.6, shuffle=_MARKETING_MIDDLE),
        Slot({"testimonials": 1, "logos": 0.5}, p=0.5, shuffle=_MARKETING_MIDDLE),
        Slot({"cta": 1}, p=0.6),
        Slot({"footer": 1}),
    ],
    "settings": [
        Slot({"app_navbar": 1, "navbar": 0.3}, p=0.8),
        Slot({"settings": 1}),
    ],
    "about": [
        Slot({"navbar": 1}),
        Slot({"page_header": 1, "hero_split": 0.6}),
        Slot({"content": 1}, repeat=(1, 2), shuffle=_MARKETING_MIDDLE),
        Slot({"stats": 1}, p=0.5, shuffle=_MARKETING_MIDDLE),
        Slot({"team": 1}, p=0.7, shuffle=_MARKETING_MIDDLE),
        Slot({"gallery": 1}, p=0.3),
        Slot({"cta": 1}, p=0.5),
        Slot({"footer": 1}),
    ],
    "error": [
        Slot({"navbar": 1}, p=0.7),
        Slot({"error": 1}),
        Slot({"footer": 1}, p=0.5),
    ],
}

# How often each page type is drawn when none is asked for.
PAGE_WEIGHTS: dict[str, float] = {
    "landing": 3.0, "pricing": 1.0, "blog_article": 1.2, "blog_index": 0.6, "dashboard": 1.2, "product": 1.0,
    "listing": 1.0, "checkout": 0.5, "login": 0.8, "signup": 0.8, "contact": 0.8, "docs": 1.0, "portfolio": 0.8,
    "settings": 0.8, "mobile_app": 1.2, "about": 0.6, "error": 0.3,
}
PAGE_TYPES = tuple(PAGE_WEIGHTS)

# Which lines of business suit a page type (weights over Topic.kind).
TOPIC_KIND_WEIGHTS: dict[str, dict[str, float]] = {
    "product": {"shop": 8, "service": 1},
    "listing": {"shop": 8, "service": 1.5},
    "checkout": {"shop": 8, "service": 1},
    "dashboard": {"software": 6, "shop": 1.5, "service": 1.5},
    "settings": {"software": 6, "shop": 1, "service": 1},
    "docs": {"software": 1},
    "pricing": {"software": 6, "service": 2, "shop": 0.5},
    "signup": {"software": 4, "shop": 1, "service": 2},
}
