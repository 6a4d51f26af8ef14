"""Generate the Lạng Sơn sample campaigns (samples/2018/, samples/2019/) from criteria.yaml.

Deterministic: seeded random streams drive every choice and units and leaves are visited in a
fixed order, so re-running the script rewrites byte-identical files.

    python tools/make_samples.py            # writes samples/2018/ and samples/2019/

Per year it writes campaign.yaml (units, schedule, submission dates), units/<unit-id>.yaml
(self-assessments), survey.yaml and council.yaml in the shape of README.md, "Campaign
directory", then the workflow files: appraisal-1.yaml, explanations.yaml and appraisal-2.yaml.
2019 also gets its own index, samples/2019/criteria.yaml (criteria.yaml moved to 2019).

Most answers are drawn from a per-unit "quality" (units follow roughly the published 2018 order);
the special cases in the tables below (TIES, NA_*, MISSING_*, LATE, WARNING_V03, ADJUSTMENTS,
SCHEDULE, LATE_SUBMITTED, ADJUSTMENT_CHANGES, DESIGNED_EXPLANATIONS, ROUND_1_TARGETS and their
_2019 counterparts) are set by hand and described in samples/README.md. The 2018 answers come
from one stream, random.Random(2018), exactly as before the workflow files were added; 2019
answers and each unit's appraisal changes come from per-unit streams.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

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

# The workflow of 2018 (campaign.yaml `schedule`): Lạng Sơn published QĐ 2633/QĐ-UBND on
# 21/12/2018; the other dates are modelled on that (domain notes §4.2).
SCHEDULE = {
    "self_assessment_due": dt.date(2018, 11, 30),
    "explanation_due": dt.date(2018, 12, 12),
    "appraisal_1_on": dt.date(2018, 12, 5),
    "appraisal_2_on": dt.date(2018, 12, 15),
    "publish_on": dt.date(2018, 12, 21),
}
# Units that locked their self-assessment after the due date (they carry penalty TR2).
LATE_SUBMITTED = {"ban-dan-toc": dt.date(2018, 12, 3), "huyen-trang-dinh": dt.date(2018, 12, 4)}
# Hand-set appraisal changes of bonuses and penalties: (round, unit, item, score, reason,
# appraiser or None for the file's default).
ADJUSTMENT_CHANGES: list[tuple[int, str, str, str, str, str | None]] = [
    (
        1,
        "so-tai-chinh",
        "TH1",
        "0.5",
        "Chỉ 1 sáng kiến có quyết định công nhận của UBND tỉnh; sáng kiến còn lại mới được "
        "Hội đồng sáng kiến cơ sở công nhận",
        "Nguyễn Thị Hà",
    ),
    (
        1,
        "so-tai-nguyen-va-moi-truong",
        "TR3",
        "0.75",
        "Phần mềm một cửa điện tử ghi nhận 3 hồ sơ trễ hạn không có văn bản xin lỗi "
        "(đơn vị kê khai 2)",
        None,
    ),
    (
        1,
        "so-ke-hoach-va-dau-tu",
        "TR4",
        "0.25",
        "Báo cáo CCHC quý III/2018 phải gửi lại do sai số liệu về TTHC (theo văn bản của "
        "Sở Nội vụ); đơn vị không tự kê khai",
        None,
    ),
]
# Round-1 drops set by hand (points), the others are drawn between 1.5 and 4: Sở Tài chính
# stays first of the departments after appraisal, as in the published 2018 list.
ROUND_1_TARGETS = {"so-tai-chinh": "2"}
# Explanations set by hand (unit, node, accepted): the rest are drawn.
DESIGNED_EXPLANATIONS: list[tuple[str, str, bool]] = [
    ("so-cong-thuong", "7.1.2", True),
    ("so-giao-duc-va-dao-tao", "5.1.1", False),
    ("so-tai-chinh", "TH1", False),
]

# --------------------------------------------------------------------------------------------
# 2019: the same units a year on (samples/2019/). Each unit draws from its own stream; its
# quality was picked (a grid search within about ±0.1 of its 2018 quality) so that its computed
# index moves as designed: most units gain 1-5 points, five fall, two of the weakest 2018 units
# gain 7-8 (samples/README.md, "2019"). The comments give the computed index of 2018 and 2019.
# --------------------------------------------------------------------------------------------

QUALITY_2019: dict[str, float] = {
    "so-tai-chinh": 0.91,  # computed index 91.87 -> 92.77
    "so-giao-thong-van-tai": 0.895,  # computed index 88.97 -> 87.59
    "so-khoa-hoc-va-cong-nghe": 0.83,  # computed index 83.98 -> 86.58
    "so-cong-thuong": 0.805,  # computed index 88.63 -> 88.16
    "so-ngoai-vu": 0.9,  # computed index 89.04 -> 91.11
    "so-y-te": 0.975,  # computed index 88.25 -> 90.60
    "van-phong-ubnd-tinh": 0.805,  # computed index 87.81 -> 89.38
    "so-xay-dung": 0.95,  # computed index 88.25 -> 91.24
    "so-noi-vu": 0.94,  # computed index 90.42 -> 94.31
    "thanh-tra-tinh": 0.91,  # computed index 89.22 -> 86.94
    "so-ke-hoach-va-dau-tu": 0.81,  # computed index 84.53 -> 86.00
    "so-nong-nghiep-va-phat-trien-nong-thon": 0.87,  # computed index 86.52 -> 88.45
    "so-tu-phap": 0.815,  # computed index 83.22 -> 86.96
    "so-thong-tin-va-truyen-thong": 0.81,  # computed index 82.28 -> 87.21
    "ban-quan-ly-khu-kinh-te-cua-khau-dong-dang-lang-son": 0.635,  # computed index 74.73 -> 77.45
    "so-tai-nguyen-va-moi-truong": 0.68,  # computed index 76.72 -> 81.81
    "so-giao-duc-va-dao-tao": 0.72,  # computed index 80.95 -> 77.40
    "so-van-hoa-the-thao-va-du-lich": 0.74,  # computed index 81.50 -> 83.14
    "so-lao-dong-thuong-binh-va-xa-hoi": 0.67,  # computed index 75.49 -> 80.83
    "ban-dan-toc": 0.65,  # computed index 71.33 -> 78.78
    "thanh-pho-lang-son": 0.96,  # computed index 92.66 -> 93.62
    "huyen-binh-gia": 0.84,  # computed index 87.80 -> 88.70
    "huyen-huu-lung": 0.86,  # computed index 89.65 -> 91.93
    "huyen-loc-binh": 0.88,  # computed index 86.11 -> 84.30
    "huyen-chi-lang": 0.88,  # computed index 88.37 -> 91.49
    "huyen-van-lang": 0.79,  # computed index 83.32 -> 85.67
    "huyen-bac-son": 0.78,  # computed index 83.20 -> 88.07
    "huyen-trang-dinh": 0.7,  # computed index 78.78 -> 82.11
    "huyen-cao-loc": 0.72,  # computed index 73.14 -> 80.91
    "huyen-dinh-lap": 0.64,  # computed index 73.30 -> 74.24
    "huyen-van-quan": 0.76,  # computed index 83.20 -> 84.77
}
NA_NO_LEGAL_DOC_2019 = ["so-ngoai-vu", "thanh-tra-tinh", "ban-dan-toc"]
NA_NO_FINDINGS_2019 = ["so-ngoai-vu", "huyen-binh-gia"]
MISSING_EVIDENCE_2019 = {
    "so-tai-nguyen-va-moi-truong": ["3.4.1"],
    "so-lao-dong-thuong-binh-va-xa-hoi": ["2.4.1"],
    "huyen-cao-loc": ["5.3.1"],
}
MISSING_ANSWER_2019 = {"ban-quan-ly-khu-kinh-te-cua-khau-dong-dang-lang-son": ["7.4.2"]}
LATE_2019 = {
    "so-giao-duc-va-dao-tao": [("1.2.4", 4), ("1.2.2", 12)],
    "huyen-dinh-lap": [("1.2.2", 6), ("5.1.2", 18)],
}
ADJUSTMENTS_2019: dict[str, dict[str, dict[str, Any]]] = {
    "so-tai-chinh": {"TH1": {"count": 1}},
    "so-giao-thong-van-tai": {"TH1": {"count": 1}},
    "so-noi-vu": {"TH1": {"count": 2}, "TH2": {"level": "tot"}},
    "so-thong-tin-va-truyen-thong": {"TH2": {"level": "xuat-sac"}},
    "so-tai-nguyen-va-moi-truong": {"TR3": {"count": 1}},
    "so-giao-duc-va-dao-tao": {"TR2": {"value": True}},
    "so-lao-dong-thuong-binh-va-xa-hoi": {"TR4": {"count": 2}},
    "ban-quan-ly-khu-kinh-te-cua-khau-dong-dang-lang-son": {"TR5": {"count": 1}},
    "thanh-pho-lang-son": {"TH1": {"count": 2}},
    "huyen-huu-lung": {"TH2": {"level": "xuat-sac"}},
    "huyen-chi-lang": {"TH1": {"count": 1}},
    "huyen-cao-loc": {"TR3": {"count": 2}},
    "huyen-dinh-lap": {"TR1": {"count": 1}, "TR2": {"value": True}},
}
# Invented in the pattern of 2018 (the 2019 decision's number and date are not in the sources).
SCHEDULE_2019 = {
    "self_assessment_due": dt.date(2019, 11, 29),
    "explanation_due": dt.date(2019, 12, 13),
    "appraisal_1_on": dt.date(2019, 12, 6),
    "appraisal_2_on": dt.date(2019, 12, 18),
    "publish_on": dt.date(2019, 12, 24),
}
LATE_SUBMITTED_2019 = {
    "so-giao-duc-va-dao-tao": dt.date(2019, 12, 4),
    "huyen-dinh-lap": dt.date(2019, 12, 3),
}
ADJUSTMENT_CHANGES_2019: list[tuple[int, str, str, str, str, str | None]] = [
    (
        1,
        "thanh-pho-lang-son",
        "TH1",
        "0.5",
        "Mô hình “Bộ phận một cửa thân thiện” đã được công nhận năm 2018, không tính lại; "
        "chỉ công nhận 1 sáng kiến năm 2019",
        None,
    ),
    (
        1,
        "huyen-cao-loc",
        "TR3",
        "0.75",
        "Phần mềm một cửa điện tử ghi nhận 3 hồ sơ trễ hạn không có văn bản xin lỗi "
        "(đơn vị kê khai 2)",
        None,
    ),
    (
        2,
        "so-xay-dung",
        "TR4",
        "0.25",
        "Báo cáo CCHC 6 tháng đầu năm 2019 phải gửi lại do sai số liệu về kiểm soát TTHC "
        "(phát hiện khi thẩm định lần 2)",
        None,
    ),
]
DESIGNED_EXPLANATIONS_2019: list[tuple[str, str, bool]] = [
    ("so-tai-nguyen-va-moi-truong", "3.4.1", True),
    ("huyen-cao-loc", "5.3.1", False),
]


@dataclass(frozen=True)
class YearSpec:
    """Everything that differs between two years' sample campaigns."""

    year: int
    criteria: Path  # the index the answers are drawn against
    index_ref: str  # `index:` of campaign.yaml, relative to the campaign folder
    quality: dict[str, float]
    shared_stream: bool  # one random stream for all units (2018) or one per unit
    ties: dict[str, str]
    na_no_legal_doc: list[str]
    na_no_findings: list[str]
    no_service_units: list[str]
    no_subordinate_units: list[str]
    missing_evidence: dict[str, list[str]]
    missing_answer: dict[str, list[str]]
    late: dict[str, list[tuple[str, int | None]]]
    warning_v03: str | None
    adjustments: dict[str, dict[str, dict[str, Any]]]
    schedule: dict[str, dt.date]
    late_submitted: dict[str, dt.date]
    adjustment_changes: list[tuple[int, str, str, str, str, str | None]]
    designed_explanations: list[tuple[str, str, bool]]
    publish_note: str
    round_1_targets: dict[str, str] = field(default_factory=dict)

    @property
    def out(self) -> Path:
        return SAMPLES / str(self.year)


