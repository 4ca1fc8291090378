"""Instruction and question-answer export: conversations, not captions.

Every dataset row becomes conversations about its image: code generation with varied
instructions (from a screenshot, a sketch or a wireframe; the whole page or one region) and
multi-turn webpage-understanding dialogues whose answers are verified against the page's
layout tree. Two formats: LLaVA JSON and the Hugging Face TRL vision format (Parquet with
`messages` and `images`), each split into train and validation by sample, so the variants of
one page never straddle the split.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import shutil
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from napkin._extras import require
from napkin._files import write_atomic, write_json, write_jsonl
from napkin.data._pipeline import Context, Executor, Extra, RunOptions, run_job, shard_name
from napkin.data._qa import QA, make_questions
from napkin.errors import ConfigError, InputError
from napkin.layout import Node, Theme, emit_html

IMAGE_TOKEN = "<image>"
MAX_CODE_CHARS = 40_000  # longer pages make poor single-turn targets; they still get questions

_CODE_PROMPTS = {
    "screenshot": [
        "Write the HTML and CSS that reproduce this web page.",
        "Turn this screenshot into a single self-contained HTML file.",
        "Recreate this page in clean, editable HTML and CSS. Use flexbox or grid, not absolute positioning.",
        "Here is a screenshot of a website. Give me its code.",
        "Build this page. One HTML file, CSS in a <style> tag.",
    ],
    "sketch": [
        "Here is a hand-drawn sketch of a web page. Build it as HTML and CSS.",
        "Turn this napkin sketch into a working web page.",
        "I drew this layout on paper. Write the HTML/CSS for it; squiggles stand for text, crossed boxes for images.",
        "Make a real page out of this sketch.",
    ],
    "wireframe": [
        "Convert this wireframe into a working HTML page.",
        "Implement this wireframe in HTML and CSS; gray boxes are placeholders.",
        "Write the page this wireframe describes.",
    ],
}
_REGION_PROMPTS = [
    "Write the HTML and CSS for just this part of a page.",
    "This is one section of a website. Code it as a standalone page.",
    "Reproduce this page section in HTML/CSS.",
]
_FORMATS = ("llava", "trl")
# The columns conversations are made of (not boxes, tokens or hashes).
_COLUMNS = ["id", "sample_id", "source", "variant", "image", "width", "height", "html", "layout", "metadata"]


@dataclass(slots=True)
class ExportSummary:
    out: Path
    conversations: Counter[str] = field(default_factory=Counter)  # split -> count
    kinds: Counter[str] = field(default_factory=Counter)  # code, region, qa
    templates: Counter[str] = field(default_factory=Counter)
    rejected_questions: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    audit: list[dict[str, Any]] = field(default_factory=list)  # every question with its evidence

    def to_json(self) -> dict[str, Any]:
        return {"conversations": dict(self.conversations), "kinds": dict(self.kinds), "templates": dict(self.templates),
                "rejected_questions": self.rejected_questions, "skipped": dict(self.skipped)}


def split_of(sample_id: str, val_fraction: float) -> str:
    h = int(hashlib.sha1(sample_id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "val" if h < val_fraction else "train"


def _conversation(cid: str, image: str, turns: list[tuple[str, str]]) -> dict[str, Any]:
    conv = []
    for k, (q, a) in enumerate(turns):
        conv.append({"from": "human", "value": f"{IMAGE_TOKEN}\n{q}" if k == 0 else q})
        conv.append({"from": "gpt", "value": a})
    return {"id": cid, "image": image, "conversations": conv}


def _trl_messages(conv: dict[str, Any]) -> list[dict[str, Any]]:
    """A LLaVA conversation's turns as TRL messages: typed content, the image in the first user turn."""
    messages = []
    for k, turn in enumerate(conv["conversations"]):
        if turn["from"] == "human":
            text = turn["value"].removeprefix(IMAGE_TOKEN + "\n") if k == 0 else turn["value"]
            content = ([{"type": "image", "text": None}] if k == 0 else []) + [{"type": "text", "text": text}]
            messages.append({"role": "user", "content": content})
        else:
            messages.append({"role": "assistant", "content": [{"type": "text", "text": turn["value"]}]})
    return messages


