"""The public surface: what `__all__` promises exists, the core imports without extras, the CLI starts."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest
from click.testing import CliRunner

import napkin
from napkin.cli import main

PUBLIC_MODULES = ["napkin", "napkin.model", "napkin.train", "napkin.embed", "napkin.render", "napkin.errors", "napkin.layout", "napkin.data", "napkin.generate", "napkin.vision", "napkin.synth", "napkin.score"]


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


def test_help_loads_no_engine():
    # `napkin --help` and each command's help load neither the render engine nor torch, numpy or Pillow.
    code = ("import sys\nfrom napkin.cli import main\nfor args in (['--help'], *([c, '--help'] for c in main.commands)):\n"
            "    try:\n        main(args)\n    except SystemExit:\n        pass\n"
            "heavy = ('torch', 'onnxruntime', 'numpy', 'PIL', 'playwright', 'napkin.render', 'napkin.vision')\n"
            "print('LOADED', sorted(m for m in sys.modules if m.startswith(heavy)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "LOADED []"


def test_lazy_packages_export_what_they_list():
    import napkin.generate
    import napkin.score

    assert napkin.generate.generate.__module__ == "napkin.generate._api" and "score_pair" in dir(napkin.score)
    import napkin.data

    for name in ("SynthJob", "IngestJob", "RelabelJob", "ExportJob", "export", "unpack", "RayExecutor", "run_job"):
        assert callable(getattr(napkin.data, name)), name
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        napkin.score.nope  # noqa: B018


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


def test_doctor_checks_browser_ocr_language_fonts_and_every_extra(monkeypatch):
    from click.testing import CliRunner

    import napkin.cli as cli

    result = CliRunner().invoke(cli.main, ["doctor"])
    assert result.exit_code == 0, result.output
    names = [line[4:].split()[0] for line in result.output.splitlines()]
    assert names[:2] == ["chromium", "tesseract"] and {"ocr", "fonts", "ui-embed"} <= set(names)
    assert {f"[{e}]" for e in ("render", "score", "data", "vision", "generate", "embed", "train", "clip", "ray")} <= set(names)
    assert all(line.startswith("ok ") for line in result.output.splitlines()), result.output  # make installs it all
    monkeypatch.setitem(cli._FONTS, "No Such Font", "fonts-no-such")
    monkeypatch.setitem(cli._EXTRA_MODULES, "ray", ("ray", "no_such_module_x"))
    result = CliRunner().invoke(cli.main, ["doctor"])
    assert "--  fonts       missing No Such Font: sudo apt-get install fonts-no-such" in result.output
    assert "--  [ray]       missing no_such_module_x: pip install 'napkin-code[ray]'" in result.output


def test_import_napkin_layout_loads_no_engine():
    code = ("import sys, napkin, napkin.layout, napkin.errors\n"
            "print('LOADED', sorted(m for m in sys.modules if m.startswith(('torch', 'numpy', 'PIL', 'napkin.render', 'napkin.vision'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "LOADED []"


def _import_graph() -> dict[str, set[str]]:
    """module -> the napkin modules it imports, at the top or inside functions.

    A package's lazy exports (napkin._lazy) count as imports of the modules that define them, so
    `from napkin.score import evaluate` is an edge to napkin.score._eval.
    """
    import ast
    from pathlib import Path

    from napkin._lazy import _typing_imports

    src = Path(napkin.__file__).parent.parent
    files = {".".join(p.relative_to(src).with_suffix("").parts).removesuffix(".__init__"): p
             for p in (src / "napkin").rglob("*.py")}
    exported = {m: _typing_imports(p.read_text()) for m, p in files.items() if p.name == "__init__.py"}
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        if path.name == "__init__.py":
            continue
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in files:
                if node.module in exported:
                    deps |= {exported[node.module].get(a.name, node.module) for a in node.names}
                else:
                    deps.add(node.module)
        graph[module] = {d for d in deps if d != module and d in files}
    return graph


def test_no_module_imports_itself_back():
    # Import cycles (even through an import inside a function) make modules that cannot be
    # understood, loaded or moved on their own: score/_eval and score/_report had one.
    graph = _import_graph()
    cycles = []

    def visit(module: str, path: list[str]) -> None:
        for dep in graph.get(module, ()):
            if dep in path:
                cycles.append(path[path.index(dep):] + [dep])
            elif dep not in seen:
                seen.add(dep)
                visit(dep, path + [dep])

    for start in graph:
        seen = {start}
        visit(start, [start])
    assert not cycles, cycles[:5]
