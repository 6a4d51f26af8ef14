"""Administration: an officer's unit picked from the campaigns' units, disabling confirmed."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from scoring.sources.text import vn_key
from scoring.store import accounts
from scoring.web import create_app
from tests.support.web import NOW, OWN, open_copy, sign_in
from tests.support.webforms import form


def test_an_officers_unit_is_picked_from_the_campaigns_units(tmp_path: Path) -> None:
    """The unit is a select of the units' names in Vietnamese order (no free text); a unit
    no campaign has is refused with the closest id (in Vietnamese), and nothing is created."""
    st = open_copy(tmp_path)
    c = TestClient(create_app(st, clock=lambda: NOW))
    assert sign_in(c, "quantri").status_code == 303
    page = c.get("/admin/accounts").text
    assert '<input name="unit">' not in page
    select = page[page.index('<select name="unit">') :]
    select = select[: select.index("</select>")]
    names = [part.split(">", 1)[1].split("<", 1)[0] for part in select.split("<option")[2:]]
    assert len(names) == 31 and names == sorted(names, key=vn_key)
    assert f'<option value="{OWN}">Sở Tài chính</option>' in select
    fields = form(page, "/admin/accounts") | {
        "username": "canbo3",
        "role": "officer",
        "password": "mật-khẩu-mới-123",
    }
    r = c.post("/admin/accounts", data=fields | {"unit": "so-tai-chnh"})
    assert r.status_code == 400 and "có phải là &#39;so-tai-chinh&#39;" in r.text
    assert "canbo3" not in {a.username for a in accounts.listing(st)}
    r = c.post("/admin/accounts", data=fields | {"unit": OWN}, follow_redirects=False)
    assert r.status_code == 303
    assert "<td>canbo3</td><td>canbo3</td><td>Cán bộ đơn vị</td><td>Sở Tài chính</td>" in (
        c.get("/admin/accounts").text
    )
    st.close()