Box = tuple[float, float, float, float]


def conversations_for(row: dict[str, Any], rng: random.Random, qa_turns: int,
                      summary: ExportSummary) -> Iterator[tuple[str, Box | None, list[tuple[str, str]]]]:
    """(kind, region box to crop the image to or None, turns) for one row."""
    variant = row.get("variant") or "screenshot"
    html = row.get("html") or ""
    if html and len(html) <= MAX_CODE_CHARS:
        yield "code", None, [(rng.choice(_CODE_PROMPTS.get(variant, _CODE_PROMPTS["screenshot"])), html)]
    elif html:
        summary.skipped["code_too_long"] += 1
    try:
        tree = Node.from_json(json.loads(row.get("layout") or "{}"))
    except (InputError, json.JSONDecodeError):
        summary.skipped["no_layout"] += 1
        return
    meta = json.loads(row.get("metadata") or "{}")
    # Region code needs the exact tree and theme the page was made from: synthetic pages only.
    # Datasets written before the synth metadata carried the whole theme (only its name) have none.
    theme_json = meta.get("theme")
    if row.get("source") == "synth" and variant == "screenshot" and not isinstance(theme_json, dict):
        summary.skipped["no_theme"] += 1
    elif row.get("source") == "synth" and variant == "screenshot":
        sections = [c for c in tree.children if c.box is not None and c.box[3] >= 80 and c.box[1] + c.box[3] <= (row.get("height") or 0)]
        if sections and rng.random() < 0.5:
            section = rng.choice(sections)
            region = Node("page", attrs=dict(tree.attrs), children=[section.without_boxes()])
            yield "region", section.box, [(rng.choice(_REGION_PROMPTS), emit_html(region, Theme.from_json(theme_json)))]
    if variant == "screenshot":
        rejected: list[QA] = []
        questions = make_questions(tree, rng, qa_turns, max_y=float(row.get("height") or 0) or None, rejected=rejected)
        summary.rejected_questions += len(rejected)
        for qa in questions:
            summary.templates[qa.template] += 1
        if questions:
            summary.audit.extend({"row": row["id"], "template": qa.template, "question": qa.question, "answer": qa.answer,
                                  "evidence": qa.evidence} for qa in questions)
            yield "qa", None, [(qa.question, qa.answer) for qa in questions]


def _crop_region(image: bytes, box: Box, css_width: float) -> bytes:
    _, y, _, h = box
    img = Image.open(io.BytesIO(image)).convert("RGB")
    scale = img.width / max(1.0, css_width)  # device pixels per CSS px
    crop = img.crop((0, int(y * scale), img.width, int((y + h) * scale)))
    buf = io.BytesIO()
    crop.save(buf, "PNG")
    return buf.getvalue()


def _css_width(row: dict[str, Any]) -> float:
    tree = json.loads(row.get("layout") or "{}")
    box = tree.get("box")
    return float(box[2]) if box else float(row.get("width") or 1280)


