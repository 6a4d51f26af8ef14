"""Where the tests' inputs live: the repository, the mini campaign, the 2018 samples, golden files.

Every path is absolute (from this file), so a test reads the same files whatever folder pytest
runs from. None of these files is written by a test: tests that change one copy it first (the
``mini_copy`` fixture, ``tmp_path``).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
GOLDEN = ROOT / "tests" / "golden"
MINI = DATA / "mini"
MINI_FORMS = DATA / "mini-forms"  # the mini campaign's survey as raw forms
SAMPLES = ROOT / "samples" / "2018"
# the console script of the repository's venv, for tests that run parindex as a process
PARINDEX = str(ROOT / ".venv" / "bin" / "parindex")
