"""Structure scores: tree similarity over kind tokens, and kind accuracy of box-matched elements."""

from __future__ import annotations

import random

import pytest

from napkin.layout import Node, emit_html
from napkin.score._structure import edit_distance, kind_tokens, structure_scores, tree_similarity


def _levenshtein(a: list[int], b: list[int]) -> int:
    """The textbook dynamic programme, to check the vectorised one against."""
    d = [[i + j if i == 0 or j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
    return d[-1][-1]


def test_edit_distance_matches_the_textbook_programme():
    rng = random.Random(3)
    for _ in range(200):
        a = [rng.randrange(4) for _ in range(rng.randrange(0, 12))]
        b = [rng.randrange(4) for _ in range(rng.randrange(0, 12))]
        assert edit_distance(a, b) == _levenshtein(a, b), (a, b)
    assert edit_distance([1, 2, 3], [1, 2, 3]) == 0
    assert edit_distance([], [5, 5]) == 2


def page(*children: Node) -> Node:
    return Node("page", box=(0, 0, 800, 600), children=list(children))


def test_tree_similarity_counts_kind_tokens_only():
    a = page(Node("navbar", box=(0, 0, 800, 60), children=[Node("link", "Home", box=(10, 10, 60, 20))]),
             Node("heading", "Hi", box=(0, 80, 400, 40)))
    vocab: dict[str, int] = {}
    assert len(kind_tokens(a, vocab)) == 8  # [page [navbar [link ] ] [heading ] ]
    same_kinds_other_text = page(Node("navbar", box=(0, 0, 800, 60), children=[Node("link", "About", box=(10, 10, 60, 20))]),
                                 Node("heading", "Bye", box=(0, 80, 400, 40)))
    assert tree_similarity(same_kinds_other_text, a) == 1.0
    flat = page(Node("paragraph", "Home", box=(10, 10, 60, 20)), Node("heading", "Hi", box=(0, 80, 400, 40)))
    # the navbar's open and close tokens are gone and link became paragraph: 3 edits of 8
    assert tree_similarity(flat, a) == pytest.approx(1 - 3 / 8)


def test_kind_accuracy_matches_elements_by_box_and_lists_confusions():
    ref = page(Node("button", "Buy", box=(100, 100, 120, 40)), Node("image", box=(300, 100, 200, 150)),
               Node("row", box=(0, 300, 800, 50), children=[Node("paragraph", "Small print", box=(0, 300, 300, 20))]))
    pred = page(Node("paragraph", "Buy", box=(104, 102, 116, 36)), Node("image", box=(300, 110, 200, 150)))
    s = structure_scores(pred, ref)
    assert s.ref_elements == 3 and s.pred_elements == 2  # rows and the page are arrangement, not elements
    assert s.matched == pytest.approx(2 / 3)  # the small print has no partner
    assert s.kinds == pytest.approx(1 / 2)
    assert s.confusions == [("button", "paragraph", 1)]
    nothing = structure_scores(page(), ref)
    assert nothing.kinds is None and nothing.matched == 0.0


@pytest.mark.browser
def test_a_compiled_tree_scores_one_against_itself_through_the_browser(renderer):
    tree = page(Node("navbar", children=[Node("logo", "Acme"), Node("link", "Pricing")]),
                Node("section", children=[Node("heading", "Build faster", attrs={"level": "1"}), Node("button", "Start")]))
    render = renderer.render(emit_html(tree))
    s = structure_scores(render, render)
    assert s.tree == 1.0 and s.kinds == 1.0 and s.matched == 1.0 and s.ref_elements >= 5
    # The same page with its button written as a link.
    as_link = renderer.render(emit_html(page(Node("navbar", children=[Node("logo", "Acme"), Node("link", "Pricing")]),
                                             Node("section", children=[Node("heading", "Build faster", attrs={"level": "1"}),
                                                                       Node("link", "Start")]))))
    worse = structure_scores(as_link, render)
    assert worse.tree == pytest.approx(1 - 1 / len(kind_tokens(tree, {})))
    # A button's box holds its padding and a link's only its words: too different to pair (IoU < 0.5),
    # so the miss shows as an unmatched element rather than as a wrong kind.
    assert worse.matched == pytest.approx(4 / 5) and worse.kinds == 1.0
