"""Packages whose names are imported on first use, so that `napkin --help` stays light.

A package's `__init__` lists what it exports as ordinary imports inside `if TYPE_CHECKING:`
(what readers, editors and mypy see) and hands its own file to `exports`, which reads those
imports once and returns the module-level `__getattr__` and `__dir__` (PEP 562) that import
each name's module when the name is first asked for. Importing `napkin.generate._cli` then
costs the package's docstring, not the render engine, numpy and Pillow.
"""

from __future__ import annotations

import ast
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _typing_imports(source: str) -> dict[str, str]:
    """name -> module of each `from M import name` inside the file's `if TYPE_CHECKING:` block."""
    where: dict[str, str] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for stmt in node.body:
                if isinstance(stmt, ast.ImportFrom) and stmt.module and stmt.level == 0:
                    for alias in stmt.names:
                        where[alias.asname or alias.name] = stmt.module
    return where


def exports(package: str, init_file: str) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """(`__getattr__`, `__dir__`, `__all__`) for the package whose `__init__.py` is `init_file`."""
    where = _typing_imports(Path(init_file).read_text(encoding="utf-8"))

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)  # next time a plain attribute
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(where))

    return __getattr__, __dir__, sorted(where)
