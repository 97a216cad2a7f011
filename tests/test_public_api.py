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
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Name) and target.id == "__all__":
                value = node.value
                assert isinstance(value, ast.List), f"{module}.__all__ must be a literal list"
                assert all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts)
                literal = [e.value for e in value.elts]  # type: ignore[attr-defined]
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
