"""Fuzzing the readers: whatever text comes in, only a ParindexError (or a result) comes out.

Generated and mutated inputs go through ``load_yaml``, ``index_from_texts``, the unit-file
readers (``parse_unit_file``, ``read_unit_text`` + ``prepare`` against the mini index) and
the survey and council door (``check_source`` against the mini index and units, then ``merged``
into the stored results) and ``load_campaign`` + ``score_campaign``. Any exception that is not a
``scoring.errors.ParindexError`` fails the test (Hypothesis then shrinks it to a minimal
input), and every example runs under a wall-clock limit (``EXAMPLE_SECONDS``, SIGALRM) so a
hang fails instead of stalling CI.

Runs are deterministic (``derandomize=True``): by default each property tries
``PARINDEX_FUZZ_EXAMPLES`` = 40 examples (the whole file takes well under a minute). For a
long campaign, raise it, for instance::

    PARINDEX_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/end_to_end/test_fuzz.py -q

(derandomize keeps the same examples for the same count; change the count to see new ones).
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import Index, load_index
from scoring.campaign.appraisal_files import parse_appraisals, parse_explanations
from scoring.campaign.folder import (
    load_campaign,
    parse_source_file,
    parse_unit_file,
    read_unit_text,
)
from scoring.campaign.ready import prepare
from scoring.campaign.submission import Submission, UnitSpec
from scoring.campaign.surveys import check_source, merged, stored_units
from scoring.errors import ParindexError
from scoring.evaluation.documents import score_document
from scoring.evaluation.ranking import score_campaign
from scoring.index.loader import index_from_texts
from scoring.sources.yamlsrc import load_yaml
from tests.support.fuzzing import bounded
from tests.support.paths import MINI

EXAMPLES = int(os.environ.get("PARINDEX_FUZZ_EXAMPLES", "40"))
EXAMPLE_SECONDS = 20  # per example; the alias bombs below take a few seconds at most

FUZZ = settings(
    derandomize=True,
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

CRITERIA = (MINI / "criteria.yaml").read_text(encoding="utf-8")
PACK = (MINI / "rules" / "checks.yaml").read_text(encoding="utf-8")
UNIT_A = (MINI / "units" / "a.yaml").read_text(encoding="utf-8")

T = TypeVar("T")


def only_parindex(fn: Callable[..., T], *args: Any) -> T | ParindexError:
    """``fn(*args)``'s result or the ParindexError it raised; anything else propagates."""
    with bounded(EXAMPLE_SECONDS):
        try:
            return fn(*args)
        except ParindexError as exc:
            return exc


@pytest.fixture(scope="module")
def mini(mini_index: Index) -> Index:
    """The mini campaign's index (the session's)."""
    return mini_index


# ---------------------------------------------------------------- strategies

YAML_SPECIAL = [
    *":-?[]{},#&*!|>'\"%@`~\n\r\t \x00\ufeff\x85\u2028\\<=",
    "---",
    "...",
    "<<",
    "!!",
    "&a ",
    "*a",
    "%YAML 1.1\n",
    "%TAG ! tag:x,2002:\n",
    "? ",
    "- ",
    ": ",
    "\n  ",
]

TOKENS = [
    "",
    "~",
    "null",
    "true",
    "yes",
    "off",
    "-1",
    "0",
    "1e400",
    "-1e-400",
    ".inf",
    "-.nan",
    "0x1F",
    "0o17",
    "1_000",
    "1:30",
    "9" * 40,
    "0." + "0" * 40 + "1",
    "2018-02-30",
    "2018-12-31T25:00:00",
    "&a",
    "*a",
    "*nope",
    "<<",
    "{",
    "}",
    "[",
    "]",
    "'",
    '"',
    "|",
    ">",
    "!!str",
    "!!binary",
    "!!set",
    "!!omap",
    "!!float",
    "!foo",
    "\x00",
    "\t",
    "Sở",
    "1.1",
    "2.3",
    "S.1",
    "B1",
    "tot",
    "department",
    "max",
    "min",
    "kind",
    "rule",
    "children",
    "levels",
    "bands",
    "points",
    "boolean",
    "ratio_bands",
    "council_judgment",
    "count_points",
    "not_greater",
    "*.numerator",
    "scope",
    "evidence",
    "value",
    "count",
    "level",
]


def _clean(s: str) -> str:
    """Lone surrogates replaced (a str read from a file can never hold one)."""
    return s.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


any_text = (
    st.lists(
        st.one_of(
            st.characters(codec=None, exclude_categories=()),  # NUL, controls, surrogates
            st.sampled_from(YAML_SPECIAL),
        ),
        max_size=200,
    )
    .map("".join)
    .map(_clean)
)

