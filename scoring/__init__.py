"""parindex: the administrative-reform index as data, scored by durable-rules with traces.

The public API::

    index = load_index(Path("criteria.yaml"), Path("rules"))
    campaign = load_campaign(Path("samples/2018"))
    result = score_campaign(index, campaign)
    for unit in result.groups["department"]:
        print(unit.rank, unit.name, unit.index)
"""

from scoring.campaign.folder import load_campaign
from scoring.campaign.ready import Ready, prepare
from scoring.campaign.submission import Campaign
from scoring.errors import (
    EngineError,
    ErrorList,
    IndexDefinitionError,
    InputFileError,
    Location,
    ParindexError,
    SubmissionError,
)
from scoring.evaluation.batch import score_stream, score_unit, score_units
from scoring.evaluation.documents import score_document, trace_document
from scoring.evaluation.ranking import CampaignResult, classify, rank, score_campaign
from scoring.evaluation.trace import Step, UnitResult, dumps, subtree
from scoring.index.loader import Index, load_index

__all__ = [
    "Campaign",
    "CampaignResult",
    "EngineError",
    "ErrorList",
    "Index",
    "IndexDefinitionError",
    "InputFileError",
    "Location",
    "ParindexError",
    "Ready",
    "Step",
    "SubmissionError",
    "UnitResult",
    "classify",
    "dumps",
    "load_campaign",
    "load_index",
    "prepare",
    "rank",
    "score_campaign",
    "score_document",
    "score_stream",
    "score_unit",
    "score_units",
    "subtree",
    "trace_document",
]
