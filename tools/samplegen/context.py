"""One year's generation: its designed cases, the wording, the compiled index and the scorer."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from scoring import Index
from tools.samplegen.data import Cases, Data, Prose, Unit, Year
from tools.samplegen.scorer import Scorer


@dataclass(frozen=True)
class Context:
    """What every step of one year's generation reads."""

    data: Data
    year: Year
    index: Index
    scorer: Scorer
    out: Path  # the year's campaign folder

    @property
    def cases(self) -> Cases:
        """The designed cases of every year."""
        return self.data.cases

    @property
    def prose(self) -> Prose:
        """The wording."""
        return self.data.prose

    @property
    def units(self) -> list[Unit]:
        """The units, in the order of the published lists."""
        return self.data.cases.units

    def stream(self, step: str, uid: str) -> random.Random:
        """A unit's own random stream for one step of the year."""
        return random.Random(f"{self.year.year}/{step}/{uid}")
