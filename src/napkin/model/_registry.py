"""Architectures as data: one small JSON file per model under `configs/`, and the factory over them."""

from __future__ import annotations

import dataclasses
import json
from importlib import resources
from pathlib import Path
from typing import Any, Self

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


class DictConfig:
    """For a model's config dataclass: to and from the JSON dict a checkpoint and an export carry.
    `from_dict` ignores keys it does not know (a registry file's description, a newer field)."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        known = cls.__dataclass_fields__  # type: ignore[attr-defined]
        return cls(**{k: v for k, v in data.items() if k in known})

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload]
