"""A short, seeded run of each coverage-guided harness in ``fuzz/`` (skipped without atheris).

Each harness starts from its seed corpus (the repository's own files) and runs a fixed number of
mutated inputs with a fixed libFuzzer seed: any exception that is not a located ParindexError,
or an input running past the timeout, fails the run and this test. The long campaigns are run by
hand (``fuzz/README.md``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytest.importorskip("atheris")

# harness -> executions: each takes about five seconds here, most of it starting up
RUNS = {"fuzz_yaml.py": 300, "fuzz_units.py": 60, "fuzz_excel.py": 12}


@pytest.mark.parametrize(("harness", "runs"), sorted(RUNS.items()))
def test_short_seeded_run_finds_nothing(tmp_path: Path, harness: str, runs: int) -> None:
    """The harness runs its executions from its seeds and exits 0 (no crash, no hang)."""
    corpus = tmp_path / "corpus"
    args = [sys.executable, str(ROOT / "fuzz" / harness), str(corpus), f"-runs={runs}"]
    args += ["-seed=8", "-timeout=20", "-max_total_time=60", f"-artifact_prefix={tmp_path}/"]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    tail = "\n".join(proc.stderr.splitlines()[-40:])
    assert proc.returncode == 0, tail
    assert f"Done {runs} runs" in proc.stderr, tail
    assert len(list(corpus.iterdir())) >= 3  # the seeds were written and read
