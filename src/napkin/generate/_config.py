"""Settings of the remote backend, from flags, the environment and a TOML config file.

Precedence, highest first: explicit arguments (CLI flags, `--set`), NAPKIN_OPENAI_* variables,
the OpenAI SDK's own OPENAI_* variables, the config file, the defaults below. The config file is
`--config PATH`, else $NAPKIN_CONFIG, else $XDG_CONFIG_HOME/napkin/config.toml (usually
~/.config/napkin/config.toml) when it exists:

    [generate]
    backend = "openai"          # what `napkin generate` uses without --backend
    kind = "auto"

    [openai]
    base_url = "http://localhost:11434/v1"
    model = "qwen2.5vl:7b"
    n = 2
    repair_rounds = 2
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from napkin.errors import ConfigError


@dataclass(frozen=True, slots=True)
class OpenAISettings:
    """How to reach an OpenAI-compatible chat-completions endpoint, and how hard to try."""

    # The OpenAI SDK's default; Ollama is http://localhost:11434/v1, vLLM http://localhost:8000/v1.
    base_url: str = "https://api.openai.com/v1"
    model: str = ""
    api_key: str | None = field(default=None, repr=False)  # never in logs or reprs
    # Seconds without a byte from the server before giving up. Generous: a 7B vision model on a
    # CPU takes a minute to read a screenshot before its first token. A whole streamed answer
    # may take up to 10x this as long as tokens keep coming.
    timeout: float = 180.0
    n: int = 1  # candidates (best-of-n); each is an independent request
    # Rounds of render-and-fix per candidate. Two fix almost every JavaScript error; a third
    # rarely helps and costs a full page of tokens.
    repair_rounds: int = 2
    temperature: float | None = None  # None: the server's default (sent only when set)
    max_tokens: int | None = None  # None: the server's default (sent only when set)
    stream: bool = True
    max_retries: int = 2  # on 429, 5xx and refused connections
    max_retry_wait: float = 60.0  # a Retry-After longer than this fails at once
    # Longest image side sent. Hosted APIs scale larger images down anyway (OpenAI to 2048).
    image_max_side: int = 2048
    parallel: int = 4  # candidates requested at once

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"base URL {self.base_url!r} must start with http:// or https:// (e.g. http://localhost:11434/v1)")
        if not 1 <= self.n <= 16:
            raise ConfigError(f"n (candidates) must be between 1 and 16, not {self.n}")
        if not 0 <= self.repair_rounds <= 10:
            raise ConfigError(f"repair rounds must be between 0 and 10, not {self.repair_rounds}")
        if self.timeout <= 0 or self.max_retry_wait < 0 or self.max_retries < 0:
            raise ConfigError("timeout must be positive; retries and retry waits cannot be negative")
        if self.parallel < 1 or self.image_max_side < 64:
            raise ConfigError("parallel must be at least 1 and image_max_side at least 64")
        if self.max_tokens is not None and self.max_tokens < 1:
            raise ConfigError("max_tokens must be positive")

    @property
    def endpoint(self) -> str:
        return self.base_url.rstrip("/") + "/chat/completions"

    def require_model(self) -> None:
        if not self.model:
            raise ConfigError(
                "no model named for the openai backend: pass --model (e.g. --model qwen2.5vl:7b), "
                "set NAPKIN_OPENAI_MODEL, or add model = \"...\" under [openai] in the config file"
            )


_TYPES: dict[str, type] = {f.name: type(f.default) for f in fields(OpenAISettings)}
_TYPES.update(api_key=str, temperature=float, max_tokens=int)

_TYPE_NAMES = {int: "an integer", float: "a number", bool: "true or false", str: "a string"}

ENV = {
    "base_url": ("NAPKIN_OPENAI_BASE_URL", "OPENAI_BASE_URL"),
    "model": ("NAPKIN_OPENAI_MODEL",),
    "api_key": ("NAPKIN_OPENAI_API_KEY", "OPENAI_API_KEY"),
}
_GENERATE_KEYS = {"backend", "kind"}


def config_path(explicit: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None) -> Path | None:
    """The config file in use, or None. An explicitly named file must exist."""
    env = os.environ if env is None else env
    named = explicit or env.get("NAPKIN_CONFIG")
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise ConfigError(f"config file {path} does not exist")
        return path
    base = Path(env.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    default = base / "napkin" / "config.toml"
    return default if default.is_file() else None


def read_config(path: Path | None) -> dict[str, Any]:
    """The parsed TOML file (empty without one), with its sections checked."""
    if path is None:
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"could not read config file {path}: {exc}") from exc
    for section, known in (("generate", _GENERATE_KEYS), ("openai", set(_TYPES))):
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [{section}] must be a table")
        unknown = set(table) - known
        if unknown:
            raise ConfigError(f"{path}: unknown keys in [{section}]: {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
    return data


def coerce(key: str, value: Any, where: str) -> Any:
    """A setting's value as its field's type; strings (from env or --set) are parsed."""
    if key not in _TYPES:
        raise ConfigError(f"{where}: unknown openai setting {key!r}; known: {', '.join(sorted(_TYPES))}")
    kind = _TYPES[key]
    if value is None:
        return None
    try:
        if kind is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ValueError(value)
        if kind is int:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError(value)
            return int(value)
        if kind is float:
            if isinstance(value, bool):
                raise ValueError(value)
            return float(value)
        if not isinstance(value, str):
            raise ValueError(value)
        return value
    except ValueError:
        raise ConfigError(f"{where}: {key} must be {_TYPE_NAMES[kind]}, not {value!r}") from None


def parse_assignments(items: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """`--set key=value` items as settings."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"--set needs key=value, not {item!r} (e.g. --set temperature=0.2)")
        key = key.strip().replace("-", "_")
        out[key] = coerce(key, value.strip(), "--set")
    return out


def openai_settings(
    config: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    **overrides: Any,
) -> OpenAISettings:
    """Resolve the remote backend's settings; `overrides` left as None do not override."""
    env = os.environ if env is None else env
    path = config_path(config, env)
    values: dict[str, Any] = {}
    for key, value in read_config(path).get("openai", {}).items():
        values[key] = coerce(key, value, str(path))
    for key, names in ENV.items():
        for name in reversed(names):  # the first name listed wins
            if env.get(name):
                values[key] = env[name]
    for key, value in overrides.items():
        if value is not None:
            values[key] = coerce(key, value, "argument")
    return replace(OpenAISettings(), **values)


def generate_defaults(config: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The [generate] section: default backend and kind for the command."""
    path = config_path(config, env)
    table = read_config(path).get("generate", {})
    return {k: str(v) for k, v in table.items()}
