"""Matching the text blocks of two pages, as Design2Code does.

Si et al. 2024, "Design2Code: How Far Are We From Automating Front-End Engineering?".

Two blocks are as similar as their texts (difflib's ratio: twice the matched characters over
the total). The matching maximises the total similarity (the Hungarian algorithm on the
negated similarities). Before the final matching, neighbouring blocks on either side are merged
greedily while a merge improves the matched pairs it changes by more than 0.05 on average: one
page's paragraph is often two of the other's. Pairs whose texts are less than 0.5 similar are
then dropped.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from napkin.score._blocks import TextBlock

try:  # the same algorithm in C (pip install cdifflib), about three times faster; results are identical
    from cdifflib import CSequenceMatcher as _SequenceMatcher
except ImportError:  # pragma: no cover - depends on the environment
    from difflib import SequenceMatcher as _SequenceMatcher


@dataclass(frozen=True, slots=True)
class MatchConfig:
    """The constants of Design2Code's matching. Change them only to study the metric itself."""

    # A merge is kept when the matched pairs it changes gain more than this in mean similarity.
    merge_gain: float = 0.05
    # Matched pairs less similar than this are dropped: they are different texts.
    min_similarity: float = 0.5
    # Design2Code's released code (not the paper) adds this times the two best of the eight
    # neighbouring similarities to every pair above 0.5 before the final assignment, to pick the
    # copy of a repeated text that sits among the same neighbours; 0.1 reproduces it. Off by
    # default: on 2 of the 100 dev pages it pairs the two copies of a repeated text crosswise
    # even when a page is compared with itself, and Position and Color fall below 1. Without it,
    # equally similar copies go to the nearest one.
    context_bonus: float = 0.0
    # Compute every similarity and try every merge. By default pairs that provably cannot reach
    # `min_similarity` count as 0 without computing them, and a merge is not tried when the
    # merged text cannot match anything better than its two parts already do. Several times
    # faster; the same result on all but rare pages, where the assignment would trade a real
    # match for hopeless pairs (docs/score.md measures the difference).
    exact: bool = False


@dataclass(slots=True)
class BlockMatch:
    """The blocks of both pages after merging, and the matched pairs (pred index, ref index, similarity)."""

    pred: list[TextBlock]
    ref: list[TextBlock]
    pairs: list[tuple[int, int, float]] = field(default_factory=list)
    merges: int = 0  # merges made on both sides together


def text_similarity(a: str, b: str) -> float:
    """difflib's ratio, the similarity Design2Code uses (with difflib's default junk heuristic, as theirs)."""
    return _SequenceMatcher(None, a, b).ratio()


class _Similarities:
    """Text similarities of pred texts to ref texts, memoised.

    Merging asks for the same pairs again and again, and most pairs of a page are unrelated
    texts. difflib's ratio is at most twice the characters two texts share (as multisets) over
    their total length (its quick_ratio); unless `exact`, a pair whose bound is below the
    threshold cannot be a match and counts as 0 without computing its ratio. difflib's ratio is
    not symmetric: it is always asked pred text first, as Design2Code does.
    """

    def __init__(self, threshold: float, exact: bool = False) -> None:
        self.threshold = threshold
        self.exact = exact
        self._cache: dict[tuple[str, str], float] = {}
        self._matchers: dict[str, difflib.SequenceMatcher[str]] = {}
        self._alphabet: dict[str, int] = {}
        self._hists: dict[str, NDArray[np.int32]] = {}

    def hist(self, text: str) -> NDArray[np.int32]:
        h = self._hists.get(text)
        if h is None:
            codes = [self._alphabet.setdefault(c, len(self._alphabet)) for c in text]
            h = self._hists[text] = np.bincount(np.array(codes, dtype=np.intp), minlength=1).astype(np.int32)
        return h

    def one(self, pred: str, ref: str) -> float:
        key = (pred, ref)
        value = self._cache.get(key)
        if value is None:
            # One matcher per ref text: difflib indexes its second sequence, the first is cheap to swap.
            matcher = self._matchers.get(ref)
            if matcher is None:
                matcher = self._matchers[ref] = _SequenceMatcher(None, "", ref)
            matcher.set_seq1(pred)
            value = self._cache[key] = matcher.ratio()
        return value


