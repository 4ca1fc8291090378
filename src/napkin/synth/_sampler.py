"""Samples: one page tree, its theme, and everything needed to reproduce and audit it."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from napkin.errors import ConfigError
from napkin.layout import Node, Style, Theme, emit_html
from napkin.synth._build import Ctx
from napkin.synth._content import Writer, vocabulary
from napkin.synth._pages import BUILDERS, PAGE_TYPES, PAGE_WEIGHTS, RECIPES, TOPIC_KIND_WEIGHTS, Slot, mobile_screen
from napkin.synth._themes import sample_theme

# Bumped whenever the same seed starts giving different pages, so datasets can say which
# generator made them.
SYNTH_VERSION = 1

# Page types laid out like applications: content spans the window, no centred marketing column.
_APP_TYPES = {"dashboard", "settings", "docs"}


@dataclass(slots=True)
class Sample:
    """One synthetic page: the tree (the label), the theme it is drawn with, and its record."""

    tree: Node
    theme: Theme
    page_type: str
    seed: int
    # JSON-ready: generator version, topic, brand, layout, sections used, preferred viewport,
    # and every augmentation applied (appended by `augment`).
    metadata: dict[str, Any] = field(default_factory=dict)

    def html(self) -> str:
        """The page's code: `emit_html(tree, theme)`."""
        return emit_html(self.tree, self.theme)

    @property
    def viewport(self) -> str:
        """The viewport the page was designed for: `mobile` for app screens, else `desktop`."""
        return str(self.metadata.get("viewport", "desktop"))

    def to_json(self) -> dict[str, Any]:
        return {"page_type": self.page_type, "seed": self.seed, "theme": self.theme.to_json(),
                "tree": self.tree.to_json(), "metadata": self.metadata}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Sample:
        return cls(tree=Node.from_json(data["tree"]), theme=Theme.from_json(data["theme"]), page_type=data["page_type"],
                   seed=int(data["seed"]), metadata=dict(data.get("metadata", {})))


def _tree_nodes(roots: Sequence[Node]) -> Iterator[Node]:
    for root in roots:
        yield from root.walk()


def derive_seed(seed: int, index: int | str) -> int:
    """A seed for the `index`-th item of a run seeded with `seed` (stable across runs and Python versions)."""
    digest = hashlib.sha256(f"napkin.synth/{seed}/{index}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def _weighted(rng: random.Random, options: Mapping[str, float]) -> str:
    keys = list(options)
    return rng.choices(keys, weights=[options[k] for k in keys])[0]


def _expand(ctx: Ctx, recipe: Sequence[Slot]) -> list[Node]:
    """Fill a page's slots in order; slots of one shuffle group trade places."""
    chosen: list[tuple[Slot, list[tuple[str, Node]]]] = []
    for slot in recipe:
        if slot.p < 1.0 and ctx.rng.random() >= slot.p:
            continue
        built = []
        for _ in range(ctx.rng.randint(*slot.repeat)):
            name = _weighted(ctx.rng, slot.options)
            built.append((name, BUILDERS[name](ctx)))
        chosen.append((slot, built))
    groups: dict[str, list[int]] = {}
    for i, (slot, _) in enumerate(chosen):
        if slot.shuffle:
            groups.setdefault(slot.shuffle, []).append(i)
    for positions in groups.values():
        contents = [chosen[i] for i in positions]
        ctx.rng.shuffle(contents)
        for i, c in zip(positions, contents, strict=True):
            chosen[i] = c
    out = []
    for _, built in chosen:
        for name, node in built:
            ctx.log.append(name)
            out.append(node)
    return out


def sample_page(seed: int, page_type: str | None = None, dark: bool | None = None) -> Sample:
    """The page for one seed: the same seed always gives the same tree, theme and metadata."""
    if page_type is not None and page_type not in PAGE_WEIGHTS:
        raise ConfigError(f"unknown page type {page_type!r}; known types: {', '.join(PAGE_TYPES)}")
    rng = random.Random(f"napkin.synth/{seed}")
    drawn = _weighted(rng, PAGE_WEIGHTS)
    page_type = page_type or drawn
    vocab = vocabulary()
    kind_weights = TOPIC_KIND_WEIGHTS.get(page_type, {"software": 1, "shop": 1, "service": 1})
    topics = [t for t in vocab.topics if kind_weights.get(t.kind, 0) > 0]
    topic = rng.choices(topics, weights=[kind_weights[t.kind] for t in topics])[0]
    theme = sample_theme(rng, dark=dark)
    writer = Writer(rng, topic, vocab)
    ctx = Ctx(rng, writer, theme, page_type)
    if page_type in _APP_TYPES:
        ctx.layout = "fluid"
    page_style = Style()
    if page_type == "mobile_app":
        ctx.log.append("mobile_screen")
        children = mobile_screen(ctx)
        page_style.max_width = 420.0
    else:
        children = _expand(ctx, RECIPES[page_type])
        if ctx.layout == "boxed":
            page_style.max_width = ctx.width
    for node in _tree_nodes(children):
        # Browsers collapse whitespace; so does the label, or reading a render back would differ.
        node.text = " ".join(node.text.split())
    title = f"{writer.brand} · {page_type.replace('_', ' ').title()}"
    tree = Node("page", style=page_style, attrs={"title": title}, children=children)
    metadata: dict[str, Any] = {
        "generator": "napkin.synth",
        "version": SYNTH_VERSION,
        "seed": seed,
        "page_type": page_type,
        "topic": topic.id,
        "brand": writer.brand,
        "layout": ctx.layout,
        "content_width": ctx.width,
        "sections": list(ctx.log),
        "viewport": "mobile" if page_type == "mobile_app" else "desktop",
        "theme": theme.to_json(),  # the whole theme: export compiles region code with it
        "augmentations": [],
    }
    return Sample(tree=tree, theme=theme, page_type=page_type, seed=seed, metadata=metadata)


class Sampler:
    """A deterministic stream of pages: page `i` of seed `s` is `sample_page(derive_seed(s, i))`.

        >>> sampler = Sampler(seed=7)
        >>> first = sampler.page()                 # index 0, then 1, 2, ...
        >>> again = Sampler(seed=7).sample(0)      # random access, for sharded writers
        >>> first.tree == again.tree
        True
    """

    def __init__(self, seed: int = 0, page_types: Sequence[str] | None = None, dark: bool | None = None) -> None:
        unknown = [p for p in page_types or () if p not in PAGE_WEIGHTS]
        if unknown:
            raise ConfigError(f"unknown page types {unknown}; known types: {', '.join(PAGE_TYPES)}")
        self.seed = seed
        self.page_types = tuple(page_types) if page_types else None
        self.dark = dark
        self.index = 0

    def sample(self, index: int, page_type: str | None = None) -> Sample:
        """Page number `index` of this stream (does not move the stream)."""
        seed = derive_seed(self.seed, index)
        if page_type is None and self.page_types:
            page_type = self.page_types[random.Random(seed).randrange(len(self.page_types))]
        s = sample_page(seed, page_type, dark=self.dark)
        s.metadata["index"] = index
        s.metadata["run_seed"] = self.seed
        return s

    def page(self, page_type: str | None = None) -> Sample:
        """The next page of the stream."""
        s = self.sample(self.index, page_type)
        self.index += 1
        return s

    def __iter__(self) -> Iterator[Sample]:
        while True:
            yield self.page()
