"""Block matching: Hungarian assignment, greedy merging of neighbours, the 0.5 cut, context."""

from __future__ import annotations

import difflib

import pytest

from napkin.score import MatchConfig, TextBlock, design2code_scores, match_blocks, text_similarity


def block(text: str, y: float, x: float = 0.1, w: float = 0.3, h: float = 0.02, color=(0, 0, 0)) -> TextBlock:
    return TextBlock(text=text, x=x, y=y, w=w, h=h, color=color)


def test_similarity_is_difflibs_ratio_pred_first():
    a, b = "tide", "diet"
    assert text_similarity(a, b) == difflib.SequenceMatcher(None, a, b).ratio()
    # difflib's ratio is not symmetric, so the argument order is part of the definition.
    assert difflib.SequenceMatcher(None, a, b).ratio() != difflib.SequenceMatcher(None, b, a).ratio()


def test_identical_lists_match_one_to_one():
    ref = [block(f"Paragraph number {i} about things", 0.05 * i) for i in range(8)]
    m = match_blocks(list(reversed(ref)), ref)
    assert sorted((m.pred[i].text, m.ref[j].text, s) for i, j, s in m.pairs) == sorted((b.text, b.text, 1.0) for b in ref)
    assert m.merges == 0


def test_dissimilar_pairs_are_dropped():
    m = match_blocks([block("Completely different words", 0.1)], [block("Pricing and plans", 0.1)])
    assert m.pairs == []
    scores, _ = design2code_scores([block("Completely different words", 0.1)], [block("Pricing and plans", 0.1)], 0.6, "ms-ssim")
    # No matched block: Design2Code's fallback is the visual score over five.
    assert (scores.block_match, scores.text, scores.position, scores.color) == (0, 0, 0, 0)
    assert scores.overall == pytest.approx(0.6 / 5)


def test_a_paragraph_split_in_two_is_merged_back():
    ref = [block("Napkin turns pictures of user interfaces into clean code.", 0.1),
           block("It runs on a laptop without a network.", 0.13), block("Contact us", 0.5)]
    pred = [block("Napkin turns pictures of user interfaces into clean code. It runs on a laptop without a network.", 0.1),
            block("Contact us", 0.5)]
    for exact in (False, True):
        m = match_blocks(pred, ref, MatchConfig(exact=exact))
        assert m.merges == 1 and len(m.ref) == 2
        assert sorted(s for _, _, s in m.pairs) == [1.0, 1.0]
        merged = m.ref[[j for _, j, _ in m.pairs if "laptop" in m.ref[j].text][0]]
        # The merged block covers both boxes.
        assert merged.y == 0.1 and merged.y + merged.h == pytest.approx(0.15)


def test_merging_happens_on_the_prediction_side_too():
    ref = [block("One two three four five six seven", 0.1)]
    pred = [block("One two three", 0.1), block("four five six seven", 0.12)]
    m = match_blocks(pred, ref)
    assert m.merges == 1 and [s for _, _, s in m.pairs] == [1.0]


def test_copies_of_a_repeated_text_go_to_the_nearest_copy_or_to_their_context():
    # "Read more" appears twice, and the prediction swaps the two stories.
    ref = [block("First story headline", 0.1), block("Read more", 0.12), block("Second story headline", 0.5), block("Read more", 0.52)]
    pred = [block("Second story headline", 0.1), block("Read more", 0.12), block("First story headline", 0.5), block("Read more", 0.52)]
    # By default equally similar copies pair with the nearest copy...
    nearest = {(i, j) for i, j, _ in match_blocks(pred, ref).pairs}
    assert nearest == {(0, 2), (1, 1), (2, 0), (3, 3)}
    # ...and with Design2Code's context bonus, with the copy among the same neighbours.
    context = {(i, j) for i, j, _ in match_blocks(pred, ref, MatchConfig(context_bonus=0.1)).pairs}
    assert context == {(0, 2), (1, 3), (2, 0), (3, 1)}


def test_fast_and_exact_matching_agree_on_a_realistic_page():
    ref = [block(t, 0.03 * i) for i, t in enumerate(
        ["Home", "About", "Pricing", "Welcome to Acme Corporation", "We build rockets for coyotes since 1949.",
         "Our products", "Rocket skates", "Giant magnet", "Contact", "© 2024 Acme"])]
    pred = [block(t, 0.03 * i) for i, t in enumerate(
        ["Home", "About us", "Welcome to Acme Corp", "We build rockets for coyotes", "since 1949.",
         "Our product line", "Rocket skates", "Magnet (giant)", "Contact", "(c) 2024 Acme"])]
    fast, exact = match_blocks(pred, ref), match_blocks(pred, ref, MatchConfig(exact=True))
    assert fast.pairs == exact.pairs and fast.merges == exact.merges == 1