Y2018 = YearSpec(
    year=2018,
    criteria=ROOT / "criteria.yaml",
    index_ref="../../criteria.yaml",
    quality={u[0]: u[4] for u in UNITS},
    shared_stream=True,
    ties=TIES,
    na_no_legal_doc=NA_NO_LEGAL_DOC,
    na_no_findings=NA_NO_FINDINGS,
    no_service_units=NO_SERVICE_UNITS,
    no_subordinate_units=NO_SUBORDINATE_UNITS,
    missing_evidence=MISSING_EVIDENCE,
    missing_answer=MISSING_ANSWER,
    late=LATE,
    warning_v03=WARNING_V03,
    adjustments=ADJUSTMENTS,
    schedule=SCHEDULE,
    late_submitted=LATE_SUBMITTED,
    adjustment_changes=ADJUSTMENT_CHANGES,
    designed_explanations=DESIGNED_EXPLANATIONS,
    publish_note="Lạng Sơn published QĐ 2633/QĐ-UBND on 21/12/2018",
    round_1_targets=ROUND_1_TARGETS,
)
Y2019 = YearSpec(
    year=2019,
    criteria=SAMPLES / "2019" / "criteria.yaml",
    index_ref="criteria.yaml",
    quality=QUALITY_2019,
    shared_stream=False,
    ties={},
    na_no_legal_doc=NA_NO_LEGAL_DOC_2019,
    na_no_findings=NA_NO_FINDINGS_2019,
    no_service_units=NO_SERVICE_UNITS,
    no_subordinate_units=NO_SUBORDINATE_UNITS,
    missing_evidence=MISSING_EVIDENCE_2019,
    missing_answer=MISSING_ANSWER_2019,
    late=LATE_2019,
    warning_v03=None,
    adjustments=ADJUSTMENTS_2019,
    schedule=SCHEDULE_2019,
    late_submitted=LATE_SUBMITTED_2019,
    adjustment_changes=ADJUSTMENT_CHANGES_2019,
    designed_explanations=DESIGNED_EXPLANATIONS_2019,
    publish_note="invented date, in the pattern of 2018",
)

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

    def __init__(self, rng: random.Random, q: float, group: str, year: int = 2018) -> None:
        self.rng, self.q, self.group = rng, q, group
        # Online public services grew fast after 2018; the draw consumes the same random numbers.
        self.online = 0.0 if year <= 2018 else 0.12

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
            share = self.rng.uniform(0.08, 0.25) + 0.2 * self.q + self.online
            return {"numerator": round(den * share), "denominator": den}
        if lid == "7.3.2":  # share of dossiers filed online
            share = self.rng.uniform(0.01, 0.12) + 0.12 * self.q + self.online / 3
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


def undated(rng: random.Random, title: str, year: int) -> dt.date:
    """A plausible issue date: plans early in the year, yearly reports in November, others any
    month in between."""
    if title.startswith("Kế hoạch"):
        month = rng.randint(1, 3)
    elif title.startswith("Báo cáo") and f"năm {year}" in title:
        month = 11
    else:
        month = rng.randint(2, 10)
    return dt.date(year, month, rng.randint(1, 28))


def no_later(when: dt.date, latest: dt.date | None) -> dt.date:
    """`when`, or `latest` if that is earlier (a unit cannot cite a document it has not got)."""
    return when if latest is None or when <= latest else latest


def evidence_for(
    rng: random.Random,
    leaf: dict[str, Any],
    ans: dict[str, Any],
    suffix: str,
    year: int,
    latest: dt.date | None = None,
) -> list[dict[str, Any]]:
    docs = leaf["evidence"]["documents_vi"]
    title = docs.split(";")[0].strip()
    when = ans.get("done_on") or no_later(undated(rng, title, year), latest)
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
                "date": no_later(undated(rng, second, year), latest),
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


