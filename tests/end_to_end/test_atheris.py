"""A short, seeded run of each coverage-guided harness in ``fuzz/`` (skipped without atheris).

Each harness starts from its seed corpus (the repository's own files) and runs a fixed number of
mutated inputs with a fixed libFuzzer seed: any exception that is not a located ParindexError,
or an input running past the timeout, fails the run and this test. The long campaigns are run by
hand (``fuzz/README.md``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import ROOT

pytest.importorskip("atheris")

# harness -> executions: each run takes 5-8 s here, most of it starting up; the four run at once
RUNS = {"fuzz_yaml.py": 300, "fuzz_units.py": 60, "fuzz_excel.py": 12, "fuzz_sources.py": 60}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Any, Path]]]:
    """Each harness started on its own seed corpus, all at once (the suite waits for the
    slowest, not for the sum)."""
    started: dict[str, tuple[Any, Path]] = {}
    env = os.environ | {"PYTHONPATH": str(ROOT)}  # fuzz_excel.py types answers with tests.support
    for harness, n in RUNS.items():
        work = tmp_path_factory.mktemp(harness.removesuffix(".py"))
        corpus = work / "corpus"
        args = [sys.executable, str(ROOT / "fuzz" / harness), str(corpus), f"-runs={n}"]
        args += ["-seed=8", "-timeout=20", "-max_total_time=60", f"-artifact_prefix={work}/"]
        proc = subprocess.Popen(  # our own harness, our own arguments
            args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=work, env=env
        )
        started[harness] = (proc, corpus)
    yield started
    for proc, _ in started.values():
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("harness", sorted(RUNS))
def test_short_seeded_run_finds_nothing(runs: dict[str, tuple[Any, Path]], harness: str) -> None:
    """The harness runs its executions from its seeds and exits 0 (no crash, no hang)."""
    proc, corpus = runs[harness]
    _, stderr = proc.communicate(timeout=120)
    tail = "\n".join(stderr.splitlines()[-40:])
    assert proc.returncode == 0, tail
    assert f"Done {RUNS[harness]} runs" in stderr, tail
    assert len(list(corpus.iterdir())) >= 3  # the seeds were written and read
