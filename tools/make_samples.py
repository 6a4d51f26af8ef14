"""Generate the 2018 Lạng Sơn sample campaign (samples/2018/) from criteria.yaml.

Deterministic: one random.Random(2018) drives every choice, units and leaves are visited in a
fixed order, so re-running the script rewrites byte-identical files.

    python tools/make_samples.py            # writes samples/2018/

Writes campaign.yaml, units/<unit-id>.yaml (self-assessments), survey.yaml and council.yaml in
the shape of README.md, "Campaign directory". Most answers are drawn from a per-unit "quality"
(units follow roughly the published 2018 order); the special cases in the tables below
(TIES, NA_*, MISSING_*, LATE, WARNING_V03, ADJUSTMENTS) are set by hand and described in
samples/README.md.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "samples" / "2018"
YEAR = 2018

# (id, name, group, tags, quality, document-number suffix)
UNITS: list[tuple[str, str, str, list[str], float, str]] = [
    ("so-tai-chinh", "Sở Tài chính", "department", [], 0.93, "STC"),
    ("so-giao-thong-van-tai", "Sở Giao thông vận tải", "department", [], 0.9, "SGTVT"),
    ("so-khoa-hoc-va-cong-nghe", "Sở Khoa học và Công nghệ", "department", [], 0.91, "SKHCN"),
    ("so-cong-thuong", "Sở Công thương", "department", [], 0.9, "SCT"),
    ("so-ngoai-vu", "Sở Ngoại vụ", "department", [], 0.88, "SNgV"),
    ("so-y-te", "Sở Y tế", "department", [], 0.86, "SYT"),
    ("van-phong-ubnd-tinh", "Văn phòng UBND tỉnh", "department", ["no_procedures"], 0.85, "VP"),
    ("so-xay-dung", "Sở Xây dựng", "department", [], 0.86, "SXD"),
    ("so-noi-vu", "Sở Nội vụ", "department", [], 0.83, "SNV"),
    ("thanh-tra-tinh", "Thanh tra tỉnh", "department", ["no_procedures"], 0.81, "TTr"),
    ("so-ke-hoach-va-dau-tu", "Sở Kế hoạch và Đầu tư", "department", [], 0.8, "SKHĐT"),
    (
        "so-nong-nghiep-va-phat-trien-nong-thon",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "department",
        [],
        0.78,
        "SNN",
    ),
    ("so-tu-phap", "Sở Tư pháp", "department", [], 0.77, "STP"),
    (
        "so-thong-tin-va-truyen-thong",
        "Sở Thông tin và Truyền thông",
        "department",
        [],
        0.75,
        "STTTT",
    ),
    (
        "ban-quan-ly-khu-kinh-te-cua-khau-dong-dang-lang-son",
        "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn",
        "department",
        [],
        0.73,
        "BQLKKT",
    ),
    ("so-tai-nguyen-va-moi-truong", "Sở Tài nguyên và Môi trường", "department", [], 0.71, "STNMT"),
    ("so-giao-duc-va-dao-tao", "Sở Giáo dục và Đào tạo", "department", [], 0.7, "SGDĐT"),
    (
        "so-van-hoa-the-thao-va-du-lich",
        "Sở Văn hóa, Thể thao và Du lịch",
        "department",
        [],
        0.68,
        "SVHTTDL",
    ),
    (
        "so-lao-dong-thuong-binh-va-xa-hoi",
        "Sở Lao động - Thương binh và Xã hội",
        "department",
        [],
        0.66,
        "SLĐTBXH",
    ),
    ("ban-dan-toc", "Ban Dân tộc", "department", ["no_procedures"], 0.62, "BDT"),
    ("thanh-pho-lang-son", "Thành phố Lạng Sơn", "district", [], 0.94, "UBND"),
    ("huyen-binh-gia", "Huyện Bình Gia", "district", [], 0.9, "UBND"),
    ("huyen-huu-lung", "Huyện Hữu Lũng", "district", [], 0.87, "UBND"),
    ("huyen-loc-binh", "Huyện Lộc Bình", "district", [], 0.84, "UBND"),
    ("huyen-chi-lang", "Huyện Chi Lăng", "district", [], 0.81, "UBND"),
    ("huyen-van-lang", "Huyện Văn Lãng", "district", [], 0.78, "UBND"),
    ("huyen-bac-son", "Huyện Bắc Sơn", "district", [], 0.76, "UBND"),
    ("huyen-trang-dinh", "Huyện Tràng Định", "district", [], 0.72, "UBND"),
    ("huyen-cao-loc", "Huyện Cao Lộc", "district", [], 0.7, "UBND"),
    ("huyen-dinh-lap", "Huyện Đình Lập", "district", [], 0.65, "UBND"),
    ("huyen-van-quan", "Huyện Văn Quan", "district", [], 0.76, "UBND"),
]

# Deliberate ties: the second unit gets exactly the first one's answers (only the document
# numbers differ), survey and council entries included.
TIES = {"so-xay-dung": "so-y-te", "huyen-van-quan": "huyen-bac-son"}

# Hand-set special cases, applied after the random draw (see samples/README.md).
NA_NO_LEGAL_DOC = ["so-ngoai-vu", "thanh-tra-tinh", "ban-dan-toc", "huyen-dinh-lap"]  # 2.1.1, 2.1.2
NA_NO_FINDINGS = ["so-khoa-hoc-va-cong-nghe", "huyen-van-lang"]  # 2.3.3
NO_SERVICE_UNITS = ["so-ngoai-vu", "thanh-tra-tinh", "ban-dan-toc"]  # 6.1.3 denominator 0
NO_SUBORDINATE_UNITS = ["ban-dan-toc"]  # 1.3.1 denominator 0
MISSING_EVIDENCE = {
    "so-cong-thuong": ["7.1.2"],
    "so-giao-duc-va-dao-tao": ["5.1.1", "6.1.1"],
    "huyen-loc-binh": ["3.2.1"],
    "huyen-trang-dinh": ["1.4.1"],
}
MISSING_ANSWER = {"so-tai-nguyen-va-moi-truong": ["7.4.2"]}
# (leaf, days late or None for not done)
LATE = {
    "ban-dan-toc": [("1.2.2", 14), ("1.2.4", 3), ("1.1.1", 9)],
    "so-lao-dong-thuong-binh-va-xa-hoi": [("1.2.3", 6), ("5.1.2", 21)],
    "so-van-hoa-the-thao-va-du-lich": [("1.2.1", 4)],
    "huyen-dinh-lap": [("1.2.1", None), ("1.2.4", 8)],
    "huyen-trang-dinh": [("1.1.1", 12), ("1.2.2", 5)],
}
# Verified-harassment count larger than the feedback received: triggers warning V03.
WARNING_V03 = "huyen-van-lang"
ADJUSTMENTS: dict[str, dict[str, dict[str, Any]]] = {
    "so-tai-chinh": {"TH1": {"count": 2}},
    "so-giao-thong-van-tai": {"TH2": {"level": "xuat-sac"}},
    "so-noi-vu": {"TH1": {"count": 1}},
    "so-tu-phap": {"TH2": {"level": "tot"}},
    "so-tai-nguyen-va-moi-truong": {"TR1": {"count": 1}, "TR3": {"count": 2}},
    "so-van-hoa-the-thao-va-du-lich": {"TR4": {"count": 1}},
    "ban-dan-toc": {"TR2": {"value": True}},
    "thanh-pho-lang-son": {"TH1": {"count": 2}, "TH2": {"level": "tot"}},
    "huyen-huu-lung": {"TH1": {"count": 1}},
    "huyen-binh-gia": {"TR4": {"count": 1}},
    "huyen-trang-dinh": {"TR2": {"value": True}},
    "huyen-cao-loc": {"TH2": {"level": "hoan-thanh"}, "TR3": {"count": 3}},
    "huyen-dinh-lap": {"TR1": {"count": 2}, "TR5": {"count": 1}},
}

# Denominator ranges of ratio and proportional leaves, per group where they differ.
DENOMINATORS: dict[str, tuple[int, int]] = {
    "department/1.3.1": (3, 12),
    "district/1.3.1": (24, 36),
    "1.3.2": (0, 12),
    "1.6.1": (25, 140),
    "2.1.1": (1, 5),
    "2.2.2": (0, 9),
    "department/3.1.2": (12, 60),
    "district/3.1.2": (20, 45),
    "department/3.2.1": (2, 10),
    "district/3.2.1": (8, 28),
    "3.2.2": (180, 260),
    "3.2.3": (30, 190),
    "department/3.3.1": (30, 190),
    "district/3.3.1": (180, 260),
    "department/3.4.1": (300, 18000),
    "district/3.4.1": (2500, 14000),
    "3.4.3": (2, 18),
    "department/4.2.2": (2, 15),
    "district/4.2.2": (8, 40),
    "department/5.1.1": (25, 160),
    "district/5.1.1": (90, 220),
    "department/5.3.1": (25, 160),
    "district/5.3.1": (90, 220),
    "6.1.3": (1, 8),
    "6.2.1": (8000, 180000),
    "6.3.1": (0, 9),
    "7.1.2": (900, 5200),
    "department/7.1.3": (25, 160),
    "district/7.1.3": (90, 220),
    "7.3.1": (30, 190),
    "7.3.2": (300, 9000),
    "8.2.1": (18, 30),
    "8.3.1": (4, 40),
}

COUNCIL_REASONS = {
    "1.2.5": {
        "1": (
            "Báo cáo đầy đủ nội dung, số liệu theo đề cương hướng dẫn, "
            "có đánh giá tồn tại và nguyên nhân."
        ),
        "0.75": (
            "Báo cáo cơ bản đầy đủ; một số số liệu giữa báo cáo quý và báo cáo năm chưa thống nhất."
        ),
        "0.5": "Báo cáo thiếu một số nội dung theo đề cương, chưa có số liệu về kiểm soát TTHC.",
        "0.25": "Báo cáo sơ sài, thiếu số liệu định lượng, chưa đánh giá kết quả so với kế hoạch.",
        "0": "Không gửi đủ báo cáo định kỳ trong năm.",
    },
    "4.3.1": {
        "2": "Thực hiện tốt các nhiệm vụ được phân cấp, có kiểm tra và báo cáo kết quả định kỳ.",
        "1.5": (
            "Thực hiện đầy đủ nhiệm vụ được phân cấp; việc kiểm tra nhiệm vụ đã phân cấp "
            "chưa thường xuyên."
        ),
        "1": "Thực hiện nhiệm vụ được phân cấp nhưng chưa có kế hoạch kiểm tra, theo dõi.",
        "0.5": "Còn chậm triển khai một số nhiệm vụ được phân cấp theo Quyết định của UBND tỉnh.",
        "0": "Không thực hiện nhiệm vụ được phân cấp.",
    },
}

DOC_TYPES = [
    ("Kế hoạch", "KH"),
    ("Báo cáo", "BC"),
    ("Quyết định", "QĐ"),
    ("Tờ trình", "TTr"),
    ("Thông báo", "TB"),
    ("Biên bản", "BB"),
    ("Văn bản", "CV"),
    ("Chương trình", "CTr"),
    ("Đề án", "ĐA"),
]


# --------------------------------------------------------------------------------------------
# Reading the index
# --------------------------------------------------------------------------------------------


def d(x: Any) -> Decimal:
    """An exact decimal from a YAML number."""
    return Decimal(str(x))


def filtered(nodes: list[dict[str, Any]], group: str) -> list[dict[str, Any]]:
    """The tree as seen by one group."""
    out = []
    for n in nodes:
        if "groups" in n and group not in n["groups"]:
            continue
        m = dict(n)
        if "children" in n:
            m["children"] = filtered(n["children"], group)
        out.append(m)
    return out


def leaves(nodes: list[dict[str, Any]], exempt: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Leaves in tree order, each with `_exempt` = the exempt tags inherited from its ancestors."""
    out = []
    for n in nodes:
        ex = exempt + tuple(n.get("exempt_tags", []))
        if n.get("children"):
            out += leaves(n["children"], ex)
        else:
            out.append(dict(n, _exempt=ex))
    return out


