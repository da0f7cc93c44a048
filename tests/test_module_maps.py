"""The module maps in the package docstrings of ctx_lsp.engine and ctx_lsp.lsp name every
module of their package, and only modules that exist."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest


@pytest.mark.parametrize("package_name", ["ctx_lsp.engine", "ctx_lsp.lsp"])
def test_package_docstring_lists_its_modules(package_name: str) -> None:
    package = importlib.import_module(package_name)
    modules = {info.name for info in pkgutil.iter_modules(package.__path__)}
    listed = set(re.findall(r":mod:`\.(\w+)`", package.__doc__ or ""))
    assert listed == modules, (f"{package_name}'s docstring: missing {sorted(modules - listed)}, "
                               f"stale {sorted(listed - modules)}")
