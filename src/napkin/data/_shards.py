"""Shard files: Parquet (readable by pyarrow and Hugging Face `datasets`) and WebDataset tars."""

from __future__ import annotations

import io
import json
import os
import tarfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from napkin._extras import require

# Columns of an image dataset row. `image` is stored as Hugging Face's Image struct (bytes and
# path), declared in the schema metadata, so `datasets` decodes it to a PIL image by itself.
ROW_FIELDS: dict[str, str] = {
    "id": "string",
    "sample_id": "string",
    "source": "string",
    "page_type": "string",
    "variant": "string",
    "viewport": "string",
    "image": "image",
    "width": "int32",
    "height": "int32",
    "html": "string",
    "layout": "string",
    "tokens": "string",
    "boxes": "boxes",
    "metadata": "string",
    "content_hash": "string",
}


def row_schema() -> Any:
    pa = require("pyarrow", "data")
    types = {
        "string": pa.string(),
        "int32": pa.int32(),
        "image": pa.struct([("bytes", pa.binary()), ("path", pa.string())]),
        "boxes": pa.list_(
            pa.struct([("kind", pa.string()), ("x", pa.float32()), ("y", pa.float32()), ("w", pa.float32()),
                       ("h", pa.float32()), ("text", pa.string())])
        ),
    }
    hf_features: dict[str, Any] = {}
    for name, kind in ROW_FIELDS.items():
        if kind == "image":
            hf_features[name] = {"_type": "Image"}
        elif kind == "boxes":
            hf_features[name] = [{
                "kind": {"dtype": "string", "_type": "Value"}, "x": {"dtype": "float32", "_type": "Value"},
                "y": {"dtype": "float32", "_type": "Value"}, "w": {"dtype": "float32", "_type": "Value"},
                "h": {"dtype": "float32", "_type": "Value"}, "text": {"dtype": "string", "_type": "Value"},
            }]
        else:
            hf_features[name] = {"dtype": kind, "_type": "Value"}
    meta = {b"huggingface": json.dumps({"info": {"features": hf_features}}).encode()}
    return pa.schema([(name, types[kind]) for name, kind in ROW_FIELDS.items()], metadata=meta)


def write_parquet(path: Path, rows: Sequence[dict[str, Any]], schema: Any | None = None) -> int:
    """Write rows atomically (a temporary file renamed into place). Returns the file size."""
    pa = require("pyarrow", "data")
    schema = schema if schema is not None else row_schema()
    columns = {name: [r.get(name) for r in rows] for name in schema.names}
    return write_table(path, pa.Table.from_pydict(columns, schema=schema))


def write_table(path: Path, table: Any) -> int:
    """Write a pyarrow table atomically. Returns the file size."""
    pq = require("pyarrow.parquet", "data")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    # Images are already compressed; small row groups keep random access cheap.
    pq.write_table(table, tmp, compression="zstd", row_group_size=64)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return path.stat().st_size


def read_parquet(path: Path, columns: list[str] | None = None) -> Any:
    pq = require("pyarrow.parquet", "data")
    return pq.read_table(path, columns=columns)


def iter_rows(folder: Path, columns: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every row of every shard under `folder/data`, in shard order."""
    for shard in sorted((folder / "data").glob("*.parquet")):
        table = read_parquet(shard, columns)
        yield from table.to_pylist()


def write_webdataset(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    """A WebDataset tar: per row `<key>.<png|jpg>`, `<key>.html` and `<key>.json` (everything else)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tarfile.open(tmp, "w") as tar:
        for row in rows:
            key = row["id"].replace(".", "_")
            image = row.get("image") or {}
            data = image.get("bytes") if isinstance(image, dict) else None
            members: list[tuple[str, bytes]] = []
            if data:
                ext = "jpg" if data[:3] == b"\xff\xd8\xff" else "png"
                members.append((f"{key}.{ext}", data))
            if row.get("html"):
                members.append((f"{key}.html", row["html"].encode()))
            rest = {k: v for k, v in row.items() if k not in ("image", "html")}
            members.append((f"{key}.json", json.dumps(rest, ensure_ascii=False).encode()))
            for name, blob in members:
                info = tarfile.TarInfo(name)
                info.size = len(blob)
                info.mtime = 0  # reproducible archives
                tar.addfile(info, io.BytesIO(blob))
    os.replace(tmp, path)
