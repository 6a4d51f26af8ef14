"""``parindex evidence``: attach a unit's evidence files (PDF, PNG, JPEG, WebP) and list them.

The same library calls as the web app's upload (``store.evidence``): the type is read from the
file's content, the bytes are kept once per SHA-256, and each attachment is audited with its
hash. The human output is Vietnamese, times in the campaign's zone; ``--json`` is exact, ISO.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer

from scoring.cli.base import actor, app, campaign_zone, guard, now, out, print_json, store
from scoring.cli.store_common import CampaignArg, JsonOpt, UnitArg
from scoring.sources import clock
from scoring.sources.filetypes import MAX_BYTES, TYPES, size_text

evidence_app = typer.Typer(help="Evidence files attached to a unit's items.", no_args_is_help=True)
app.add_typer(evidence_app, name="evidence")

STAGE_VI = {"answers": "tự đánh giá", "explanation": "giải trình"}


@evidence_app.command("add")
def evidence_add(
    campaign: CampaignArg,
    unit: UnitArg,
    node: Annotated[str, typer.Argument(help="The item (leaf) id, e.g. 1.1.1.")],
    file: Annotated[Path, typer.Argument(help="A PDF, PNG, JPEG or WebP file.")],
    stage: Annotated[
        str,
        typer.Option(
            "--stage", help="answers (the self-assessment) or explanation (its round-2 answer)."
        ),
    ] = "answers",
) -> None:
    """Attach a file to an item of a unit, while its form (or explanation window) is open.

    Example: parindex evidence add langson-2018 so-tai-chinh 1.1.1 "QĐ 12.pdf"
    """

    def body() -> None:
        from scoring.store import evidence

        with file.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # one byte over is enough to refuse it
        att, new = evidence.attach(
            store(), campaign, unit, node, data, file.name,
            stage=stage, actor=actor(), now=now(campaign),
        )  # fmt: skip
        if not new:
            out.print(
                f"Tệp «{att.name}» đã được đính kèm cho tiêu chí {node}; không lưu thêm.",
                markup=False,
            )
            return
        out.print(
            f"Đã đính kèm «{att.name}» ({TYPES[att.media_type][1]}, {size_text(att.size)}) "
            f"vào tiêu chí {node} của đơn vị {unit} ({STAGE_VI[att.stage]}); "
            f"SHA-256 {att.sha256}",
            markup=False,
        )

    guard(body)


@evidence_app.command("list")
def evidence_list(
    campaign: CampaignArg,
    unit: Annotated[str | None, typer.Argument(help="Only this unit's files.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the evidence files of a campaign (or of one unit).

    Example: parindex evidence list langson-2018 so-tai-chinh
    """

    def body() -> None:
        from scoring.store import evidence

        found = evidence.listing(store(read_only=True), campaign, unit)
        if as_json:
            print_json([dataclasses.asdict(f) for f in found])
            return
        if not found:
            out.print("Chưa có tệp đính kèm.", markup=False)
            return
        tz = campaign_zone(campaign)
        out.print(f"Tài liệu kiểm chứng đính kèm — {campaign}: {len(found)} tệp", markup=False)
        for f in found:  # one line a file: readable in a narrow terminal, easy to grep
            out.print(
                f"#{f.id} {f.unit} · tiêu chí {f.node} ({STAGE_VI[f.stage]}) · «{f.name}» "
                f"{TYPES[f.media_type][1]} {size_text(f.size)} · {f.uploader}, "
                f"{clock.show(f.at, tz)} · SHA-256 {f.sha256[:12]}…",
                markup=False,
            )

    guard(body)
