"""Finds the packages to ship; pyproject.toml holds everything else.

resources/ and data/ sit at the top of the repository (the design's layout) but
ship inside `app` as `app.resources` and `app.data`, where importlib.resources
finds them. pyproject's `packages.find` cannot map a folder to a package under
another name, so the discovery is here: every package under app/, resources/
and data/ is found, none is listed, and a new one can never be left out.
"""

from setuptools import find_packages, setup

# Folders at the top of the repository that ship as subpackages of `app`.
INSIDE_APP = {"resources": "app.resources", "data": "app.data"}


def _packages() -> list[str]:
    found = find_packages(include=["app", "app.*"])
    for folder, package in INSIDE_APP.items():
        found += [package, *(f"{package}.{sub}" for sub in find_packages(where=folder))]
    return found


setup(
    packages=_packages(),
    package_dir={"app": "app", **{package: folder for folder, package in INSIDE_APP.items()}},
)
