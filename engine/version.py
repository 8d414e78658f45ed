"""The installed kinerja version, for the reports that say what made them (SARIF, compare's "how
this was made" box): one home, read from the package metadata when first asked."""
from __future__ import annotations


def tool_version() -> str:
    from importlib import metadata  # slow to import (≈10 ms): only when a report names the version
    try:
        return metadata.version("kinerja")
    except metadata.PackageNotFoundError:
        return "0+unknown"