class _Side:
    """Similarities of any one text to each text of a fixed list (a row or a column of the matrix)."""

    def __init__(self, sims: _Similarities, others: list[str], pred_first: bool) -> None:
        self.sims = sims
        self.others = others
        self.pred_first = pred_first  # the one text is a pred text, `others` are ref texts
        hists = [sims.hist(t) for t in others]
        self._stacked = np.zeros((len(others), max((len(h) for h in hists), default=1)), dtype=np.int32)
        for row, h in zip(self._stacked, hists, strict=True):
            row[: len(h)] = h
        self._lengths = np.array([len(t) for t in others], dtype=np.float64)

    def bounds(self, text: str) -> NDArray[np.float64]:
        """Upper bounds on the similarity of `text` to each of the others (the bound is symmetric)."""
        mine = self.sims.hist(text)
        k = min(len(mine), self._stacked.shape[1])
        shared = np.minimum(self._stacked[:, :k], mine[:k]).sum(axis=1)
        total = self._lengths + len(text)
        return np.divide(2.0 * shared, total, out=np.zeros(len(self.others)), where=total > 0)

    def __call__(self, text: str) -> NDArray[np.float64]:
        out = np.zeros(len(self.others))
        todo = range(len(self.others)) if self.sims.exact else np.flatnonzero(self.bounds(text) >= self.sims.threshold).tolist()
        one = self.sims.one
        for j in todo:
            out[j] = one(text, self.others[j]) if self.pred_first else one(self.others[j], text)
        return out


