"""Every example in the README and docs/, run end to end on data the project made.

The shell examples are read out of the Markdown itself (each ```sh block is one recipe, run in
order), and so are the README's Python blocks, so an example that changes is tested as it now
reads, and a new one is tested as soon as it is written. The files the examples name (shot.png,
sketches/, pred.html, crawl.warc.gz, preds.jsonl...) are made first, from a synthetic dataset
of `napkin data synth` unpacked with `napkin data unpack`. Sizes are cut down (10,000 pages
become 6, training runs 2 steps), placeholder servers become a local one speaking the OpenAI
protocol (above the seam: the client, its retries and the repair loop are Napkin's), and
`../shared/benchmarks/design2code-dev` becomes the unpacked synthetic pages. NOT_RUN lists the
few examples no test can run, each with its reason; the test fails when a listed example is
gone from the docs or an example is neither run nor listed.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import save_tiny_clip, write_warc
from tests.generate.chat_server import answer, chat_server

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
NAPKIN = Path(sys.executable).parent / "napkin"

pytestmark = pytest.mark.browser

NOT_RUN = {
    "make run": "CI runs it on a fresh clone (scripts/check-clone.sh, called by .ci/run)",
    "make test": "CI runs it (.ci/run); it is this suite",
    "sh scripts/train-embedding.sh /out/emb": "an hour of work that replaces the shipped weights; "
    "each of its commands is tested here at a small size",
    "vllm serve Qwen/Qwen2.5-VL-7B-Instruct --max-model-len 32768": "starts a third-party model server (GPU); "
    "the recipe's napkin commands run against the local OpenAI-protocol server",
    "ollama pull qwen2.5vl:7b": "downloads a model (no network here); as above",
    "napkin eval ... --visual clip:ViT-B-32:/models/open_clip_vit_b32.bin": "open_clip_torch needs a torchvision that "
    "needs torch >= 2.14, and the tested install pins torch 2.13 (CPU); the transformers CLIP example runs",
}


def _blocks(path: Path, lang: str) -> list[tuple[int, str]]:
    """(first line number, text) of each fenced block of `lang` in a Markdown file."""
    out, current, start = [], None, 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if current is None and line.strip() == f"```{lang}":
            current, start = [], number + 1
        elif current is not None and line.strip() == "```":
            out.append((start, "\n".join(current)))
            current = None
        elif current is not None:
            current.append(line)
    return out


def _commands(block: str) -> list[str]:
    """The commands of a shell block: continuations joined, comments and prompts dropped."""
    text = block.replace("\\\n", " ")
    commands = []
    for line in text.splitlines():
        line = re.sub(r"\s+#\s.*$", "", line).strip()
        if line and not line.startswith("#"):
            commands.append(re.sub(r"\s+", " ", line))
    return commands


def _recipes() -> list[tuple[str, list[str]]]:
    out = []
    for path in DOCS:
        for line, block in _blocks(path, "sh"):
            commands = _commands(block)
            if commands:
                out.append((f"{path.relative_to(ROOT)}:{line}", commands))
    return out


RECIPES = _recipes()


def _runnable(cmd: str, ws: Path, url: str) -> str:
    """The documented command as the test runs it: the same command, cut down to test size."""
    if cmd.startswith("napkin eval ..."):
        cmd = cmd.replace("...", f"--pred out/pred --ref bench/synth/screenshots -o out/report-{zlib.crc32(cmd.encode())}", 1)
    subs = [
        (r"^(napkin data synth .*)--n \d+", r"\1--n 6"),
        (r"\.\./shared/benchmarks/design2code-dev", "bench/synth/screenshots"),
        (r"http://localhost:\d+/v1", url),
        (r"clip:/models/clip-vit-base-patch32", f"clip:{ws / 'tiny-clip'}"),
        (r"datasets/emb-train|/out/emb/train", "datasets/synth"),
        (r"(\s)/out/", r"\1out/"),  # never the machine's own /out: the workspace's
        (r"--set steps=\d+", "--set steps=2"),
        (r"--model gpt-4o", f"--model gpt-4o --base-url {url}"),
    ]
    for pattern, new in subs:
        cmd = re.sub(pattern, new, cmd)
    if cmd.startswith("napkin train ") and "steps=" not in cmd:
        cmd += " --set steps=2"
    if cmd.startswith("napkin train ") and "--config embedding " in cmd + " ":
        cmd += " --set batch_size=8 --set eval_every=2 --set warmup=1"
    return cmd


def _run(cmd: str, ws: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    args = shlex.split(cmd)
    assert args[0] == "napkin", cmd
    return subprocess.run([str(NAPKIN), *args[1:]], cwd=ws, env=env, capture_output=True, text=True, timeout=600)


def _judge_or_page(reference_html: str):
    """The local model: a judgement when asked to judge, else the reference page in a fence."""
    from napkin.score import ASPECTS

    page = answer(f"```html\n{reference_html}\n```")
    judgement = answer(json.dumps({k: 7 for k in ASPECTS}))

    def act(h, body):
        text = json.dumps(body.get("messages", []))
        (judgement if all(a in text for a in list(ASPECTS)[:3]) else page)(h, body)

    return act


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A folder holding every file the examples name, made by Napkin; and a local model server."""
    ws = tmp_path_factory.mktemp("docs")
    with chat_server() as server:
        env = {**os.environ, "NAPKIN_OPENAI_API_KEY": "sk-test", "OPENAI_API_KEY": "sk-test"}

        def napkin(cmd: str) -> None:
            r = _run(cmd, ws, env)
            assert r.returncode == 0, f"{cmd}\n{r.stdout}\n{r.stderr}"

        napkin("napkin data synth --n 6 --out datasets/synth --variants screenshot,wireframe,sketch --seed 0")
        napkin("napkin data unpack datasets/synth -o bench/synth --limit 50")
        shots = sorted((ws / "bench/synth/screenshots").glob("*.png"))
        sketches = sorted(p for p in (ws / "bench/synth/sketches").iterdir() if p.suffix in (".png", ".jpg"))
        assert shots and sketches
        shutil.copyfile(shots[0], ws / "shot.png")
        shutil.copyfile(shots[0], ws / "ref.png")
        shutil.copyfile(shots[0].with_suffix(".html"), ws / "ref.html")
        Image.open(sketches[0]).convert("RGB").save(ws / "drawing.png")
        Image.open(sketches[0]).convert("RGB").save(ws / "sketch.jpg", quality=90)
        for name, pictures in (("shots", shots), ("screenshots", shots), ("sketches", sketches)):
            (ws / name).mkdir()
            for p in pictures:
                shutil.copyfile(p, ws / name / p.name)
        (ws / "pages").mkdir()
        for p in shots:
            shutil.copyfile(p.with_suffix(".html"), ws / "pages" / f"{p.stem}.html")
        shutil.copyfile(shots[0].with_suffix(".html"), ws / "page.html")
        write_warc(ws / "crawl.warc.gz", [(f"https://synth.example/{p.stem}", "text/html; charset=utf-8",
                                           p.with_suffix(".html").read_bytes()) for p in shots])
        napkin("napkin generate shot.png -o pred.html")
        napkin("napkin generate bench/synth/screenshots -o out/pred --kind screenshot")
        with open(ws / "preds.jsonl", "w") as f:
            for p in sorted((ws / "out/pred").glob("*.html")):
                f.write(json.dumps({"image_id": p.stem, "code": p.read_text(), "model": "napkin-embedded"}) + "\n")
        save_tiny_clip(ws / "tiny-clip")
        server.default = _judge_or_page((ws / "ref.html").read_text())
        yield ws, env, server.url, server


