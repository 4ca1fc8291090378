"""`generate`: one picture in, one page out, with any backend."""

from __future__ import annotations

import time
from typing import Any

from napkin.errors import ConfigError
from napkin.generate._image import ImageSource, read_image
from napkin.generate._types import Generator, Result, check_kind

BACKENDS = ("embedded", "learned", "openai")
# Options of the remote backend that are settings (the rest are objects: renderer, scorer, client).
_OPENAI_OBJECTS = ("renderer", "scorer", "client")


def make_generator(backend: str = "embedded", **options: Any) -> Generator:
    """A backend by name. Options: `analyzer`, `ocr` (embedded, learned), `model` (learned); `config`, `settings` or any
    `OpenAISettings` field (model, base_url, api_key, n, repair_rounds, timeout, ...), and
    `renderer`, `scorer`, `client` (openai)."""
    if backend == "embedded":
        from napkin.generate._embedded import EmbeddedGenerator

        unknown = set(options) - {"analyzer", "ocr"}
        if unknown:
            raise ConfigError(f"the embedded backend takes no options {sorted(unknown)}; they belong to --backend openai")
        return EmbeddedGenerator(analyzer=options.get("analyzer"), ocr=options.get("ocr") or "tesseract")
    if backend == "learned":
        from napkin.generate._embedded import EmbeddedGenerator

        unknown = set(options) - {"analyzer", "model", "ocr"}
        if unknown:
            raise ConfigError(f"the learned backend takes no options {sorted(unknown)} (only model, the parser's stem, and ocr)")
        return EmbeddedGenerator(analyzer=options.get("analyzer"), learned=True, model=options.get("model"),
                                 ocr=options.get("ocr") or "tesseract")
    if backend == "openai":
        from napkin.generate._config import openai_settings
        from napkin.generate._openai import OpenAIGenerator

        objects = {k: options.pop(k) for k in _OPENAI_OBJECTS if k in options}
        settings = options.pop("settings", None)
        config = options.pop("config", None)
        if settings is None:
            settings = openai_settings(config=config, **options)
        elif options:
            raise ConfigError(f"pass either settings or separate options, not both ({sorted(options)})")
        return OpenAIGenerator(settings, **objects)
    raise ConfigError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")


def generate(image: ImageSource, backend: str | Generator = "embedded", kind: str = "auto", max_pixels: int | None = None,
             **options: Any) -> Result:
    """Turn a picture of an interface (path, bytes, file or PIL image) into an HTML page.

        >>> from napkin.generate import generate                          # doctest: +SKIP
        >>> result = generate("shot.png")                                 # offline: vision + emit
        >>> result.html, result.tree, result.timings["total"]
        >>> generate("sketch.jpg", backend="openai", kind="sketch", model="qwen2.5vl:7b",
        ...          base_url="http://localhost:11434/v1", n=3)

    `backend` is a name ("embedded", "openai") or a `Generator`; `options` configure a named
    backend (see `make_generator`). Raises InputError for a picture that cannot be used,
    BackendError when the backend fails, ConfigError for bad options. `max_pixels` moves the
    size limit on pictures (default 50 megapixels).
    """
    checked = check_kind(kind)
    t0 = time.perf_counter()
    picture, notes = read_image(image, max_pixels)
    t_load = time.perf_counter() - t0
    if isinstance(backend, str):
        gen = make_generator(backend, **options)
        try:
            result = gen.generate(picture, checked)
        finally:
            gen.close()
    else:
        if options:
            raise ConfigError(f"options {sorted(options)} only apply to a backend given by name")
        result = backend.generate(picture, checked)
    # The embedded backend's analysis repeats the picture's warnings; say each once.
    result.warnings = notes + [w for w in result.warnings if w not in notes]
    result.timings["load"] = t_load
    result.timings["total"] = result.timings.get("total", 0.0) + t_load
    return result
