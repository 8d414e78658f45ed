"""`kinerja template SCHEMA -o FILE.xlsx`: an empty workbook laid out for entering one contract.

The layout (engine/xlsx_layout.py) is the one `check` and `compare` read back from .xlsx files.
"""
from __future__ import annotations

import click

from ..outputs import atomic_output
from ..policy.registry import Registry
from ..schemas import schema_set
from ..xlsx_template import write_template
from .options import policy_path_option


@click.command()
@click.argument("schema")
@click.option("--output", "-o", "output", required=True, type=click.Path(dir_okay=False), metavar="FILE.xlsx",
              help="The workbook to write (replaced only when it is complete).")
@policy_path_option
def template(schema: str, output: str, registry: Registry):
    """Write an Excel workbook for entering contract data of data schema SCHEMA (e.g.
    organization_contract): a `contract` sheet of field | value rows, one sheet per collection
    (iku, iku.periods, strategy_map.objectives, …) with the schema's descriptions as header
    comments and its choices as drop-down lists. Fill it in, then `kinerja check FILE.xlsx`."""
    with atomic_output(output, binary=True) as out:
        write_template(schema, out, schema_set(registry.path.schema_dirs()))
