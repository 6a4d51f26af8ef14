"""Interface text in Vietnamese (the default) and English, and how figures are written.

Vietnamese readers write decimals with a comma (85,50) and dates day first (09/02/2018);
times are shown in the campaign's time zone (Asia/Ho_Chi_Minh by default). Figures arrive as
the decimal strings of the score documents and are never rounded again here.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from scoring.sources.clock import show
from scoring.sources.numbers import decimal_comma

LANGS = ("vi", "en")
_PLAIN = re.compile(r"^[+-]?[0-9]{1,15}([.,][0-9]{1,9})?$")

# key -> (Vietnamese, English)
TEXT: dict[str, tuple[str, str]] = {
    "app": ("Chỉ số cải cách hành chính", "Administrative reform index"),
    "login": ("Đăng nhập", "Sign in"),
    "logout": ("Đăng xuất", "Sign out"),
    "username": ("Tên đăng nhập", "Username"),
    "password": ("Mật khẩu", "Password"),
    "campaigns": ("Các kỳ đánh giá", "Campaigns"),
    "campaign": ("Kỳ đánh giá", "Campaign"),
    "year": ("Năm", "Year"),
    "state": ("Trạng thái", "State"),
    "units": ("Đơn vị", "Units"),
    "unit": ("Đơn vị", "Unit"),
    "group": ("Nhóm", "Group"),
    "ranking": ("Xếp hạng", "Ranking"),
    "rank": ("Hạng", "Rank"),
    "points": ("Điểm", "Points"),
    "index": ("Chỉ số", "Index"),
    "class": ("Xếp loại", "Class"),
    "satisfaction": ("Hài lòng (%)", "Satisfaction (%)"),
    "satisfaction_mean": ("Chỉ số hài lòng bình quân của nhóm", "Group's mean satisfaction"),
    "max": ("Điểm tối đa", "Max"),
    "self_score": ("Điểm tự chấm", "Self-score"),
    "appraised": ("Điểm thẩm định", "Appraised"),
    "new_score": ("Điểm mới", "New score"),
    "reason": ("Lý do", "Reason"),
    "evidence": ("Tài liệu kiểm chứng", "Evidence"),
    "evidence_help": (
        "Mỗi dòng một tài liệu: số hiệu; ngày (dd/mm/yyyy); trích yếu",
        "One document a line: number; date (dd/mm/yyyy); title",
    ),
    "note": ("Ghi chú", "Note"),
    "na": ("Không áp dụng", "Not applicable"),
    "save": ("Lưu", "Save"),
    "saved": ("Đã lưu.", "Saved."),
    "submit": ("Nộp bản tự đánh giá", "Submit the self-assessment"),
    "submit_confirm": (
        "Sau khi nộp, bản tự đánh giá bị khóa. Nộp?",
        "Once submitted, the self-assessment is locked. Submit?",
    ),
    "submitted": ("Đã nộp.", "Submitted."),
    "as_it_stands": ("Kết quả hiện tại (chưa lưu)", "As it stands (unsaved)"),
    "of": ("trên", "of"),
    "lost": ("Điểm bị mất và cách khôi phục", "Where points are lost and how to recover them"),
    "recoverable": ("Có thể khôi phục", "Recoverable"),
    "why": ("Vì sao", "Why"),
    "trace": ("Chi tiết chấm điểm", "Scoring trace"),
    "rule": ("Quy tắc", "Rule"),
    "inputs": ("Dữ liệu", "Inputs"),
    "band": ("Mức", "Band"),
    "changes": ("Thay đổi khi thẩm định", "Appraisal changes"),
    "who": ("Người thực hiện", "By"),
    "when": ("Thời gian", "When"),
    "written_at": ("Thời điểm ghi", "Written"),
    "effective_at": ("Thời điểm hiệu lực", "Effective"),
    "round": ("Vòng", "Round"),
    "audit": ("Nhật ký kiểm toán", "Audit log"),
    "chain_ok": ("Chuỗi băm toàn vẹn", "Hash chain intact"),
    "chain_bad": ("Chuỗi băm bị phá vỡ", "Hash chain broken"),
    "entries": ("mục", "entries"),
    "verify": ("Kiểm tra lại kết quả công bố", "Re-verify the published result"),
    "verified": ("Kết quả công bố khớp với dữ liệu lưu trữ", "The published result matches"),
    "not_verified": ("Kết quả công bố KHÔNG khớp", "The published result does NOT match"),
    "accounts": ("Tài khoản", "Accounts"),
    "role": ("Vai trò", "Role"),
    "display_name": ("Họ và tên", "Full name"),
    "create": ("Tạo", "Create"),
    "active": ("Đang hoạt động", "Active"),
    "disable": ("Khóa", "Disable"),
    "enable": ("Mở khóa", "Enable"),
    "locked": ("Bị khóa do đăng nhập sai", "Locked after failed sign-ins"),
    "unlock": ("Gỡ khóa đăng nhập", "Unlock sign-in"),
    "advance": ("Chuyển bước", "Move on"),
    "publish": ("Công bố", "Publish"),
    "appraise": ("Thẩm định", "Appraise"),
    "appraise_help": (
        "Chỉ nhập điểm ở tiêu chí cần điều chỉnh; mỗi thay đổi phải có lý do.",
        "Enter a score only where it changes; every change needs a reason.",
    ),
    "explain": ("Giải trình", "Explanation"),
    "explain_help": (
        "Giải trình các điểm đã bị điều chỉnh ở vòng 1, kèm tài liệu bổ sung.",
        "Explain the round-1 changes, with any further evidence.",
    ),
    "profile": ("Điểm theo lĩnh vực so với trung vị nhóm", "Area profile against group median"),
    "yoy": ("So với năm trước", "Against last year"),
    "no_previous": ("Không có kết quả công bố năm trước.", "No published result of last year."),
    "unit_changes": ("Đơn vị thay đổi so với năm trước", "Units that changed since last year"),
    "successor_of": ("kế thừa từ", "successor of"),
    "no_single_change": ("không tính chênh lệch", "no single change computed"),
    "new_unit": ("đơn vị mới", "new unit"),
    "no_successor": ("không có đơn vị kế thừa", "no successor"),
    "ended_on": ("chấm dứt từ", "ended on"),
    "id_conflict": (
        "cùng mã nhưng khác đơn vị, không so sánh",
        "same id, another body: not compared",
    ),
    "draft": ("DỰ THẢO — kết quả chưa công bố", "DRAFT — results not published"),
    "language": ("English", "Tiếng Việt"),
    "trace_of": ("Chi tiết chấm điểm của", "Trace of"),
    "not_applicable": ("không áp dụng", "not applicable"),
    "error": ("Lỗi", "Error"),
    "forbidden": ("Tài khoản này không có quyền thực hiện thao tác này.", "Not allowed."),
    "read_only": (
        "Bản tự đánh giá chỉ sửa được khi đơn vị ở bước dự thảo và kỳ đánh giá đang mở.",
        "The self-assessment can change only while the unit is a draft and the campaign open.",
    ),
    "target": ("Bước tiếp theo", "Next state"),
    "home": ("Trang chủ", "Home"),
    "search": ("Lọc đơn vị", "Filter units"),
    "leaf": ("Tiêu chí", "Item"),
    "scoring_text": ("Cách chấm", "Scoring"),
    "value": ("Giá trị", "Value"),
    "nothing_lost": ("Không mất điểm nào.", "No points lost."),
    "explanations": ("Giải trình của đơn vị", "The unit's explanations"),
    "late": ("nộp muộn", "late"),
    # -- i16-browser: phone and keyboard (skip link, landmarks, names of unlabelled inputs)
    "skip": ("Bỏ qua đến nội dung chính", "Skip to main content"),
    "main_nav": ("Điều hướng chính", "Main navigation"),
    "self_score_of": ("Điểm tự chấm của tiêu chí", "Self-assessed score of item"),
    "evidence_of": ("Tài liệu kiểm chứng của tiêu chí", "Evidence of item"),
    # -- end i16-browser
}

STATES: dict[str, tuple[str, str]] = {
    "draft": ("Dự thảo", "draft"),
    "submitted": ("Đã nộp", "submitted"),
    "appraised_1": ("Đã thẩm định vòng 1", "appraised (round 1)"),
    "explanation": ("Giải trình", "explanation"),
    "appraised_2": ("Đã thẩm định vòng 2", "appraised (round 2)"),
    "final": ("Hoàn tất", "final"),
    "open": ("Đang mở", "open"),
    "appraisal": ("Thẩm định", "appraisal"),
    "review": ("Xem xét", "review"),
    "published": ("Đã công bố", "published"),
}


def t(key: str, lang: str) -> str:
    """The interface text ``key`` in ``lang`` (Vietnamese unless ``en``)."""
    vi, en = TEXT[key]
    return en if lang == "en" else vi


def state(key: str, lang: str) -> str:
    """A workflow state's label in ``lang`` (the state itself if it has none)."""
    vi, en = STATES.get(key, (key, key))
    return en if lang == "en" else vi


def number(value: Any, lang: str = "vi") -> str:
    """A decimal string as written: ``85.50`` → ``85,50`` in Vietnamese; empty for None."""
    if value is None or value == "":
        return ""
    return str(decimal_comma(value)) if lang == "vi" else str(value)


def parse_number(text: str) -> Decimal:
    """A number as typed, with a decimal comma or point: ``81,3`` or ``81.3``."""
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned and "." in cleaned:
        raise ValueError(f"{text!r}: use one decimal separator")
    if not _PLAIN.match(cleaned):  # no exponents: 1e999999999 would be a billion digits
        raise ValueError(f"{text!r} is not a number (digits, with a decimal comma)")
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None


def parse_date(text: str) -> dt.date:
    """A date as typed: dd/mm/yyyy (or ISO yyyy-mm-dd)."""
    raw = text.strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (dd/mm/yyyy)")


def date(value: Any, tz: str | None = None) -> str:
    """A date or ISO date text as dd/mm/yyyy; a time as dd/mm/yyyy HH:MM in the zone ``tz``
    (the campaign's; Vietnam time by default), written by the same helper as the CLI."""
    return show(value, tz)
