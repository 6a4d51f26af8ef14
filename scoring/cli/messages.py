"""The CLI's confirmations and summaries for people: what a command that writes (or checks)
says it did, in Vietnamese and English.

``scoring.cli.texts`` merges this table into its own, so every text is asked for the same way
(``t("submitted", unit=…)``) and follows ``--lang``. Figures and times are formatted by the
caller (``texts.num``, ``texts.when``) before they are filled in; ids stay as typed where a
person types them back (a campaign id, a file name), names are shown beside unit ids.
Error messages (``ParindexError``) are not here: they stay as the library writes them.
"""

from __future__ import annotations

# key -> (Vietnamese, English)
MESSAGES: dict[str, tuple[str, str]] = {
    # ---- campaigns and units (store_cmds)
    "campaign_created": (
        "Đã mở kỳ đánh giá {id} (năm {year}) trên bộ chỉ số {hash}{units}.",
        "Campaign {id} ({year}) opened on index {hash}{units}.",
    ),
    "with_units": (" với {n} đơn vị", " with {n} units"),
    "campaign_now": (
        "Kỳ đánh giá {id} chuyển sang trạng thái «{state}».",
        "Campaign {id} is now «{state}».",
    ),
    "import_created": (
        "Đã tạo kỳ đánh giá {id}: lưu {n} bản tự đánh giá.",
        "Campaign {id} created: {n} self-assessments stored.",
    ),
    "import_updated": (
        "Đã cập nhật kỳ đánh giá {id}: lưu {n} bản tự đánh giá.",
        "Campaign {id} updated: {n} self-assessments stored.",
    ),
    "unit_not_imported": ("Không nhập được đơn vị {unit}:", "Unit {unit} was not imported:"),
    "unit_not_scored": ("Không chấm được điểm đơn vị {unit}:", "unit {unit} was not scored:"),
    "self_stored": (
        "Đã lưu bản tự đánh giá của {unit} vào kỳ đánh giá {id}.",
        "Self-assessment of {unit} stored in {id}.",
    ),
    "submitted": (
        "{unit} đã nộp bản tự đánh giá{late}; phiên bản {version}.",
        "{unit} submitted{late}; version {version}.",
    ),
    "unit_now": (
        "{unit} chuyển sang trạng thái «{state}»; phiên bản {version}.",
        "{unit} is now «{state}»; version {version}.",
    ),
    "unit_added": (
        "Đã thêm đơn vị {unit}, nhóm «{group}», vào kỳ đánh giá {id}.",
        "Unit {unit}, group «{group}», added to {id}.",
    ),
    # ---- the steps of ``campaign run`` (``store.cycle``'s progress, on stderr)
    "cycle_already_published": (
        "Kỳ đánh giá {campaign} đã được công bố trong kho dữ liệu.",
        "Campaign {campaign} is already published in the store.",
    ),
    "cycle_already_imported": (
        "Kỳ đánh giá {campaign}: các bản tự đánh giá đã được lưu.",
        "Campaign {campaign}: the self-assessments are already stored.",
    ),
    "cycle_imported": (
        "Đã nhập {n} bản tự đánh giá vào kỳ đánh giá {campaign}.",
        "Imported {n} self-assessments into campaign {campaign}.",
    ),
    "cycle_submitted": (
        "Đã nộp {n} đơn vị ({k} nộp muộn: {late}).",
        "Submitted {n} units ({k} late: {late}).",
    ),
    "cycle_round": ("Thẩm định {round}: {n} thay đổi.", "Appraisal {round}: {n} changes."),
    "cycle_explained": (
        "Đã ghi giải trình của {n} đơn vị.",
        "Recorded the explanations of {n} units.",
    ),
    "cycle_published": (
        "Đã công bố kỳ đánh giá {campaign} (lần công bố {run}, mã băm kết quả {hash}).",
        "Published campaign {campaign} (run {run}, result hash {hash}).",
    ),
    # ---- appraisal, explanations, survey and council results (appraisal_cmds, survey_cmds)
    "round_1": ("Vòng 1", "Round 1"),
    "round_2": ("Vòng 2", "Round 2"),
    "round_correction": ("Vòng đính chính", "Correction round"),
    "round_file": (
        "{round}: đã ghi {n} thay đổi thẩm định.",
        "{round}: {n} appraisal changes recorded.",
    ),
    "changes_recorded": (
        "{round}: đã ghi {n} thay đổi thẩm định cho {unit}; phiên bản {version}.",
        "{round}: {n} appraisal changes recorded for {unit}; version {version}.",
    ),
    "explanations_file": (
        "Đã ghi giải trình của {n} đơn vị.",
        "Explanations of {n} units recorded.",
    ),
    "explanation_recorded": (
        "Đã ghi giải trình của {unit} cho tiêu chí {node}; phiên bản {version}.",
        "Explanation recorded for {unit}, item {node}; version {version}.",
    ),
    "survey_stored": (
        "Đã lưu kết quả khảo sát của kỳ đánh giá {id}: cập nhật {n} đơn vị ({how}).",
        "Survey results stored for {id}: {n} units updated ({how}).",
    ),
    "council_stored": (
        "Đã lưu điểm của Hội đồng thẩm định cho kỳ đánh giá {id}: cập nhật {n} đơn vị ({how}).",
        "Council scores stored for {id}: {n} units updated ({how}).",
    ),
    "forms_stored": (
        "Đã tính kết quả khảo sát từ {n} phiếu và lưu cho kỳ đánh giá {id} ({how}).",
        "Survey results counted from {n} forms stored for {id} ({how}).",
    ),
    "others_replaced": ("thay thế kết quả của mọi đơn vị khác", "replacing all others"),
    "others_kept": ("giữ nguyên các đơn vị khác", "others kept"),
    "quota_title": ("Mẫu khảo sát (tối thiểu {n} phiếu)", "Survey sample (minimum {n} forms)"),
    "q_group": ("Nhóm", "Group"),
    "q_sample": ("Số phiếu", "Forms"),
    "q_quota": ("Chỉ tiêu", "Quota"),
    "q_short": ("Còn thiếu", "Shortfall"),
    "q_below": ("Dưới tối thiểu", "Below minimum"),
    "below_minimum": (
        "Dưới mức tối thiểu {n} phiếu (áp dụng: {rule}): {units}",
        "Below the minimum of {n} forms (rule applied: {rule}): {units}",
    ),
    "bm_not_applicable": ("tính là không áp dụng", "counted as not applicable"),
    "bm_score_as_is": ("chấm theo số phiếu thu được", "scored as counted"),
    "results_sha": ("SHA-256 của kết quả: {sha}", "Results SHA-256: {sha}"),
    # ---- checks, files written, the audit log (results_cmds, report_cmds, index_cmds)
    "verified": (
        "{id}: {n} lần công bố được tính lại từ dữ liệu lưu trữ: trùng khớp.",
        "{id}: {n} published runs recomputed from storage: identical.",
    ),
    "wrote": ("Đã ghi {file}.", "Wrote {file}."),
    "wrote_files": (
        "Đã ghi {n} tệp vào {folder} ({status}).",
        "Wrote {n} files to {folder} ({status}).",
    ),
    "draft_status": ("BẢN NHÁP, chưa công bố", "DRAFT, not published"),
    "published_status": ("lần công bố {run}", "published run {run}"),
    "audit_intact": (
        "Nhật ký kiểm toán: {n} mục, chuỗi liên kết nguyên vẹn.",
        "Audit log: {n} entries, chain intact.",
    ),
    "a_seq": ("STT", "seq"),
    "a_written": ("Ghi lúc", "written"),
    "a_effective": ("Hiệu lực", "effective"),
    "a_actor": ("Người thực hiện", "actor"),
    "a_action": ("Thao tác", "action"),
    "a_where": ("Nơi / chi tiết", "where / detail"),
    "check_ok": ("{id}: {title} ({year}) — hợp lệ", "{id}: {title} ({year}) — OK"),
    "check_hash": ("  mã băm nội dung {hash}", "  content hash {hash}"),
    "check_group": (
        "  nhóm «{group}»: {areas} lĩnh vực, {nodes} tiêu chí và lĩnh vực, {leaves} tiêu chí "
        "chấm điểm",
        "  group «{group}»: {areas} areas, {nodes} criteria and areas, {leaves} scored leaves",
    ),
    "check_packs": (
        "  gói quy tắc: {checks} kiểm tra, {bonuses} điểm thưởng, {penalties} điểm trừ",
        "  rule packs: {checks} checks, {bonuses} bonuses, {penalties} penalties",
    ),
    "check_engine": (
        "  bộ quy tắc durable-rules: {n} quy tắc",
        "  durable-rules ruleset: {n} rules",
    ),
    "check_kinds": ("  loại quy tắc: {kinds}", "  rule kinds: {kinds}"),
    "check_note": ("  lưu ý: {note}", "  note: {note}"),
    # ---- rank robustness (robustness_cmds)
    "rb_head": (
        "{id} ({year}) — {draws} lần mô phỏng, hạt giống {seed}; sai số chọn mẫu khảo sát "
        "× {sampling}, dung sai thẩm định ({tolerance}, {dist}), trọng số lĩnh vực "
        "± {weights}",
        "{id} ({year}) — {draws} draws, seed {seed}; survey sampling × {sampling}, appraisal "
        "tolerance ({tolerance}, {dist}), area weights ± {weights}",
    ),
    "rb_plots": ("biểu đồ PNG và SVG", "PNG and SVG charts"),
    "kind_default": ("các loại khác", "other kinds"),
    "dist_uniform": ("phân phối đều", "uniform"),
    "dist_normal": ("phân phối chuẩn", "normal"),
    "rb_none": ("không có", "none"),
    "rb_interval": ("5–95 %", "5–95 %"),  # the rank interval; short, so it never wraps
    "rb_pairs": ("  Không phân biệt được:", "  Cannot be told apart:"),
    "rb_pair": (
        "    {a} ~ {b}: xếp trên {above}, xếp dưới {below}, đồng hạng {tied}",
        "    {a} ~ {b}: above {above}, below {below}, tied {tied}",
    ),
    # ---- web accounts and the server (web_cmds)
    "serving": (
        "Ứng dụng web parindex tại http://{host}:{port}/ (Ctrl+C để dừng)",
        "parindex web app on http://{host}:{port}/ (Ctrl+C to stop)",
    ),
    "password": ("Mật khẩu", "Password"),
    "role_officer": ("cán bộ đơn vị", "officer"),
    "role_appraiser": ("thẩm định viên", "appraiser"),
    "role_auditor": ("kiểm toán viên", "auditor"),
    "role_admin": ("quản trị viên", "administrator"),
    "account_created": (
        "Đã tạo tài khoản {user} ({role}).",
        "Account {user} ({role}) created.",
    ),
    "account_unlocked": ("Đã mở khóa tài khoản {user}.", "Account {user} unlocked."),
    "account_disabled": ("Đã vô hiệu hóa tài khoản {user}.", "Account {user} disabled."),
    "account_active": ("đang hoạt động", "active"),
    "account_off": ("đã vô hiệu hóa", "disabled"),
    # ---- bulk steps (workflow_cmds) and evidence files (evidence_cmds)
    "bulk_plan": (
        "Kỳ đánh giá {campaign}: {verb} {n} đơn vị.",
        "Campaign {campaign}: {verb} {n} units.",
    ),
    "bulk_late": (" (nộp muộn)", " (late)"),
    "bulk_blocked": ("{n} đơn vị không đủ điều kiện:", "Units that cannot move ({n}):"),
    "bulk_confirm": ("Xác nhận thực hiện cho {n} đơn vị?", "Go ahead for {n} units?"),
    "bulk_cancelled": ("Đã hủy: không có thay đổi nào.", "Cancelled: nothing was changed."),
    "bulk_done": ("Đã {verb} {n} đơn vị.", "{verb} {n} units."),
    "submit_will": ("sẽ nộp bản tự đánh giá của", "will submit the self-assessments of"),
    "submit_done": ("nộp bản tự đánh giá của", "Submitted the self-assessments of"),
    "advance_will": ("sẽ chuyển bước", "will move on"),
    "advance_done": ("chuyển bước", "Moved on"),
    "stage_answers": ("tự đánh giá", "self-assessment"),
    "stage_explanation": ("giải trình", "explanation"),
    "ev_kept": (
        "Tệp «{name}» đã được đính kèm cho tiêu chí {node}; không lưu thêm.",
        "File «{name}» is already attached to item {node}; nothing more stored.",
    ),
    "ev_added": (
        "Đã đính kèm «{name}» ({kind}, {size}) vào tiêu chí {node} của đơn vị {unit} "
        "({stage}); SHA-256 {sha}",
        "Attached «{name}» ({kind}, {size}) to item {node} of unit {unit} ({stage}); SHA-256 {sha}",
    ),
    "ev_none": ("Chưa có tệp đính kèm.", "No files attached yet."),
    "ev_head": (
        "Tài liệu kiểm chứng đính kèm — {campaign}: {n} tệp",
        "Evidence files attached — {campaign}: {n} file(s)",
    ),
    "ev_line": (
        "#{id} {unit} · tiêu chí {node} ({stage}) · «{name}» {kind} {size} · {who}, {at} · "
        "SHA-256 {sha}…",
        "#{id} {unit} · item {node} ({stage}) · «{name}» {kind} {size} · {who}, {at} · "
        "SHA-256 {sha}…",
    ),
}
