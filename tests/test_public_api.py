"""Every module declares a literal ``__all__`` naming things that exist, and the docs cover it."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import distcrm

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "distcrm"


def _modules() -> list[str]:
    names = ["distcrm"]
    for info in pkgutil.walk_packages(distcrm.__path__, "distcrm."):
        if info.name.split(".")[-1].startswith("_") and info.name != "distcrm.__main__":
            continue
        if info.name == "distcrm.__main__":
            continue
        names.append(info.name)
    return sorted(names)


def _source(module: str) -> Path:
    rel = module.split(".")[1:]
    path = SRC.joinpath(*rel)
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


@pytest.mark.parametrize("module", _modules())
def test_all_is_a_literal_list_of_existing_names(module: str) -> None:
    tree = ast.parse(_source(module).read_text(encoding="utf-8"))
    literal: list[str] | None = None
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if not any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            continue
        assert isinstance(value, ast.List), f"{module}.__all__ must be a literal list"
        names = [e.value for e in value.elts if isinstance(e, ast.Constant)]
        assert len(names) == len(value.elts), f"{module}.__all__ must list string literals"
        assert all(isinstance(n, str) for n in names), f"{module}.__all__ must list strings"
        literal = [str(n) for n in names]
    assert literal is not None, f"{module} has no __all__"
    assert len(literal) == len(set(literal)), f"{module}.__all__ has duplicates"
    mod = importlib.import_module(module)
    missing = [name for name in literal if not hasattr(mod, name)]
    assert not missing, f"{module}.__all__ names missing attributes: {missing}"


def test_every_package_has_a_reference_page() -> None:
    reference = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs" / "reference").glob("*.md"))
    packages = sorted(p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    for package in packages:
        assert f"::: distcrm.{package}" in reference, f"docs/reference has no page for distcrm.{package}"
