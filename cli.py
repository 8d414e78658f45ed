"""The `kinerja` console script (`run`). The commands live in `engine/commands/` (one module each);
this file only starts them, so that `kinerja`, `python cli.py` and `python -m engine` are the same.
`main` is the click group itself (for click's CliRunner and other in-process callers)."""
from engine.commands import main, run  # noqa: F401 - main is re-exported

if __name__ == "__main__":  # pragma: no cover
    run()