# --------------------------------------------------------------------------------------------
# What the rule gives (used for the self-score a unit claims)
# --------------------------------------------------------------------------------------------


def in_band(v: Decimal, b: dict[str, Any], lo: Decimal, hi: Decimal) -> bool:
    bmin, bmax = d(b.get("min", lo)), d(b.get("max", hi))
    mi = b.get("min_inclusive", True)
    ma = b.get("max_inclusive", "max" not in b or bmax == hi)
    return (v > bmin or (mi and v == bmin)) and (v < bmax or (ma and v == bmax))


def band_points(v: Decimal, rule: dict[str, Any], lo: Any, hi: Any) -> Decimal:
    for b in rule["bands"]:
        if in_band(v, b, d(lo), d(hi)):
            return d(b["points"])
    raise ValueError(f"{v} in no band")


def rule_points(leaf: dict[str, Any], ans: dict[str, Any]) -> Decimal | None:
    """Points the leaf's rule gives for `ans`; None when the answer makes the leaf N/A."""
    r, mx = leaf["rule"], d(leaf["max"])
    k = r["kind"]
    if k == "boolean":
        return d(r.get("yes", mx)) if ans["value"] else d(r.get("no", 0))
    if k == "deadline":
        if ans["done_on"] is None:
            return d(r["not_done"])
        late = (ans["done_on"] - r["due"]).days
        if late <= 0:
            return d(r["on_time"])
        if not isinstance(r["late"], list):
            return d(r["late"])
        for band in r["late"]:
            if "max_days" not in band or late <= band["max_days"]:
                return d(band["points"])
    if k in ("ratio_bands", "proportional"):
        num, den = ans["numerator"], ans["denominator"]
        if den == 0:
            z = r.get("zero_denominator", "zero")
            return None if z == "not_applicable" else (mx if z == "full" else Decimal(0))
        rate = Decimal(num) * 100 / Decimal(den)
        if k == "ratio_bands":
            return band_points(rate, r, 0, 100)
        if "threshold" in r and rate < d(r["threshold"]):
            return Decimal(0)
        return mx * min(rate / d(r["target"]), Decimal(1))
    if k == "value_bands":
        return band_points(d(ans["value"]), r, *r["range"])
    if k == "count_points":
        return min(ans["count"] * d(r["per_item"]), d(r.get("cap", mx)))
    if k == "count_deduction":
        return max(mx - ans["count"] * d(r["per_item"]), d(r.get("floor", 0)))
    if k == "ordinal_levels":
        return d(r["levels"][ans["level"]]["points"])
    if k == "compare_to_limit":
        a, lim = d(ans["actual"]), d(ans["limit"])
        return d(r["shorter"] if a < lim else r["equal"] if a == lim else r["longer"])
    raise ValueError(k)


