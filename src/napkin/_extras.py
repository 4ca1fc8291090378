"""Optional features fail when used, naming the exact install command."""

from __future__ import annotations

import importlib
from types import ModuleType

from napkin.errors import DependencyError


def require(module: str, extra: str) -> ModuleType:
    """Import `module` or raise a DependencyError naming `pip install 'napkin-code[extra]'`."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise DependencyError(
            f"This feature needs the Python package '{module.split('.')[0]}', which is not installed. "
            f"Install it with: pip install 'napkin-code[{extra}]'"
        ) from exc
