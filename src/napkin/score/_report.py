"""Reports people can read: a terminal table, CSV and JSON for tools, and one self-contained HTML file.

The HTML report has no external resources: plots are inline SVG drawn here, thumbnails are data
URLs. It opens with the visual metric's name, because MS-SSIM and CLIP figures are on different
scales and must never be compared.
"""

from __future__ import annotations

import base64
import csv
import html
import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from napkin.score._results import COLUMNS, LABELS, EvalConfig, EvalSummary, metric_label, safe_name

# Published figures for the same five metrics on the full 484-page Design2Code set (Si et al.
# 2024): GPT-4V, direct prompting. Their visual metric is CLIP, not MS-SSIM.
PUBLISHED = {"block_match": 0.624, "text": 0.977, "position": 0.779, "color": 0.707, "visual": 0.892}
PLOTTED = ["overall", "block_match", "text", "position", "color", "visual", "layout", "semantic_share",
           "absolute_share", "judge_overall"]
def write_outputs(summary: EvalSummary, config: EvalConfig) -> None:
    out = summary.out_dir
    fields = ["name", "mode", "failure", *[k for k, _ in COLUMNS], "judge_error"]
    tmp = out / "scores.csv.tmp"
    with tmp.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        for row in summary.rows:
            w.writerow({k: (f"{v:.4f}" if isinstance(v, float) else ("" if v is None else v)) for k, v in row.items()})
    os.replace(tmp, out / "scores.csv")
    payload = {
        "visual_metric": summary.visual_metric,
        "pages": len(summary.rows),
        "aggregates": summary.aggregates,
        "failures": summary.failures,
        "judge_errors": summary.judge_errors,
        "unpaired_predictions": summary.unpaired_predictions,
        "unpredicted_references": summary.unpredicted_references,
        "unrendered_references": summary.unrendered_references,
        "qa": summary.qa.as_dict() if summary.qa else None,
        "config": config.fingerprint(),
    }
    (out / "summary.json").write_text(json.dumps(payload, indent=1, allow_nan=False))
    (out / "report.html").write_text(render_report(summary, config), encoding="utf-8")


# -- SVG plots ---------------------------------------------------------------------------------


def histogram_svg(values: list[float], lo: float = 0.0, hi: float = 1.0, bins: int = 20, title: str = "") -> str:
    """A histogram of `values` on [lo, hi] with its mean marked, as an inline SVG element."""
    w, h, pad_l, pad_b, pad_t = 300, 150, 30, 22, 20
    counts, edges = np.histogram(np.clip(values, lo, hi), bins=bins, range=(lo, hi))
    top = max(int(counts.max()), 1)
    plot_w, plot_h = w - pad_l - 8, h - pad_b - pad_t
    bar_w = plot_w / bins
    parts = [f'<svg class="hist" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
             f'aria-label="{html.escape(title)} distribution">',
             f'<text x="{pad_l}" y="13" class="t">{html.escape(title)}</text>']
    for i, c in enumerate(counts):
        bh = plot_h * c / top
        x = pad_l + i * bar_w
        parts.append(f'<rect x="{x + 0.5:.1f}" y="{pad_t + plot_h - bh:.1f}" width="{bar_w - 1:.1f}" height="{bh:.1f}">'
                     f'<title>{edges[i]:.2f}-{edges[i + 1]:.2f}: {c}</title></rect>')
    base = pad_t + plot_h
    parts.append(f'<line x1="{pad_l}" y1="{base}" x2="{pad_l + plot_w}" y2="{base}" class="axis"/>')
    for v in (lo, (lo + hi) / 2, hi):
        x = pad_l + plot_w * (v - lo) / (hi - lo)
        parts.append(f'<text x="{x:.1f}" y="{h - 6}" class="tick">{v:g}</text>')
    parts.append(f'<text x="{pad_l - 4}" y="{pad_t + 4}" class="tick" text-anchor="end">{top}</text>')
    if values:
        mean = float(np.mean(values))
        x = pad_l + plot_w * (min(max(mean, lo), hi) - lo) / (hi - lo)
        # The label sits on the side of the line with room for it.
        right = x < pad_l + 0.7 * plot_w
        parts.append(f'<line x1="{x:.1f}" y1="{pad_t - 2}" x2="{x:.1f}" y2="{base}" class="mean"/>'
                     f'<text x="{x + 3 if right else x - 3:.1f}" y="{pad_t + 8}" class="meanlabel" '
                     f'text-anchor="{"start" if right else "end"}">mean {mean:.3f}</text>')
    parts.append("</svg>")
    return "".join(parts)