def test_every_example_is_run_or_says_why_not():
    documented = {c for _, commands in RECIPES for c in commands}
    assert set(NOT_RUN) <= documented, f"listed as not run but gone from the docs: {set(NOT_RUN) - documented}"
    runnable = [c for c in documented if c not in NOT_RUN]
    assert all(c.startswith(("napkin ", "export ")) for c in runnable), \
        [c for c in runnable if not c.startswith(("napkin ", "export "))]
    assert len(RECIPES) >= 15  # the docs are read: README and docs/ hold this many shell recipes


@pytest.mark.parametrize("where,commands", RECIPES, ids=[w for w, _ in RECIPES])
def test_shell_example(where, commands, workspace, tmp_path):
    made, env, url, server = workspace
    ws = tmp_path / "ws"  # each recipe in its own copy: two recipes may write the same folder
    shutil.copytree(made, ws, symlinks=True)
    for cmd in commands:
        if cmd in NOT_RUN:
            continue
        if cmd.startswith("export "):
            key, _, value = cmd.removeprefix("export ").partition("=")
            env = {**env, key: value}
            continue
        real = _runnable(cmd, ws, url)
        asked = len(server.requests)
        r = _run(real, ws, env)
        assert r.returncode == 0, f"{where}: {cmd}\nran as: {real}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
        assert "Traceback" not in r.stderr, f"{where}: {cmd}\n{r.stderr[-3000:]}"
        if "--backend openai" in cmd or "--judge-url" in cmd:
            assert len(server.requests) > asked, f"{where}: {cmd} never asked the model server"
        if "--judge-url" in cmd:
            out = Path(ws, real.split(" -o ", 1)[1].split()[0])
            judged = json.loads((out / "summary.json").read_text())["aggregates"]
            assert judged["judge_overall"]["n"] > 0, f"{where}: {cmd}: no page was judged"


PYTHON = [(f"README.md:{line}", code) for line, code in _blocks(ROOT / "README.md", "python")]


@pytest.mark.parametrize("where,code", PYTHON, ids=[w for w, _ in PYTHON])
def test_python_example(where, code, workspace, monkeypatch):
    ws = workspace[0]
    monkeypatch.chdir(ws)
    pages = [p.read_text() for p in sorted((ws / "pages").glob("*.html"))[:3]]
    scope = {"pages": pages, "html": pages[0]}
    exec(compile(code, where, "exec"), scope)  # noqa: S102 - the README's own example
