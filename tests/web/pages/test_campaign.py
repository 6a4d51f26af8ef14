"""The campaign page's unit list: by group, each group in Vietnamese alphabetical order."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from scoring.store.db import Store
from scoring.web import create_app
from tests.support.web import CID, NOW, client_as, open_copy, sign_in

# The 2018 sample's units as a reader looks for them: campaign.yaml lists them in the decision's
# ranked order; code-point order would put "Giao thông" before "Giáo dục" and Đình Lập last.
DEPARTMENTS = [
    "Ban Dân tộc",
    "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn",
    "Sở Công thương",
    "Sở Giáo dục và Đào tạo",
    "Sở Giao thông vận tải",
    "Sở Kế hoạch và Đầu tư",
    "Sở Khoa học và Công nghệ",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Ngoại vụ",
    "Sở Nội vụ",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Tài chính",
    "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông",
    "Sở Tư pháp",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Xây dựng",
    "Sở Y tế",
    "Thanh tra tỉnh",
    "Văn phòng UBND tỉnh",
]
DISTRICTS = [
    "Huyện Bắc Sơn",
    "Huyện Bình Gia",
    "Huyện Cao Lộc",
    "Huyện Chi Lăng",
    "Huyện Đình Lập",
    "Huyện Hữu Lũng",
    "Huyện Lộc Bình",
    "Huyện Tràng Định",
    "Huyện Văn Lãng",
    "Huyện Văn Quan",
    "Thành phố Lạng Sơn",
]
LINK = re.compile(rf'<a href="/c/{CID}/u/[^"]+">([^<]+)</a>')


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The web app on a copy of the store with the 2018 samples imported."""
    store: Store = open_copy(tmp_path)
    with TestClient(create_app(store, clock=lambda: NOW)) as c:
        yield c
    store.close()


def test_units_are_listed_by_group_in_vietnamese_order(client: TestClient) -> None:
    """The appraiser's list of units shows the departments, then the districts, each in
    Vietnamese alphabetical order, not in the campaign file's order."""
    sign_in(client, "thamdinh")
    page = client.get(f"/c/{CID}")
    assert page.status_code == 200
    table = page.text[page.text.index('<table id="units">') :]
    names = [m.replace("&#39;", "'") for m in LINK.findall(table)]
    assert names == DEPARTMENTS + DISTRICTS


def test_units_groups_are_named_not_coded(client: TestClient) -> None:
    """The campaign page names each unit's group as the index does (Sở, ban, ngành), not by its
    id (department)."""
    sign_in(client, "thamdinh")
    page = client.get(f"/c/{CID}").text
    table = page[page.index('<table id="units">') :]
    assert "<td>Sở, ban, ngành</td>" in table
    assert "<td>department</td>" not in table and "<td>district</td>" not in table


@pytest.mark.parametrize("user", ["quantri", "canbo"])
def test_home_lists_campaigns_by_their_names(tmp_path: Path, user: str) -> None:
    """The home page's campaign list names each campaign as people know it (Lạng Sơn 2018),
    for an officer (linking to its unit) as for the Home Affairs staff; the id stays in links."""
    store: Store = open_copy(tmp_path)
    try:
        page = client_as(store, user).get("/").text
    finally:
        store.close()
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    names = re.findall(rf'<a href="/c/{CID}[^"]*">([^<]+)</a>', body)
    assert names == ["Lạng Sơn 2018"]
    assert f">{CID}<" not in body