token = st.one_of(st.sampled_from(TOKENS), st.text(max_size=8).map(_clean))
_SPLIT = re.compile(r"(\s+|[:,\[\]{}])")


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` after 1–4 line edits: delete, duplicate, swap two lines, replace a token."""
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "token", "token"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            parts = _SPLIT.split(lines[i])
            words = [k for k, p in enumerate(parts) if p and not _SPLIT.fullmatch(p)]
            if words:
                parts[draw(st.sampled_from(words))] = draw(token)
            lines[i] = "".join(parts)
    return "\n".join(lines) + "\n"


@st.composite
def alias_doc(draw: st.DrawFn) -> str:
    """Alias-heavy YAML: laughs of varying width and depth, recursive, dangling and key aliases."""
    kind = draw(st.sampled_from(["laughs", "recursive", "dangling", "keys", "merge", "mixed"]))
    if kind == "laughs":
        width, depth = draw(st.integers(2, 12)), draw(st.integers(1, 12))
        lines = ["l0: &l0 [x, y]"]
        for d in range(1, depth + 1):
            refs = ", ".join([f"*l{d - 1}"] * width)
            lines.append(f"l{d}: &l{d} [{refs}]")
        return "\n".join(lines) + "\n"
    if kind == "recursive":
        return draw(st.sampled_from(["&a [*a]", "&a {k: *a}", "a: &a\n  b: *a\n", "&a [1, [*a]]"]))
    if kind == "dangling":
        return draw(st.sampled_from(["a: *b", "a: &b 1\nb: *c", "[*a, &a 1]"]))
    if kind == "keys":
        return draw(st.sampled_from(["a: &k x\n*k : 1\n", "? &k [1]\n: 2\n? *k\n: 3\n"]))
    if kind == "merge":
        return draw(st.sampled_from(["b: &b {x: 1}\nc: {<<: *b}\n", "c: {<<: [*b]}\n"]))
    anchors = draw(st.lists(st.sampled_from("abc"), min_size=1, max_size=6))
    parts = [
        f"k{i}: &{a}{i} [*{a}{i - 1}, *{a}{i - 1}]" if i else f"k0: &{a}0 v"
        for i, a in enumerate(anchors)
    ]
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------- load_yaml


@FUZZ
@given(any_text)
def test_load_yaml_arbitrary_text(text: str) -> None:
    """Any text at all: load_yaml returns data or raises a ParindexError."""
    only_parindex(load_yaml, text, "fuzz.yaml")


@FUZZ
@given(st.lists(st.sampled_from(YAML_SPECIAL + TOKENS), max_size=60).map("".join))
def test_load_yaml_token_soup(text: str) -> None:
    """YAML punctuation and awkward scalars strung together: data or a ParindexError."""
    only_parindex(load_yaml, text, "fuzz.yaml")


@FUZZ
@given(mutated(CRITERIA))
def test_load_yaml_mutated_criteria(text: str) -> None:
    """criteria.yaml with lines deleted, duplicated, swapped or a token replaced."""
    only_parindex(load_yaml, text, "criteria.yaml")


@FUZZ
@given(alias_doc())
def test_load_yaml_alias_heavy(text: str) -> None:
    """Alias bombs, recursive and dangling aliases are stopped with a ParindexError, not a hang."""
    only_parindex(load_yaml, text, "aliases.yaml")


# ---------------------------------------------------------------- the index


@FUZZ
@given(mutated(CRITERIA))
def test_index_from_mutated_criteria(text: str) -> None:
    """A mutated criteria.yaml (with the mini pack) compiles or raises a ParindexError."""
    only_parindex(index_from_texts, text, "criteria.yaml", {"pack.yaml": PACK})


@FUZZ
@given(mutated(PACK))
def test_index_from_mutated_pack(pack: str) -> None:
    """A mutated rule pack (with the mini criteria) compiles or raises a ParindexError."""
    only_parindex(index_from_texts, CRITERIA, "criteria.yaml", {"pack.yaml": pack})


# ---------------------------------------------------------------- unit files


def _read_and_prepare(index: Any, text: str) -> Any:
    parse_unit_file(text, "a.yaml")
    sub = Submission(UnitSpec(id="a", name="Sở A", group="department"))
    read_unit_text(text, "a.yaml", sub)
    return prepare(index, sub)


@FUZZ
@given(text=mutated(UNIT_A))
def test_mutated_unit_file_prepares_or_errs(mini: Any, text: str) -> None:
    """A mutated unit file is read and prepared against the mini index, or a ParindexError."""
    only_parindex(_read_and_prepare, mini, text)


@FUZZ
@given(text=any_text)
def test_arbitrary_unit_file_prepares_or_errs(mini: Any, text: str) -> None:
    """Arbitrary text as a unit file: a ParindexError (or, by luck, a prepared unit)."""
    only_parindex(_read_and_prepare, mini, "unit: a\nanswers:\n" + text)


# ---------------------------------------------------------------- survey and council files

SOURCES = {k: (MINI / f"{k}.yaml").read_text(encoding="utf-8") for k in ("survey", "council")}
MINI_UNITS = {
    u: UnitSpec(id=u, name=u, group="department", tags=["no_procedures"] if u == "c" else [])
    for u in "abc"
}


def _door(index: Any, kind: str, text: str) -> Any:
    """``survey import`` without the store: check the whole file, merge it into the mini
    results; the merged text passes again, other units' answers unchanged."""
    named = check_source(index, kind, text, f"{kind}.yaml", MINI_UNITS)
    again = check_source(
        index, kind, merged(SOURCES[kind], text, named, False), "merged", MINI_UNITS
    )
    before = stored_units(SOURCES[kind])
    assert all(again[u] == before[u] for u in before if u not in named)
    assert all(again[u] == named[u] for u in named)
    return again


@FUZZ
@given(kind=st.sampled_from(sorted(SOURCES)), data=st.data())
def test_mutated_survey_or_council_file_passes_the_door_or_errs(
    mini: Any, kind: str, data: st.DataObject
) -> None:
    """A mutated survey or council file is checked whole and merged, or a ParindexError."""
    only_parindex(_door, mini, kind, data.draw(mutated(SOURCES[kind])))


@FUZZ
@given(kind=st.sampled_from(sorted(SOURCES)), text=any_text)
def test_arbitrary_survey_or_council_entry_passes_the_door_or_errs(
    mini: Any, kind: str, text: str
) -> None:
    """Arbitrary text as one unit's entries: a ParindexError (or, by luck, a merged file)."""
    only_parindex(_door, mini, kind, "units:\n  a:\n" + text)


# ---------------------------------------------------------------- NFC / NFD


def _nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def _scores(folder: Path) -> Any:
    camp = load_campaign(folder)
    index = load_index(folder / "criteria.yaml", folder / "rules")
    doc = score_document(score_campaign(index, camp))
    for g in doc["groups"]:  # the names as written are kept; the scores must not depend on them
        for u in g["units"]:
            u["name"] = unicodedata.normalize("NFC", u["name"])
    return doc


def _nfd_copy(base: Path, dest: Path, parts: frozenset[str]) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(base, dest)
    camp = dest / "campaign.yaml"
    text = camp.read_text(encoding="utf-8")
    if "names" in parts:
        for name in ("Sở A", "Sở B", "Văn phòng C"):
            text = text.replace(name, _nfd(name))
    camp.write_text(text, encoding="utf-8")
    for uf in (dest / "units").glob("*.yaml"):
        t = uf.read_text(encoding="utf-8")
        if "evidence" in parts:
            t = t.replace("Kế hoạch", _nfd("Kế hoạch"))
        if "answer keys" in parts:
            # an answer key in Vietnamese (not an item of the index) typed decomposed
            t = t.replace("answers:\n", f'answers:\n  "{_nfd("Sở.1")}": {{value: true}}\n', 1)
        uf.write_text(t, encoding="utf-8")


def _nfc_copy(base: Path, dest: Path, parts: frozenset[str]) -> None:
    shutil.copytree(base, dest)
    if "answer keys" in parts:
        for uf in (dest / "units").glob("*.yaml"):
            t = uf.read_text(encoding="utf-8")
            t = t.replace("answers:\n", 'answers:\n  "Sở.1": {value: true}\n', 1)
            uf.write_text(t, encoding="utf-8")


def _outcome(folder: Path) -> Any:
    """The score document, or the error, with the folder's own path left out of messages."""

    def norm(msg: str) -> str:
        return unicodedata.normalize("NFC", msg.replace(str(folder), "<dir>"))

    got = only_parindex(_scores, folder)
    if isinstance(got, ParindexError):
        return ("error", type(got).__name__, norm(str(got)))
    for u in got.get("errors", []):
        u["errors"] = [norm(e) for e in u["errors"]]
    return got


@FUZZ
@given(parts=st.frozensets(st.sampled_from(["names", "evidence", "answer keys"]), min_size=1))
def test_nfd_names_and_keys_score_as_nfc(tmp_path: Path, parts: frozenset[str]) -> None:
    """Names, evidence and answer keys typed decomposed (NFD) give the scores of composed (NFC)."""
    nfc = tmp_path / "nfc"
    if nfc.exists():
        shutil.rmtree(nfc)
    _nfc_copy(MINI, nfc, parts)
    _nfd_copy(MINI, tmp_path / "nfd", parts)
    assert _outcome(tmp_path / "nfd") == _outcome(nfc)


@pytest.mark.parametrize("uid", ["sở-a", "văn-phòng-c"])
def test_vietnamese_unit_id_refused_alike_in_nfc_and_nfd(tmp_path: Path, uid: str) -> None:
    """A unit id with Vietnamese letters is refused the same way whether composed or decomposed."""
    out = []
    for form in ("NFC", "NFD"):
        folder = tmp_path / form
        shutil.copytree(MINI, folder)
        u = unicodedata.normalize(form, uid)
        camp = folder / "campaign.yaml"
        camp.write_text(
            camp.read_text(encoding="utf-8").replace("{id: a,", f"{{id: {u}, file: units/a.yaml,"),
            encoding="utf-8",
        )
        ua = folder / "units" / "a.yaml"
        ua.write_text(ua.read_text(encoding="utf-8").replace("unit: a", f"unit: {u}"), "utf-8")
        out.append(_outcome(folder))
    assert out[0] == out[1]
    assert out[0][0] == "error"  # ids are ASCII slugs


# ---------------------------------------------------------------- python tags

READERS: dict[str, Callable[[str, str], Any]] = {
    "criteria.yaml": lambda t, n: index_from_texts(t, n, {"pack.yaml": PACK}),
    "rules/checks.yaml": lambda t, n: index_from_texts(CRITERIA, "criteria.yaml", {n: t}),
    "campaign.yaml": None,  # type: ignore[dict-item]  # read through load_campaign
    "units/a.yaml": parse_unit_file,
    "units/b.yaml": parse_unit_file,
    "units/c.yaml": parse_unit_file,
    "survey.yaml": parse_source_file,
    "council.yaml": parse_source_file,
    "appraisal-1.yaml": parse_appraisals,
    "appraisal-2.yaml": parse_appraisals,
    "explanations.yaml": parse_explanations,
}

EVIL = [
    '!!python/object/apply:os.system ["touch {m}"]',
    "!!python/object/apply:os.system\n{ind}- touch {m}",
    '!<tag:yaml.org,2002:python/object/apply:os.system> ["touch {m}"]',
    '!!python/object/new:os.system ["touch {m}"]',
    '!!python/object/apply:subprocess.check_call [["touch", "{m}"]]',
    "!!python/name:os.system",
    "!!python/object:builtins.object {{}}",
]
_VALUE_LINE = re.compile(r"^(\s*(?:- )?[^#\s][^:]*:\s+)(\S.*)$")


@FUZZ
@given(
    name=st.sampled_from(sorted(READERS)),
    evil=st.sampled_from(EVIL),
    pick=st.integers(0, 10_000),
)
def test_python_object_tag_is_refused_never_run(
    tmp_path: Path, mini: Any, name: str, evil: str, pick: int
) -> None:
    """A tag that builds a Python object, put in place of any value of any file, is refused
    with a ParindexError and never executed."""
    marker = tmp_path / f"pwned-{pick}"
    folder = tmp_path / f"camp-{pick}"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(MINI, folder)
    path = folder / name
    lines = path.read_text(encoding="utf-8").splitlines()
    spots = [i for i, ln in enumerate(lines) if _VALUE_LINE.match(ln)]
    i = spots[pick % len(spots)]
    m = _VALUE_LINE.match(lines[i])
    assert m is not None
    ind = " " * (len(m.group(1)) - len(m.group(1).lstrip()) + 2)
    lines[i] = m.group(1) + evil.format(m=marker, ind=ind)
    text = "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")

    got = only_parindex(load_yaml, text, name)
    assert isinstance(got, ParindexError), f"load_yaml accepted {lines[i]!r}"
    reader = READERS[name]
    if reader is None:
        got = only_parindex(load_campaign, folder)
    else:
        got = only_parindex(reader, text, name)
    assert isinstance(got, ParindexError), f"{name} accepted {lines[i]!r}"
    # the whole folder as a campaign: the unit files' errors are collected, not raised
    camp = only_parindex(load_campaign, folder)
    if not isinstance(camp, ParindexError) and name.startswith("units/"):
        assert Path(name).stem in camp.errors
    assert not marker.exists(), "the YAML tag ran a command"
