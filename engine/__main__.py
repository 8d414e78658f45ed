"""`python -m engine …` runs the `kinerja` command line."""
from .commands import main

main(prog_name="kinerja")
