"""``parindex``: a thin command line over the scoring library (one module per command group)."""

from __future__ import annotations

import sys

from scoring.cli import (  # noqa: F401  # importing a command module registers its commands
    appraisal_cmds,
    evidence_cmds,
    index_cmds,
    plan_cmds,
    report_cmds,
    results_cmds,
    robustness_cmds,
    simulate_cmds,
    store_cmds,
    survey_cmds,
    web_cmds,
    workflow_cmds,
)
from scoring.cli.base import EXIT_INTERRUPT, app

__all__ = ["app", "run"]


def run() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPT)
