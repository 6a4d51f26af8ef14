"""What every ``parindex`` command shares: the app, global options, exit codes, output.

Exit codes: 0 ok; 1 expected failure (bad input or a refused step, with file, line and path);
2 usage; 3 a bug (traceback only with ``--debug``); 130 interrupted.
"""

from __future__ import annotations

import datetime as dt
import getpass
import importlib.util
import json
import os
import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from scoring.cli import texts
from scoring.cli.texts import t
from scoring.errors import EngineError, ErrorList, ParindexError

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPT = 0, 1, 2, 3, 130

app = typer.Typer(
    name="parindex",
    help="Score a provincial administrative-reform index (Chỉ số CCHC) from YAML, with traces.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)
if TYPE_CHECKING:
    from scoring.index.loader import Index
    from scoring.store.db import Store


def lazy(name: str) -> Any:
    """A module imported on first use: commands that need the store, NumPy or the solver
    should not slow down the ones that do not (``parindex score`` starts in well under 1 s)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


stored = lazy("scoring.store.stored")
_state: dict[str, Any] = {"debug": False, "db": None, "actor": None, "at": None}
T = TypeVar("T")


def lang_option(value: str) -> str:
    """A --lang option: vi or en."""
    if value.strip().lower() not in ("vi", "en"):
        raise typer.BadParameter(f"{value!r}: use vi (Tiếng Việt) or en (English)")
    return value.strip().lower()


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of bugs.")] = False,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Store URL (default $PARINDEX_DB, else sqlite:///parindex.db)."),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            "--actor",
            help="Who makes the change (audit log); default: $PARINDEX_ACTOR or the login name.",
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="Record changes as of this ISO time (replaying a past year); without an "
            "offset it is the campaign's local time. Not in the future, nor before the "
            "campaign opened.",
        ),
    ] = None,
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            envvar="PARINDEX_LANG",
            help="Language of tables and texts: vi (default) or en ($PARINDEX_LANG). "
            "--json is the same in both.",
            callback=lang_option,
        ),
    ] = "vi",
) -> None:
    """parindex: the PAR index as data, scored by durable-rules, every point traced."""
    _state.update(debug=debug, db=db, actor=actor, at=at)
    texts.use(lang)


def say(message: str) -> None:
    """Print an error message (stderr), the store's password masked wherever it appears."""
    url = _state["db"] or os.environ.get("PARINDEX_DB")
    if url and "@" in url:  # only a URL with credentials has anything to hide
        from scoring.store.db import redact

        message = redact(message, url)
    err.print(message, markup=False)


def error_line(exc: ParindexError) -> str:
    """One error as the CLI prints it, in the chosen language: ``lỗi: file:line: …`` in
    Vietnamese (the raiser's Vietnamese words where it gave them, ``vi=``; its English ones
    otherwise), ``error: …`` in English."""
    if texts.lang() == "vi":
        return f"lỗi: {exc.text('vi')}"
    return f"error: {exc.text('en')}"


def _flat(exc: ParindexError) -> list[ParindexError]:
    """The single errors of ``exc``, lists within lists flattened."""
    if not isinstance(exc, ErrorList):
        return [exc]
    return [single for e in exc.errors for single in _flat(e)]


def guard(fn: Callable[[], T]) -> T:
    """Run a command body; turn our errors into messages and exit codes. Each message is
    printed once, here: code below raises and never prints an error itself."""
    try:
        return fn()
    except EngineError as exc:
        say(f"internal error: {exc}")
        if _state["debug"]:
            say(traceback.format_exc())  # masked too: a SQL error may quote the URL
        raise typer.Exit(EXIT_BUG) from None
    except ParindexError as exc:
        said: set[str] = set()
        for e in _flat(exc):
            text = error_line(e)
            if text not in said:
                said.add(text)
                say(text)
        raise typer.Exit(EXIT_FAIL) from None
    except KeyboardInterrupt:
        raise typer.Exit(EXIT_INTERRUPT) from None
    except (typer.Exit, typer.Abort):
        raise
    except OSError as exc:  # the file system refused (a full disk, no permission): not a bug
        where = exc.filename if exc.filename is not None else "<input>"
        say(f"error: {where}: {exc.strerror or exc}")
        if _state["debug"]:
            say(traceback.format_exc())  # masked too: a SQL error may quote the URL
        raise typer.Exit(EXIT_FAIL) from None
    except Exception as exc:  # a bug: say so plainly, traceback only on request
        say(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)")
        if _state["debug"]:
            say(traceback.format_exc())  # masked too: a SQL error may quote the URL
        raise typer.Exit(EXIT_BUG) from None


def store(read_only: bool = False) -> Store:
    """The store named by --db / $PARINDEX_DB (default: parindex.db here). A command that
    only reads passes ``read_only``: it never creates a store (see ``db.open_store``)."""
    from scoring.store.db import open_store

    return open_store(_state["db"], read_only=read_only)


def actor() -> str:
    """Who is acting, for the audit log."""
    found = _state["actor"] or os.environ.get("PARINDEX_ACTOR")
    if found:
        return str(found)
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "parindex"


def now(campaign: str | None = None, *, time_zone: str | None = None) -> dt.datetime:
    """The effective time of a change: --at, else the machine's clock (aware UTC).

    A --at without an offset is read in the campaign's time zone (else ``time_zone``, else
    Asia/Ho_Chi_Minh). It is refused when it lies in the future, or before the campaign
    opened (its created_at): the audit log records both it and the real time of writing.
    """
    from scoring.sources import clock

    written = clock.system_now()
    if not _state["at"]:
        return written
    tz, opened = time_zone, None
    if campaign is not None:
        found = stored.campaign_clock(store(), campaign)
        if found is not None:  # an unknown campaign is reported by the command itself
            tz, opened = found
    moment = clock.parse(_state["at"], tz)
    clock.check_effective(moment, opened=opened, tz=tz, now=written)
    return moment


def campaign_of(ref: str) -> str:
    """The stored campaign a person names by its id or its year (``2019``); an unknown one is
    refused with the nearest id or year, a year with two campaigns lists them (exit 1)."""

    def named() -> str:
        from scoring.errors import StorageError

        try:
            st = store(read_only=True)
        except StorageError:  # no store yet: the command itself says so (or creates it)
            return ref
        return str(stored.campaign_named(st, ref))

    return guard(named)


def campaign_option(ref: str | None) -> str | None:
    """A campaign argument or option (callback): the id, a year resolved to its campaign."""
    return None if ref is None else campaign_of(ref)


def campaign_zone(cid: str) -> str | None:
    """The time zone a stored campaign's times are shown in (None: the default zone)."""
    found = stored.campaign_clock(store(), cid)
    return None if found is None else found[0]


def print_json(doc: Any) -> None:
    """Print data as indented JSON, Vietnamese kept as written (``--json``)."""
    out.print(json.dumps(doc, ensure_ascii=False, indent=2), markup=False, soft_wrap=True)


def print_ranking(doc: dict[str, Any], tz: str | None = None) -> None:
    """The ranking tables of a score document, one per group (times in the zone ``tz``):
    figures with a decimal comma in Vietnamese, labels in the chosen language."""
    idx = doc["index"]
    run = doc.get("run")
    head = (
        f"{doc['campaign']} ({doc['year']}) — {t('index_word')} {idx['id']}, "
        f"{t('hash')} {idx['content_hash'][:12]}"
    )
    if run:
        kind = t(f"run_{run['kind']}") if f"run_{run['kind']}" in texts.TEXT else run["kind"]
        head += f" — {t('published_run')} {run['id']} ({kind}, {texts.when(run['at'], tz)})"
    out.print(head, markup=False)
    for g in doc["groups"]:
        table = Table(title=texts.pick(g["title_vi"], g["title_en"]), title_justify="left")
        for col, justify in (
            ("rank", "right"),
            ("unit", "left"),
            ("points", "right"),
            ("max", "right"),
            ("index", "right"),
            ("class", "left"),
            ("satisfaction", "right"),
        ):
            table.add_column(t(col), justify=justify)  # type: ignore[arg-type]
        for u in g["units"]:
            label = u["classification"] or {}
            table.add_row(
                "" if u["rank"] is None else str(u["rank"]),
                u["name"],
                texts.num(u["points"]),
                texts.num(u["max_points"]),
                texts.num(u["index"]),
                texts.pick(label.get("label_vi", ""), label.get("label_en")),
                texts.num(u.get("satisfaction")),  # runs published before it have none: —
            )
        out.print(table)
        if g.get("satisfaction") is not None:
            out.print(f"{t('group_satisfaction')}: {texts.pct(g['satisfaction'])}", markup=False)
    for g in doc["groups"]:
        for u in g["units"]:
            for w in u["warnings"]:
                err.print(w, markup=False)


def print_trace(
    doc: dict[str, Any],
    explanations: list[dict[str, Any]] | None = None,
    tz: str | None = None,
    places: int | None = None,
    index: Index | None = None,
) -> None:
    """A unit's trace as text: each step, its rule, inputs, evidence and appraisal changes,
    figures at ``places`` decimals with a decimal comma, band notation in words, levels by
    their labels (with the ``index``), times in the zone ``tz`` (the exact trace is
    ``explain --json``)."""
    out.print(
        f"{doc['name']} ({doc['unit_id']}) — {t('index_word')} {doc['index']['id']} "
        f"{doc['index']['content_hash'][:12]}",
        markup=False,
    )
    said = {e["node_id"]: e for e in explanations or []}
    en = texts.lang() == "en"
    for s in doc["steps"]:
        pts = texts.num(s["points"], places)
        why = texts.reason(s["reason_en"] if en else s["reason_vi"], places)
        out.print(
            f"  {s['node']:<10} {pts:>8} / {texts.num(s['max'], places):<6} {why}", markup=False
        )
        details = []
        if s["rule"]:
            details.append(f"{t('rule')} {s['rule']}")
        if s["inputs"]:
            details.append(
                f"{t('inputs')} "
                + texts.inputs(
                    s["inputs"],
                    s.get("kind"),
                    tz,
                    places or 2,
                    index=index,
                    node=s["node"],
                    group=doc.get("group"),
                )
            )
        if s["self_score"] is not None:
            details.append(f"{t('self_score')} {texts.num(s['self_score'])}")
        if s["evidence"]:
            details.append(f"{t('evidence')} " + "; ".join(e.get("doc", "") for e in s["evidence"]))
        if s["notes"]:
            details.append(f"{t('notes')} " + ", ".join(texts.note(n, places) for n in s["notes"]))
        if details:
            out.print("             " + " | ".join(details), markup=False)
        for a in s.get("appraisal") or []:
            who = t("appraisal", round=a["round"], at=texts.when(a["at"], tz), who=a["appraiser"])
            out.print(
                f"             {who}: {texts.num(a['from'])} → {texts.num(a['to'])} — "
                f"{a['reason']}",
                markup=False,
            )
        if s["node"] in said:
            e = said[s["node"]]
            who = t("explanation", at=texts.when(e["at"], tz), who=e["author"])
            out.print(f"             {who}: {e['text']}", markup=False)