def q2(x: Decimal) -> Decimal:
    """Two decimals, half up (the index's published precision)."""
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------------------------
# Drawing answers
# --------------------------------------------------------------------------------------------


class Drawer:
    """Draws one unit's inputs from its quality `q` (0..1)."""

    def __init__(self, rng: random.Random, q: float, group: str) -> None:
        self.rng, self.q, self.group = rng, q, group

    def good(self, bias: float = 0.0) -> bool:
        return self.rng.random() < min(0.97, 0.86 * self.q + bias)

    def rate(self) -> float:
        """A completion rate in percent: 100 for a good draw, else somewhere below."""
        if self.good(0.05):
            return 100.0
        return max(40.0, min(99.5, self.rng.gauss(70 + 28 * self.q, 8)))

    def denominator(self, leaf_id: str) -> int:
        lo, hi = DENOMINATORS.get(f"{self.group}/{leaf_id}") or DENOMINATORS[leaf_id]
        return self.rng.randint(lo, hi)

    def ratio(self, leaf: dict[str, Any]) -> dict[str, Any]:
        den = self.denominator(leaf["id"])
        lid = leaf["id"]
        if lid == "1.3.1":  # share of units inspected: 15-60 %
            share = 0.15 + 0.45 * self.q * self.rng.random() + (0.15 if self.good() else 0)
            return {"numerator": min(den, round(den * share)), "denominator": den}
        if lid == "7.3.1":  # share of procedures online at level 3/4 (2018: low)
            share = self.rng.uniform(0.08, 0.25) + 0.2 * self.q
            return {"numerator": round(den * share), "denominator": den}
        if lid == "7.3.2":  # share of dossiers filed online
            share = self.rng.uniform(0.01, 0.12) + 0.12 * self.q
            return {"numerator": round(den * share), "denominator": den}
        if lid == "7.1.2":  # electronic outgoing documents
            share = min(1.0, self.rng.uniform(0.45, 0.75) + 0.3 * self.q)
            return {"numerator": round(den * share), "denominator": den}
        if lid == "7.1.3":
            share = min(1.0, self.rng.uniform(0.7, 0.9) + 0.12 * self.q)
            return {"numerator": round(den * share), "denominator": den}
        if lid == "6.2.1":  # disbursement in VND million
            share = min(1.0, self.rng.uniform(0.6, 0.85) + 0.2 * self.q)
            return {"numerator": round(den * share), "denominator": den}
        if lid == "3.4.1":  # dossiers on time: usually 97-100 %
            if self.good(-0.15):
                return {"numerator": den, "denominator": den}
            late = max(1, round(den * self.rng.uniform(0.001, 0.04 * (1.2 - self.q))))
            return {"numerator": den - late, "denominator": den}
        if den == 0:
            return {"numerator": 0, "denominator": 0}
        num = min(den, round(den * self.rate() / 100))
        return {"numerator": num, "denominator": den}

    def value(self, leaf: dict[str, Any]) -> dict[str, Any]:
        _lo, hi = leaf["rule"]["range"]
        if hi == 1000000:  # a count: 0 for good units, sometimes 1-3
            if self.good(0.05):
                return {"value": 0}
            return {"value": self.rng.choice([1, 1, 2, 3])}
        if hi == 300:  # budget revenue against the estimate
            return {"value": round(self.rng.uniform(88, 104) + 10 * self.q, 1)}
        v = 100.0 if self.good(-0.1) else max(55.0, min(99.9, self.rng.gauss(72 + 25 * self.q, 7)))
        return {"value": round(v, 1)}

    def deadline(self, leaf: dict[str, Any]) -> dict[str, Any]:
        due: dt.date = leaf["rule"]["due"]
        if self.good(0.1):
            return {"done_on": due - dt.timedelta(days=self.rng.randint(0, 20))}
        if self.rng.random() < 0.08:
            return {"done_on": None}
        return {"done_on": due + dt.timedelta(days=self.rng.randint(1, 20))}

    def count_points(self, leaf: dict[str, Any]) -> dict[str, Any]:
        r = leaf["rule"]
        full = int(d(r.get("cap", leaf["max"])) / d(r["per_item"]))
        n = round(full * (0.3 + 0.8 * self.q) * self.rng.uniform(0.6, 1.2))
        return {"count": max(0, n)}

    def count_deduction(self, leaf: dict[str, Any]) -> dict[str, Any]:
        if self.good(0.1):
            return {"count": 0}
        return {"count": self.rng.choice([1, 1, 1, 2])}

    def ordinal(self, leaf: dict[str, Any]) -> dict[str, Any]:
        keys = list(leaf["rule"]["levels"])  # best first
        i = 0
        while i < len(keys) - 1 and not self.good(0.05):
            i += 1
        return {"level": keys[i]}

    def compare(self, leaf: dict[str, Any]) -> dict[str, Any]:
        limit = self.rng.choice([10, 12, 15, 20])
        if self.good(-0.1):
            actual = round(limit * self.rng.uniform(0.55, 0.9), 1)
        elif self.rng.random() < 0.6:
            actual = float(limit)
        else:
            actual = round(limit * self.rng.uniform(1.02, 1.15), 1)
        return {"actual": actual, "limit": limit}

    def answer(self, leaf: dict[str, Any]) -> dict[str, Any]:
        k = leaf["rule"]["kind"]
        if k == "boolean":
            return {"value": self.good(0.08)}
        if k == "deadline":
            return self.deadline(leaf)
        if k in ("ratio_bands", "proportional"):
            return self.ratio(leaf)
        if k == "value_bands":
            return self.value(leaf)
        if k == "count_points":
            return self.count_points(leaf)
        if k == "count_deduction":
            return self.count_deduction(leaf)
        if k == "ordinal_levels":
            return self.ordinal(leaf)
        if k == "compare_to_limit":
            return self.compare(leaf)
        raise ValueError(k)

    def survey(self, leaf: dict[str, Any]) -> dict[str, Any]:
        r = leaf["rule"]
        if r["kind"] == "external_value":
            return {"value": round(min(95.0, max(70.0, self.rng.gauss(62 + 30 * self.q, 2.5))), 1)}
        n = self.rng.randint(30, 120)
        pa = min(0.9, max(0.25, self.rng.gauss(0.72 * self.q - 0.04, 0.05)))
        pb = (1 - pa) * self.rng.uniform(0.55, 0.75)
        pc = (1 - pa - pb) * self.rng.uniform(0.6, 0.9)
        a, b, c = round(n * pa), round(n * pb), round(n * pc)
        c = max(0, min(c, n - a - b))
        return {"responses": {"A": a, "B": b, "C": c, "D": n - a - b - c}}

    def council(self, leaf: dict[str, Any]) -> dict[str, Any]:
        levels = sorted((d(x) for x in leaf["rule"]["levels"]), reverse=True)
        i = 0
        while i < len(levels) - 2 and not self.good(-0.05):
            i += 1
        score = levels[i]
        return {"score": score, "reason": COUNCIL_REASONS[leaf["id"]][str(score)]}