def merge_pair(a: TextBlock, b: TextBlock) -> TextBlock:
    """Two neighbouring blocks as one: texts joined, boxes united, colours averaged."""
    x0, y0 = min(a.x, b.x), min(a.y, b.y)
    x1, y1 = max(a.x + a.w, b.x + b.w), max(a.y + a.h, b.y + b.h)
    px0, py0 = min(a.px_box[0], b.px_box[0]), min(a.px_box[1], b.px_box[1])
    px1 = max(a.px_box[0] + a.px_box[2], b.px_box[0] + b.px_box[2])
    py1 = max(a.px_box[1] + a.px_box[3], b.px_box[1] + b.px_box[3])
    color = ((a.color[0] + b.color[0]) // 2, (a.color[1] + b.color[1]) // 2, (a.color[2] + b.color[2]) // 2)
    return TextBlock(
        text=f"{a.text} {b.text}", x=x0, y=y0, w=x1 - x0, h=y1 - y0, color=color,
        path=f"{a.path}+{b.path}", px_box=(px0, py0, px1 - px0, py1 - py0),
    )


def _assign(sim: NDArray[np.float64]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    from scipy.optimize import linear_sum_assignment  # imported here: `napkin --help` must not load scipy

    if sim.size == 0:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty
    return linear_sum_assignment(sim, maximize=True)


def _matched(sim: NDArray[np.float64]) -> list[float]:
    rows, cols = _assign(sim)
    return sim[rows, cols].tolist()


def _gain(before: list[float], after: list[float]) -> float:
    """How much a merge improves the matching: the rise in mean similarity of the pairs it changed.

    Pairs found in both matchings cancel out. A merge that only drops weak pairs does not count:
    the changed pairs must include one better than any they replace.
    """
    b, a = Counter(before), Counter(after)
    common = b & a
    b -= common
    a -= common
    mean_b = sum(b.elements()) / b.total() if b else 0.0
    mean_a = sum(a.elements()) / a.total() if a else 0.0
    gain = mean_a - mean_b
    if gain > 0 and b and (not a or max(a) <= max(b)):
        return 0.0
    return gain


def _merge_side(
    blocks: list[TextBlock], sim: NDArray[np.float64], side: _Side, gain_needed: float
) -> tuple[list[TextBlock], NDArray[np.float64], int]:
    """One greedy pass over neighbouring blocks of `blocks`, the rows of `sim`. `side` makes new rows.

    Returns the blocks, their rows and the number of merges made.
    """
    if len(blocks) < 2 or sim.shape[1] == 0:
        return blocks, sim, 0
    rows, cols = _assign(sim)
    current = sim[rows, cols].tolist()
    best = np.zeros(len(blocks))
    best[rows] = sim[rows, cols]
    gains: list[tuple[float, int]] = []
    for i in range(len(blocks) - 1):
        text = f"{blocks[i].text} {blocks[i + 1].text}"
        if not side.sims.exact and side.bounds(text).max(initial=0.0) <= max(best[i], best[i + 1]):
            # The merged block cannot match anything better than its parts already do.
            continue
        trial = np.concatenate([sim[:i], side(text)[None], sim[i + 2 :]])
        g = _gain(current, _matched(trial))
        if g > gain_needed:
            gains.append((g, i))
    if not gains:
        return blocks, sim, 0
    # The best merges first; a block takes part in one merge per pass.
    taken: set[int] = set()
    starts: set[int] = set()
    for _, i in sorted(gains, key=lambda t: -t[0]):
        if i in taken or i + 1 in taken:
            continue
        taken.update((i, i + 1))
        starts.add(i)
    out: list[TextBlock] = []
    new_rows: list[NDArray[np.float64]] = []
    i = 0
    while i < len(blocks):
        if i in starts:
            merged = merge_pair(blocks[i], blocks[i + 1])
            out.append(merged)
            new_rows.append(side(merged.text))
            i += 2
        else:
            out.append(blocks[i])
            new_rows.append(sim[i])
            i += 1
    return out, np.stack(new_rows), len(starts)


def _with_context(sim: NDArray[np.float64], bonus: float) -> NDArray[np.float64]:
    """Design2Code's context: add `bonus` times the two best of the 8 neighbouring similarities to every pair above 0.5."""
    if bonus <= 0 or sim.size == 0:
        return sim
    n, m = sim.shape
    padded = np.zeros((n + 2, m + 2))
    padded[1:-1, 1:-1] = sim
    neighbours = np.stack(
        [padded[1 + di : 1 + di + n, 1 + dj : 1 + dj + m] for di in (-1, 0, 1) for dj in (-1, 0, 1) if di or dj],
        axis=-1,
    )  # (n, m, 8)
    best_two = np.partition(neighbours, 6, axis=-1)[..., 6:].sum(axis=-1)
    return np.where(sim > 0.5, sim + bonus * best_two, sim)


# Equally similar pairs (a text repeated on the page) go to the nearest copy; Design2Code
# leaves them to the solver's order, which can swap the copies of a page compared with itself.
# Far below any difference two texts' ratios can show.
_TIE_BREAK = 1e-9


def _distances(pred: list[TextBlock], ref: list[TextBlock]) -> NDArray[np.float64]:
    """max(|dx|, |dy|) between block centres, the distance of the Position metric. (P, R)"""
    if not pred or not ref:
        return np.zeros((len(pred), len(ref)))
    cp, cr = np.array([b.center for b in pred]), np.array([b.center for b in ref])
    return np.abs(cp[:, None, :] - cr[None, :, :]).max(axis=-1)


def match_blocks(pred: list[TextBlock], ref: list[TextBlock], config: MatchConfig | None = None) -> BlockMatch:
    """Merge neighbouring blocks where that helps, then match the blocks of `pred` to those of `ref`."""
    config = config or MatchConfig()
    sims = _Similarities(config.min_similarity, config.exact)
    pred, ref = list(pred), list(ref)
    row_of = _Side(sims, [b.text for b in ref], pred_first=True)
    sim = np.array([row_of(b.text) for b in pred]).reshape(len(pred), len(ref))  # (P, R)
    merges = 0
    while pred and ref:
        pred, sim, n_pred = _merge_side(pred, sim, _Side(sims, [b.text for b in ref], True), config.merge_gain)
        ref, sim_t, n_ref = _merge_side(ref, sim.T, _Side(sims, [b.text for b in pred], False), config.merge_gain)
        sim = sim_t.T
        merges += n_pred + n_ref
        if not n_pred and not n_ref:
            break
    result = BlockMatch(pred=pred, ref=ref, merges=merges)
    rows, cols = _assign(_with_context(sim, config.context_bonus) - _TIE_BREAK * _distances(pred, ref))
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        s = float(sim[i, j])
        if s >= config.min_similarity:
            result.pairs.append((i, j, s))
    return result
