"""Architectures as data: one small JSON file per model under `configs/`, and the factory over them."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from napkin.errors import ConfigError

_CONFIGS = resources.files("napkin.model") / "configs"


def list_models() -> list[str]:
    """Names of the registered model configs."""
    return sorted(p.name.removesuffix(".json") for p in _CONFIGS.iterdir() if p.name.endswith(".json"))


def model_config(name_or_path: str | Path, **overrides: Any) -> dict[str, Any]:
    """The config of a registered model (by name) or of a JSON file, with `overrides` applied."""
    path = Path(name_or_path)
    if path.suffix == ".json" and path.exists():
        text = path.read_text()
    else:
        entry = _CONFIGS / f"{name_or_path}.json"
        if not entry.is_file():
            raise ConfigError(f"unknown model {name_or_path!r}; registered: {', '.join(list_models())} (or pass a .json config file)")
        text = entry.read_text()
    data: dict[str, Any] = json.loads(text)
    data.pop("description", None)
    data.update(overrides)
    return data
