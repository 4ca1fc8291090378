"""Napkin's pages scored by the Design2Code authors' own metric code, beside `napkin eval`.

    python benchmarks/design2code_official.py --d2c PATH --python PY [--pred DIR] [--limit N]

Anyone who checks a Design2Code system runs the authors' scripts (NoviScl/Design2Code,
`Design2Code/metrics/visual_score.py`), so this benchmark runs them too, on the 100 pages of
design2code-dev (NAPKIN_BENCH), and reports both scorers side by side: per-metric means, the
per-page correlation, and how many pages the authors' repetition check cut short.

Their code is not part of Napkin and is never copied into it. --d2c names a checkout of it
(a folder holding `Design2Code/`, or a git directory such as the search tool's fetch gives,
read with `git show`); the script copies its Python files into --work and changes three
things there, which it prints when it starts:

- `visual_score.py` as released does not compile (an if/elif block indented by 9 and 12
  spaces); the copy re-indents it;
- it loads CLIP ViT-B/32 at import, and no weights can be downloaded here: the copy skips
  CLIP, so the CLIP score is not measured and "mean4" is the mean of Block-Match, Text,
  Position and Color (the published tables average five);
- its screenshots call Playwright's own browser: the copy points it at Debian's Chromium.

--python is an interpreter with what their code imports (playwright, opencv-python, numpy,
scipy, scikit-learn, matplotlib, beautifulsoup4, colormath, tqdm, pillow), best in its own
virtual environment:

    python3 -m venv /tmp/d2c-venv && /tmp/d2c-venv/bin/pip install playwright \\
        opencv-python-headless numpy scipy scikit-learn matplotlib beautifulsoup4 colormath tqdm pillow

Without --pred the pages come from `napkin generate` (embedded backend) on the screenshots.
Every stage resumes: pages, both scorers' per-page results and the scorer copy live in
--work. Their scorer takes about 35 s a page on two cores (three browser starts a page): run
the 100 pages in the background. Results: benchmarks/results/design2code_official.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import bench_data, save, table  # noqa: E402

METRICS = ("block_match", "text", "position", "color")

# Run under --python inside the scorer copy: one page at a time, one JSON a page (ours).
_RUNNER = '''
import json, os, shutil, sys, time, traceback
sys.path.insert(0, os.path.dirname(os.getcwd()))
from Design2Code.metrics.visual_score import visual_eval_v3_multi
for job in json.load(open(sys.argv[1])):
    out = job["out"]
    if os.path.exists(out):
        continue
    folder = os.path.dirname(out)
    page = os.path.join(folder, "page")
    shutil.rmtree(page, ignore_errors=True)
    os.makedirs(page)
    pred, ref = os.path.join(page, "pred.html"), os.path.join(page, "ref.html")
    shutil.copyfile(job["pred"], pred)
    shutil.copyfile(job["ref"], ref)
    t = time.time()
    try:
        (area, _, scores), = visual_eval_v3_multi([[pred], ref])
        result = {"scores": [float(s) for s in scores[:4]], "matched_area": float(area), "error": None}
    except Exception:
        result = {"scores": None, "error": traceback.format_exc()[-2000:]}
    result["cut_by_repetition_check"] = os.path.exists(os.path.join(page, "pred_old.txt"))
    result["seconds"] = round(time.time() - t, 1)
    with open(out + ".tmp", "w") as f:
        json.dump(result, f)
    os.replace(out + ".tmp", out)
    print(job["id"], result["scores"], "cut" if result["cut_by_repetition_check"] else "", flush=True)
'''


def _read_source(d2c: Path) -> dict[str, str]:
    """path -> text of every Python file under Design2Code/ in a checkout or a git directory."""
    if (d2c / "Design2Code" / "metrics" / "visual_score.py").is_file():
        return {str(p.relative_to(d2c)): p.read_text(encoding="utf-8") for p in (d2c / "Design2Code").rglob("*.py")}
    git = ["git", f"--git-dir={d2c}"]
    try:
        names = subprocess.run([*git, "ls-tree", "-r", "--name-only", "HEAD", "Design2Code"], capture_output=True,
                               text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError) as e:
        raise SystemExit(f"--d2c {d2c}: neither a checkout holding Design2Code/ nor a git directory ({e})") from e
    files = {}
    for name in names:
        if name.endswith(".py"):
            files[name] = subprocess.run([*git, "show", f"HEAD:{name}"], capture_output=True, text=True, check=True).stdout
    if "Design2Code/metrics/visual_score.py" not in files:
        raise SystemExit(f"--d2c {d2c}: no Design2Code/metrics/visual_score.py in it")
    return files


def _replace(text: str, old: str, new: str, what: str, changes: list[str]) -> str:
    if old not in text:
        raise SystemExit(f"the scorer's code is not the version this script knows: cannot {what}")
    changes.append(what)
    return text.replace(old, new)


def prepare_scorer(d2c: Path, work: Path, chromium: str) -> tuple[Path, list[str]]:
    """The authors' code copied into work/scorer with the three changes; (its Design2Code folder, changes)."""
    files = _read_source(d2c)
    changes: list[str] = []
    vs = files["Design2Code/metrics/visual_score.py"]
    if "         if len(predict_blocks) == 0:\n" in vs:
        vs = vs.replace("         if len(predict_blocks) == 0:\n", "        if len(predict_blocks) == 0:\n")
        vs = vs.replace("            elif len(original_blocks) == 0:\n", "        elif len(original_blocks) == 0:\n")
        changes.append("re-indent the if/elif block that stops visual_score.py compiling")
    vs = _replace(vs, "import torch\n", "", "skip CLIP (no torch import)", changes)
    vs = _replace(vs, "import clip\n", "", "skip CLIP (no clip import)", changes)
    vs = _replace(vs, 'device = "cuda" if torch.cuda.is_available() else "cpu"\nmodel, preprocess = clip.load("ViT-B/32", device=device)\n',
                  "", "skip CLIP (no ViT-B/32 weights to load)", changes)
    vs += "\n\ndef calculate_clip_similarity_with_blocks(*args, **kwargs):  # napkin benchmark: CLIP not measured\n    return 0.0\n"
    files["Design2Code/metrics/visual_score.py"] = vs
    shot = files["Design2Code/metrics/screenshot_single.py"]
    files["Design2Code/metrics/screenshot_single.py"] = _replace(
        shot, "p.chromium.launch()", f"p.chromium.launch(executable_path={chromium!r}, args=['--no-sandbox'])",
        "take screenshots with Debian's Chromium", changes)
    root = work / "scorer"
    shutil.rmtree(root, ignore_errors=True)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "Design2Code" / "run_pages.py").write_text(_RUNNER, encoding="utf-8")
    return root / "Design2Code", changes


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r of two per-page lists, or None when it is undefined (too few pages, a constant list)."""
    if len(xs) < 3 or np.std(xs) == 0 or np.std(ys) == 0:
        return None
    return float(np.corrcoef(xs, ys)[0, 1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--d2c", type=Path, required=True, help="checkout (or git directory) of NoviScl/Design2Code")
    ap.add_argument("--python", default="python3", help="interpreter with the scorer's dependencies")
    ap.add_argument("--pred", type=Path, help="predicted pages ID.html (default: napkin generate, embedded backend)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/napkin-d2c-official"), help="work folder (resumes)")
    ap.add_argument("--limit", type=int, help="only the first N pages (by id, numeric order)")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    ap.add_argument("--label", default="", help="name of this run in the results file (default: the --pred folder)")
    args = ap.parse_args()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    refs = bench_data("design2code-dev")
    ids = sorted((p.stem for p in refs.glob("*.html")), key=lambda s: (not s.isdigit(), int(s) if s.isdigit() else 0, s))
    if args.limit:
        ids = ids[: args.limit]

    scorer, changes = prepare_scorer(args.d2c, work, args.chromium)
    print("the authors' code, copied into", scorer.parent, "with these changes:")
    for c in changes:
        print("  -", c)

    pred = args.pred
    if pred is None:
        from napkin.generate import EmbeddedGenerator, generate_dir

        inputs = work / "inputs"
        inputs.mkdir(exist_ok=True)
        for i in ids:
            if not (inputs / f"{i}.png").exists():
                shutil.copyfile(refs / f"{i}.png", inputs / f"{i}.png")
        pred = work / "pred"
        generate_dir(EmbeddedGenerator(), inputs, pred, kind="screenshot")  # type: ignore[arg-type]
    pred = pred.resolve()
    ids = [i for i in ids if (pred / f"{i}.html").is_file()]
    if not ids:
        raise SystemExit(f"no predicted pages ID.html in {pred} for the ids of {refs}")

    # napkin eval on the same pairs (only these ids, so that both see the same pages).
    from napkin.score import EvalConfig, evaluate

    pairs = work / "pairs"
    for sub in ("pred", "ref"):
        (pairs / sub).mkdir(parents=True, exist_ok=True)
    for i in ids:
        shutil.copyfile(pred / f"{i}.html", pairs / "pred" / f"{i}.html")
        shutil.copyfile(refs / f"{i}.html", pairs / "ref" / f"{i}.html")
    t = time.perf_counter()
    summary = evaluate(pairs / "pred", pairs / "ref", work / "napkin-report", EvalConfig())
    napkin_s = time.perf_counter() - t
    ours = {Path(r["name"]).stem: r for r in summary.rows}

    official = work / "official"
    jobs = []
    for i in ids:
        (official / i).mkdir(parents=True, exist_ok=True)
        jobs.append({"id": i, "pred": str(pairs / "pred" / f"{i}.html"), "ref": str(pairs / "ref" / f"{i}.html"),
                     "out": str(official / i / "result.json")})
    (work / "jobs.json").write_text(json.dumps(jobs))
    env = dict(os.environ, PATH=f"{Path(args.python).parent}{os.pathsep}{os.environ.get('PATH', '')}"
               if os.sep in args.python else os.environ.get("PATH", ""))
    todo = sum(not Path(j["out"]).exists() for j in jobs)
    print(f"the authors' scorer: {todo} of {len(jobs)} pages to score (about 35 s each), log in {work / 'official.log'}")
    t = time.perf_counter()
    with open(work / "official.log", "a") as log:
        subprocess.run([args.python, "run_pages.py", str(work / "jobs.json")], cwd=scorer, env=env, stdout=log,
                       stderr=subprocess.STDOUT, check=False)
    official_s = time.perf_counter() - t

    theirs: dict[str, dict[str, Any]] = {}
    for j in jobs:
        try:
            theirs[j["id"]] = json.loads(Path(j["out"]).read_text())
        except (OSError, json.JSONDecodeError):
            pass
    scored = [i for i in ids if theirs.get(i, {}).get("scores") and isinstance(ours.get(i, {}).get("block_match"), float)]
    errors = [i for i in ids if i in theirs and theirs[i].get("error")]
    missing = [i for i in ids if i not in theirs]
    cut = [i for i in scored if theirs[i]["cut_by_repetition_check"]]

    rows = []
    per_metric: dict[str, dict[str, Any]] = {}
    for k, m in enumerate((*METRICS, "mean4")):
        if m == "mean4":
            a = [sum(theirs[i]["scores"][:4]) / 4 for i in scored]
            b = [sum(ours[i][x] for x in METRICS) / 4 for i in scored]
        else:
            a = [theirs[i]["scores"][k] for i in scored]
            b = [ours[i][m] for i in scored]
        r = pearson(a, b)
        per_metric[m] = {"official": round(sum(a) / len(a), 4) if a else None, "napkin": round(sum(b) / len(b), 4) if b else None,
                         "pearson": round(r, 4) if r is not None else None}
        rows.append({"metric": m, **{col: "-" if v is None else f"{v:.3f}" for col, v in
                                     (("official", per_metric[m]["official"]), ("napkin eval", per_metric[m]["napkin"]),
                                      ("per-page r", per_metric[m]["pearson"]))}})
    print()
    print(table(rows, ["metric", "official", "napkin eval", "per-page r"]))
    print(f"\n{len(scored)} pages scored by both; cut by the authors' repetition check: {len(cut)}; "
          f"their scorer failed on {len(errors)}; not yet scored: {len(missing)}")

    results_file = Path(__file__).parent / "results" / "design2code_official.json"
    try:
        previous = json.loads(results_file.read_text()).get("runs", {})
    except (OSError, json.JSONDecodeError):
        previous = {}
    label = args.label or ("napkin generate (embedded)" if args.pred is None else str(args.pred))
    previous[label] = {
        "pages": len(scored), "cut_by_repetition_check": len(cut), "cut_ids": cut, "official_errors": errors,
        "not_scored": missing, "metrics": per_metric, "clip": "not measured (no ViT-B/32 weights offline)",
        "scorer_changes": changes, "official_seconds": round(official_s, 1), "napkin_eval_seconds": round(napkin_s, 1),
        "per_page": {i: {"official": theirs[i]["scores"], "napkin": [ours[i][m] for m in METRICS],
                         "cut": theirs[i]["cut_by_repetition_check"]} for i in scored},
    }
    save("design2code_official", {"runs": previous, "reference": str(refs), "ids": len(ids)})


if __name__ == "__main__":
    main()
