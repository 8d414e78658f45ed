"""`python -m engine …` runs the `kinerja` command line."""
from .commands import run

run(prog_name="kinerja")
