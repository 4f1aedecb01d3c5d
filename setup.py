"""Packaging; the metadata is in setup.cfg. The top-level resources/ folder (style sheet,
icons, translations, the CJK fallback font) is the source, and the wheel carries it inside
the package as ``kol_desk/resources``, where ``kol_desk.paths`` looks first."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["kol_desk", "kol_desk.*"]), "kol_desk.resources"],
    package_dir={"kol_desk.resources": "resources"},
)