# --------------------------------------------------------------------------------------------
# Evidence and self-scores
# --------------------------------------------------------------------------------------------


def doc_type(text: str) -> str:
    for prefix, code in DOC_TYPES:
        if text.startswith(prefix):
            return code
    return "BC"


def undated(rng: random.Random, title: str) -> dt.date:
    """A plausible issue date: plans early in the year, yearly reports in November, others any
    month in between."""
    if title.startswith("Kế hoạch"):
        month = rng.randint(1, 3)
    elif title.startswith("Báo cáo") and "năm 2018" in title:
        month = 11
    else:
        month = rng.randint(2, 10)
    return dt.date(YEAR, month, rng.randint(1, 28))


def evidence_for(
    rng: random.Random, leaf: dict[str, Any], ans: dict[str, Any], suffix: str
) -> list[dict[str, Any]]:
    docs = leaf["evidence"]["documents_vi"]
    title = docs.split(";")[0].strip()
    when = ans.get("done_on") or undated(rng, title)
    item: dict[str, Any] = {
        "doc": f"{rng.randint(3, 480)}/{doc_type(title)}-{suffix}",
        "date": when,
        "title": title,
    }
    if rng.random() < 0.3:
        item["section"] = rng.choice(["Mục I", "Mục II", "Mục III", "Phụ lục I", "Phụ lục II"])
        item["page"] = rng.randint(2, 14)
    out = [item]
    if ";" in docs and rng.random() < 0.4:
        second = docs.split(";")[1].strip()
        second = second[0].upper() + second[1:]
        out.append(
            {
                "doc": f"{rng.randint(3, 480)}/{doc_type(second)}-{suffix}",
                "date": undated(rng, second),
                "title": second,
            }
        )
    return out


