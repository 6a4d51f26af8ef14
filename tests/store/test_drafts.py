"""A unit's unsaved answers scored against its campaign as it stands (the web form's re-score)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scoring.errors import SubmissionError
from scoring.evaluation.ranking import CampaignResult
from scoring.store import drafts, views
from scoring.store.db import Store
from scoring.store.schema import DocumentRow, UnitRow
from tests.support.web import CID, OTHER, OWN, open_copy


@pytest.fixture(scope="module")
def st(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The 2018 samples imported (campaign open, every unit a draft); nothing here writes."""
    store = open_copy(tmp_path_factory.mktemp("drafts"))
    yield store
    store.close()


def _stored(st: Store, uid: str) -> tuple[CampaignResult, UnitRow, str]:
    """The campaign's result, the unit's row and its stored unit file's text."""
    result, unit = views.result(st, CID), views.unit(st, CID, uid)
    assert result is not None and unit is not None
    with st.read() as s:
        doc = s.get(DocumentRow, (CID, "unit", uid))
        assert doc is not None
        return result, unit, doc.text


def test_the_stored_answers_as_a_draft_score_as_stored(st: Store) -> None:
    """Re-scoring a unit's own stored file gives its stored points, index, rank and class."""
    result, unit, text = _stored(st, OWN)
    draft = drafts.score_draft(result, unit, text, "draft")
    stored = result.unit(OWN)
    assert stored is not None
    assert (draft.unit.points, draft.unit.index, draft.unit.rank) == (
        stored.points,
        stored.index,
        stored.rank,
    )
    assert draft.unit.classification == stored.classification
    assert draft.group_size == len(result.groups[unit.group_id])


def test_the_draft_takes_the_units_place_and_nothing_else_changes(st: Store) -> None:
    """The result with the draft holds it in its group; the result it came from is unchanged."""
    result, unit, text = _stored(st, OWN)
    before = {g: list(rs) for g, rs in result.groups.items()}
    draft = drafts.score_draft(result, unit, text, "draft")
    assert result.groups == before
    assert draft.unit in draft.result.groups[unit.group_id]
    assert draft.result.submissions[OWN] is not result.submissions[OWN]
    others = [g for g in result.groups if g != unit.group_id]
    assert all(draft.result.groups[g] is result.groups[g] for g in others)


def test_the_draft_keeps_the_survey_and_council_answers(st: Store) -> None:
    """Answers that come from the campaign's survey and council files stay in the draft."""
    result, unit, text = _stored(st, OWN)
    stored = result.submissions[OWN]
    sources = {k for (kind, k) in stored.where if kind == "source"}
    assert sources, "the samples give this unit survey or council answers"
    draft = drafts.score_draft(result, unit, text, "draft")
    kept = draft.result.submissions[OWN]
    assert all(kept.answers[k] == stored.answers[k] for k in sources)


def test_a_draft_for_another_unit_is_refused(st: Store) -> None:
    """A unit file that names another unit is refused, naming both."""
    result, unit, _ = _stored(st, OWN)
    _, _, other_text = _stored(st, OTHER)
    with pytest.raises(SubmissionError, match=OTHER):
        drafts.score_draft(result, unit, other_text, "draft")
