"""Realistic English content from the vocabularies shipped in `napkin/synth/data/`.

A `Writer` is bound to one page: one brand, one topic (coffee, analytics, law...), one
currency, so a page reads like one business wrote it. Every choice comes from the page's
`random.Random`, so content is deterministic for a seed.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, TypeVar

T = TypeVar("T")

TOPIC_KINDS = ("software", "shop", "service")


@dataclass(frozen=True, slots=True)
class Topic:
    """One line of business: its words, features, products and metrics."""

    id: str
    kind: str  # one of TOPIC_KINDS
    brand_roots: tuple[str, ...]
    brand_tails: tuple[str, ...]
    audience: tuple[str, ...]
    nouns: tuple[str, ...]
    features: tuple[tuple[str, str], ...]
    products: tuple[tuple[str, int, int], ...]
    categories: tuple[str, ...]
    headlines: tuple[str, ...]
    blog_titles: tuple[str, ...]
    metrics: tuple[str, ...]

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Topic:
        return cls(
            id=d["id"],
            kind=d["kind"],
            brand_roots=tuple(d["brand_roots"]),
            brand_tails=tuple(d["brand_tails"]),
            audience=tuple(d["audience"]),
            nouns=tuple(d["nouns"]),
            features=tuple((f[0], f[1]) for f in d["features"]),
            products=tuple((p[0], int(p[1]), int(p[2])) for p in d["products"]),
            categories=tuple(d["categories"]),
            headlines=tuple(d["headlines"]),
            blog_titles=tuple(d["blog_titles"]),
            metrics=tuple(d["metrics"]),
        )


@dataclass(frozen=True, slots=True)
class Vocabulary:
    topics: tuple[Topic, ...]
    people: dict[str, Any]
    phrases: dict[str, Any]

    def topic(self, topic_id: str) -> Topic:
        for t in self.topics:
            if t.id == topic_id:
                return t
        raise KeyError(topic_id)


def _load(name: str) -> Any:
    return json.loads(resources.files("napkin.synth").joinpath("data", name).read_text(encoding="utf-8"))


@cache
def vocabulary() -> Vocabulary:
    """The vocabularies, read once from the package data."""
    topics = tuple(Topic.from_json(t) for t in _load("topics.json"))
    return Vocabulary(topics=topics, people=_load("people.json"), phrases=_load("phrases.json"))


_SLOT = re.compile(r"\{(\w+)\}")
_CURRENCIES = (("$", 6), ("€", 2), ("£", 1))
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


class Writer:
    """Content for one page: brand, topic and a deterministic stream of words."""

    def __init__(self, rng: random.Random, topic: Topic, vocab: Vocabulary | None = None) -> None:
        self.rng = rng
        self.topic = topic
        self.vocab = vocab or vocabulary()
        self.phrases = self.vocab.phrases
        self.people = self.vocab.people
        self.brand = self._brand()
        self.currency = self.weighted(dict(_CURRENCIES))
        self.cents = rng.random() < 0.35
        self.year = rng.choice((2023, 2024, 2025, 2026))
        self._used: set[str] = set()

    # -- choice helpers ---------------------------------------------------------------------

    def pick(self, seq: Sequence[T]) -> T:
        return seq[self.rng.randrange(len(seq))]

    def fresh(self, seq: Sequence[str]) -> str:
        """A choice not used on this page yet, while there are any left."""
        left = [s for s in seq if s not in self._used]
        choice = self.pick(left or seq)
        self._used.add(choice)
        return choice

    def sample(self, seq: Sequence[T], k: int) -> list[T]:
        return self.rng.sample(list(seq), min(k, len(seq)))

    def weighted(self, options: dict[str, float]) -> str:
        keys = list(options)
        return self.rng.choices(keys, weights=[options[k] for k in keys])[0]

    # -- names --------------------------------------------------------------------------------

    def _brand(self) -> str:
        root = self.pick(self.topic.brand_roots)
        tail = self.pick(self.topic.brand_tails)
        if tail and tail[0].islower() and self.rng.random() < 0.3:
            return root.lower() + tail
        if self.topic.kind == "software" and self.rng.random() < 0.25:
            return root + self.pick(("", " ")) + self.pick(("Cloud", "Base", "Desk", "Flow", "Kit"))
        return root + tail

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.brand.lower()).strip("-") or "app"

    def first_name(self) -> str:
        return self.pick(self.people["first_names"])

    def person(self) -> str:
        return f"{self.pick(self.people['first_names'])} {self.pick(self.people['last_names'])}"

    def job(self) -> str:
        return self.pick(self.people["job_titles"])

    def company(self) -> str:
        return f"{self.pick(self.people['company_words'])} {self.pick(self.people['company_suffixes'])}"

    def city(self) -> str:
        return self.pick(self.people["cities"])

    def email(self, name: str | None = None) -> str:
        local = (name or self.person()).split()[0].lower()
        return f"{local}@{self.slug if self.rng.random() < 0.5 else self.pick(self.people['email_domains']).split('.')[0]}.com"

    def phone(self) -> str:
        r = self.rng
        return f"+1 ({r.randint(200, 989)}) {r.randint(200, 989)}-{r.randint(1000, 9999)}"

    def address(self) -> str:
        return f"{self.rng.randint(1, 240)} {self.pick(self.people['streets'])}, {self.city()}"

    # -- numbers ------------------------------------------------------------------------------

    def money(self, lo: float, hi: float) -> str:
        v = self.rng.uniform(lo, hi)
        if hi <= 0:
            return f"{self.currency}0"
        if v >= 1000:
            return f"{self.currency}{int(round(v, -1)):,}"
        whole = int(v)
        if self.cents:
            return f"{self.currency}{whole}.{self.pick(('00', '50', '95', '99'))}"
        return f"{self.currency}{whole}"

    def price(self) -> str:
        _, lo, hi = self.pick(self.topic.products)
        return self.money(lo, hi)

    def product(self) -> tuple[str, str]:
        name, lo, hi = self.pick(self.topic.products)
        return name, self.money(lo, hi)

    def products(self, k: int) -> list[tuple[str, str]]:
        items = self.sample(self.topic.products, k)
        while len(items) < k:
            items.append(self.pick(self.topic.products))
        return [(n, self.money(lo, hi)) for n, lo, hi in items]

    def date(self) -> str:
        month = self.pick(_MONTHS)
        day = self.rng.randint(1, 28)
        style = self.rng.randrange(3)
        if style == 0:
            return f"{month} {day}, {self.year}"
        if style == 1:
            return f"{day} {month[:3]} {self.year}"
        return f"{self.year}-{_MONTHS.index(month) + 1:02d}-{day:02d}"

    def short_date(self) -> str:
        return f"{self.rng.randint(1, 28)} {self.pick(_MONTHS)[:3]}"

    def stat(self) -> tuple[str, str]:
        label = self.pick(self.phrases["stat_labels"])
        r = self.rng
        value = {
            "Uptime": f"{r.choice(('99.9', '99.95', '99.99'))}%",
            "Countries": str(r.randint(12, 140)),
            "Cities": str(r.randint(5, 60)),
            "Years in business": str(r.randint(3, 40)),
            "Team members": str(r.randint(8, 300)),
        }.get(label) or self.pick((f"{r.randint(2, 99)}k+", f"{r.randint(1, 9)}.{r.randint(1, 9)}M", f"{r.randint(120, 990)}+", f"{r.randint(2, 50)},000"))
        return value, label

    def metric(self) -> tuple[str, str, str]:
        """A dashboard figure: label, value, change."""
        label = self.fresh(self.topic.metrics)
        r = self.rng
        low = label.lower()
        if "rate" in low or "conversion" in low or "score" in low or "retention" in low or "satisfaction" in low or "occupancy" in low:
            value = f"{r.uniform(1, 98):.1f}%"
        elif "revenue" in low or "balance" in low or "income" in low or "expenses" in low or "avg" in low or "funds" in low or "price" in low or "cash" in low or "net worth" in low or "savings" in low:
            value = self.money(900, 98000) if "avg" not in low else self.money(20, 400)
        elif "time" in low or "latency" in low or "session" in low:
            value = r.choice((f"{r.randint(1, 9)}m {r.randint(1, 59)}s", f"{r.randint(40, 900)} ms", f"{r.uniform(1, 9):.1f} days"))
        else:
            value = f"{r.randint(12, 98_000):,}"
        change = f"{r.choice('+-' if r.random() < 0.3 else '+')}{r.uniform(0.4, 38):.1f}%"
        return label, value, change

    # -- text ---------------------------------------------------------------------------------

    def fill(self, template: str) -> str:
        verb, verbing = self.pick(self.phrases["verbs"])

        def slot(m: re.Match[str]) -> str:
            key = m.group(1)
            low = key.lower()
            value = {
                "brand": self.brand,
                "noun": self.pick(self.topic.nouns),
                "audience": self.pick(self.topic.audience),
                "adj": self.pick(self.phrases["adjectives"]),
                "verb": verb,
                "verbing": verbing,
                "city": self.city(),
                "first": self.first_name(),
                "last": self.pick(self.people["last_names"]),
                "number": str(self.rng.randint(2, 2400)),
                "amount": f"{self.rng.randint(20, 4800):,}",
                "slug": self.slug,
            }.get(low)
            if value is None:
                return m.group(0)
            if key == "SLUG":
                return self.slug.upper().replace("-", "_")
            return _cap(value) if key[0].isupper() and low != "brand" else value

        return _SLOT.sub(slot, template)

    def headline(self) -> str:
        if self.rng.random() < 0.45:
            return self.fill(self.fresh(self.topic.headlines))
        return _cap(self.fill(self.fresh(self.phrases["headline_templates"])))

    def subheadline(self) -> str:
        return self.fill(self.fresh(self.phrases["subheadline_templates"]))

    def sentence(self) -> str:
        return self.fill(self.fresh(self.phrases["sentences"]))

    def paragraph(self, lo: int = 2, hi: int = 4) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(lo, hi)))

    def feature(self) -> tuple[str, str]:
        title, text = self.pick(self.topic.features)
        key = "feature:" + title
        if key in self._used and len(self._used) < 400:
            for _ in range(4):
                title, text = self.pick(self.topic.features)
                if "feature:" + title not in self._used:
                    break
        self._used.add("feature:" + title)
        return title, self.fill(text)

    def features(self, k: int) -> list[tuple[str, str]]:
        picked = self.sample(self.topic.features, k)
        while len(picked) < k:
            picked.append(self.pick(self.topic.features))
        return [(t, self.fill(d)) for t, d in picked]

    def short(self, key: str) -> str:
        """One label from a phrase list (`cta_primary`, `eyebrows`...), not repeated on the page when possible."""
        return self.fill(self.fresh(self.phrases[key]))

    def labels(self, key: str, k: int) -> list[str]:
        return self.sample(self.phrases[key], k)

    def nav(self, k: int) -> list[str]:
        key = {"software": "nav_software", "shop": "nav_shop", "service": "nav_service"}[self.topic.kind]
        return self.sample(self.phrases[key], k)

    def field(self, kind: str) -> str:
        return self.pick(self.phrases["form_fields"][kind])

    def testimonial(self) -> str:
        return self.fill(self.fresh(self.people["testimonials"]))

    def faq(self, k: int) -> list[tuple[str, str]]:
        return [(q, a) for q, a in self.sample(self.phrases["faq"], k)]

    def blog_title(self) -> str:
        return self.fresh(self.topic.blog_titles)

    def category(self) -> str:
        return self.pick(self.topic.categories)

    def activity(self) -> str:
        return self.fill(self.pick(self.phrases["activity"]))

    def code_line(self) -> str:
        return self.fill(self.pick(self.phrases["code_lines"]))