class ExportJob:
    """Export as a dataset job: one input shard per item, so it runs on any executor and resumes.

    Each shard's conversations go to `parts/` (LLaVA and audit records as JSONL streams, TRL
    records as Parquet, images straight into `images/`); `export` merges the parts in shard
    order, so the local executor and Ray write the same files.
    """

    name = "export"

    def __init__(self, dataset: Path, out: Path, formats: tuple[str, ...] = _FORMATS, val_fraction: float = 0.05,
                 seed: int = 0, qa_turns: int = 4) -> None:
        self.dataset, self.out = dataset.resolve(), out.resolve()
        self.formats, self.val_fraction, self.seed, self.qa_turns = tuple(formats), val_fraction, seed, qa_turns

    def config(self) -> dict[str, Any]:
        return {"dataset": str(self.dataset), "formats": list(self.formats), "val_fraction": self.val_fraction,
                "seed": self.seed, "qa_turns": self.qa_turns}

    unit = "row"

    def items(self) -> list[str]:
        return [p.name for p in sorted((self.dataset / "data").glob("*.parquet"))]

    def units(self, items: Sequence[str]) -> int:
        """Rows in these input shards (from the Parquet footers): the progress bar counts rows, not shards."""
        import pyarrow.parquet as pq

        return sum(pq.ParquetFile(self.dataset / "data" / name).metadata.num_rows for name in items)

    def process(self, shard: int, items: Sequence[str], ctx: Context) -> Iterator[Extra]:
        from napkin.data._shards import read_parquet

        summary = ExportSummary(self.out)
        trl: dict[str, list[dict[str, Any]]] = {"train": [], "val": []}
        for name in items:
            for row in read_parquet(self.dataset / "data" / name, _COLUMNS).to_pylist():
                ctx.item_done()
                for split, conv, img_bytes in self._row(row, summary):
                    if "llava" in self.formats:
                        yield Extra(f"llava-{split}", conv)
                    if "trl" in self.formats:
                        trl[split].append({"id": conv["id"], "messages": _trl_messages(conv),
                                           "images": [{"bytes": img_bytes, "path": None}]})
        if "trl" in self.formats:
            for split, records in trl.items():
                if records:
                    _write_trl(self.out / "parts" / f"trl-{split}" / f"{shard_name(shard)}.parquet", records)
        for record in summary.audit:
            yield Extra("qa", record)
        yield Extra("summary", summary.to_json())

    def _row(self, row: dict[str, Any], summary: ExportSummary) -> Iterator[tuple[str, dict[str, Any], bytes]]:
        """(split, LLaVA conversation, image bytes) for each conversation about one row."""
        image = (row.get("image") or {}).get("bytes")
        if not image:
            summary.skipped["no_image"] += 1
            return
        rng = random.Random(f"{self.seed}:{row['id']}")
        split = split_of(row.get("sample_id") or row["id"], self.val_fraction)
        ext = "jpg" if image[:3] == b"\xff\xd8\xff" else "png"
        name = f"images/{row['id']}.{ext}"
        write_atomic(self.out / name, image)
        for k, (kind, region, turns) in enumerate(conversations_for(row, rng, self.qa_turns, summary)):
            img_name, img_bytes = name, image
            if region is not None:
                img_bytes = _crop_region(image, region, _css_width(row))
                img_name = f"images/{row['id']}-r{k}.png"
                write_atomic(self.out / img_name, img_bytes)
            cid = f"{row['id']}-{kind}-{k}"
            summary.conversations[split] += 1
            summary.kinds[kind] += 1
            yield split, _conversation(cid, img_name, turns), img_bytes


