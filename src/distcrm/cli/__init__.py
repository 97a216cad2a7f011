"""The ``distcrm`` command.

``distcrm demo`` generates a sample distribution network into a SQLite file,
prints a summary and runs its last month through every capability. The other
commands work on your own files or on a database: ``import`` (CSV with per-row
errors), ``schemes evaluate`` / ``whatif``, ``claims verify`` / ``settle`` /
``reconcile``, ``price`` and ``coverage``; each writes a table, CSV or JSON.

Exit codes: 0 success; 1 findings of severity warning or error when
``--fail-on-findings`` is given; 2 bad arguments or bad input, reported as
``error: <message>`` with the file and the place in it.

Examples:
    >>> main(["--version"])  # doctest: +ELLIPSIS
    distcrm ...
    0
    >>> main(["demo", "--outlets", "0"])
    2
"""

from distcrm.cli.app import build_parser, main
from distcrm.cli.demo import DEFAULT_DB, load_sample, run_demo
from distcrm.cli.inputs import InputError
from distcrm.cli.month import month_sections
from distcrm.cli.output import Table, write_tables
from distcrm.cli.progress import ProgressBar
from distcrm.cli.summary import (
    DEMO_SECTIONS,
    LINES_PER_OUTLET_QUARTER,
    DemoSection,
    Section,
    catalog_section,
    demo_config,
    network_section,
    render_demo,
    returns_section,
    sales_section,
    top_distributors_section,
)

__all__ = [
    "DEFAULT_DB",
    "DEMO_SECTIONS",
    "LINES_PER_OUTLET_QUARTER",
    "DemoSection",
    "InputError",
    "ProgressBar",
    "Section",
    "Table",
    "build_parser",
    "catalog_section",
    "demo_config",
    "load_sample",
    "main",
    "month_sections",
    "network_section",
    "render_demo",
    "returns_section",
    "run_demo",
    "sales_section",
    "top_distributors_section",
    "write_tables",
]