def build(spec: YearSpec, latest: dict[str, dt.date] | None = None) -> dict[str, Any]:
    """Draw every unit's self-assessment, survey and council answers for one year.

    `latest` (2019 on): per unit, the day it locked its self-assessment; no date in its file is
    later than that day.
    """
    crit = yaml.safe_load(spec.criteria.read_text(encoding="utf-8"))
    adj = yaml.safe_load((ROOT / "rules" / "adjustments.yaml").read_text(encoding="utf-8"))
    adj_items = {a["id"]: a for a in adj.get("bonuses", []) + adj.get("penalties", [])}
    shared = random.Random(spec.year)
    by_group = {g["id"]: leaves(filtered(crit["tree"], g["id"])) for g in crit["groups"]}
    year = spec.year

    units_out: dict[str, dict[str, Any]] = {}
    survey_out: dict[str, dict[str, Any]] = {}
    council_out: dict[str, dict[str, Any]] = {}
    meta = {u[0]: u for u in UNITS}

    for uid, _name, group, tags, _q, suffix in UNITS:
        if uid in spec.ties:
            src = spec.ties[uid]
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

        # 2018 draws every unit from one stream (the committed files depend on it); later years
        # give each unit its own stream, so tuning one unit's quality leaves the others alone.
        rng = shared if spec.shared_stream else random.Random(f"{year}/{uid}")
        until = (latest or {}).get(uid)
        draw = Drawer(rng, spec.quality[uid], group, year)
        boldness = 0.45
        answers: dict[str, dict[str, Any]] = {}
        survey: dict[str, dict[str, Any]] = {}
        council: dict[str, dict[str, Any]] = {}
        late = dict(spec.late.get(uid, []))
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
            if ans.get("done_on") is not None:
                ans["done_on"] = no_later(ans["done_on"], until)
            if lid in ("2.1.1", "2.1.2") and uid in spec.na_no_legal_doc:
                answers[lid] = {
                    "na": True,
                    "note": f"Năm {year} không được giao chủ trì xây dựng VBQPPL",
                }
                continue
            if lid == "2.3.3" and uid in spec.na_no_findings:
                answers[lid] = {
                    "na": True,
                    "note": "Qua theo dõi thi hành pháp luật không phát hiện vấn đề cần xử lý",
                }
                continue
            if lid == "6.1.3" and uid in spec.no_service_units:  # N/A through the zero denominator
                answers[lid] = {
                    "numerator": 0,
                    "denominator": 0,
                    "note": "Không có đơn vị sự nghiệp công lập trực thuộc",
                }
                continue
            if lid == "1.3.1" and uid in spec.no_subordinate_units:
                ans = {
                    "numerator": 0,
                    "denominator": 0,
                    "note": "Cơ quan không có đơn vị trực thuộc",
                }
            if uid == spec.warning_v03 and lid == "3.4.3":
                ans = {"numerator": 0, "denominator": 0}
            if uid == spec.warning_v03 and lid == "3.4.4":
                ans = {"count": 1}
            if lid in spec.missing_answer.get(uid, []):
                continue
            given = rule_points(leaf, ans)
            ans["self_score"] = claim(rng, leaf, given, boldness)
            ev = leaf.get("evidence") or {}
            needs = ev.get("required") or (
                leaf["rule"]["kind"] == "count_deduction" and ans["count"] > 0
            )
            if needs and ev:
                docs = evidence_for(rng, leaf, ans, suffix, year, until)
                if lid in spec.missing_evidence.get(uid, []):
                    ans["self_score"] = d(leaf["max"])  # claimed in full, nothing to show
                else:
                    ans["evidence"] = docs
            answers[lid] = ans
        unit: dict[str, Any] = {"unit": uid, "index": crit["index"]["id"], "answers": answers}
        adjustments = {}
        for aid, a in spec.adjustments.get(uid, {}).items():
            item = dict(a)
            spec_item = adj_items[aid]
            if (spec_item.get("evidence") or {}).get("required") or aid in ("TR1", "TR3"):
                title = (spec_item.get("evidence") or {}).get("documents_vi") or spec_item[
                    "title_vi"
                ]
                item["evidence"] = [
                    {
                        "doc": f"{rng.randint(10, 2600)}/QĐ-UBND",
                        "date": no_later(
                            dt.date(year, rng.randint(3, 11), rng.randint(1, 28)), until
                        ),
                        "title": title,
                    }
                ]
            if aid.startswith("TH"):
                item["self_score"] = d(spec_item["max"])
            adjustments[aid] = item
        if adjustments:
            unit["adjustments"] = adjustments
        units_out[uid] = unit
        survey_out[uid] = survey
        council_out[uid] = council

    campaign = {
        "id": crit["index"]["id"],
        "year": year,
        "index": spec.index_ref,
        "rules": "../../rules",
        "survey": "survey.yaml",
        "council": "council.yaml",
        "units": [
            dict({"id": u, "name": n, "group": g}, **({"tags": t} if t else {}))
            for u, n, g, t, _q, _s in UNITS
        ],
    }
    return {
        "crit": crit,
        "by_group": by_group,
        "adj_items": adj_items,
        "campaign": campaign,
        "units": units_out,
        "survey": {"units": survey_out},
        "council": {"units": council_out},
    }


# --------------------------------------------------------------------------------------------
# Appraisal: what the engine gives each leaf, and the changes of rounds 1 and 2
# --------------------------------------------------------------------------------------------

ROUND_1_BY = "Tổ thẩm định Sở Nội vụ"
ROUND_2_BY = "Hội đồng thẩm định Chỉ số CCHC tỉnh"
# Line departments that check their own field (domain notes §4.1), by node prefix.
LINE_DEPARTMENTS = [
    ("2.", "Sở Tư pháp"),
    ("6.", "Sở Tài chính"),
    ("7.1.", "Sở Thông tin và Truyền thông"),
    ("7.2.", "Sở Thông tin và Truyền thông"),
    ("7.3.", "Sở Thông tin và Truyền thông"),
]
CONFIRM_MISSING = "Không có tài liệu kiểm chứng"
IOFFICE = "phần mềm quản lý văn bản iOffice"

BOOLEAN_REASONS: dict[str, tuple[str, str]] = {
    "1.1.2": (
        "content",
        "Kế hoạch chưa xác định nhiệm vụ trên lĩnh vực cải cách tài chính công và xây dựng "
        "chính quyền điện tử; nhiều nhiệm vụ không có thời hạn, sản phẩm cụ thể",
    ),
    "2.3.1": (
        "authority",
        "Kế hoạch theo dõi tình hình thi hành pháp luật do phòng chuyên môn ban hành, không "
        "đúng thẩm quyền (phải do Thủ trưởng cơ quan ký)",
    ),
    "department/3.2.2": (
        "content",
        "Kiểm tra thực tế tại Trung tâm Hành chính công: 4 TTHC của đơn vị chưa được niêm yết "
        "công khai theo quyết định công bố",
    ),
    "department/3.3.3": (
        "content",
        "01 công chức được cử đến Trung tâm Hành chính công chưa đáp ứng tiêu chuẩn về thời "
        "gian công tác theo quy định",
    ),
    "district/3.3.3": (
        "content",
        "Kiểm tra thực tế: Bộ phận một cửa chưa bố trí khu vực chờ, máy lấy số thứ tự theo "
        "quy định",
    ),
    "department/4.1.1": (
        "content",
        "Quy định chức năng, nhiệm vụ của 02 phòng, đơn vị trực thuộc chưa được ban hành lại "
        "sau khi sắp xếp tổ chức bộ máy; nhiệm vụ giữa các phòng còn chồng chéo",
    ),
    "district/4.1.1": (
        "authority",
        "Quy định chức năng, nhiệm vụ của 02 phòng chuyên môn do Trưởng phòng Nội vụ ký, không "
        "đúng thẩm quyền (thuộc thẩm quyền UBND huyện)",
    ),
    "4.2.1": (
        "figures",
        "Theo cơ sở dữ liệu CBCCVC của Sở Nội vụ, số người làm việc vượt 02 người so với số "
        "được giao",
    ),
    "5.2.2": (
        "content",
        "01 hồ sơ bổ nhiệm lại thiếu nhận xét, đánh giá của chi ủy nơi cư trú; chưa đúng quy trình",
    ),
    "6.1.1": (
        "content",
        "Tài liệu kiểm chứng là quyết định giao tự chủ của giai đoạn trước; chưa có quyết định "
        "giao tự chủ cho năm đánh giá",
    ),
    "7.3.3": (
        "figures",
        "Bưu điện tỉnh không ghi nhận hồ sơ tiếp nhận, trả kết quả qua dịch vụ bưu chính công "
        "ích của đơn vị trong năm",
    ),
}
COUNT_POINTS_REASONS: dict[str, tuple[str, str]] = {
    "1.5.1": ("sáng kiến, giải pháp", "có tài liệu chứng minh việc triển khai áp dụng"),
    "department/3.1.3": ("phương án đơn giản hóa", "được cấp có thẩm quyền thông qua"),
    "district/3.1.3": ("kiến nghị, phương án", "được gửi cấp có thẩm quyền đúng quy định"),
    "5.4.2": ("lượt cử đi bồi dưỡng", "có quyết định cử đi học hoặc giấy chứng nhận"),
    "7.1.4": ("phần mềm, cơ sở dữ liệu", "đang được vận hành, sử dụng thực tế"),
    "8.1.2": (
        "doanh nghiệp, hợp tác xã",
        "có trên Hệ thống thông tin quốc gia về đăng ký doanh nghiệp",
    ),
}
COUNT_DEDUCTION_REASONS = {
    "2.1.2": "Theo báo cáo của Sở Tư pháp, có 01 VBQPPL trình chậm so với chương trình",
    "3.4.4": (
        "Hệ thống tiếp nhận phản ánh, kiến nghị của tỉnh ghi nhận 01 phản ánh về hành vi gây "
        "phiền hà đã được xác minh đúng"
    ),
    "4.1.3": "01 đơn vị trực thuộc không đủ số lượng người làm việc tối thiểu theo tiêu chí",
    "5.2.1": "Thanh tra Sở Nội vụ kết luận 01 sai phạm trong tuyển dụng viên chức",
    "5.5.1": (
        "Đoàn kiểm tra công vụ của tỉnh phát hiện 01 trường hợp vi phạm kỷ luật, kỷ cương "
        "hành chính"
    ),
    "6.2.2": "Kiểm toán Nhà nước khu vực phát hiện 01 sai phạm về quản lý, sử dụng tài sản công",
}


