"""Napkin: pictures of user interfaces (screenshots, wireframes, sketches) in, clean HTML/CSS out.

Capabilities live in subpackages, imported on demand so that `import napkin` needs only the
core dependencies: `napkin.render` (sandboxed Chromium), and more as they land.
"""

from __future__ import annotations

from napkin.errors import BackendError, ConfigError, DependencyError, InputError, NapkinError, RenderError

__version__ = "0.1.0"

__all__ = [
    "BackendError",
    "ConfigError",
    "DependencyError",
    "InputError",
    "NapkinError",
    "RenderError",
    "__version__",
]