def claim(
    rng: random.Random, leaf: dict[str, Any], given: Decimal | None, boldness: float
) -> Decimal:
    """The self-score a unit writes: usually what the rule gives, sometimes a little more.

    Units round small shortfalls up to the full points and claim half of a larger one, which
    is what appraisal then takes back (2-4 points a unit, domain notes §4.3).
    """
    mx = d(leaf["max"])
    if given is None:
        return mx
    if given < mx and rng.random() < boldness:
        gap = mx - given
        if gap <= Decimal("0.5"):
            return mx
        return q2(given + (gap / 2 / Decimal("0.25")).to_integral_value() * Decimal("0.25"))
    return q2(given)


# --------------------------------------------------------------------------------------------
# Building the campaign
# --------------------------------------------------------------------------------------------


def build() -> dict[str, Any]:
    crit = yaml.safe_load((ROOT / "criteria.yaml").read_text(encoding="utf-8"))
    adj = yaml.safe_load((ROOT / "rules" / "adjustments.yaml").read_text(encoding="utf-8"))
    adj_items = {a["id"]: a for a in adj.get("bonuses", []) + adj.get("penalties", [])}
    rng = random.Random(2018)
    by_group = {g["id"]: leaves(filtered(crit["tree"], g["id"])) for g in crit["groups"]}

    units_out: dict[str, dict[str, Any]] = {}
    survey_out: dict[str, dict[str, Any]] = {}
    council_out: dict[str, dict[str, Any]] = {}
    meta = {u[0]: u for u in UNITS}

    for uid, _name, group, tags, q, suffix in UNITS:
        if uid in TIES:
            src = TIES[uid]
            unit = copy.deepcopy(units_out[src])
            unit["unit"] = uid
            old = meta[src][5]
            for ans in unit["answers"].values():
                for ev in ans.get("evidence", []):
                    ev["doc"] = ev["doc"].replace(f"-{old}", f"-{suffix}")
            for a in unit.get("adjustments", {}).values():
                for ev in a.get("evidence", []):
                    ev["doc"] = ev["doc"].replace(f"-{old}", f"-{suffix}")
            units_out[uid] = unit
            survey_out[uid] = copy.deepcopy(survey_out[src])
            council_out[uid] = copy.deepcopy(council_out[src])
            continue

        draw = Drawer(rng, q, group)
        boldness = 0.45
        answers: dict[str, dict[str, Any]] = {}
        survey: dict[str, dict[str, Any]] = {}
        council: dict[str, dict[str, Any]] = {}
        late = dict(LATE.get(uid, []))
        for leaf in by_group[group]:
            lid = leaf["id"]
            if set(leaf["_exempt"]) & set(tags):
                continue
            who = leaf.get("assessed_by", "self")
            if who == "survey":
                survey[lid] = draw.survey(leaf)
                continue
            if who == "council":
                council[lid] = draw.council(leaf)
                continue
            ans = draw.answer(leaf)
            # hand-set cases
            if lid in late:
                days = late[lid]
                ans = {
                    "done_on": None
                    if days is None
                    else leaf["rule"]["due"] + dt.timedelta(days=days)
                }
            if lid in ("2.1.1", "2.1.2") and uid in NA_NO_LEGAL_DOC:
                answers[lid] = {
                    "na": True,
                    "note": "Năm 2018 không được giao chủ trì xây dựng VBQPPL",
                }
                continue
            if lid == "2.3.3" and uid in NA_NO_FINDINGS:
                answers[lid] = {
                    "na": True,
                    "note": "Qua theo dõi thi hành pháp luật không phát hiện vấn đề cần xử lý",
                }
                continue
            if lid == "6.1.3" and uid in NO_SERVICE_UNITS:  # N/A through the zero denominator
                answers[lid] = {
                    "numerator": 0,
                    "denominator": 0,
                    "note": "Không có đơn vị sự nghiệp công lập trực thuộc",
                }
                continue
            if lid == "1.3.1" and uid in NO_SUBORDINATE_UNITS:
                ans = {
                    "numerator": 0,
                    "denominator": 0,
                    "note": "Cơ quan không có đơn vị trực thuộc",
                }
            if uid == WARNING_V03 and lid == "3.4.3":
                ans = {"numerator": 0, "denominator": 0}
            if uid == WARNING_V03 and lid == "3.4.4":
                ans = {"count": 1}
            if lid in MISSING_ANSWER.get(uid, []):
                continue
            given = rule_points(leaf, ans)
            ans["self_score"] = claim(rng, leaf, given, boldness)
            ev = leaf.get("evidence") or {}
            needs = ev.get("required") or (
                leaf["rule"]["kind"] == "count_deduction" and ans["count"] > 0
            )
            if needs and ev:
                docs = evidence_for(rng, leaf, ans, suffix)
                if lid in MISSING_EVIDENCE.get(uid, []):
                    ans["self_score"] = d(leaf["max"])  # claimed in full, nothing to show
                else:
                    ans["evidence"] = docs
            answers[lid] = ans
        unit: dict[str, Any] = {"unit": uid, "index": crit["index"]["id"], "answers": answers}
        adjustments = {}
        for aid, a in ADJUSTMENTS.get(uid, {}).items():
            item = dict(a)
            spec = adj_items[aid]
            if (spec.get("evidence") or {}).get("required") or aid in ("TR1", "TR3"):
                title = (spec.get("evidence") or {}).get("documents_vi") or spec["title_vi"]
                item["evidence"] = [
                    {
                        "doc": f"{rng.randint(10, 2600)}/QĐ-UBND",
                        "date": dt.date(YEAR, rng.randint(3, 11), rng.randint(1, 28)),
                        "title": title,
                    }
                ]
            if aid.startswith("TH"):
                item["self_score"] = d(spec["max"])
            adjustments[aid] = item
        if adjustments:
            unit["adjustments"] = adjustments
        units_out[uid] = unit
        survey_out[uid] = survey
        council_out[uid] = council

    campaign = {
        "id": crit["index"]["id"],
        "year": YEAR,
        "index": "../../criteria.yaml",
        "rules": "../../rules",
        "survey": "survey.yaml",
        "council": "council.yaml",
        "units": [
            dict({"id": u, "name": n, "group": g}, **({"tags": t} if t else {}))
            for u, n, g, t, _q, _s in UNITS
        ],
    }
    return {
        "campaign": campaign,
        "units": units_out,
        "survey": {"units": survey_out},
        "council": {"units": council_out},
    }