def vn(x: Decimal | int | float) -> str:
    """A number written the Vietnamese way (decimal comma, no trailing zeros)."""
    x = Decimal(str(x))
    text = str(int(x)) if x == x.to_integral() else format(x.normalize(), "f")
    return text.replace(".", ",")


def vdate(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def pct(num: int, den: int) -> str:
    return vn((Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.1"), rounding=ROUND_DOWN))


def keyed(table: dict[str, Any], group: str, lid: str) -> Any:
    return table.get(f"{group}/{lid}", table.get(lid))


def source_of(lid: str) -> str:
    """Where the appraisers check a leaf's figures."""
    for prefix, src in [
        ("3.2", "Cơ sở dữ liệu quốc gia về TTHC"),
        ("3.", "phần mềm một cửa điện tử của tỉnh"),
        ("7.3", "Cổng dịch vụ công tỉnh"),
        ("7.1.2", IOFFICE),
        ("7.1.3", "hệ thống thư điện tử công vụ của tỉnh"),
        ("6.", "số liệu của Sở Tài chính"),
        ("5.", "cơ sở dữ liệu CBCCVC của Sở Nội vụ"),
        ("4.", "cơ sở dữ liệu CBCCVC của Sở Nội vụ"),
        ("2.", "báo cáo của Sở Tư pháp"),
        ("8.3", "báo cáo của Thanh tra tỉnh"),
        ("8.", "số liệu của Chi cục Thống kê"),
        ("1.3", "hồ sơ kiểm tra (biên bản, thông báo kết luận kiểm tra)"),
        ("1.6", "Hệ thống theo dõi nhiệm vụ của Văn phòng UBND tỉnh"),
    ]:
        if lid.startswith(prefix):
            return src
    return "báo cáo tổng hợp của Sở Nội vụ"


def first_doc(leaf: dict[str, Any]) -> str:
    return str(leaf["evidence"]["documents_vi"]).split(";")[0].strip()


PROPER_STARTS = (
    "Sở ",
    "Bưu điện",
    "Kiểm toán",
    "Thanh tra",
    "Đoàn ",
    "Hệ thống",
    "Hội đồng",
    "UBND",
)


def lower_first(text: str) -> str:
    """`text` to follow a colon: its first letter in lower case unless it opens a name."""
    if text.startswith(PROPER_STARTS) or text[:1].isdigit():
        return text
    return text[0].lower() + text[1:]


def leaf_points(leaf: dict[str, Any], ans: dict[str, Any] | None) -> Decimal | None:
    """The points the engine gives a self-assessed leaf (None: not applicable)."""
    if ans is None:
        return Decimal(0)
    if ans.get("na"):
        return None
    pts = rule_points(leaf, ans)
    if pts is None:
        return None
    if (leaf.get("evidence") or {}).get("required") and not ans.get("evidence"):
        return Decimal(0)
    return pts


def storable(x: Decimal) -> Decimal:
    """An appraised score has at most 3 decimals; round an exact rule result down to 2."""
    if x == x.quantize(Decimal("0.001")):
        return x
    return x.quantize(Decimal("0.01"), rounding=ROUND_DOWN)


@dataclass
class Change:
    """One appraisal record: the points an appraiser set for a leaf or a bonus/penalty."""

    node: str
    score: Decimal
    reason: str
    tag: str  # late | authority | figures | content | wrongdoc | count | finding | level | ...
    computed: Decimal  # what the engine gives from the self-assessment
    restore: Decimal  # what an accepted explanation gives back
    sign: int = 1  # +1 leaf or bonus, -1 penalty (its score is a deduction)
    appraiser: str | None = None
    hint: dict[str, Any] = field(default_factory=dict)

    @property
    def effect(self) -> Decimal:
        """The change of the unit's total against the computed points."""
        return self.sign * (self.score - self.computed)

    def entry(self) -> dict[str, Any]:
        out = Flow(node=LeafId(self.node), score=self.score, reason=self.reason)
        if self.appraiser:
            out["appraiser"] = self.appraiser
        return out


@dataclass
class UnitView:
    """One unit's answers as the appraisers see them."""

    uid: str
    name: str
    group: str
    suffix: str
    leaves: dict[str, dict[str, Any]]  # applicable leaves, tree order
    answers: dict[str, dict[str, Any]]
    council: dict[str, dict[str, Any]]
    adjustments: dict[str, dict[str, Any]]
    points: dict[str, Decimal]  # applicable self and council leaves

    def order(self, node: str) -> int:
        """Sort key of a node in a file: leaves in tree order, then bonuses, then penalties."""
        keys = list(self.leaves)
        if node in keys:
            return keys.index(node)
        return len(keys) + int(node[2:]) + (10 if node.startswith("TR") else 0)


def unit_views(spec: YearSpec, data: dict[str, Any]) -> dict[str, UnitView]:
    out = {}
    for uid, name, group, tags, _q, suffix in UNITS:
        unit = data["units"][uid]
        council = data["council"]["units"][uid]
        applicable: dict[str, dict[str, Any]] = {}
        points: dict[str, Decimal] = {}
        for leaf in data["by_group"][group]:
            lid = leaf["id"]
            if set(leaf["_exempt"]) & set(tags):
                continue
            who = leaf.get("assessed_by", "self")
            if who == "survey":
                continue
            if who == "council":
                points[lid] = d(council[lid]["score"])
                applicable[lid] = leaf
                continue
            pts = leaf_points(leaf, unit["answers"].get(lid))
            if pts is not None:
                points[lid] = pts
                applicable[lid] = leaf
        out[uid] = UnitView(
            uid,
            name,
            group,
            suffix,
            applicable,
            unit["answers"],
            council,
            unit.get("adjustments", {}),
            points,
        )
    return out


def line_department(unit: UnitView, node: str) -> str | None:
    for prefix, who in LINE_DEPARTMENTS:
        if node.startswith(prefix) and who != unit.name:
            return who
    return None


def _first_lower(
    leaf: dict[str, Any], ans: dict[str, Any], pts: Decimal, num: int, den: int
) -> int | None:
    """The largest numerator below `num` that the rule scores lower than `pts`."""
    for n2 in range(num - 1, -1, -1):
        p2 = rule_points(leaf, dict(ans, numerator=n2))
        if p2 is not None and p2 < pts:
            return n2
    return None


def lowerings(rng: random.Random, unit: UnitView, lid: str) -> list[tuple[float, Change]]:
    """Ways an appraiser may lower one leaf, with their weights."""
    leaf, ans, pts = unit.leaves[lid], unit.answers[lid], unit.points[lid]
    r, k, mx = leaf["rule"], leaf["rule"]["kind"], d(leaf["max"])
    out: list[tuple[float, Change]] = []

    def add(weight: float, score: Decimal, tag: str, reason: str, **hint: Any) -> None:
        if score < pts:
            hint.setdefault("source", source_of(lid))
            out.append((weight, Change(lid, score, reason, tag, pts, pts, hint=hint)))

    if k == "deadline" and ans["done_on"] is not None:
        due, done = r["due"], ans["done_on"]
        bands = r["late"] if isinstance(r["late"], list) else [{"points": r["late"]}]
        days_late = (done - due).days
        if days_late <= 0:
            band = bands[0]
            got = due + dt.timedelta(days=rng.randint(1, min(12, band.get("max_days", 12))))
            add(
                3,
                d(band["points"]),
                "late",
                "Tài liệu kiểm chứng không chứng minh được thời hạn: theo sổ văn bản đến của "
                f"Sở Nội vụ, văn bản nhận ngày {vdate(got)}, sau thời hạn {vdate(due)} — chấm "
                "theo mức trễ hạn",
                due=due,
                got=got,
                done=done,
            )
            if leaf["title_vi"].startswith("Ban hành"):
                add(
                    1,
                    d(band["points"]),
                    "authority",
                    f"{first_doc(leaf)} do cấp phó ký thay nhưng không có văn bản phân công; "
                    f"văn bản được ký ban hành lại ngày {vdate(got)}, sau thời hạn "
                    f"{vdate(due)} — chấm theo mức ban hành muộn",
                    due=due,
                    got=got,
                )
        else:
            i = next(
                j for j, b in enumerate(bands) if "max_days" not in b or days_late <= b["max_days"]
            )
            if i + 1 < len(bands):
                limit = bands[i]["max_days"]
                got = due + dt.timedelta(days=limit + rng.randint(1, 6))
                add(
                    2,
                    d(bands[i + 1]["points"]),
                    "late",
                    f"Theo sổ văn bản đến của Sở Nội vụ, văn bản nhận ngày {vdate(got)} (trễ "
                    f"{(got - due).days} ngày), không phải ngày {vdate(done)} như đơn vị kê "
                    f"khai — chấm theo mức trễ trên {limit} ngày",
                    due=due,
                    got=got,
                    done=done,
                )
    elif k == "boolean" and ans["value"]:
        tag, reason = keyed(BOOLEAN_REASONS, unit.group, lid) or (
            "content",
            "Tài liệu kiểm chứng không thể hiện nội dung theo yêu cầu của tiêu chí",
        )
        add(2, Decimal(0), tag, reason)
    elif k in ("ratio_bands", "proportional") and ans["denominator"]:
        num, den = ans["numerator"], ans["denominator"]
        src = source_of(lid)
        if k == "ratio_bands":
            n2 = _first_lower(leaf, ans, pts, num, den)
        else:
            drop = Decimal(rng.choice(["0.2", "0.25", "0.3", "0.4", "0.5"]))
            want = (pts - drop) / mx * d(r["target"])
            n2 = min(num - 1, int(want * den / 100)) if pts > drop else None
        if n2 is not None and n2 >= 0:
            p2 = rule_points(leaf, dict(ans, numerator=n2))
            assert p2 is not None
            score = q2(p2) if k == "proportional" else p2
            if pts - score >= Decimal("0.1"):
                add(
                    3,
                    score,
                    "figures",
                    f"Số liệu không khớp với {src}: {n2}/{den} ({pct(n2, den)}%), đơn vị kê "
                    f"khai {num}/{den} ({pct(num, den)}%)",
                    source=src,
                    partial=k == "proportional",
                )
    elif k == "value_bands":
        lo, hi = r["range"]
        v = d(ans["value"])
        if hi == 1000000:  # a count of reminders or repeated requests
            for v2 in range(int(v) + 1, int(v) + 4):
                p2 = band_points(Decimal(v2), r, lo, hi)
                if p2 < pts:
                    if lid == "3.4.2":
                        src = source_of(lid)
                        reason = (
                            f"Theo {src}, có {v2} trường hợp phải bổ sung hồ sơ quá một lần "
                            f"(đơn vị kê khai {int(v)})"
                        )
                    else:
                        src = "văn bản nhắc nhở của Sở Thông tin và Truyền thông"
                        reason = (
                            f"Sở Thông tin và Truyền thông đã {v2} lần có văn bản nhắc nhở đơn vị "
                            f"cập nhật thông tin trên Trang thông tin điện tử (đơn vị kê khai "
                            f"{int(v)})"
                        )
                    add(2, p2, "figures", reason, source=src)
                    break
        else:
            w = v
            while w > d(lo) and band_points(w, r, lo, hi) >= pts:
                w -= Decimal("0.5")
            if band_points(w, r, lo, hi) < pts:
                if hi == 300:
                    reason = (
                        f"Theo báo cáo của Chi cục Thuế khu vực, thu ngân sách trên địa bàn đạt "
                        f"{vn(w)}% dự toán (đơn vị kê khai {vn(v)}%, gồm cả khoản thu không "
                        "giao dự toán)"
                    )
                else:
                    reason = (
                        f"Báo cáo kết quả chỉ chứng minh được mức hoàn thành {vn(w)}% kế hoạch "
                        f"(đơn vị kê khai {vn(v)}%)"
                    )
                add(2, band_points(w, r, lo, hi), "figures", reason, source=source_of(lid))
    elif k == "count_points" and ans["count"] > 0:
        n, per = ans["count"], d(r["per_item"])
        cap = d(r.get("cap", mx))
        noun, cond = keyed(COUNT_POINTS_REASONS, unit.group, lid)
        for n2 in range(n - 1, -1, -1):
            if min(n2 * per, cap) < pts:
                n2 = max(0, n2 - (rng.randint(0, 2) if per < Decimal("0.25") else 0))
                add(
                    2,
                    min(n2 * per, cap),
                    "count",
                    f"Chỉ {n2}/{n} {noun} {cond}",
                    noun=noun,
                    missing=n - n2,
                )
                break
    elif k == "count_deduction" and lid in COUNT_DEDUCTION_REASONS:
        n = ans["count"]
        p2 = max(mx - (n + 1) * d(r["per_item"]), d(r.get("floor", 0)))
        told = "đơn vị không kê khai" if n == 0 else f"ngoài {n} trường hợp đơn vị đã kê khai"
        add(1, p2, "finding", f"{COUNT_DEDUCTION_REASONS[lid]}, {told}")
    elif k == "ordinal_levels":
        keys = list(r["levels"])
        i = keys.index(ans["level"])
        if i + 1 < len(keys):
            label = r["levels"][keys[i + 1]]["label_vi"]
            add(
                2,
                d(r["levels"][keys[i + 1]]["points"]),
                "level",
                f"Tài liệu kiểm chứng chỉ chứng minh mức “{lower_first(label)}”; báo cáo kết "
                "quả không có số liệu chứng minh mức đơn vị tự đánh giá",
                label=label,
            )
    elif k == "compare_to_limit":
        actual, limit = d(ans["actual"]), d(ans["limit"])
        if actual < limit:
            add(
                2,
                d(r["equal"]),
                "figures",
                "Theo phần mềm một cửa điện tử, thời gian giải quyết thực tế bình quân là "
                f"{vn(limit)} ngày, bằng thời hạn quy định (đơn vị kê khai {vn(actual)} ngày)",
                source="phần mềm một cửa điện tử của tỉnh",
            )
        elif actual == limit:
            longer = (limit * Decimal("1.08")).quantize(Decimal("0.1"))
            add(
                1,
                d(r["longer"]),
                "figures",
                "Theo phần mềm một cửa điện tử, thời gian giải quyết thực tế bình quân là "
                f"{vn(longer)} ngày, dài hơn thời hạn quy định {vn(limit)} ngày",
                source="phần mềm một cửa điện tử của tỉnh",
            )
    if (leaf.get("evidence") or {}).get("required") and mx <= 1 and pts > 0:
        add(
            0.4,
            Decimal(0),
            "wrongdoc",
            f"Tài liệu kiểm chứng đính kèm không phải {lower_first(first_doc(leaf))}; không đủ "
            "căn cứ chấm điểm",
            doc=first_doc(leaf),
        )
    return out


def choose(rng: random.Random, options: list[tuple[float, Change]]) -> Change:
    weights = [w for w, _c in options]
    return copy.deepcopy(rng.choices([c for _w, c in options], weights=weights)[0])


def lowerable(spec: YearSpec, unit: UnitView) -> list[str]:
    """Leaves an appraiser may lower: applicable, self-assessed, with points and evidence."""
    out = []
    for lid, leaf in unit.leaves.items():
        ans = unit.answers.get(lid)
        if leaf.get("assessed_by", "self") != "self" or ans is None:
            continue
        if unit.points[lid] <= 0 or ans.get("denominator") == 0:
            continue
        if lid in spec.missing_evidence.get(unit.uid, []):
            continue
        if lid == "7.1.2" and "TR5" in unit.adjustments:  # the penalty is deducted from it
            continue
        out.append(lid)
    return out


def raises(spec: YearSpec, views: dict[str, UnitView], most: int = 2) -> dict[str, Change]:
    """Rare round-1 changes that restore points: a report dated one day late that the
    provincial register shows as received on time."""
    out: dict[str, Change] = {}
    for uid, _n, _g, _t, _q, _s in UNITS:
        if len(out) >= most or uid in spec.ties:
            continue
        unit = views[uid]
        hand_set = {lid for lid, _days in spec.late.get(uid, [])}
        for lid, leaf in unit.leaves.items():
            ans = unit.answers.get(lid)
            r = leaf["rule"]
            if r["kind"] != "deadline" or not ans or not ans.get("done_on") or lid in hand_set:
                continue
            if (ans["done_on"] - r["due"]).days == 1 and ans.get("evidence"):
                out[uid] = Change(
                    lid,
                    d(r["on_time"]),
                    f"Văn bản đã được gửi qua {IOFFICE} ngày {vdate(r['due'])}, đúng thời hạn; "
                    f"ngày {vdate(ans['done_on'])} đơn vị kê khai là ngày gửi bản giấy — chấm "
                    "đúng hạn",
                    "raise",
                    unit.points[lid],
                    unit.points[lid],
                )
                break
    return out


def adjustment_change(
    unit: UnitView, data: dict[str, Any], item: str, score: str, reason: str
) -> Change:
    """A hand-set appraisal of a bonus or penalty, against what the unit's answer gives."""
    a = data["adj_items"][item]
    ans = unit.adjustments.get(item)
    computed = Decimal(0)
    if ans is not None:
        computed = rule_points(a, ans) or Decimal(0)
        computed = min(computed, d(a["max"]))
    sign = -1 if item.startswith("TR") else 1
    return Change(item, d(score), reason, "adjustment", computed, computed, sign=sign)


def total_effect(changes: dict[str, Change]) -> Decimal:
    return sum((c.effect for c in changes.values()), Decimal(0))


EXPLAIN_TEXT: dict[str, tuple[str, str]] = {  # tag -> (text, title of the document added)
    "authority": (
        "Cấp phó ký thay theo phân công tại Quy chế làm việc của cơ quan; bổ sung văn bản "
        "phân công ký",
        "Quyết định phân công nhiệm vụ của lãnh đạo cơ quan",
    ),
    "content": (
        "Bổ sung hồ sơ chứng minh đơn vị đã thực hiện đầy đủ nội dung của tiêu chí",
        "Báo cáo bổ sung kèm hồ sơ chứng minh",
    ),
    "finding": (
        "Trường hợp nêu trong kết luận đã được khắc phục ngay trong năm; bổ sung báo cáo kết "
        "quả khắc phục",
        "Báo cáo kết quả khắc phục",
    ),
    "level": (
        "Bổ sung báo cáo kết quả thực hiện có số liệu chi tiết theo từng nhiệm vụ",
        "Báo cáo kết quả thực hiện (bổ sung số liệu chi tiết)",
    ),
}
# item -> (text, document title, reason if accepted, reason if rejected)
EXPLAIN_ADJUSTMENT: dict[str, tuple[str, str, str, str]] = {
    "TH1": (
        "Sáng kiến thứ hai đã được áp dụng tại đơn vị từ tháng 6; bổ sung quyết định công nhận "
        "của Hội đồng sáng kiến",
        "Quyết định công nhận sáng kiến cấp cơ sở",
        "Chấp nhận giải trình: đã bổ sung quyết định công nhận sáng kiến",
        "Không chấp nhận giải trình: sáng kiến chỉ được công nhận ở cấp cơ sở, chưa được UBND "
        "tỉnh công nhận",
    ),
    "TR3": (
        "01 hồ sơ trễ hạn đã có văn bản xin lỗi gửi qua dịch vụ bưu chính; bổ sung văn bản xin lỗi",
        "Văn bản xin lỗi người dân",
        "Chấp nhận giải trình: đã có văn bản xin lỗi đối với 01 hồ sơ trễ hạn",
        "Không chấp nhận giải trình: văn bản xin lỗi được gửi sau khi Tổ thẩm định kiểm tra",
    ),
    "TR4": (
        "Báo cáo gửi lại chỉ bổ sung phụ lục, không sai số liệu; bổ sung văn bản giải trình",
        "Văn bản giải trình về báo cáo CCHC",
        "Chấp nhận giải trình: báo cáo gửi lại chỉ bổ sung phụ lục, số liệu không thay đổi",
        "Không chấp nhận giải trình: báo cáo gửi lại đã sửa số liệu về TTHC so với báo cáo ban đầu",
    ),
}
ACCEPT = {
    "late": "Chấp nhận giải trình: nhật ký phần mềm iOffice thể hiện văn bản đã gửi đúng ngày "
    "đơn vị kê khai",
    "authority": "Chấp nhận giải trình: đã bổ sung văn bản phân công ký của Thủ trưởng cơ quan",
    "figures": "Chấp nhận giải trình: số liệu bổ sung khớp với {source} sau khi cập nhật hồ sơ tồn",
    "content": "Chấp nhận giải trình: đã bổ sung tài liệu kiểm chứng",
    "wrongdoc": "Chấp nhận giải trình: đã bổ sung tài liệu kiểm chứng đúng nội dung",
    "missing": "Chấp nhận giải trình: đã bổ sung tài liệu kiểm chứng",
    "count": "Chấp nhận giải trình: đã bổ sung hồ sơ chứng minh",
    "finding": "Chấp nhận giải trình: vi phạm thuộc năm trước, không tính vào năm đánh giá",
    "level": "Chấp nhận giải trình: báo cáo bổ sung có đủ số liệu chứng minh mức tự đánh giá",
}
REJECT = {
    "late": "Không chấp nhận giải trình: nhật ký gửi văn bản thể hiện văn bản được gửi ngày "
    "{got}, sau thời hạn",
    "authority": "Không chấp nhận giải trình: Quy chế làm việc không phân công cấp phó ký ban "
    "hành loại văn bản này",
    "figures": "Không chấp nhận giải trình: số liệu tính điểm lấy theo {source} tại thời điểm "
    "chốt số liệu",
    "content": "Không chấp nhận giải trình: tài liệu bổ sung không thể hiện đầy đủ nội dung theo "
    "yêu cầu",
    "wrongdoc": "Không chấp nhận giải trình: tài liệu bổ sung được ban hành sau thời điểm chốt "
    "tự chấm điểm",
    "missing": "Không chấp nhận giải trình: tài liệu bổ sung lập ngày {dated}, sau thời điểm chốt "
    "tự chấm điểm; không chứng minh được kết quả tại thời điểm tự đánh giá",
    "count": "Không chấp nhận giải trình: hồ sơ bổ sung chưa có quyết định công nhận của cấp có "
    "thẩm quyền",
    "finding": "Không chấp nhận giải trình: vi phạm xảy ra trong năm đánh giá, việc khắc phục "
    "không thay đổi kết quả",
    "level": "Không chấp nhận giải trình: số liệu bổ sung không làm thay đổi mức đánh giá",
}
PARTIAL = (
    "Chấp nhận một phần giải trình: số liệu bổ sung chỉ chứng minh được một phần hồ sơ tồn; "
    "tính lại theo số liệu đã đối chiếu"
)
# Explanations set by hand: (year, unit, node) -> (text, document title, round-2 reason).
DESIGNED_TEXT = {
    (2018, "so-cong-thuong", "7.1.2"): (
        "Bổ sung báo cáo thống kê văn bản điện tử năm 2018 từ phần mềm iOffice",
        "Báo cáo thống kê văn bản điện tử",
        "Chấp nhận giải trình: đã bổ sung tài liệu kiểm chứng; số liệu trích xuất từ phần mềm "
        "iOffice khớp với số liệu đơn vị kê khai",
    ),
    (2019, "so-tai-nguyen-va-moi-truong", "3.4.1"): (
        "Bổ sung báo cáo thống kê kết quả giải quyết hồ sơ TTHC năm 2019 trích xuất từ phần "
        "mềm một cửa điện tử",
        "Báo cáo thống kê kết quả giải quyết hồ sơ TTHC",
        "Chấp nhận giải trình: đã bổ sung tài liệu kiểm chứng; số liệu trích xuất từ phần mềm "
        "một cửa điện tử khớp với số liệu đơn vị kê khai",
    ),
}


@dataclass
class Explanation:
    node: str
    text: str
    evidence: list[dict[str, Any]]
    accepted: bool = False

    def entry(self) -> dict[str, Any]:
        return {"node": LeafId(self.node), "text": self.text, "evidence": self.evidence}


def explanation_for(rng: random.Random, spec: YearSpec, unit: UnitView, c: Change) -> Explanation:
    """What a unit writes to answer one round-1 change (giải trình), with its new document."""
    sched = spec.schedule
    span = (sched["explanation_due"] - sched["appraisal_1_on"]).days
    when = sched["appraisal_1_on"] + dt.timedelta(days=rng.randint(1, span))
    designed = DESIGNED_TEXT.get((spec.year, unit.uid, c.node))
    leaf = unit.leaves.get(c.node)
    h = c.hint
    if designed:
        text, title = designed[:2]
    elif c.tag == "adjustment":
        text, title = EXPLAIN_ADJUSTMENT[c.node][:2]
    elif c.tag == "late":
        text = (
            f"Văn bản đã được gửi qua {IOFFICE} ngày {vdate(h['done'])}; bổ sung bản trích xuất "
            "nhật ký gửi văn bản"
            if "done" in h
            else f"Văn bản đã được gửi qua {IOFFICE}; bổ sung bản trích xuất nhật ký gửi văn bản"
        )
        title = "Trích xuất nhật ký gửi văn bản trên phần mềm iOffice"
    elif c.tag == "figures":
        text = (
            "Số liệu kê khai theo sổ theo dõi của đơn vị tại thời điểm tự chấm; bổ sung bảng "
            f"đối chiếu số liệu với {h['source']}"
        )
        title = f"Bảng đối chiếu số liệu với {h['source']}"
    elif c.tag in ("wrongdoc", "missing"):
        assert leaf is not None
        doc = first_doc(leaf)
        lead = "Đơn vị đính kèm nhầm tài liệu; bổ sung" if c.tag == "wrongdoc" else "Bổ sung"
        text, title = f"{lead} {lower_first(doc)}", doc
    elif c.tag == "count":
        text = f"Bổ sung hồ sơ chứng minh {h['missing']} {h['noun']} còn lại"
        title = f"Hồ sơ bổ sung về {h['noun']}"
    else:
        text, title = EXPLAIN_TEXT[c.tag]
    doc = f"{rng.randint(100, 480)}/{doc_type(title)}-{unit.suffix}"
    return Explanation(c.node, text, [{"doc": doc, "date": when, "title": title}])


def decision(rng: random.Random, year: int, uid: str, c: Change, e: Explanation) -> Change:
    """Round 2's answer to an explanation: points restored (in full or in part) or kept."""
    accepted = e.accepted
    designed = DESIGNED_TEXT.get((year, uid, c.node))
    if designed and accepted:
        score = storable(c.restore)
        return Change(c.node, score, designed[2], "accepted", c.computed, c.restore, c.sign)
    fill = {
        "source": c.hint.get("source", ""),
        "got": vdate(c.hint["got"]) if "got" in c.hint else "",
        "dated": vdate(e.evidence[0]["date"]),
    }
    if c.tag == "adjustment":
        _text, _title, yes, no = EXPLAIN_ADJUSTMENT[c.node]
        score = c.restore if accepted else c.score
        return Change(
            c.node, score, yes if accepted else no, "decision", c.computed, c.restore, c.sign
        )
    if not accepted:
        reason = REJECT[c.tag].format(**fill)
        return Change(c.node, c.score, reason, "rejected", c.computed, c.restore, c.sign)
    if c.hint.get("partial") and rng.random() < 0.5:
        score = q2((c.score + c.restore) / 2)
        return Change(c.node, score, PARTIAL, "partial", c.computed, c.restore, c.sign)
    reason = ACCEPT[c.tag].format(**fill)
    return Change(c.node, storable(c.restore), reason, "accepted", c.computed, c.restore, c.sign)


def council_lowering(unit: UnitView, lid: str) -> Change | None:
    levels = sorted(d(x) for x in unit.leaves[lid]["rule"]["levels"])
    now = unit.points[lid]
    below = [x for x in levels if 0 < x < now]
    if not below:
        return None
    said = COUNCIL_REASONS[lid][str(below[-1])].rstrip(".")
    return Change(
        lid,
        below[-1],
        f"Hội đồng đánh giá lại: {lower_first(said)}",
        "council",
        now,
        now,
    )


@dataclass
class Appraisal:
    """Both rounds and the explanations of one year, per unit."""

    round1: dict[str, dict[str, Change]]
    explanations: dict[str, list[Explanation]]
    round2: dict[str, dict[str, Change]]

    def final(self, uid: str) -> dict[str, Change]:
        return {**self.round1[uid], **self.round2.get(uid, {})}

    def drop(self, uid: str) -> Decimal:
        return -total_effect(self.final(uid))


def appraise(spec: YearSpec, views: dict[str, UnitView], data: dict[str, Any]) -> Appraisal:
    """Draw round 1, the explanations and round 2 (seeded apart from the answers' streams).

    Each unit's changes come from its own streams, so the draws of one unit do not move when
    another unit's answers change; only the choice of who explains and which explanations are
    accepted uses the shared one.
    """
    rng = random.Random(spec.year * 10 + 1)

    def own(step: str, uid: str) -> random.Random:
        return random.Random(f"{spec.year}/{step}/{uid}")

    leaders = [u[0] for u in UNITS if u[0] not in spec.ties]
    followers: dict[str, list[str]] = {
        u: [f for f, s in spec.ties.items() if s == u] for u in leaders
    }
    hand = {
        (rnd, u, item): (score, reason, who)
        for rnd, u, item, score, reason, who in spec.adjustment_changes
    }
    ups = raises(spec, views)
    ap = Appraisal({}, {}, {})

    # Round 1: 3-6 changes a unit, lowering its total by 1.5-4 points.
    for uid in leaders:
        unit = views[uid]
        fixed: dict[str, Change] = {}
        for lid in spec.missing_evidence.get(uid, []):
            given = rule_points(unit.leaves[lid], unit.answers[lid]) or Decimal(0)
            fixed[lid] = Change(lid, Decimal(0), CONFIRM_MISSING, "missing", Decimal(0), given)
        for (rnd, u, item), (score, reason, who) in hand.items():
            if rnd == 1 and u == uid:
                fixed[item] = adjustment_change(unit, data, item, score, reason)
                fixed[item].appraiser = who
        if uid in ups:
            fixed[ups[uid].node] = ups[uid]
        urng = own("round-1", uid)
        need = max(2, urng.randint(3, 6) - len(fixed))
        target = Decimal(str(round(urng.uniform(1.5, 4.0), 2)))
        target = Decimal(spec.round_1_targets.get(uid, target))
        options = {lid: lowerings(urng, unit, lid) for lid in lowerable(spec, unit)}
        pool = [lid for lid, opts in options.items() if opts and lid not in fixed]
        best: tuple[Decimal, dict[str, Change]] | None = None
        for _ in range(600):
            chosen = {lid: choose(urng, options[lid]) for lid in urng.sample(pool, need)}
            drop = -total_effect(fixed) - total_effect(chosen)
            if Decimal("1.5") <= drop <= 4:
                gap = abs(drop - target)
                if best is None or gap < best[0]:
                    best = (gap, chosen)
                if gap <= Decimal("0.25"):
                    break
        assert best is not None, f"no round-1 draw fits {uid}"
        for c in best[1].values():
            c.appraiser = line_department(unit, c.node)
        changes = {**fixed, **best[1]}
        ap.round1[uid] = {n: changes[n] for n in sorted(changes, key=unit.order)}

    # Explanations: about a third of the units answer 1-2 of their round-1 changes.
    designed = {(u, n): acc for u, n, acc in spec.designed_explanations}
    chosen_units = list(dict.fromkeys(u for u, _n in designed))
    rest = [u for u in leaders if u not in chosen_units]
    rng.shuffle(rest)
    weight = {u: 1 + len(followers[u]) for u in leaders}
    wanted = round(len(UNITS) / 3)
    for u in rest:
        if sum(weight[x] for x in chosen_units) + weight[u] <= wanted:
            chosen_units.append(u)
    chosen_units.sort(key=leaders.index)
    pending: list[tuple[str, Change, Explanation]] = []
    for uid in chosen_units:
        unit = views[uid]
        nodes = [n for u, n in designed if u == uid]
        free = [n for n, c in ap.round1[uid].items() if c.tag != "raise" and n not in nodes]
        urng = own("explanation", uid)
        k = urng.randint(1, 2)
        if len(nodes) < k:
            nodes += urng.sample(free, min(len(free), k - len(nodes)))
        nodes.sort(key=unit.order)
        ap.explanations[uid] = []
        for n in nodes:
            e = explanation_for(urng, spec, unit, ap.round1[uid][n])
            ap.explanations[uid].append(e)
            pending.append((uid, ap.round1[uid][n], e))

    # Round 2: the council accepts about half of the explanations.
    total = sum(weight[u] for u, _c, _e in pending)
    accepted = sum(weight[u] for u, c, _e in pending if designed.get((u, c.node)))
    free_items = [(u, c, e) for u, c, e in pending if (u, c.node) not in designed]
    rng.shuffle(free_items)
    for u, c, e in pending:
        if (u, c.node) in designed:
            e.accepted = designed[(u, c.node)]
    for u, _c, e in free_items:
        if 2 * (accepted + weight[u]) <= total + 1:
            e.accepted = True
            accepted += weight[u]
    for u, c, e in sorted(
        pending, key=lambda t: (leaders.index(t[0]), views[t[0]].order(t[1].node))
    ):
        ap.round2.setdefault(u, {})[c.node] = decision(own("decision", u), spec.year, u, c, e)
    for (rnd, u, item), (score, reason, who) in hand.items():
        if rnd == 2:
            c = adjustment_change(views[u], data, item, score, reason)
            c.appraiser = who
            ap.round2.setdefault(u, {})[item] = c

    # Round 2 may also change 1-2 further leaves of a few units; every unit ends 1-4 points
    # below its computed total.
    extra = set(rng.sample(leaders, 4))
    for uid in leaders:
        unit = views[uid]
        done = set(ap.final(uid))
        pool = [n for n in lowerable(spec, unit) if n not in done]
        pool += [n for n in unit.leaves if unit.leaves[n].get("assessed_by") == "council"]
        urng = own("round-2", uid)
        urng.shuffle(pool)
        offers: list[Change] = []
        for lid in pool:
            offer: Change | None
            if unit.leaves[lid].get("assessed_by") == "council":
                offer = council_lowering(unit, lid)
            else:
                opts = lowerings(urng, unit, lid)
                offer = choose(urng, opts) if opts else None
            if offer is not None:
                offers.append(offer)
        wanted, added = (2 if uid in extra else 0), 0
        while added < 2 and (added < wanted or ap.drop(uid) < 1):
            short, room = 1 - ap.drop(uid), 4 - ap.drop(uid)
            fits = [c for c in offers if c.computed - c.score <= room]
            if not fits:
                break
            pick = fits[0]
            if short > 0:  # a unit that explained its way back above the range needs more
                big = [c for c in fits if c.computed - c.score >= short]
                pick = big[0] if big else max(fits, key=lambda c: c.computed - c.score)
            offers.remove(pick)
            if pick.tag != "council":
                pick.reason = f"Thẩm định lần 2: {lower_first(pick.reason)}"
            ap.round2.setdefault(uid, {})[pick.node] = pick
            added += 1
        assert 1 <= ap.drop(uid) <= 4, (uid, ap.drop(uid))
        if uid in ap.round2:
            ap.round2[uid] = {n: ap.round2[uid][n] for n in sorted(ap.round2[uid], key=unit.order)}

    # Tied units get exactly the same appraisal (only document numbers differ).
    for leader, fs in followers.items():
        for f in fs:
            old, new = views[leader].suffix, views[f].suffix
            ap.round1[f] = copy.deepcopy(ap.round1[leader])
            if leader in ap.round2:
                ap.round2[f] = copy.deepcopy(ap.round2[leader])
            if leader in ap.explanations:
                ap.explanations[f] = copy.deepcopy(ap.explanations[leader])
                for e in ap.explanations[f]:
                    for ev in e.evidence:
                        ev["doc"] = ev["doc"].replace(f"-{old}", f"-{new}")
    order = [u[0] for u in UNITS]
    return Appraisal(
        {u: ap.round1[u] for u in order},
        {u: ap.explanations[u] for u in order if u in ap.explanations},
        {u: ap.round2[u] for u in order if u in ap.round2},
    )


# --------------------------------------------------------------------------------------------
# Writing YAML
# --------------------------------------------------------------------------------------------


class LeafId(str):
    """A leaf id, always written in double quotes."""


class Flow(dict[str, Any]):
    """A mapping written on one line (`{node: "1.1.1", score: 0.5, reason: ...}`)."""


class Block(dict[str, Any]):
    """A mapping written one key a line."""


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
Dumper.add_representer(
    Flow, lambda dm, v: dm.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True)
)
Dumper.add_representer(
    Block, lambda dm, v: dm.represent_mapping("tag:yaml.org,2002:map", v, flow_style=False)
)
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


# --------------------------------------------------------------------------------------------
# Campaign files of one year
# --------------------------------------------------------------------------------------------


def criteria_for(year: int) -> str:
    """The repository's criteria.yaml with its year, id, titles and every date moved to `year`."""
    text = (ROOT / "criteria.yaml").read_text(encoding="utf-8")
    head, body = text.split("\nindex:\n", 1)
    layout = head[head.index("# Layout:") :]
    header = (
        f"# Bộ chỉ số cải cách hành chính (Chỉ số CCHC) năm {year} của các sở, ban, ngành và "
        "UBND các\n"
        f"# huyện, thành phố tỉnh Lạng Sơn — PAR Index of Lạng Sơn's departments and "
        f"districts, {year}.\n"
        "#\n"
        "# SAMPLE INDEX, generated by tools/make_samples.py from the repository's criteria.yaml "
        "(the 2018\n"
        f"# representative encoding) with the index id, the titles and every date moved to "
        f"{year}; do not\n"
        f"# edit by hand. Not the official {year} annex, which is not public: areas, criteria "
        "and points\n"
        "# are those of the 2018 encoding.\n"
        "#\n"
    )
    start = body.index("  notice: >-\n")
    end = body.index("  scale: ")
    notice = (
        "  notice: >-\n"
        f"    Sample index for the {year} campaign: the 2018 representative encoding with its "
        f"dates\n    moved to {year}, not the official annex (Lạng Sơn did not publish the "
        "per-criterion\n    point values). Areas, criteria and points are modelled on MOHA's "
        "provincial index\n    and other provinces' published sets.\n"
    )
    moved = (body[:start] + body[end:]).replace("2018", str(year))
    body = moved[:start] + notice + moved[start:]
    return header + layout + "\nindex:\n" + body


def latest_in(data: Any) -> dt.date | None:
    """The latest date anywhere in a unit file."""
    if isinstance(data, dt.date):
        return data
    found: list[dt.date] = []
    items = data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
    for v in items:
        got = latest_in(v)
        if got is not None:
            found.append(got)
    return max(found) if found else None


def submission_days(spec: YearSpec) -> dict[str, dt.date]:
    """The day each unit locks its self-assessment: the ten days before the due date, or the
    hand-set late day."""
    rng = random.Random(spec.year * 10 + 2)
    due = spec.schedule["self_assessment_due"]
    out = {}
    for uid, *_rest in UNITS:
        drawn = due - dt.timedelta(days=rng.randint(0, 10 if spec.year == 2018 else 8))
        out[uid] = spec.late_submitted.get(uid, drawn)
    return out


def campaign_doc(spec: YearSpec, base: dict[str, Any], submitted: dict[str, dt.date]) -> Any:
    out = {k: v for k, v in base.items() if k != "units"}
    out["schedule"] = Block(spec.schedule)
    out["late_submission"] = "flag"
    out["appraisals"] = ["appraisal-1.yaml", "appraisal-2.yaml"]
    out["explanations"] = "explanations.yaml"
    out["units"] = [dict(u, submitted_on=submitted[u["id"]]) for u in base["units"]]
    return out


def write_year(spec: YearSpec) -> Appraisal:
    out = spec.out
    drawn = submission_days(spec)
    # 2018's answers were drawn before the schedule existed and must stay as they are; from
    # 2019 no date in a unit file is later than the day the unit locked it.
    data = build(spec, None if spec.year == 2018 else drawn)
    due = spec.schedule["self_assessment_due"]
    submitted = {}
    for uid, *_rest in UNITS:
        last = latest_in(data["units"][uid]) or drawn[uid]
        on_time = max(drawn[uid], min(last, due))
        submitted[uid] = drawn[uid] if uid in spec.late_submitted else on_time
    ap = appraise(spec, unit_views(spec, data), data)

    (out / "units").mkdir(parents=True, exist_ok=True)
    for old in (out / "units").glob("*.yaml"):
        old.unlink()
    dump(
        out / "campaign.yaml",
        campaign_doc(spec, data["campaign"], submitted),
        f"Lạng Sơn {spec.year} sample campaign: 20 departments, 11 districts",
    )
    path = out / "campaign.yaml"
    text = path.read_text(encoding="utf-8")
    publish = f"  publish_on: {spec.schedule['publish_on'].isoformat()}\n"
    text = text.replace(publish, f"{publish[:-1]}  # {spec.publish_note}\n")
    text = text.replace("late_submission: flag\n", "late_submission: flag  # flag | refuse\n")
    path.write_text(text, encoding="utf-8")
    for uid, unit in data["units"].items():
        unit = dict(unit, answers=quote_ids(unit["answers"]))
        dump(out / "units" / f"{uid}.yaml", unit, f"Self-assessment of {uid} (sample data)")
    for kind in ("survey", "council"):
        body = {"units": {u: quote_ids(a) for u, a in data[kind]["units"].items()}}
        dump(out / f"{kind}.yaml", body, f"{kind.capitalize()} answers per unit (sample data)")
    sched = spec.schedule
    for n, rounds, by in ((1, ap.round1, ROUND_1_BY), (2, ap.round2, ROUND_2_BY)):
        on = sched[f"appraisal_{n}_on"]
        doc = {
            "round": n,
            "appraiser": by,
            "units": {u: [c.entry() for c in cs.values()] for u, cs in rounds.items()},
        }
        dump(
            out / f"appraisal-{n}.yaml",
            doc,
            f"Appraisal round {n} (thẩm định lần {n}), recorded on {vdate(on)} (sample data)",
        )
    doc = {"units": {u: [e.entry() for e in es] for u, es in ap.explanations.items()}}
    dump(
        out / "explanations.yaml",
        doc,
        f"Explanations (giải trình) of round-1 changes, due {vdate(sched['explanation_due'])} "
        "(sample data)",
    )
    return ap


def main() -> None:
    (SAMPLES / "2019").mkdir(parents=True, exist_ok=True)
    Y2019.criteria.write_text(criteria_for(2019), encoding="utf-8")
    for spec in (Y2018, Y2019):
        write_year(spec)


if __name__ == "__main__":
    main()
