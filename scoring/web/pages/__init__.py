"""The pages and JSON endpoints, one handler each, by page area; each module registers its
routes (with the action each needs) on the app's router.

- ``signin``: sign-in and out, the interface language, the liveness probe
- ``campaign``: home, a campaign's page and ranking (HTML and JSON), advancing and publishing it
- ``unit``: a unit's page, its trace, its result as JSON
- ``answers``: a unit's self-assessment: save, submit, re-score unsaved
- ``appraisal``: the appraiser's changes, the unit's explanations, moving the unit on
- ``admin``: verifying published runs, the accounts
- ``audit``: the audit log for people: names, Vietnamese actions, filters, changed fields
- ``bulk``: moving every eligible unit of a campaign on at once, after a confirmation page
- ``evidence``: a unit's evidence files: upload, remove, open

``common`` holds what they share. Handlers parse the request, call the library (``store``,
``simulation``, ``reports``) and render: no scoring, workflow rule or SQL of their own.
"""

from __future__ import annotations

from scoring.web.pages import (
    admin,
    answers,
    appraisal,
    audit,
    bulk,
    campaign,
    evidence,
    signin,
    unit,
)
from scoring.web.routing import Router


def register(router: Router) -> None:
    """Every page area's routes on ``router`` (the table the access tests enumerate)."""
    for area in (signin, campaign, unit, answers, appraisal, admin, audit, bulk, evidence):
        area.register(router)
