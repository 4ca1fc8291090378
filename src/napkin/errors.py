"""One root exception for every error Napkin raises on purpose.

Each message says what went wrong and how to fix it; the CLI prints these without a traceback.
"""

from __future__ import annotations

__all__ = [
    "NapkinError",
    "ConfigError",
    "DependencyError",
    "InputError",
    "RenderError",
    "BackendError",
]


class NapkinError(Exception):
    """Root of all errors Napkin raises deliberately."""


class ConfigError(NapkinError):
    """A setting, flag or config file is invalid."""


class DependencyError(NapkinError):
    """An optional Python extra or a system package is missing."""


class InputError(NapkinError):
    """User input (an image, an HTML file, a dataset) cannot be used."""


class RenderError(NapkinError):
    """The browser could not be started or driven."""


class BackendError(NapkinError):
    """A generation or judge backend failed (HTTP errors, malformed replies)."""
