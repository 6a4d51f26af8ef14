"""Schemathesis against the web app's OpenAPI schema: no generated request is a server error.

Every route (pages and JSON endpoints) is in ``/openapi.json`` with its path parameters and a
form body of string fields; schemathesis generates values for them (Hypothesis) and sends them
in-process to the app, signed in as an appraiser (most routes) and as an officer, with a valid
CSRF token, so requests get past the access checks into the handlers. Every answer must be
below 500. Examples per route: ``PARINDEX_FUZZ_EXAMPLES`` (default 15; e.g. 500 for a long run).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from scoring.web import create_app
from tests.support.web import CID, NOW, OTHER, OWN, csrf_of, open_copy, sign_in

EXAMPLES = int(os.environ.get("PARINDEX_FUZZ_EXAMPLES", "15"))
_STORE = open_copy(Path(tempfile.mkdtemp(prefix="parindex-schema-")))
APP = create_app(_STORE, clock=lambda: NOW)
SESSIONS: dict[str, tuple[str, str]] = {}


def _session(user: str) -> tuple[str, str]:
    if user not in SESSIONS:
        c = TestClient(APP)
        assert sign_in(c, user).status_code == 303
        SESSIONS[user] = (str(c.cookies.get("parindex_session")), csrf_of(c))
    return SESSIONS[user]


schema = schemathesis.openapi.from_asgi("/openapi.json", APP).exclude(
    path_regex="^/(logout|login)$"  # signing out would end the fuzzing session
)


@pytest.mark.parametrize("user", ["thamdinh", "canbo"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_generated_request_is_a_server_error(case: Any, user: str) -> None:
    """No schemathesis-generated request to any route, signed in with a valid CSRF token, gets a
    5xx."""
    token, csrf = _session(user)
    params = case.path_parameters or {}
    if "cid" in params and len(params["cid"]) % 4:  # mostly the real campaign and units, so
        params["cid"] = CID  # that generated bodies reach the handlers past the 404s
        if "uid" in params:
            params["uid"] = (OWN, OTHER, params["uid"])[len(params["uid"]) % 3]
    response = case.call(
        headers={"X-CSRF-Token": csrf, "Accept": "application/json"},
        cookies={"parindex_session": token},
    )
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
