"""Build step for the wheel: the bundled policies, schemas and sample data become package data.

The project keeps `policies/`, `schemas/`, `examples/` and `corpus/` at the top level (policy staff
edit them there). When a wheel is built, this `build_py` copies them into the built package as
`engine/bundled/policies/`, `engine/bundled/schemas/` and so on, where engine/search_path.py finds
them with importlib.resources. A checkout or an editable install has no `engine/bundled/` and reads
the top-level folders instead. Everything else is configured in pyproject.toml.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
BUNDLED = {
    "policies": ("*/policy.yaml", "*/README.md", "*/tests/*.yaml"),
    "schemas": ("*.schema.json",),
    # the sample data: the policies' own test cases read examples/ (../../../examples/…), and the
    # README's main job compares over corpus/, so an installed kinerja can run both from anywhere
    "examples": ("**/*.yaml", "**/*.json", "**/*.jsonl"),
    "corpus": ("*.jsonl",),
}


class BuildWithBundledFiles(build_py):
    """build_py, then copy the bundled policies and schemas into the built `engine/bundled/`."""

    def run(self):
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "engine" / "bundled"
        for folder, patterns in BUNDLED.items():
            for pattern in patterns:
                for source in sorted((HERE / folder).glob(pattern)):
                    dest = target / folder / source.relative_to(HERE / folder)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source, dest)


setup(cmdclass={"build_py": BuildWithBundledFiles})
