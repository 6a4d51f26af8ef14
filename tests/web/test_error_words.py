"""Every refusal a web request can meet carries its Vietnamese words (``vi=``).

A page shows a refusal through ``reason(lang)``: an error raised without ``vi=`` would read in
English on a Vietnamese page. This scans the modules the web routes reach (the store, the
clock, the web app itself) for a ``WorkflowError``, ``ConflictError``, ``AccessError``,
``SubmissionError`` or ``StorageError`` made without ``vi=`` (and an ``unknown_id`` without
its ``vi=`` pair), outside the few functions no web request runs.
"""

from __future__ import annotations

import ast

from tests.support.paths import ROOT

REFUSALS = {"WorkflowError", "ConflictError", "AccessError", "SubmissionError", "StorageError"}
MAKERS = REFUSALS | {"unknown_id"}
# the modules the web routes call into, directly or through the store
SCANNED = sorted(
    [
        *(ROOT / "scoring" / "store").glob("*.py"),
        ROOT / "scoring" / "sources" / "clock.py",
        *(ROOT / "scoring" / "web").glob("*.py"),
        *(ROOT / "scoring" / "web" / "pages").glob("*.py"),
    ]
)
# (module, function) whose refusals no web request meets: each with why. English there is
# the CLI's language; an entry whose refusals all gained ``vi=`` must leave this list.
NO_WEB_REQUEST = {
    # opening and migrating the store: at start-up and by the CLI, before any request
    ("scoring/store/db.py", "open_store"): "the store is opened when the server starts",
    ("scoring/store/db.py", "_check_sqlite_file"): "the store is opened when the server starts",
    ("scoring/store/db.py", "_check_kind"): "the store is opened when the server starts",
    ("scoring/store/db.py", "upgrade"): "`parindex store upgrade` only",
    # creating a campaign and its units: `parindex campaign create` / `units add` only
    ("scoring/store/campaigns.py", "_create"): "`parindex campaign create` only",
    ("scoring/store/campaigns.py", "_check_opening"): "`parindex campaign create` only",
    ("scoring/store/campaigns.py", "create_from_spec"): "`parindex campaign create` only",
    ("scoring/store/campaigns.py", "add_units"): "`parindex campaign create` only",
    ("scoring/store/roster.py", "read_units"): "`parindex units add` only",
    ("scoring/store/roster.py", "add_unit"): "`parindex units add` only",
    # survey and council results come in files the CLI imports; the web imports unit forms
    ("scoring/store/imports.py", "_import_source"): "`parindex import` of survey/council files",
    ("scoring/store/imports.py", "import_forms"): "`parindex import-forms` only",
    # the server's own option, read once when it starts
    ("scoring/web/app.py", "trusted"): "`parindex serve --trusted-proxy` at start-up",
}


def _name(call: ast.Call) -> str | None:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def wordless(source: str, path: str = "<source>") -> list[tuple[str, int, str]]:
    """(path, line, enclosing function) of each refusal made in ``source`` without ``vi=``."""
    tree = ast.parse(source)
    found = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inside = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                inside = child.name
            if (
                isinstance(child, ast.Call)
                and _name(child) in MAKERS
                and not any(k.arg == "vi" for k in child.keywords)
            ):
                found.append((path, child.lineno, inside))
            visit(child, inside)

    visit(tree, "<module>")
    return found


def _scan() -> list[tuple[str, int, str]]:
    out = []
    for p in SCANNED:
        rel = p.relative_to(ROOT).as_posix()
        out += wordless(p.read_text(encoding="utf-8"), rel)
    return out


def test_every_refusal_a_web_request_meets_has_its_vietnamese_words() -> None:
    """No refusal in the modules the web routes reach is made without ``vi=``, but in the
    functions listed as run by the CLI or at start-up only."""
    missing = [
        f"{path}:{line} in {fn}()" for path, line, fn in _scan() if (path, fn) not in NO_WEB_REQUEST
    ]
    assert not missing, "refusals without vi= (add the Vietnamese words):\n" + "\n".join(missing)


def test_the_allow_list_names_only_functions_that_still_need_it() -> None:
    """Every allowed (module, function) exists and still makes a refusal without ``vi=``:
    one that gained its words leaves the list, so the list cannot hide a new route's."""
    still = {(path, fn) for path, _, fn in _scan()}
    stale = sorted(set(NO_WEB_REQUEST) - still)
    assert not stale, f"no longer needed on the allow-list: {stale}"


def test_the_scan_finds_a_refusal_without_its_words() -> None:
    """The scan catches a raise, a refusal kept to raise later, an attribute call and an
    ``unknown_id`` made without ``vi=``, and passes the same with ``vi=``."""
    source = """
def submit():
    raise WorkflowError("unit x is submitted")

def sign_in():
    refused = errors.AccessError("wrong password")
    raise refused

def find():
    raise unknown_id("no unit", "x", [], "in campaign 'c'")

def fine():
    raise ConflictError("changed", vi="Bản ghi đã bị người khác thay đổi")

def other():
    raise ValueError("not a refusal a page shows")
"""
    assert wordless(source) == [
        ("<source>", 3, "submit"),
        ("<source>", 6, "sign_in"),
        ("<source>", 10, "find"),
    ]


def test_the_scan_reads_the_modules_the_web_reaches() -> None:
    """The scanned files include the store's workflow, moves and accounts, the clock and
    the web pages (a moved module would silently leave the check)."""
    names = {p.relative_to(ROOT).as_posix() for p in SCANNED}
    assert {
        "scoring/store/workflow.py",
        "scoring/store/moves.py",
        "scoring/store/accounts.py",
        "scoring/store/appraisal.py",
        "scoring/store/publication.py",
        "scoring/sources/clock.py",
        "scoring/web/pages/admin.py",
    } <= names
