"""Fuzzing the command line: any argv to any command ends in exit 0, 1 or 2, never a traceback.

Hypothesis builds argument lists for every command of the app (found from its command tree, so a
new command or option is fuzzed without a change here): the command's own options, values from
a pool of ids, paths, numbers, dates and store URLs that matter to parindex, and arbitrary text.
Each example runs in a fresh copy of a folder holding the mini campaign and a store where it
is published, so examples do not depend on one another. Exit 3 (a bug, "internal error") fails,
as does any exception that escapes, and an example running past ``EXAMPLE_SECONDS``.

``PARINDEX_FUZZ_EXAMPLES`` sets the number of examples (default 60); raise it for a long
run, as for ``test_fuzz.py``. Only a long run (the variable set) fuzzes ``report``, whose PDFs
take seconds each.
"""

from __future__ import annotations

import os
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from scoring.cli import app
from tests.support.cli import runner
from tests.support.fuzzing import bounded
from tests.support.paths import MINI

EXAMPLES = int(os.environ.get("PARINDEX_FUZZ_EXAMPLES", "60"))  # a few seconds
EXAMPLE_SECONDS = 60  # report and robustness on three units take a few seconds

CLI_FUZZ = settings(
    derandomize=True,
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


Option = tuple[str, bool, bool]  # (name, is a flag, is required)
Command = tuple[int, list[Option]]  # (number of arguments, options)


def _commands() -> dict[tuple[str, ...], Command]:
    """Every command path of the app, how many arguments it takes and its options."""
    found: dict[tuple[str, ...], Command] = {}

    def walk(cmd: Any, path: tuple[str, ...]) -> None:
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(sub, (*path, name))
            return
        args = sum(p.param_type_name == "argument" for p in cmd.params)
        opts = [
            (p.opts[0], bool(p.is_flag), bool(p.required))
            for p in cmd.params
            if p.param_type_name == "option"
        ]
        found[path] = (args, opts)

    walk(typer.main.get_command(app), ())
    return found


COMMANDS = _commands()
# serve runs the web app until it is stopped: its requests are fuzzed by tests/web/test_schema.py
del COMMANDS[("serve",)]
# a report that gets through writes PDFs (about 15 s): only in long runs, where the time is there
if "PARINDEX_FUZZ_EXAMPLES" not in os.environ:
    del COMMANDS[("report",)]
GLOBAL = ["--debug", "--db", "--actor", "--at"]
VALUES = [
    # ids of the mini campaign, its units and nodes, workflow states, classes
    "mini-2018", "a", "b", "c", "nope", "1", "1.1", "1.3", "2.3", "1.5", "9.9.9",
    "department", "tot", "kha", "appraised_1", "final", "review", "published", "flag", "refuse",
    # --set and similar
    "1.1=true", "1.3.numerator=5", "1.3.numerator=-1", "2.3=tot", "1.1.evidence=12/QĐ",
    "1.1.na=true", "1.2=5", "=", "1.1=", "a=b=c",
    # numbers and dates
    "0", "-1", "3", "10000", "99999999999999999999999999", "1e999", "nan", "-0.5",
    "2018", "2018-11-20", "2018-02-30", "2018-11-20T10:00:00+07:00", "31/12/2018",
    # paths: folders and files of the copy, outputs, missing and odd ones
    "mini", "mini/criteria.yaml", "mini/rules", "mini/units/a.yaml", "mini/survey.yaml",
    "garbage.yaml", "garbage.json", "garbage.xlsx", "out.xlsx", "out.csv", "out.json", "out.pdf",
    "outdir", "outdir/x/y.xlsx", "/dev/null", "missing.yaml", ".", "..", "../../etc/passwd",
    # store URLs
    "sqlite:///p.db", "sqlite:///other.db", "sqlite:////nonexistent/dir/x.db", "sqlite:///mini",
    "foo://bar", "postgresql+psycopg://nobody@127.0.0.1:1/x", "",
    # odd text
    "-", "--", "--json", "Sở Nội vụ", unicodedata.normalize("NFD", "Sở Nội vụ"), "x" * 300,
    "\u202e", "'; DROP TABLE unit; --", "%s%s%n", "{}", "[]",
]  # fmt: skip
NUMBERS = ["0", "1", "2", "3", "-1", "50", "2018", "99999999999999999999"]
_arbitrary = st.text(max_size=12).filter(lambda s: "\x00" not in s)  # no NUL in a real argv


@st.composite
def argv(draw: st.DrawFn) -> list[str]:
    """Global options, a command path, its arguments, its required options and some others
    with values; now and then a token too many or too few, or a command cut short, to reach
    the usage errors too."""
    path = draw(st.sampled_from(sorted(COMMANDS)))
    n_args, options = COMMANDS[path]
    value = st.one_of(st.sampled_from(VALUES), _arbitrary)
    number = st.one_of(value, st.sampled_from(NUMBERS))
    pre: list[str] = []
    for opt in draw(st.lists(st.sampled_from(GLOBAL), max_size=2, unique=True)):
        pre += [opt] if opt == "--debug" else [opt, draw(value)]
    rest = [draw(value) for _ in range(n_args + draw(st.sampled_from([0, 0, 0, 0, -1, 1])))]
    chosen = [o for o in options if o[2]]
    chosen += draw(st.lists(st.sampled_from(options), max_size=4)) if options else []
    for name, flag, _ in chosen:  # a number half the time: --draws, --year, --rank, …
        rest += [name] if flag else [name, draw(number)]
    if draw(st.integers(0, 19)) == 7:  # a command cut short, or a mistyped one
        path = path[:-1] or (draw(st.sampled_from(["scor", "campaign", "audit", "zzz"])),)
    return [*pre, *path, *rest]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the mini campaign, its store (the year published) and garbage inputs."""
    folder = tmp_path_factory.mktemp("cli-fuzz")
    shutil.copytree(MINI, folder / "mini")
    (folder / "garbage.yaml").write_bytes(b"units: [\x00\xff\n  - *nope\n")
    (folder / "garbage.json").write_text('{"unit": "a", "answers": [[[', encoding="utf-8")
    (folder / "garbage.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    r = runner.invoke(
        app, ["--db", f"sqlite:///{folder / 'p.db'}", "campaign", "run", str(folder / "mini")]
    )
    assert r.exit_code == 0, r.output
    return folder


@pytest.fixture
def workdir(pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    work = tmp_path / "w"
    monkeypatch.chdir(pristine)  # the examples move into ``work``; monkeypatch moves back
    monkeypatch.setenv("PARINDEX_DB", "sqlite:///p.db")
    monkeypatch.setenv("PARINDEX_ACTOR", "fuzz")
    yield work


@CLI_FUZZ
@given(args=argv())
def test_any_argv_exits_0_1_or_2_without_traceback(
    pristine: Path, workdir: Path, args: list[str]
) -> None:
    """Whatever the arguments, parindex answers with exit 0, 1 or 2 and no traceback."""
    if workdir.exists():
        shutil.rmtree(workdir)
    shutil.copytree(pristine, workdir)
    os.chdir(workdir)
    with bounded(EXAMPLE_SECONDS):
        r = runner.invoke(app, args)
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise AssertionError(f"parindex {args} raised {r.exception!r}") from r.exception
    event(f"exit {r.exit_code}")  # --hypothesis-show-statistics: how many got past parsing
    assert r.exit_code in (0, 1, 2), f"parindex {args} exited {r.exit_code}:\n{r.output}"
    assert "Traceback" not in r.output and "internal error" not in r.output, r.output


def test_every_command_is_fuzzed() -> None:
    """The command tree is read from the app: every documented command is in it."""
    paths = {" ".join(p) for p in _commands()}
    assert {"check", "score", "import", "campaign run", "audit verify", "survey import"} <= paths
    assert {"report", "serve"} | {" ".join(p) for p in COMMANDS} == paths
    assert len(paths) >= 25


LONG = "x" * 300  # longer than a file name may be (ENAMETOOLONG): found by the fuzzer above


@pytest.mark.parametrize(
    "args",
    [
        ["robustness", LONG],
        ["score", LONG],
        ["check", LONG],
        ["import", LONG],
        ["import", f"{LONG}/u.yaml", "--campaign", "mini-2018"],
        ["campaign", "run", LONG],
        ["explain", "a", "--campaign", LONG],
        ["gaps", "a", "--campaign", LONG],
        ["simulate", "a", "--campaign", LONG, "--set", "1.1=true"],
        ["check", "mini/criteria.yaml", "--rules", LONG],
        ["--db", f"sqlite:///{LONG}/p.db", "audit", "verify"],
    ],
    ids=lambda a: " ".join(a).replace(LONG, "LONG"),
)
def test_a_name_too_long_is_a_message_not_a_crash(
    pristine: Path, workdir: Path, args: list[str]
) -> None:
    """A path or id longer than the file system allows: exit 1 with a message (it was exit 3)."""
    shutil.copytree(pristine, workdir)
    os.chdir(workdir)
    r = runner.invoke(app, args)
    assert r.exit_code == 1, r.output
    assert "internal error" not in r.output and "Traceback" not in r.output


BIG = "99999999999999999999"  # more than a 64-bit integer: found by the fuzzer above


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["audit", "list", "--limit", BIG], 2),
        (["audit", "list", "--limit", "0"], 2),
        (["submit", "mini-2018", "a", "--expect-version", BIG], 2),
        (["appraise", "mini-2018", "a", "--set", "1.2=5", "--reason", "x", "--expect-version", BIG],
         2),
        (["report", "mini-2018", "--out", "rep", "--jobs", BIG], 2),
        (["plan", "a", "--rank", BIG, "--campaign", "mini"], 1),
        (["campaign", "create", "z", "--year", BIG, "--index", "mini/criteria.yaml"], 1),
    ],
    ids=lambda a: " ".join(a).replace(BIG, "BIG") if isinstance(a, list) else str(a),
)  # fmt: skip
def test_an_integer_too_large_is_refused_not_a_crash(
    pristine: Path, workdir: Path, args: list[str], code: int
) -> None:
    """An integer option past what the store or the OS takes: a usage error or a message (the
    first and the report's --jobs were internal errors: OverflowError)."""
    shutil.copytree(pristine, workdir)
    os.chdir(workdir)
    r = runner.invoke(app, args)
    assert r.exit_code == code, r.output
    assert "internal error" not in r.output and "Traceback" not in r.output


@pytest.mark.parametrize(
    "ref", [BIG, "²", "٣"], ids=["20 digits", "superscript two", "Arabic three"]
)
@pytest.mark.parametrize("command", [["gaps", "a", "--campaign"], ["compare", "mini-2018"]])
def test_a_campaign_year_that_is_no_year_is_unknown_not_a_crash(
    pristine: Path, workdir: Path, command: list[str], ref: str
) -> None:
    """A campaign named by digits that make no year is an unknown campaign (exit 1); these were
    internal errors (OverflowError, ValueError from int())."""
    shutil.copytree(pristine, workdir)
    os.chdir(workdir)
    r = runner.invoke(app, [*command, ref])
    assert r.exit_code == 1, r.output
    assert "Không có kỳ đánh giá" in r.output and "internal error" not in r.output


@pytest.mark.parametrize(
    ("option", "value"),
    [("--due", "mini-2018"), ("--due", "2018-02-30"), ("--explanation-due", "31/13/2018")],
)
def test_campaign_create_with_a_bad_date_names_the_option(
    pristine: Path, workdir: Path, option: str, value: str
) -> None:
    """`campaign create --due nope`: a usage error (exit 2) naming the option (pydantic's
    ValidationError escaped as an internal error; found by the CLI fuzz)."""
    shutil.copytree(pristine, workdir)
    os.chdir(workdir)
    args = ["campaign", "create", "z", "--year", "2018", "--index", "mini/criteria.yaml"]
    r = runner.invoke(app, [*args, option, value])
    assert r.exit_code == 2, r.output
    text = " ".join(r.output.replace("│", " ").split())
    assert f"Invalid value for '{option}': not a date" in text and "internal error" not in text
