"""Map the top-level folders the customer asked for onto the `opencase` package.

pyproject.toml's `package-dir` maps each folder; setuptools still needs every
subpackage named, which this walk does so that adding a subfolder needs no edit.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup

ROOTS = {
    "opencase": "opencase",
    "opencase.ontology": "ontology",
    "opencase.graph": "graph",
    "opencase.queries": "queries",
    "opencase.api": "api",
    "opencase.loaders": "loaders",
    "opencase.export": "export",
}


def _packages() -> tuple[list[str], dict[str, str]]:
    packages: list[str] = []
    package_dir: dict[str, str] = {}
    for name, folder in ROOTS.items():
        for init in sorted(Path(folder).rglob("__init__.py")):
            rel = init.parent.relative_to(folder)
            dotted = ".".join((name, *rel.parts)) if rel.parts else name
            packages.append(dotted)
            package_dir[dotted] = str(init.parent)
    return packages, package_dir


PACKAGES, PACKAGE_DIR = _packages()
setup(packages=PACKAGES, package_dir=PACKAGE_DIR)
