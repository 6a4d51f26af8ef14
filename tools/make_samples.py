"""Generate the Lạng Sơn sample campaigns (samples/2018/, samples/2019/, samples/2025/).

    python tools/make_samples.py              # rewrites samples/2018/, 2019/ and 2025/
    python tools/make_samples.py --out DIR    # writes DIR/2018/, DIR/2019/ and DIR/2025/

Per year it writes campaign.yaml (units, schedule, submission dates), units/<unit-id>.yaml
(self-assessments), survey.yaml and council.yaml in the shape of README.md, "Campaign
directory", then the workflow files: appraisal-1.yaml, explanations.yaml and appraisal-2.yaml.
2019 also gets its own index, samples/2019/criteria.yaml (criteria.yaml moved to 2019).
2025 (tools/samplegen/year2025.py) is drawn from its own data against the hand-written
samples/2025/criteria.yaml, with its register of units.

The designed cases (ties, N/A answers, missing evidence, late reports, bonuses and penalties,
hand-set appraisal changes and explanations) are in tools/samplegen/cases.yaml, every sentence
the files hold in tools/samplegen/prose.yaml; samples/README.md describes them. The rest is
drawn from seeded random streams, and every point is what ``scoring`` gives, so re-running the
script rewrites byte-identical files (tests/tools/test_make_samples.py checks it).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script, the repository root is not on the path
    sys.path.insert(0, str(ROOT))

from tools.samplegen.writing import generate  # noqa: E402  (needs the path set above)
from tools.samplegen.year2025 import generate_2025  # noqa: E402  (likewise)


def main(argv: list[str] | None = None) -> None:
    """Write the sample campaigns into samples/ or the folder given with --out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "samples", help="output folder")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    # all or nothing: every year is drawn into a draft folder first, and a year's folder is
    # replaced only once all of them are written (a failure leaves samples/ as it was)
    with tempfile.TemporaryDirectory(dir=out, prefix=".draft-") as tmp:
        draft = Path(tmp)
        generate(draft)
        generate_2025(draft)
        for year in sorted(p for p in draft.iterdir() if p.is_dir()):
            target, old = out / year.name, draft / f"{year.name}.old"
            if target.exists():
                target.rename(old)
            year.rename(target)


if __name__ == "__main__":
    main()
