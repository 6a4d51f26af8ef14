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
from scoring.store.accounts import ROLE_VI
from scoring.store.auditlog import action_name
from scoring.store.workflow import state_name

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
        "Mỗi dòng một tài liệu: số hiệu; ngày (dd/mm/yyyy); trích yếu; mục; trang",
        "One document a line: number; date (dd/mm/yyyy); title; section; page",
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
    # --- evidence files (area i16-evidence: pages/evidence.py, _evidence.html) ---
    "ev_title": ("Tài liệu kiểm chứng đính kèm", "Attached evidence files"),
    "ev_files": ("Tệp đính kèm", "Files"),
    "ev_file": ("Tệp (PDF hoặc ảnh)", "File (PDF or image)"),
    "ev_upload": ("Tải lên", "Upload"),
    "ev_help": (
        "PDF, PNG, JPEG hoặc WebP, tối đa {mb} MB; loại tệp được kiểm tra theo nội dung, "
        "không theo tên tệp.",
        "PDF, PNG, JPEG or WebP, at most {mb} MB; the type is checked by the content, not "
        "by the file's name.",
    ),
    "ev_none": ("Chưa có tệp đính kèm.", "No files attached."),
    "ev_same": (
        "Tệp này đã được đính kèm cho tiêu chí này; không lưu thêm.",
        "This file is already attached to this item; nothing was added.",
    ),
    "ev_choose_again": (
        "Tệp chưa được lưu; hãy chọn lại tệp.",
        "The file was not stored; choose it again.",
    ),
    "ev_remove": ("Gỡ tệp", "Remove"),
    "ev_remove_confirm": ("Gỡ tệp này khỏi tiêu chí?", "Remove this file from the item?"),
    "ev_explained": (
        "Giải trình và tài liệu kèm theo (vòng 2)",
        "Explanations and their files (round 2)",
    ),
    "ev_by": ("tải lên bởi", "uploaded by"),
    # ---- i16-forms: the forms' labels, errors beside the field, deadlines, appraiser's view
    "form_missing": (
        "Biểu mẫu gửi lên thiếu các trường của {count} tiêu chí ({leaves}): chưa lưu gì; "
        "hãy tải lại trang rồi lưu lại.",
        "The form came without the fields of {count} item(s) ({leaves}): nothing was saved; "
        "reload the page and save again.",
    ),
    "form_fields_missing": (
        "Biểu mẫu gửi lên thiếu trường {names}: chưa thay đổi gì; hãy tải lại trang rồi thử lại.",
        "The form came without its field(s) {names}: nothing was changed; reload the page and "
        "try again.",
    ),
    "err_long": ("Quá dài (tối đa {limit} ký tự).", "Too long (at most {limit} characters)."),
    "err_choose": ("Hãy chọn một trong các phương án.", "Choose one of the options."),
    "err_date": (
        "“{raw}” không phải là ngày (dd/mm/yyyy).",
        "“{raw}” is not a date (dd/mm/yyyy).",
    ),
    "err_number": (
        "“{raw}” không phải là số (chỉ gồm chữ số, dấu phẩy thập phân).",
        "“{raw}” is not a number (digits, with a decimal point).",
    ),
    "err_whole": (
        "“{raw}” phải là số nguyên không âm.",
        "“{raw}” must be a whole number, 0 or more.",
    ),
    "err_range": (
        "“{raw}” nằm ngoài khoảng cho phép, từ {lo} đến {hi}.",
        "“{raw}” is outside the allowed range, {lo} to {hi}.",
    ),
    "err_documents": (
        "Tối đa {limit} tài liệu.",
        "At most {limit} documents.",
    ),
    "err_reason": (
        "Hãy ghi lý do thay đổi điểm.",
        "Give the reason for the change.",
    ),
    "err_no_change": (
        "Hãy nhập ít nhất một điểm mới (kèm lý do).",
        "Enter at least one new score (with its reason).",
    ),
    "err_no_explanation": (
        "Hãy viết ít nhất một nội dung giải trình.",
        "Write at least one explanation.",
    ),
    "err_conflict": (
        "Trong lúc anh/chị nhập liệu, người khác đã lưu thay đổi cho đơn vị này. Số liệu "
        "anh/chị vừa nhập vẫn được giữ bên dưới: hãy kiểm tra lại rồi bấm Lưu để ghi đè.",
        "Someone else saved this unit while you were typing. What you typed is kept below: "
        "check it, then save again to replace their change.",
    ),
    "err_refused": ("Chưa lưu được: {detail}", "Not saved: {detail}"),
    "err_window_closed": (
        "Đã hết hạn giải trình ({due}): không thể gửi giải trình.",
        "The explanation window closed on {due}: explanations can no longer be sent.",
    ),
    "err_submission_closed": (
        "Đã hết hạn nộp bản tự đánh giá ({due}); kỳ đánh giá không nhận hồ sơ nộp muộn.",
        "The self-assessment deadline ({due}) has passed; the campaign refuses late files.",
    ),
    "session_expired": ("Phiên đăng nhập đã hết hạn", "Your session has expired"),
    "session_expired_help": (
        "Số liệu anh/chị đã nhập được giữ lại trên trình duyệt này. Hãy đăng nhập lại: "
        "biểu mẫu sẽ mở lại với các giá trị đã nhập.",
        "What you typed is kept in this browser. Sign in again: the form will open again "
        "with the values you typed.",
    ),
    "sign_in_again": ("Đăng nhập lại và quay về biểu mẫu", "Sign in again and return to the form"),
    "unsaved": ("chưa lưu", "unsaved"),
    "restored": (
        "Đã khôi phục số liệu chưa lưu từ lần nhập trước: hãy kiểm tra rồi bấm Lưu.",
        "Unsaved values from your last visit were restored: check them, then save.",
    ),
    "leave_warning": (
        "Có thay đổi chưa lưu. Rời trang sẽ mất các thay đổi này.",
        "There are unsaved changes. Leaving the page loses them.",
    ),
    "deadlines": ("Thời hạn", "Deadlines"),
    "due_self": ("Nộp bản tự đánh giá", "Self-assessment due"),
    "due_explanation": ("Giải trình", "Explanations due"),
    "due_none": ("chưa đặt", "not set"),
    "due_closed": ("đã hết hạn", "closed"),
    "due_open": ("còn hạn", "open"),
    "late_refused": ("không nhận nộp muộn", "late files refused"),
    "late_flagged": ("nộp muộn được ghi nhận", "late files flagged"),
    "round_1": ("Vòng 1", "Round 1"),
    "round_2": ("Vòng 2", "Round 2"),
    "round_correction": ("Vòng đính chính", "Correction round"),
    "self_inputs": ("Số liệu tự đánh giá", "The unit's figures"),
    "differs": ("khác điểm tự chấm", "differs from the self-score"),
    "explanation_of": ("Giải trình của đơn vị", "The unit's explanation"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "kind": ("Loại quy tắc", "Rule kind"),
    "applicable_na": ("không áp dụng", "not applicable"),
    "bonus": ("Điểm thưởng", "Bonus"),
    "penalty": ("Điểm trừ", "Penalty"),
    # --- i16-ops: bulk steps, confirmations, publication, administration, audit log ---
    "confirm_needed": (
        "Bước này không hoàn tác được: hãy đánh dấu ô «Tôi xác nhận…» rồi gửi lại. "
        "Chưa có thay đổi nào.",
        "This step cannot be undone: tick «I confirm…» and send again. Nothing was changed.",
    ),
    "confirm_advance": (
        "Tôi xác nhận chuyển bước (không hoàn tác được).",
        "I confirm this move (it cannot be undone).",
    ),
    "confirm_publish": (
        "Tôi xác nhận công bố kết quả (không hoàn tác được).",
        "I confirm publishing the results (it cannot be undone).",
    ),
    "confirm_correction": (
        "Tôi xác nhận công bố đính chính (không hoàn tác được).",
        "I confirm publishing the correction (it cannot be undone).",
    ),
    "confirm_disable": (
        "Tôi xác nhận khóa tài khoản này (các phiên đăng nhập của tài khoản kết thúc).",
        "I confirm disabling this account (its sessions end).",
    ),
    "bulk": ("Chuyển hàng loạt", "Bulk step"),
    "bulk_units": ("đơn vị", "units"),
    "bulk_move": ("Các đơn vị sẽ chuyển bước", "Units that will move"),
    "bulk_blocked": ("Các đơn vị không đủ điều kiện", "Units not eligible"),
    "bulk_confirm": (
        "Tôi xác nhận chuyển bước tất cả các đơn vị trên (không hoàn tác được).",
        "I confirm moving every unit above (it cannot be undone).",
    ),
    "bulk_none": ("Không có đơn vị nào đủ điều kiện.", "No unit is eligible."),
    "bulk_done": ("Đã chuyển bước các đơn vị.", "The units were moved on."),
    "why_not": ("Lý do", "Why not"),
    "back": ("Quay lại", "Back"),
    "publication": ("Kết quả công bố", "Published result"),
    "run": ("Lần công bố số", "Run"),
    "published_at": ("Công bố lúc", "Published on"),
    "publisher": ("Người công bố", "Published by"),
    "run_publish": ("công bố", "publication"),
    "run_correction": ("đính chính", "correction"),
    "pending_correction": ("Đính chính chưa công bố", "Correction not yet published"),
    "pending_help": (
        "Có điều chỉnh thẩm định sau lần công bố gần nhất; kết quả công bố chưa bao gồm.",
        "Appraisal changes were made after the last publication; the published result "
        "does not include them yet.",
    ),
    "unit_pick": ("— chọn đơn vị —", "— pick a unit —"),
    "locked_until": ("khóa đến", "until"),
    "failures": ("lần đăng nhập sai", "failed sign-ins"),
    "action": ("Thao tác", "Action"),
    "details": ("Chi tiết", "Details"),
    "person": ("Người thực hiện", "Person"),
    "date_from": ("Từ ngày", "From"),
    "date_to": ("Đến ngày", "To"),
    "any": ("— tất cả —", "— any —"),
    "filter": ("Lọc", "Filter"),
    "node": ("Tiêu chí", "Item"),
    "changed_fields": ("Thay đổi", "Changes"),
    "no_diff": (
        "mục ghi trước khi nhật ký lưu các thay đổi: chỉ có mã băm",
        "written before the log kept changes: hashes only",
    ),
    "no_change": ("không thay đổi câu trả lời", "no answer changed"),
    "empty": ("(trống)", "(empty)"),
    # -- i16-browser: phone and keyboard (skip link, landmarks, names of unlabelled inputs)
    "skip": ("Bỏ qua đến nội dung chính", "Skip to main content"),
    "main_nav": ("Điều hướng chính", "Main navigation"),
    "self_score_of": ("Điểm tự chấm của tiêu chí", "Self-assessed score of item"),
    "evidence_of": ("Tài liệu kiểm chứng của tiêu chí", "Evidence of item"),
    # -- end i16-browser
    # -- i16-texts: a year names a campaign in a URL (routing.campaign_id); {} filled there
    "no_campaign": ("Không có kỳ đánh giá {ref}", "no campaign {ref}"),
    "did_you_mean": (" (có phải ý bạn là {near}?)", " (did you mean {near}?)"),
    "several_campaigns": (
        "Năm {ref} có nhiều kỳ đánh giá: {ids}; hãy chọn một kỳ theo mã của nó",
        "several campaigns for {ref}: {ids}; name one by its id",
    ),
    # -- end i16-texts
    # -- i16-trace: the trace page's header (campaign year, index version labelled)
    "trace_campaign": ("Kỳ đánh giá năm {year}", "{year} campaign"),
    "index_version": ("mã phiên bản chỉ số", "index version code"),
    "rule_id": ("mã quy tắc", "rule id"),
    # -- end i16-trace
    # ---- lead: a correction refused when nothing was corrected since the last publication
    "nothing_to_correct": (
        "Chưa có thay đổi đính chính nào kể từ lần công bố trước: hãy thẩm định vòng đính chính "
        "trước khi công bố đính chính (chưa công bố gì).",
        "No correction was recorded since the last publication: appraise in the correction "
        "round before publishing a correction (nothing was published).",
    ),
    # ---- lead: why a page was refused, in the reader's words
    "refused_role": (
        "Vai trò «{role}» không được phép {what}.",
        "The role '{role}' may not {what}.",
    ),
    "refused_csrf": (
        "Biểu mẫu đã cũ hoặc không hợp lệ (mã chống giả mạo): hãy tải lại trang rồi thử lại.",
        "The form is stale or invalid (anti-forgery token): reload the page and try again.",
    ),
    "refused_what": ("thực hiện thao tác này", "do this"),
    # ---- lead: the verify page in the reader's words
    "verified_runs": ("các lần công bố số", "runs"),
    "nothing_published": (
        "Kỳ đánh giá này chưa công bố kết quả nào: chưa có gì để đối chiếu.",
        "This campaign has published no results yet: there is nothing to verify.",
    ),
    # unit page
    "pending_unit_help": (
        "Đơn vị này có điều chỉnh thẩm định sau lần công bố gần nhất: số liệu dưới đây đã "
        "tính điều chỉnh đó, kết quả công bố chưa bao gồm.",
        "This unit's appraisal was changed after the last publication: the figures below "
        "include the change, the published result does not yet.",
    ),
}


def action(key: str, lang: str) -> str:
    """An audit action as people name it in ``lang`` (``auditlog.action_name``)."""
    return action_name(key, lang)


def t(key: str, lang: str) -> str:
    """The interface text ``key`` in ``lang`` (Vietnamese unless ``en``)."""
    vi, en = TEXT[key]
    return en if lang == "en" else vi


def round_name(round_: Any, lang: str) -> str:
    """An appraisal round for people: Vòng 1, Vòng 2, Vòng đính chính (or in English)."""
    key = f"round_{round_}"
    return t(key, lang) if key in TEXT else f"{t('round', lang)} {round_}"


def state(key: str, lang: str) -> str:
    """A workflow state's label in ``lang`` (the state itself if it has none), from the one
    table of state names (``store.workflow``)."""
    return state_name(key, lang)


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


def refusal(role: str, action: str, lang: str = "vi") -> str:
    """Why a page was refused, for people: the role by its name (the store's Vietnamese role
    names), never the policy's action codes."""
    if action == "csrf":
        return t("refused_csrf", lang)
    name = ROLE_VI.get(role, role) if lang != "en" else role
    return t("refused_role", lang).format(role=name, what=t("refused_what", lang))
