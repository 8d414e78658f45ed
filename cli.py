"""The `kinerja` console script. The commands live in `engine/commands/` (one module each); this
file only starts them, so that `kinerja`, `python cli.py` and `python -m engine` are the same."""
from engine.commands import main

if __name__ == "__main__":  # pragma: no cover
    main()
