"""Package attributes imported on first use (PEP 562), so importing a package stays cheap.

``caregraph``, ``caregraph.validation`` and ``caregraph.queries`` re-export names from their
modules this way: ``caregraph --help`` and shell completion import the packages but need
none of pySHACL, owlready2 or rdflib's SPARQL engine, which the modules behind the names load.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package`` that import each name from its module.

    Args:
        package: the package's ``__name__``.
        exports: public name to the module that defines it.
    """

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module '{package}' has no attribute '{name}'")
        value = getattr(importlib.import_module(module), name)
        setattr(importlib.import_module(package), name, value)  # later look-ups skip this
        return value

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__
