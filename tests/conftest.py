from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image

from napkin.render import ChromiumRenderer, Render


@pytest.fixture(scope="session")
def renderer() -> Iterator[ChromiumRenderer]:
    """One real Chromium pool for the whole run; tests that break browsers make their own."""
    with ChromiumRenderer(concurrency=2) as r:
        yield r


def image_of(result: Render) -> Image.Image:
    assert result.image is not None, result.message
    return Image.open(io.BytesIO(result.image)).convert("RGB")


def has_color(img: Image.Image, rgb: tuple[int, int, int]) -> bool:
    import numpy as np

    return bool((np.asarray(img.convert("RGB")) == np.array(rgb, dtype=np.uint8)).all(axis=-1).any())


def image_size(path) -> tuple[int, int]:
    with Image.open(path) as img:
        return img.size


def write_warc(path, records: list[tuple[str, str, bytes]]) -> None:
    """A gzipped WARC of (url, content type, body) HTTP responses, as a crawler writes one."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=True)
        for url, ctype, body in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            w.write_record(record)
            record.raw_stream.close()  # warcio buffers the payload in a temporary file it does not close


def save_tiny_clip(folder) -> None:
    """A CLIP built from a config (random weights, a few layers) and saved the way a real one is shipped."""
    import transformers

    config = transformers.CLIPConfig(
        text_config={"hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2,
                     "vocab_size": 99, "max_position_embeddings": 16},
        vision_config={"hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2,
                       "image_size": 32, "patch_size": 8},
        projection_dim=8,
    )
    transformers.CLIPModel(config).save_pretrained(folder)
    transformers.CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32}).save_pretrained(folder)
