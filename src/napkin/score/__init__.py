"""Measure generated pages the way the field does: visual fidelity, layout, code quality, judges.

    >>> from napkin.score import score_pair                       # doctest: +SKIP
    >>> s = score_pair(open("pred.html").read(), open("ref.html").read())
    >>> s.design2code.overall, s.design2code.text, s.visual_metric
    (0.83, 0.97, 'ms-ssim')

- Design2Code's five metrics (Si et al. 2024): Block-Match, Text, Position, Color and a visual
  similarity of the inpainted screenshots (`design2code_scores`, `Scorer`). The visual metric is
  MS-SSIM by default and CLIP when weights are on disk; its name is carried with every figure.
- Sketch2Code's layout similarity (`layout_similarity`), code-quality checks (`code_quality`),
  a WCGB-style VLM judge (`Judge`) and WUB-style question-answer accuracy (`qa_accuracy`).
- `evaluate` scores folders of pages into a report (JSON, CSV, HTML); `napkin eval` runs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from napkin._lazy import exports

if TYPE_CHECKING:  # imported on first use (napkin._lazy): `napkin --help` loads none of it
    from napkin.score._blocks import TextBlock, text_blocks, text_color
    from napkin.score._color import ciede2000, color_similarity, rgb_to_lab
    from napkin.score._design2code import METRICS, Design2CodeScores, design2code_scores
    from napkin.score._eval import evaluate, find_pairs
    from napkin.score._judge import ASPECTS, GROUPS, Judge, JudgeScores, JudgeSettings, parse_judgement
    from napkin.score._layout import CLASSES, LayoutScores, element_classes, layout_similarity
    from napkin.score._match import BlockMatch, MatchConfig, match_blocks, text_similarity
    from napkin.score._page import Page, PairScore, Scorer, page_from_image, page_from_render
    from napkin.score._pair import score_pair
    from napkin.score._qa import QAResult, Question, qa_accuracy, read_questions
    from napkin.score._quality import CodeQuality, code_quality, parse_errors, repetition_cut
    from napkin.score._results import EvalConfig, EvalSummary
    from napkin.score._visual import (
        ClipSimilarity,
        MsSsim,
        VisualMetric,
        image_similarity,
        inpainted_square,
        ms_ssim,
        visual_metric,
    )

__getattr__, __dir__, __all__ = exports(__name__, __file__)
