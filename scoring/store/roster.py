"""A campaign's units: a units file read and checked, and units added one at a time.

A campaign opened with ``campaign create`` gets its units from a units file (the ``units:``
list of a ``campaign.yaml`` on its own) or one by one with ``add_unit``. Each unit's group is
checked against the campaign's index, and each unit added writes its audit entry in the same
transaction.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import Field

from scoring.campaign.folder import check_listed_once
from scoring.campaign.register import check_register
from scoring.campaign.submission import CampaignFile, UnitSpec
from scoring.errors import Location, SubmissionError, WorkflowError
from scoring.index.fields import Frozen
from scoring.sources.located import validate
from scoring.sources.yamlsrc import load_yaml_file
from scoring.store import campaigns
from scoring.store.db import Store
from scoring.store.schema import UnitRow
from scoring.store.stored import campaign_row, index_for, stamp, unit_row


class UnitsFile(Frozen):
    """A units file: ``units:`` and the list ``campaign.yaml`` would hold."""

    units: list[UnitSpec] = Field(min_length=1)


def read_units(path: Path, year: int | None = None) -> list[UnitSpec]:
    """The units of a units file, checked (shape, ids, no unit listed twice; and, for a
    campaign of ``year``, their register: dates in the year, predecessors)."""
    data, source = load_yaml_file(path)
    if not isinstance(data, dict):
        raise SubmissionError(
            "expected a mapping with units: [{id, name, group, tags}, …]", Location(str(path), 1)
        )
    spec: UnitsFile = validate(UnitsFile, data, source, SubmissionError)
    check_listed_once(spec.units, source, data)
    if year is not None:  # the file is laid out as campaign.yaml's units: located alike
        check_register(CampaignFile(id="units", year=year, units=spec.units), source, data)
    return spec.units


def add_unit(store: Store, cid: str, unit: UnitSpec, *, actor: str, now: dt.datetime) -> UnitRow:
    """Add one unit to a campaign that is still open (its group checked against the index)."""
    with store.transaction() as s:
        camp = campaign_row(s, cid, lock=True)
        if camp.state != "open":
            raise WorkflowError(
                f"units are added while the campaign is open; campaign {cid} is {camp.state}"
            )
        if s.get(UnitRow, (cid, unit.id)) is not None:
            raise WorkflowError(f"unit {unit.id!r} is already in campaign {cid}")
        campaigns.add_units(s, cid, [unit], index_for(s, camp.index_hash), actor, stamp(now))
        return unit_row(s, cid, unit.id)
