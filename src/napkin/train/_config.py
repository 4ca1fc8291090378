"""Typed training configs: a dataclass, read from a TOML file, with `--set key=value` on top."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from napkin.errors import ConfigError


@dataclass
class TrainConfig:
    task: str = "embedding"
    model: str = "ui-embed-s"  # a registered model (napkin.model.list_models()) or a .json config
    model_overrides: dict[str, Any] = field(default_factory=dict)  # e.g. {"widths": [8, 16]}
    steps: int = 4000
    batch_size: int = 48  # pages per step; the embedding sees two pictures and one text of each
    lr: float = 2e-3
    weight_decay: float = 0.05
    warmup: int = 200  # linear warm-up steps, then cosine decay to lr / 20
    grad_clip: float = 1.0
    eval_every: int = 250
    checkpoint_every: int = 100  # a kill loses at most this many steps
    log_every: int = 10
    seed: int = 0
    threads: int = 2  # torch intra-op threads: the machine's cores
    val_fraction: float = 0.03  # pages of the training dataset kept apart for evaluation during training
    val_max: int = 512
    # Contrastive task: weights of the picture-text and picture-picture (sketch vs screenshot) losses.
    image_text_weight: float = 1.0
    image_image_weight: float = 1.0
    shift: int = 6  # random translation (pixels) of each training picture

    @classmethod
    def from_file(cls, path: str | Path | None, sets: list[str] | tuple[str, ...] = ()) -> TrainConfig:
        """Defaults, then the TOML file (a path, or the name of a shipped config), then each `key=value`."""
        data: dict[str, Any] = {}
        if path is not None:
            data = _read(path)
        cfg = cls()
        names = {f.name: f for f in dataclasses.fields(cls)}
        for key, value in data.items():
            if key not in names:
                raise ConfigError(f"unknown setting {key!r} in {path}; known: {', '.join(names)}")
            setattr(cfg, key, _coerce(names[key], value, key))
        for item in sets:
            key, sep, raw = item.partition("=")
            key = key.strip()
            if not sep:
                raise ConfigError(f"--set expects key=value, got {item!r}")
            if key.startswith("model_overrides."):
                cfg.model_overrides = {**cfg.model_overrides, key.split(".", 1)[1]: _parse(raw)}
                continue
            if key not in names:
                raise ConfigError(f"unknown setting {key!r} in --set; known: {', '.join(names)}")
            setattr(cfg, key, _coerce(names[key], _parse(raw), key))
        cfg.validate()
        return cfg

    def validate(self) -> None:
        for name in ("steps", "batch_size", "eval_every", "checkpoint_every", "log_every", "threads"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1 (got {getattr(self, name)})")
        if self.batch_size < 2:
            raise ConfigError("batch_size must be at least 2: contrastive training needs negatives in the batch")
        if not 0 < self.lr < 1:
            raise ConfigError(f"lr must be in (0, 1), got {self.lr}")
        if not 0 <= self.val_fraction < 0.5:
            raise ConfigError(f"val_fraction must be in [0, 0.5), got {self.val_fraction}")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def shipped_configs() -> list[str]:
    return sorted(p.name.removesuffix(".toml") for p in (resources.files("napkin.train") / "configs").iterdir() if p.name.endswith(".toml"))


def _read(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    if not p.exists():
        entry = resources.files("napkin.train") / "configs" / f"{path}.toml"
        if not entry.is_file():
            raise ConfigError(f"no config file {path} (and no shipped config of that name; shipped: {', '.join(shipped_configs())})")
        text = entry.read_text()
    else:
        text = p.read_text()
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc


def _parse(raw: str) -> Any:
    raw = raw.strip()
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw  # a bare string: model=ui-embed-tiny


def _coerce(f: dataclasses.Field[Any], value: Any, key: str) -> Any:
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    try:
        if kind == "int":
            if isinstance(value, float) and not value.is_integer():
                raise ValueError
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "str":
            return str(value)
        if kind.startswith("dict"):
            if not isinstance(value, dict):
                raise ValueError
            return value
    except (TypeError, ValueError):
        raise ConfigError(f"setting {key!r} expects {kind}, got {value!r}") from None
    return value
