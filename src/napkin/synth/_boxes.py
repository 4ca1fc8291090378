"""Per-element boxes of a rendered page: every sample is also a detection and layout example."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from napkin.errors import InputError
from napkin.layout import METRIC_CLASS, Node, from_dom
from napkin.render import Render
from napkin.synth._skins import map_box


def element_boxes(render: Render, tree: Node | None = None, transform: Sequence[float] | None = None) -> list[dict[str, Any]]:
    """One JSON-ready record per layout node of the render, in document order.

    Kinds come from reading the render back (`from_dom`); given the `tree` the page was made
    from, the render must read back into its exact structure (else `InputError`), and kinds
    and attributes are the tree's. `transform` (a skinned image's 3x3 matrix) maps boxes from
    CSS px into the final image's pixels; without it boxes are CSS px of the page.

    Each record: index, parent (index, -1 for the page), depth, kind, metric_class (the
    Sketch2Code layout class, or None for pure containers), box [x, y, w, h], text, attrs.
    """
    back = from_dom(render)
    labels = list(tree.walk()) if tree is not None else None
    if tree is not None and back.signature() != tree.signature():
        raise InputError("the render does not read back into the sample's tree (was it made from this tree's HTML?)")
    # This runs for every rendered picture, so the loop is kept lean: the matrix is made a tuple
    # once, and the walk carries each node's parent index and depth on its stack (document order,
    # like `Node.walk`) instead of rebuilding them from depths.
    matrix = tuple(transform) if transform is not None else None
    metric_class = METRIC_CLASS.get
    records: list[dict[str, Any]] = []
    stack: list[tuple[Node, int, int]] = [(back, -1, 0)]  # (node, parent index, depth)
    while stack:
        node, parent, depth = stack.pop()
        index = len(records)
        label = labels[index] if labels is not None else node
        box = node.box or (0.0, 0.0, 0.0, 0.0)
        if matrix is not None:
            box = map_box(box, matrix)
        records.append({
            "index": index,
            "parent": parent,
            "depth": depth,
            "kind": label.kind,
            "metric_class": metric_class(label.kind),
            "box": [round(v, 1) for v in box],
            "text": label.text,
            "attrs": dict(label.attrs),
        })
        stack.extend([(c, index, depth + 1) for c in reversed(node.children)])
    return records