def export(dataset: Path, out: Path, formats: tuple[str, ...] = _FORMATS, val_fraction: float = 0.05, seed: int = 0,
           qa_turns: int = 4, progress: bool = True, executor: Executor | None = None) -> ExportSummary:
    """Write LLaVA and/or TRL conversations for every row of a dataset folder.

    Runs shard by shard on `executor` (this process by default, or `RayExecutor()`); a killed
    export resumes where it stopped when run again with the same arguments.
    """
    unknown = set(formats) - set(_FORMATS)
    if unknown:
        raise ConfigError(f"unknown export formats {sorted(unknown)}; use {', '.join(_FORMATS)}")
    if not (dataset / "data").is_dir():
        raise InputError(f"{dataset} is not a Napkin dataset (no data/ folder)")
    if not 0 <= val_fraction < 1:
        raise ConfigError("the validation fraction must be in [0, 1)")
    out.mkdir(parents=True, exist_ok=True)
    (out / "images").mkdir(exist_ok=True)
    job = ExportJob(dataset, out, formats, val_fraction, seed, qa_turns)
    done = _finished(out, job.config())
    if done is not None:
        return done
    parts = out / "parts"
    run_job(job, parts, RunOptions(shard_size=1, progress=progress, dedupe=False), executor)

    summary = ExportSummary(out)
    for record in _read_stream(parts / "summary"):
        summary.conversations.update(record["conversations"])
        summary.kinds.update(record["kinds"])
        summary.templates.update(record["templates"])
        summary.skipped.update(record["skipped"])
        summary.rejected_questions += record["rejected_questions"]
    if "llava" in formats:
        (out / "llava").mkdir(exist_ok=True)
        for split in ("train", "val"):
            convs = list(_read_stream(parts / f"llava-{split}"))
            write_json(out / "llava" / f"{split}.json", convs, indent=1)
    if "trl" in formats:
        for split in ("train", "val"):
            _merge_parquet(sorted((parts / f"trl-{split}").glob("*.parquet")), out / "trl" / f"{split}.parquet")
    summary.audit = list(_read_stream(parts / "qa"))
    write_jsonl(out / "qa.jsonl", summary.audit)
    # Last: the record that the export is complete. Then the TRL parts (the images a second
    # time) go; a run with the same arguments returns at once from now on.
    write_json(out / "export.json", {**summary.to_json(), "config": job.config(), "complete": True})
    for split in ("train", "val"):
        shutil.rmtree(parts / f"trl-{split}", ignore_errors=True)
    return summary


def _finished(out: Path, config: dict[str, Any]) -> ExportSummary | None:
    """The summary of a complete export with this configuration in `out`, if there is one."""
    try:
        record = json.loads((out / "export.json").read_text())
    except (OSError, json.JSONDecodeError):
        return None
    if not record.get("complete"):
        return None
    if record.get("config") != config:
        raise ConfigError(f"{out} holds an export with other settings; use a new folder, or delete this one to start over")
    summary = ExportSummary(out, Counter(record["conversations"]), Counter(record["kinds"]), Counter(record["templates"]),
                            record["rejected_questions"], Counter(record["skipped"]))
    summary.audit = list(_read_stream_file(out / "qa.jsonl"))
    return summary


def _read_stream(folder: Path) -> Iterator[dict[str, Any]]:
    for path in sorted(folder.glob("*.jsonl")):
        yield from _read_stream_file(path)


def _read_stream_file(path: Path) -> Iterator[dict[str, Any]]:
    with path.open() as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def _merge_parquet(parts: list[Path], path: Path) -> None:
    """Concatenate Parquet parts into one file, a part at a time (memory stays at one part)."""
    pq = require("pyarrow.parquet", "data")
    if not parts:
        _write_trl(path, [])
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    writer = None
    try:
        for part in parts:
            table = pq.read_table(part)
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
            writer.write_table(table, row_group_size=64)
    finally:
        if writer is not None:
            writer.close()
    os.replace(tmp, path)


def _write_trl(path: Path, records: list[dict[str, Any]]) -> None:
    pa = require("pyarrow", "data")
    from napkin.data._shards import write_table

    text = pa.struct([("type", pa.string()), ("text", pa.string())])
    schema = pa.schema(
        [
            ("id", pa.string()),
            ("messages", pa.list_(pa.struct([("role", pa.string()), ("content", pa.list_(text))]))),
            ("images", pa.list_(pa.struct([("bytes", pa.binary()), ("path", pa.string())]))),
        ],
        metadata={b"huggingface": json.dumps({"info": {"features": {
            "id": {"dtype": "string", "_type": "Value"},
            "messages": {"feature": {"role": {"dtype": "string", "_type": "Value"}, "content": {"feature": {
                "type": {"dtype": "string", "_type": "Value"}, "text": {"dtype": "string", "_type": "Value"}}, "_type": "List"}},
                "_type": "List"},
            "images": {"feature": {"_type": "Image"}, "_type": "List"},
        }}}).encode()},
    )
    cols = {name: [r[name] for r in records] for name in schema.names}
    write_table(path, pa.Table.from_pydict(cols, schema=schema))
