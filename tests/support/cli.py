"""Running ``parindex`` in-process, as the command line tests do (Typer's runner, no process)."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from scoring.cli import app

runner = CliRunner()


def run(*args: str, cwd: Path | None = None) -> Result:
    """``parindex ARGS`` in this process (from ``cwd`` if given): its exit code and output."""
    if cwd is None:
        return runner.invoke(app, list(args))
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(app, list(args))
    finally:
        os.chdir(old)
