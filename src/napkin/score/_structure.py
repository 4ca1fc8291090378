"""Structure: how close the prediction's layout tree is to the reference's, and whether its elements are the right kinds.

Both rendered pages are read back into layout trees (`napkin.layout.from_dom`, the same reader on
both sides, so it does not matter which backend wrote the HTML). Two figures come from them:

- **Tree similarity**: one minus the edit distance between the two trees' kind-token sequences
  (`[kind ... ]` in pre-order, with text, style and boxes left out: the structure part of the
  token form a learned model predicts, `napkin.layout.to_tokens`), divided by the longer
  sequence's length. 1 is the same tree; pix2code's token accuracy is the same idea on its DSL.
  The string edit distance of the bracket sequences is a lower bound of twice the tree edit
  distance, computed in O(n m) with numpy instead of Zhang-Shasha's cubic time.
- **Kind accuracy**: the reference's elements (every node but the page and the pure arrangement
  kinds: rows, columns, grids, sections, main) are matched one to one to the prediction's by box
  overlap (Hungarian assignment on IoU, a pair needs IoU >= 0.5); the accuracy is the share of
  matched pairs whose kinds agree, and `matched` is the share of reference elements matched at all.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from napkin.layout import Node, from_dom
from napkin.render import Render

ARRANGEMENT = frozenset({"page", "row", "column", "grid", "section", "main"})
MIN_IOU = 0.5
_CLOSE = -1  # the token that closes a node
_MAX_CONFUSIONS = 10


@dataclass(slots=True)
class StructureScores:
    """Tree similarity, kind accuracy of matched elements, and the share of reference elements matched."""

    tree: float
    kinds: float | None  # None when no element matched
    matched: float
    ref_elements: int
    pred_elements: int
    confusions: list[tuple[str, str, int]] = field(default_factory=list)  # (reference kind, predicted kind, count)

    def as_dict(self) -> dict[str, Any]:
        return {
            "tree": self.tree,
            "kinds": self.kinds,
            "matched": self.matched,
            "ref_elements": self.ref_elements,
            "pred_elements": self.pred_elements,
            "confusions": [{"ref": r, "pred": p, "count": n} for r, p, n in self.confusions],
        }


def kind_tokens(tree: Node, vocabulary: dict[str, int]) -> list[int]:
    """The pre-order `[kind` / `]` sequence of a tree as integers (kinds numbered in `vocabulary`, grown as needed)."""
    out: list[int] = []

    def emit(node: Node) -> None:
        out.append(vocabulary.setdefault(node.kind, len(vocabulary)))
        for child in node.children:
            emit(child)
        out.append(_CLOSE)

    emit(tree)
    return out


def edit_distance(a: list[int], b: list[int]) -> int:
    """Levenshtein distance of two integer sequences (unit costs), one numpy row at a time."""
    if not a or not b:
        return max(len(a), len(b))
    other = np.asarray(b, dtype=np.int64)
    idx = np.arange(len(b) + 1, dtype=np.int64)
    prev = idx.copy()
    cur = np.empty_like(prev)
    for i, token in enumerate(a, 1):
        cur[0] = i
        # substitution (or match) and deletion from the row above ...
        np.minimum(prev[:-1] + (other != token), prev[1:] + 1, out=cur[1:])
        # ... then insertion along the row: cur[j] = min over k <= j of cur[k] + (j - k)
        cur = np.minimum.accumulate(cur - idx) + idx
        prev, cur = cur, prev
    return int(prev[-1])


def tree_similarity(pred: Node, ref: Node) -> float:
    """1 - edit distance / longer length, over the two trees' kind tokens."""
    vocabulary: dict[str, int] = {}
    a, b = kind_tokens(pred, vocabulary), kind_tokens(ref, vocabulary)
    return 1.0 - edit_distance(a, b) / max(len(a), len(b))


def elements(tree: Node) -> list[Node]:
    """The nodes whose kind is a claim about the page (not the page or an arrangement), with a box of some area."""
    return [n for n in tree.walk() if n.kind not in ARRANGEMENT and n.box is not None and n.box[2] > 0 and n.box[3] > 0]


def _iou(a: list[Node], b: list[Node]) -> NDArray[np.float64]:
    boxes_a = np.array([n.box for n in a], dtype=np.float64).reshape(-1, 4)
    boxes_b = np.array([n.box for n in b], dtype=np.float64).reshape(-1, 4)
    ax0, ay0 = boxes_a[:, 0:1], boxes_a[:, 1:2]
    ax1, ay1 = ax0 + boxes_a[:, 2:3], ay0 + boxes_a[:, 3:4]
    bx0, by0 = boxes_b[:, 0], boxes_b[:, 1]
    bx1, by1 = bx0 + boxes_b[:, 2], by0 + boxes_b[:, 3]
    inter = np.clip(np.minimum(ax1, bx1) - np.maximum(ax0, bx0), 0, None) * np.clip(np.minimum(ay1, by1) - np.maximum(ay0, by0), 0, None)
    union = (boxes_a[:, 2:3] * boxes_a[:, 3:4]) + (boxes_b[:, 2] * boxes_b[:, 3]) - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)


def match_elements(pred: list[Node], ref: list[Node], min_iou: float = MIN_IOU) -> list[tuple[int, int]]:
    """One-to-one (pred index, ref index) pairs of greatest total IoU, each pair at least `min_iou`."""
    if not pred or not ref:
        return []
    from scipy.optimize import linear_sum_assignment

    iou = _iou(pred, ref)
    rows, cols = linear_sum_assignment(np.where(iou >= min_iou, iou, 0.0), maximize=True)
    return [(int(i), int(j)) for i, j in zip(rows, cols, strict=True) if iou[i, j] >= min_iou]


def structure_scores(pred: Render | Node, ref: Render | Node) -> StructureScores:
    """Tree similarity and kind accuracy of a prediction against its reference (renders or trees)."""
    pred_tree = pred if isinstance(pred, Node) else from_dom(pred)
    ref_tree = ref if isinstance(ref, Node) else from_dom(ref)
    p, r = elements(pred_tree), elements(ref_tree)
    pairs = match_elements(p, r)
    agree = sum(p[i].kind == r[j].kind for i, j in pairs)
    confusions = Counter((r[j].kind, p[i].kind) for i, j in pairs if p[i].kind != r[j].kind)
    return StructureScores(
        tree=tree_similarity(pred_tree, ref_tree),
        kinds=agree / len(pairs) if pairs else None,
        matched=len(pairs) / len(r) if r else 1.0,
        ref_elements=len(r),
        pred_elements=len(p),
        confusions=[(a, b, n) for (a, b), n in confusions.most_common(_MAX_CONFUSIONS)],
    )
