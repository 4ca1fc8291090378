"""Real HTML in: folders of pages and WARC files, cleaned, rendered into the same shards as synthetic data."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from napkin._extras import require
from napkin._files import HTML_SUFFIXES
from napkin.data._clean import Cleaned, Resolver, clean_html, same_folder_resolver
from napkin.data._pipeline import Context, Drop
from napkin.errors import InputError, NapkinError
from napkin.layout import from_dom, to_tokens
from napkin.render import Render, RenderOptions, parse_viewport

SOURCE_SUFFIXES = (*HTML_SUFFIXES, ".xhtml")  # pages to clean; XHTML is cleaned into HTML
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_MAX_RECORD = 8_000_000  # bytes of one HTML response read from a WARC
_MAX_CSS = 1_000_000


@dataclass(frozen=True, slots=True)
class Source:
    """One page to ingest: a file under a folder, or a record of a WARC file at a byte offset."""

    kind: str  # "file" or "warc"
    path: str
    offset: int = 0
    url: str = ""

    @property
    def id(self) -> str:
        key = f"{self.kind}:{self.path}:{self.offset}:{self.url}"
        return "r" + hashlib.sha1(key.encode()).hexdigest()[:16]


def find_sources(paths: Sequence[Path]) -> list[Source]:
    """HTML files (recursively) and HTML responses in WARC files, in a stable order."""
    sources: list[Source] = []
    for root in paths:
        if root.is_dir():
            for p in sorted(root.rglob("*")):
                if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES:
                    sources.append(Source("file", str(p)))
                elif p.is_file() and p.name.lower().endswith(WARC_SUFFIXES):
                    sources += _warc_sources(p)
        elif root.is_file() and root.name.lower().endswith(WARC_SUFFIXES):
            sources += _warc_sources(root)
        elif root.is_file():
            sources.append(Source("file", str(root)))
        else:
            raise InputError(f"{root} does not exist")
    if not sources:
        raise InputError(f"no HTML pages or WARC files found in {', '.join(map(str, paths))}")
    return sources


def _is_html_record(record: Any) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    ctype = (record.http_headers.get_header("Content-Type") or "").lower()
    return "html" in ctype and (record.http_headers.get_statuscode() or "") == "200"


def _warc_sources(path: Path) -> list[Source]:
    warcio = require("warcio.archiveiterator", "data")
    out = []
    with open(path, "rb") as f:
        it = warcio.ArchiveIterator(f)
        for record in it:
            if _is_html_record(record):
                out.append(Source("warc", str(path), it.get_record_offset(), record.rec_headers.get_header("WARC-Target-URI") or ""))
    return out


def _read_warc_record(path: str, offset: int) -> tuple[bytes, str]:
    warcio = require("warcio.archiveiterator", "data")
    with open(path, "rb") as f:
        f.seek(offset)
        record = next(iter(warcio.ArchiveIterator(f)))
        body = record.content_stream().read(_MAX_RECORD + 1)
        return body, record.rec_headers.get_header("WARC-Target-URI") or ""


@lru_cache(maxsize=8)
def _warc_stylesheets(path: str) -> dict[str, str]:
    """Every CSS response in a WARC file, by URL, so pages from the same crawl keep their styles."""
    warcio = require("warcio.archiveiterator", "data")
    sheets: dict[str, str] = {}
    with open(path, "rb") as f:
        for record in warcio.ArchiveIterator(f):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            if "text/css" in (record.http_headers.get_header("Content-Type") or "").lower():
                body = record.content_stream().read(_MAX_CSS + 1)
                if len(body) <= _MAX_CSS:
                    sheets[record.rec_headers.get_header("WARC-Target-URI") or ""] = body.decode("utf-8", errors="replace")
    return sheets


class IngestJob:
    """Clean real pages and render them: one screenshot row per page and viewport."""

    name = "ingest"

    def __init__(self, paths: Sequence[Path], viewports: Sequence[str] = ("desktop",), max_bytes: int = 2_000_000) -> None:
        from napkin.render import parse_viewport

        for vp in viewports:
            parse_viewport(vp)  # a typo fails here, before the browser starts or anything is written
        self.paths = [Path(p) for p in paths]
        self.viewports = list(viewports)
        self.max_bytes = max_bytes
        self._sources: list[Source] | None = None

    def config(self) -> dict[str, Any]:
        return {"paths": [str(p) for p in self.paths], "viewports": self.viewports, "max_bytes": self.max_bytes}

    def items(self) -> Sequence[Source]:
        if self._sources is None:
            self._sources = find_sources(self.paths)
        return self._sources

    def _load(self, src: Source) -> tuple[bytes, str, Resolver | None]:
        if src.kind == "warc":
            body, url = _read_warc_record(src.path, src.offset)
            sheets = _warc_stylesheets(src.path)
            return body, url, sheets.get
        path = Path(src.path)
        root = next((r for r in self.paths if r.is_dir() and path.is_relative_to(r)), path.parent)
        if path.stat().st_size > _MAX_RECORD:
            raise InputError(f"{path} is over {_MAX_RECORD / 1e6:.0f} MB")
        return path.read_bytes(), path.relative_to(root).as_posix(), same_folder_resolver(str(root))

    def process(self, shard: int, items: Sequence[Source], ctx: Context) -> Iterator[dict[str, Any] | Drop]:
        cleaned: list[tuple[Source, Cleaned, str]] = []
        for src in items:
            try:
                raw, url, resolve = self._load(src)
                if len(raw) > _MAX_RECORD:
                    raise InputError("the page is over the size limit")
                cleaned.append((src, clean_html(raw, base_url=url, resolve=resolve, max_bytes=self.max_bytes), url))
            except InputError as exc:
                yield Drop(src.id, "unusable_html", f"{src.path}: {exc}")
            except (OSError, NapkinError) as exc:
                yield Drop(src.id, "unreadable", f"{src.path}: {exc}")
        for viewport in self.viewports:
            options = RenderOptions(viewport=parse_viewport(viewport))
            renders = ctx.renderer.render_many([c.html for _, c, _ in cleaned], options)
            for (src, page, url), render in zip(cleaned, renders, strict=True):
                row_id = f"{src.id}-{viewport}"
                if not render.ok:
                    yield Drop(row_id, f"render_{render.failure}", render.message)
                    continue
                if render.blocked_requests:
                    # The cleaner missed a way out; never keep such a page.
                    yield Drop(row_id, "network_request", ", ".join(render.blocked_requests[:3]))
                    continue
                if is_blank(render):
                    yield Drop(row_id, "blank", "the cleaned page renders (nearly) blank")
                    continue
                yield page_row(row_id, src.id, "ingest", "real", "screenshot", viewport, page.html, render,
                               {"origin": url or src.path, "file": src.path, "removed": dict(page.removed),
                                "warnings": page.warnings + render.warnings})


def is_blank(render: Render, min_ink: float = 0.0002) -> bool:
    """Nearly one color everywhere: under `min_ink` of the pixels differ visibly from the commonest one."""
    np = require("numpy", "data")
    from PIL import Image

    if render.image is None:
        return True
    gray = np.asarray(Image.open(io.BytesIO(render.image)).convert("L"), dtype=np.int16)
    values, counts = np.unique(gray, return_counts=True)
    background = int(values[counts.argmax()])
    return float((np.abs(gray - background) > 16).mean()) < min_ink


def page_row(row_id: str, sample_id: str, source: str, page_type: str, variant: str, viewport: str, html: str,
             render: Render, metadata: dict[str, Any]) -> dict[str, Any]:
    """A dataset row for one rendered page, with its layout tree read back from the DOM."""
    tree = from_dom(render)
    return {
        "id": row_id,
        "sample_id": sample_id,
        "source": source,
        "page_type": page_type,
        "variant": variant,
        "viewport": viewport,
        "image": {"bytes": render.image, "path": None},
        "width": render.width,
        "height": render.height,
        "html": html,
        "layout": json.dumps(tree.to_json(), ensure_ascii=False),
        "tokens": " ".join(to_tokens(tree)),
        "boxes": [
            {"kind": n.kind, "x": n.box[0], "y": n.box[1], "w": n.box[2], "h": n.box[3], "text": n.text}
            for n in tree.walk() if n.box is not None and n.kind != "page"
        ],
        "metadata": json.dumps(metadata, ensure_ascii=False, sort_keys=True),
        "content_hash": hashlib.sha256(f"{variant}|{viewport}|{html}".encode()).hexdigest(),
    }