# -- the HTML page -----------------------------------------------------------------------------

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,'DejaVu Sans',sans-serif;margin:24px auto;max-width:1180px;color:#1d2330;padding:0 16px}
h1{font-size:24px;margin:0 0 4px} h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #dde2ea;padding-bottom:4px}
.note{background:#fff6d6;border:1px solid #ecd98b;padding:8px 12px;border-radius:6px;margin:12px 0}
table{border-collapse:collapse;margin:8px 0} th,td{padding:4px 10px;text-align:right;border-bottom:1px solid #eef0f4}
th:first-child,td:first-child{text-align:left} thead th{background:#f4f6f9}
.plots{display:flex;flex-wrap:wrap;gap:12px}
.hist rect{fill:#5b7fbf} .hist .axis{stroke:#8a93a3} .hist .mean{stroke:#d2453b;stroke-width:2}
.hist text{font-size:10px;fill:#4a5261} .hist .t{font-size:12px;font-weight:600;fill:#1d2330}
.hist .meanlabel{fill:#d2453b}
.page{border:1px solid #dde2ea;border-radius:8px;padding:12px;margin:14px 0}
.page h3{margin:0 0 6px;font-size:16px} .chips span{display:inline-block;background:#f0f3f8;border-radius:10px;padding:1px 9px;margin:2px 4px 2px 0;font-size:12px}
.chips .bad{background:#fde3e0} .pair{display:flex;gap:12px;margin-top:8px} .pair figure{margin:0;flex:1}
.pair figcaption{font-size:12px;color:#5d6675} .pair img{width:100%;border:1px solid #d5dae3;display:block}
details{margin-top:6px} summary{cursor:pointer;color:#34507f} ul{margin:4px 0 4px 18px;padding:0} li{margin:1px 0}
.err{color:#b3261e} code{font-size:12px}
"""


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}" if math.isfinite(v) else "–"
    return html.escape(str(v))


def _img(path: Path) -> str:
    try:
        data = base64.b64encode(path.read_bytes()).decode("ascii")
    except OSError:
        return '<div class="err">(no image)</div>'
    return f'<img alt="" loading="lazy" src="data:image/jpeg;base64,{data}">'


def _sort_key(row: dict[str, Any]) -> float:
    v = row.get("overall")
    if not isinstance(v, int | float):
        v = row.get("visual")
    return float(v) if isinstance(v, int | float) and math.isfinite(v) else -1.0


def render_report(summary: EvalSummary, config: EvalConfig) -> str:
    out = summary.out_dir
    e = html.escape
    parts = [f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Napkin evaluation: {e(out.name)}</title>"
             f"<style>{_CSS}</style></head><body>",
             f"<h1>Napkin evaluation</h1><div>{len(summary.rows)} pages · {e(str(out))}</div>"]
    visual_note = (f"Visual metric: <b>{e(summary.visual_metric)}</b>. "
                   + ("This is MS-SSIM on the inpainted pages, not CLIP: Visual and Overall are not comparable with "
                      "CLIP-based figures such as Design2Code's published ones."
                      if "ms-ssim" in summary.visual_metric else "CLIP cosine similarity, as in Design2Code."))
    parts.append(f'<div class="note">{visual_note}</div>')
    if summary.failures:
        parts.append(f'<div class="note">{summary.failures} predictions did not render and score 0 '
                     "(as Design2Code counts them).</div>")

    parts.append("<h2>Summary</h2><table><thead><tr><th>metric</th><th>mean</th><th>median</th><th>min</th>"
                 "<th>max</th><th>pages</th><th>GPT-4V (published)</th></tr></thead><tbody>")
    for key, _ in COLUMNS:
        a = summary.aggregates.get(key)
        if not a:
            continue
        published = PUBLISHED.get(key) if key != "visual" or "clip" in summary.visual_metric else None
        parts.append(f"<tr><td>{e(metric_label(key, summary))}</td>" + "".join(f"<td>{_fmt(a[s])}</td>" for s in ("mean", "median", "min", "max"))
                     + f"<td>{int(a['n'])}</td><td>{_fmt(published)}</td></tr>")
    parts.append("</tbody></table>")
    if summary.qa is not None:
        qa = summary.qa
        parts.append(f"<p>QA accuracy (WUB-style): <b>{qa.accuracy:.3f}</b> ({qa.correct}/{qa.total}, "
                     f"{qa.unanswered} unanswered)</p>")
        if qa.problems:
            parts.append("<details><summary>Problems in the QA files</summary><ul>"
                         + "".join(f"<li>{e(p)}</li>" for p in qa.problems[:200]) + "</ul></details>")

    parts.append("<h2>Distributions</h2><div class=plots>")
    for key in PLOTTED:
        vals = [float(r[key]) for r in summary.rows if isinstance(r.get(key), int | float) and math.isfinite(r[key])]
        if vals:
            hi = 10.0 if key.startswith("judge") else 1.0
            parts.append(histogram_svg(vals, 0.0, hi, title=metric_label(key, summary)))
    parts.append("</div>")

    parts.append("<h2>Pages, worst first</h2>")
    for row in sorted(summary.rows, key=_sort_key):
        parts.append(_page_html(row, out))
    parts.append("</body></html>")
    return "".join(parts)


def _page_html(row: dict[str, Any], out: Path) -> str:
    e = html.escape
    name = row["name"]
    safe = safe_name(name)
    try:
        page = json.loads((out / "pages" / f"{safe}.json").read_text())
    except (OSError, json.JSONDecodeError):
        page = {}
    chips = []
    for key in ("overall", "block_match", "text", "position", "color", "visual", "layout", "judge_overall"):
        v = row.get(key)
        if isinstance(v, int | float):
            bad = " class=bad" if (v < 0.5 if key != "judge_overall" else v < 5) else ""
            chips.append(f"<span{bad}>{e(LABELS.get(key, key).split(' (')[0])} {_fmt(v)}</span>")
    for key, label in (("parse_errors", "parse errors"), ("render_errors", "script errors"),
                       ("external_requests", "external requests"), ("mobile_overlaps", "overlaps at 390 px")):
        v = row.get(key)
        if isinstance(v, int) and v:
            chips.append(f"<span class=bad>{v} {label}</span>")
    if row.get("repetition_cut"):
        chips.append("<span class=bad>cut by Design2Code's repetition check</span>")
    if isinstance(row.get("mobile_overflow_px"), float) and row["mobile_overflow_px"] > 0:
        chips.append(f"<span class=bad>{row['mobile_overflow_px']:.0f} px overflow at 390 px</span>")
    parts = [f'<div class=page id="p-{e(safe)}"><h3>{e(name)}</h3><div class=chips>{"".join(chips)}</div>']
    if row.get("failure"):
        parts.append(f'<div class=err>The prediction did not render: {e(row["failure"])}</div>')
    parts.append(f'<div class=pair><figure>{_img(out / "thumbs" / f"{safe}.ref.jpg")}<figcaption>reference '
                 f'({e(page.get("ref", ""))})</figcaption></figure><figure>{_img(out / "thumbs" / f"{safe}.pred.jpg")}'
                 f'<figcaption>prediction ({e(page.get("pred", ""))})</figcaption></figure></div>')
    details = page.get("details") or {}
    for key, title in (("missing_text", "Text missing from the prediction"), ("extra_text", "Text only in the prediction")):
        items = details.get(key) or []
        if items:
            parts.append(f"<details><summary>{title} ({len(items)}{'+' if len(items) >= 40 else ''})</summary><ul>"
                         + "".join(f"<li>{e(t)}</li>" for t in items) + "</ul></details>")
    weak = details.get("weak_pairs") or []
    if weak:
        parts.append("<details><summary>Matched with differences</summary><ul>"
                     + "".join(f"<li>{w['similarity']:.2f}: <code>{e(w['ref'])}</code> → <code>{e(w['pred'])}</code></li>" for w in weak)
                     + "</ul></details>")
    messages = (page.get("quality") or {}).get("messages") or []
    if messages:
        parts.append("<details><summary>Code quality notes</summary><ul>" + "".join(f"<li>{e(m)}</li>" for m in messages) + "</ul></details>")
    judge = page.get("judge")
    if judge:
        if judge.get("error"):
            parts.append(f"<details><summary class=err>Judge reply not usable: {e(judge['error'])}</summary>"
                         f"<pre>{e(judge.get('raw', ''))}</pre></details>")
        else:
            parts.append("<details><summary>Judge scores</summary><ul>"
                         + "".join(f"<li>{e(k)}: {v:g}</li>" for k, v in (judge.get("aspects") or {}).items()) + "</ul></details>")
    parts.append("</div>")
    return "".join(parts)
