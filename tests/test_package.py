"""The public surface: what `__all__` promises exists, the core imports without extras, the CLI starts."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest
from click.testing import CliRunner

import napkin
from napkin.cli import main

PUBLIC_MODULES = ["napkin", "napkin.render", "napkin.errors", "napkin.layout", "napkin.data", "napkin.generate", "napkin.vision", "napkin.synth", "napkin.score"]


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_all_names_exist(name):
    module = importlib.import_module(name)
    for attr in module.__all__:
        assert hasattr(module, attr), f"{name}.__all__ lists missing {attr}"


def test_core_import_needs_no_extras():
    # `import napkin` and `napkin --help` must not pull in playwright, scipy or pyarrow.
    code = "import sys, napkin, napkin.cli; bad = {'playwright', 'scipy', 'pyarrow', 'torch'} & set(sys.modules); print(sorted(bad))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_help_lists_commands_with_examples():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0 and "render" in result.output
    for command in main.commands:
        sub = CliRunner().invoke(main, [command, "--help"])
        assert sub.exit_code == 0 and "napkin " + command in sub.output, command


def test_version():
    assert CliRunner().invoke(main, ["--version"]).output.strip().endswith(napkin.__version__)


def test_errors_share_one_root():
    for name in napkin.errors.__all__:
        assert issubclass(getattr(napkin.errors, name), napkin.NapkinError)


def test_missing_extra_names_the_install_command():
    from napkin._extras import require

    with pytest.raises(napkin.DependencyError, match=r"pip install 'napkin-code\[train\]'"):
        require("definitely_not_a_module_napkin", "train")
