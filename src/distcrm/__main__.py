"""Run the ``distcrm`` command: ``python -m distcrm``."""

from distcrm.cli import main

raise SystemExit(main())
