"""What an evaluation is asked and what it gives: its settings, its rows and their aggregates.

Shared by the run (`_eval`) and the report (`_report`), which depend on it and not on each other.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from napkin.score._judge import GROUPS, JudgeSettings
from napkin.score._match import MatchConfig
from napkin.score._qa import QAResult


def safe_name(name: str) -> str:
    """A page name as a file name (names may hold folders: a/b.html)."""
    return name.replace("/", "__")


@dataclass(frozen=True, slots=True)
class EvalConfig:
    """What an evaluation computes. Saved with the results; a run continues only with the same settings."""

    visual: str = "ms-ssim"
    match: MatchConfig = field(default_factory=MatchConfig)
    responsive: bool = True  # render predictions at phone width too (code quality)
    ref_kind: str = "auto"
    judge: JudgeSettings | None = None
    judge_workers: int = 4  # judge requests in flight at once

    def fingerprint(self) -> dict[str, Any]:
        judge = None if self.judge is None else {"base_url": self.judge.base_url, "model": self.judge.model}
        return {"visual": self.visual, "match": asdict(self.match), "responsive": self.responsive,
                "ref_kind": self.ref_kind, "judge": judge}


@dataclass(slots=True)
class EvalSummary:
    """The outcome of a run: one row per page, aggregates, and where everything was written."""

    out_dir: Path
    visual_metric: str
    rows: list[dict[str, Any]]
    aggregates: dict[str, dict[str, float]]
    scored_now: int = 0
    resumed: int = 0
    unpaired_predictions: list[str] = field(default_factory=list)
    unpredicted_references: list[str] = field(default_factory=list)
    failures: int = 0
    unrendered_references: list[str] = field(default_factory=list)  # left out: their reference did not render
    judge_errors: int = 0
    qa: QAResult | None = None
    seconds: float = 0.0
    cache: str = ""

    def table(self) -> str:
        """The terminal summary: one line per metric with mean, median, min and the number of pages."""
        return summary_table(self)


# -- flattening a page's scores into one row ---------------------------------------------------

COLUMNS = [
    ("overall", "Overall (Design2Code)"),
    ("block_match", "Block-Match"),
    ("text", "Text"),
    ("position", "Position"),
    ("color", "Color"),
    ("visual", "Visual"),
    ("layout", "Layout (Sketch2Code IoU)"),
    ("tree", "Tree similarity"),
    ("kinds", "Kind accuracy (matched elements)"),
    ("kinds_matched", "Elements matched"),
    ("parse_errors", "Parse errors"),
    ("render_errors", "Script errors"),
    ("absolute_share", "Absolutely positioned"),
    ("semantic_share", "Semantic tags"),
    ("dom_depth", "DOM depth"),
    ("dom_size", "DOM size"),
    ("external_requests", "External requests"),
    ("mobile_overflow_px", "Overflow at 390 px (px)"),
    ("mobile_overlaps", "Overlapping text at 390 px"),
    ("repetition_cut", "Cut by Design2Code's repetition check"),
    ("judge_overall", "Judge overall (0-10)"),
    *[(f"judge_{g}", f"Judge {g}") for g in GROUPS],
]


def flatten(page: dict[str, Any]) -> dict[str, Any]:
    """One CSV row from a page's JSON."""
    row: dict[str, Any] = {"name": page["name"], "mode": page["mode"], "failure": page.get("failure", "")}
    d2c = page.get("design2code") or {}
    for k in ("overall", "block_match", "text", "position", "color"):
        row[k] = d2c.get(k)
    row["visual"] = page.get("visual")
    row["layout"] = (page.get("layout") or {}).get("similarity")
    st = page.get("structure") or {}
    row["tree"], row["kinds"], row["kinds_matched"] = st.get("tree"), st.get("kinds"), st.get("matched")
    q = page.get("quality") or {}
    for k in ("parse_errors", "render_errors", "absolute_share", "semantic_share", "dom_depth", "dom_size",
              "external_requests", "mobile_overflow_px", "mobile_overlaps", "repetition_cut"):
        row[k] = q.get(k)
    j = page.get("judge") or {}
    row["judge_overall"] = j.get("overall")
    for g in GROUPS:
        row[f"judge_{g}"] = (j.get("groups") or {}).get(g)
    row["judge_error"] = j.get("error", "")
    return row


def aggregate(rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Mean, median, min, max and count of every numeric column over the pages that have it."""
    out: dict[str, dict[str, float]] = {}
    for key, _ in COLUMNS:
        vals = np.array([r[key] for r in rows if isinstance(r.get(key), int | float) and not isinstance(r.get(key), bool)
                         and math.isfinite(r[key])], dtype=np.float64)
        if vals.size:
            out[key] = {"mean": float(vals.mean()), "median": float(np.median(vals)), "min": float(vals.min()),
                        "max": float(vals.max()), "n": int(vals.size)}
    return out


LABELS = dict(COLUMNS)


def metric_label(key: str, summary: EvalSummary) -> str:
    return f"Visual ({summary.visual_metric})" if key == "visual" else LABELS.get(key, key)


def summary_table(summary: EvalSummary) -> str:
    """The terminal summary: one line per metric with mean, median, min and the number of pages."""
    rows = [("metric", "mean", "median", "min", "pages")]
    for key, _ in COLUMNS:
        a = summary.aggregates.get(key)
        if a:
            rows.append((metric_label(key, summary), f"{a['mean']:.3f}", f"{a['median']:.3f}", f"{a['min']:.3f}", str(int(a["n"]))))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"pages scored: {len(summary.rows)} ({summary.scored_now} now, {summary.resumed} from an earlier run)"]
    if summary.failures:
        notes.append(f"predictions that did not render (scored 0): {summary.failures}")
    if summary.unrendered_references:
        notes.append(f"references that did not render (left out): {', '.join(summary.unrendered_references[:5])}"
                     + (" ..." if len(summary.unrendered_references) > 5 else ""))
    if summary.unpredicted_references:
        notes.append(f"references without a prediction (left out): {len(summary.unpredicted_references)}")
    if summary.unpaired_predictions:
        notes.append(f"predictions without a reference (left out): {len(summary.unpaired_predictions)}")
    if summary.judge_errors:
        notes.append(f"judge replies that could not be used: {summary.judge_errors} (see the report)")
    if summary.qa is not None:
        notes.append(f"QA accuracy: {summary.qa.accuracy:.3f} ({summary.qa.correct}/{summary.qa.total}, "
                     f"{len(summary.qa.problems)} problems in the files)")
    if "ms-ssim" in summary.visual_metric:
        notes.append("visual metric: MS-SSIM, not CLIP; do not compare Visual or Overall with CLIP-based figures")
    if summary.cache:
        notes.append(f"render cache: {summary.cache}")
    notes.append(f"report: {summary.out_dir / 'report.html'}")
    return "\n".join(lines + [""] + notes)