# --------------------------------------------------------------------------------------------
# Writing YAML
# --------------------------------------------------------------------------------------------


class LeafId(str):
    """A leaf id, always written in double quotes."""


class Dumper(yaml.SafeDumper):
    """Safe dumper that never writes anchors or aliases (the same date object appears twice)."""

    def ignore_aliases(self, data: Any) -> bool:
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
Dumper.add_representer(float, _float)


def quote_ids(answers: dict[str, Any]) -> dict[LeafId, Any]:
    return {LeafId(k): v for k, v in answers.items()}


def dump(path: Path, data: Any, header: str) -> None:
    text = yaml.dump(
        data,
        Dumper=Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1000,
        default_flow_style=None,
    )
    path.write_text(
        f"# {header}\n# Generated by tools/make_samples.py; do not edit by hand.\n{text}",
        encoding="utf-8",
    )


def main() -> None:
    data = build()
    (OUT / "units").mkdir(parents=True, exist_ok=True)
    for old in (OUT / "units").glob("*.yaml"):
        old.unlink()
    dump(
        OUT / "campaign.yaml",
        data["campaign"],
        "Lạng Sơn 2018 sample campaign: 20 departments, 11 districts",
    )
    for uid, unit in data["units"].items():
        unit = dict(unit, answers=quote_ids(unit["answers"]))
        dump(OUT / "units" / f"{uid}.yaml", unit, f"Self-assessment of {uid} (sample data)")
    for kind in ("survey", "council"):
        body = {"units": {u: quote_ids(a) for u, a in data[kind]["units"].items()}}
        dump(OUT / f"{kind}.yaml", body, f"{kind.capitalize()} answers per unit (sample data)")


if __name__ == "__main__":
    main()
