"""The compact token form of a layout tree: the sequence a learned model predicts.

    [page bg=#ffffff [navbar [logo "Acme"] [link "Pricing"]] [section pad=48,24,48,24
      [heading level=1 "Build faster"] [button bg=#2563eb "Start"]]]

A node opens with `[kind`, then its style facts (short keys, see `_STYLE_KEYS`), its attributes
(`@name=value`), its box (`box=x,y,w,h`, integers, only when asked for), its text (a JSON
string), its children, and closes with `]`. Text and values that contain spaces or brackets
are JSON strings, so the sequence splits on whitespace outside quotes.
"""

from __future__ import annotations

import json
import re
from typing import Any

from napkin.errors import InputError
from napkin.layout._tree import Node, Style

# Short keys keep sequences short; the order is the order tokens are written in.
_STYLE_KEYS = {
    "color": "fg", "background": "bg", "font_size": "size", "font_weight": "weight", "font_family": "font",
    "align": "align", "justify": "justify", "gap": "gap", "padding": "pad", "margin_top": "mt", "width": "w",
    "height": "h", "max_width": "maxw", "radius": "radius", "border_width": "bw", "border_color": "bc",
}
_STYLE_NAMES = {v: k for k, v in _STYLE_KEYS.items()}
_FLOAT_FIELDS = {"font_size", "gap", "margin_top", "height", "max_width", "radius", "border_width"}
_BARE = re.compile(r'^[^\s"\[\]]+$')
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[^\s"]*"(?:[^"\\]|\\.)*"|\[[^\s\[\]"]+|\]|[^\s\[\]"]+')


def _num(v: float) -> str:
    """Shortest exact text of a number: 16.0 -> '16', 0.5 -> '0.5'."""
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _value(v: str) -> str:
    return v if v and _BARE.match(v) else json.dumps(v, ensure_ascii=False)


def to_tokens(tree: Node, boxes: bool = False) -> list[str]:
    """The token sequence of a tree. With `boxes`, boxes are written rounded to whole px."""
    out: list[str] = []

    def emit(node: Node) -> None:
        out.append("[" + node.kind)
        for name, v in node.style.items():
            key = _STYLE_KEYS[name]
            if name == "padding":
                out.append(f"{key}=" + ",".join(_num(p) for p in v))
            elif isinstance(v, str):
                out.append(f"{key}={_value(v)}")
            else:
                out.append(f"{key}={_num(v)}")
        for k, v in node.attrs.items():
            out.append(f"@{k}={_value(v)}")
        if boxes and node.box is not None:
            out.append("box=" + ",".join(str(round(b)) for b in node.box))
        if node.text:
            out.append(json.dumps(node.text, ensure_ascii=False))
        for c in node.children:
            emit(c)
        out.append("]")

    emit(tree)
    return out


def tokens_to_text(tokens: list[str]) -> str:
    return " ".join(tokens)


def text_to_tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def from_tokens(tokens: list[str] | str) -> Node:
    """Parse a token sequence (a list, or its text) back into a tree. Raises InputError when malformed."""
    toks = text_to_tokens(tokens) if isinstance(tokens, str) else list(tokens)
    pos = 0

    def parse() -> Node:
        nonlocal pos
        if pos >= len(toks) or not toks[pos].startswith("["):
            raise InputError(f"expected '[kind' at token {pos}, got {toks[pos] if pos < len(toks) else 'the end'}")
        kind = toks[pos][1:]
        pos += 1
        style: dict[str, Any] = {}
        attrs: dict[str, str] = {}
        text = ""
        box = None
        children: list[Node] = []
        while True:
            if pos >= len(toks):
                raise InputError(f"unclosed [{kind}: the sequence ended")
            tok = toks[pos]
            if tok == "]":
                pos += 1
                break
            if tok.startswith("["):
                children.append(parse())
                continue
            pos += 1
            if tok.startswith('"'):
                text = _loads(tok)
            elif tok.startswith("@") and "=" in tok:
                k, v = tok[1:].split("=", 1)
                attrs[k] = _loads(v) if v.startswith('"') else v
            elif tok.startswith("box="):
                box = tuple(float(v) for v in tok[4:].split(","))
            elif "=" in tok:
                key, v = tok.split("=", 1)
                name = _STYLE_NAMES.get(key)
                if name is None:
                    raise InputError(f"unknown style key {key!r} in [{kind}")
                style[name] = _style_value(name, v)
            else:
                raise InputError(f"unexpected token {tok!r} in [{kind}")
        try:
            return Node(kind=kind, text=text, box=box, style=Style(**style), attrs=attrs, children=children)  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            raise InputError(f"bad [{kind}: {exc}") from exc

    tree = parse()
    if pos != len(toks):
        raise InputError(f"tokens left after the root node closed (at {pos} of {len(toks)})")
    return tree


def _loads(s: str) -> str:
    try:
        v = json.loads(s)
    except json.JSONDecodeError as exc:
        raise InputError(f"bad quoted text {s[:40]!r}") from exc
    if not isinstance(v, str):
        raise InputError(f"expected quoted text, got {s[:40]!r}")
    return v


def _style_value(name: str, v: str) -> Any:
    try:
        if name == "padding":
            return tuple(float(p) for p in v.split(","))
        if name == "font_weight":
            return int(v)
        if name in _FLOAT_FIELDS:
            return float(v)
    except ValueError as exc:
        raise InputError(f"bad value {v!r} for {name}") from exc
    return _loads(v) if v.startswith('"') else v
