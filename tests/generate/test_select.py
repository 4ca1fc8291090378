from __future__ import annotations

from PIL import Image, ImageDraw

from napkin.generate import Candidate, Round, default_scorer, pick

visual_similarity = default_scorer()  # best-of-n ranks by napkin.score's visual metric


def page(blocks: list[tuple[int, int, int, int, str]], size=(640, 480)) -> Image.Image:
    img = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(img)
    for x0, y0, x1, y1, color in blocks:
        d.rectangle((x0, y0, x1, y1), fill=color)
    return img


REFERENCE = page([(0, 0, 640, 60, "#222"), (40, 100, 300, 300, "#888"), (340, 100, 600, 300, "#888")])


def test_identical_pictures_score_one():
    assert visual_similarity(REFERENCE, REFERENCE.copy()) > 0.999


def test_closer_layout_scores_higher():
    near = page([(0, 0, 640, 64, "#333"), (44, 104, 300, 300, "#999"), (344, 104, 600, 300, "#999")])
    wrong = page([(0, 400, 640, 480, "#222"), (40, 80, 600, 120, "#888")])
    assert visual_similarity(REFERENCE, near) > visual_similarity(REFERENCE, wrong)


def test_size_and_length_differences():
    # Same page at another scale is nearly the same; a page twice as long is not.
    scaled = REFERENCE.resize((1280, 960))
    longer = page([(0, 0, 640, 60, "#222"), (40, 100, 300, 300, "#888"), (340, 100, 600, 300, "#888"),
                   (0, 500, 640, 900, "#444")], size=(640, 960))
    assert visual_similarity(REFERENCE, scaled) > 0.95
    assert visual_similarity(REFERENCE, longer) < visual_similarity(REFERENCE, scaled)


def test_pick_prefers_rendered_then_score_then_fewer_problems():
    c = [
        Candidate(0, "<p>a</p>", [Round(0, [], 8)], score=0.9, rendered=False, kept_round=0),
        Candidate(1, "<p>b</p>", [Round(0, ["x"], 8)], score=0.7, rendered=True, kept_round=0),
        Candidate(2, "<p>c</p>", [Round(0, [], 8)], score=0.7, rendered=True, kept_round=0),
        Candidate(3, "", [], error="HTTP 500"),
    ]
    assert pick(c) == 2
    c[1].score = 0.8
    assert pick(c) == 1
    assert pick([c[3]]) is None


def test_default_scorer_is_the_eval_visual_metric_and_ranks_layouts():
    score = default_scorer()
    near = page([(0, 0, 640, 64, "#333"), (44, 104, 300, 300, "#999"), (344, 104, 600, 300, "#999")])
    wrong = page([(0, 400, 640, 480, "#222"), (40, 80, 600, 120, "#888")])
    assert score(REFERENCE, REFERENCE.copy()) > 0.999
    assert score(REFERENCE, near) > score(REFERENCE, wrong)
