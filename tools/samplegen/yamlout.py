"""Writing the generated YAML: quoted leaf ids, flow or block mappings, exact decimals."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from scoring.sources.files import write_text


class LeafId(str):
    """A leaf id, always written in double quotes."""


class Flow(dict[str, Any]):
    """A mapping written on one line (`{node: "1.1.1", score: 0.5, reason: ...}`)."""


class Block(dict[str, Any]):
    """A mapping written one key a line."""


class Dumper(yaml.SafeDumper):
    """Safe dumper that never writes anchors or aliases (the same date object appears twice)."""

    def ignore_aliases(self, data: Any) -> bool:
        """Never: every value is written where it appears."""
        return True


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    """A plain decimal: no exponent, no trailing zeros, integers without a point."""
    if value == value.to_integral():
        return dumper.represent_scalar("tag:yaml.org,2002:int", str(int(value)))
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value.normalize(), "f"))


def _float(dumper: yaml.SafeDumper, value: float) -> yaml.Node:
    return _decimal(dumper, Decimal(repr(value)))


Dumper.add_representer(
    LeafId, lambda dm, v: dm.represent_scalar("tag:yaml.org,2002:str", str(v), style='"')
)
Dumper.add_representer(Decimal, _decimal)
Dumper.add_representer(
    Flow, lambda dm, v: dm.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True)
)
Dumper.add_representer(
    Block, lambda dm, v: dm.represent_mapping("tag:yaml.org,2002:map", v, flow_style=False)
)
Dumper.add_representer(float, _float)


def quote_ids(answers: dict[str, Any]) -> dict[LeafId, Any]:
    """Answers keyed by quoted leaf ids."""
    return {LeafId(k): v for k, v in answers.items()}


def dump(path: Path, data: Any, header: str, generated: str) -> None:
    """Write ``data`` to ``path`` under two comment lines: ``header`` and ``generated``."""
    text = yaml.dump(
        data,
        Dumper=Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1000,
        default_flow_style=None,
    )
    write_text(path, f"# {header}\n# {generated}\n{text}", newline="\n")
