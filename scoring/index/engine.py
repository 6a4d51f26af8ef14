"""The only door to durable-rules: compile decisions into a ruleset and ask it which hold.

What the rest of parindex sees is ``RuleEngine.decide(keys)``: for each fact key, the ids of
the rules that fired. Everything durable-specific stays here, following the field notes in
``shared/durable-rules.md``:

- a quiet, synchronous ``Host`` (no background timer threads racing the caller);
- narrow facts ``{t, code, s, v, e}`` with integer values only (``numbers.encode``);
- every rule discriminates on ``t`` and ``code`` before testing ``v`` (no bare ``-m.x``);
- one session per call, always deleted; actions take exactly one parameter;
- durable's bare exceptions and ``state['exception']`` become ``EngineError``;
- each distinct fact is decided once per engine (a memo), so a campaign of thousands of
  units costs one match per distinct (item, value), not per unit;
- values that no branch bound separates are decided once: per (item, status), the sorted
  bounds of its branches cut the integers into pieces (each bound, and each open stretch
  between two consecutive bounds, plus the two unbounded ends), every value of a piece passes
  exactly the same tests ``v >= lo``, ``v > lo``, ``v <= hi``, ``v < hi``, so durable-rules
  decides one representative fact per (item, status, piece, evidence) and every fact of that
  piece gets its decision (``pieces``; off, it decides every exact value, as before);
- every rule has a ``cap``: durable hands an action all the facts a rule matched in a batch
  as one list, so a batch of thousands of facts costs one Python callback per rule that
  fired, not one per fact (the callbacks were three quarters of the time of a national run's
  decisions; the matching itself, in C, is unchanged).
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import itertools
import multiprocessing
import os
import threading
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import durable_rules_engine as dre
from durable import engine as dengine

from scoring.errors import EngineError
from scoring.index.kinds import Branch

MAX_RULES = 4096  # MAX_ACTIONS in the C core
MAX_SIBLINGS = 500  # NEXT_BUCKET_LENGTH 512: more distinct codes would hang create_ruleset
PARALLEL_FACTS = 8000  # fewer new facts are decided in-process: a fork costs more
BATCH = 1000  # facts per session: a session of 100,000 facts costs 3x more per fact in the C core
CAP = 65535  # facts per action call at most: the C core keeps cap in 16 bits (65536 -> 0: no cap)

# A fact key: ("in", code, status, value, evidence) or ("chk", code, left, right).
FactKey = tuple[Hashable, ...]


@dataclass(frozen=True)
class CheckSpec:
    """A consistency check: ``not_greater`` (left <= right) or ``within`` (lo <= v <= hi)."""

    code: str
    kind: str
    lo: int = 0
    hi: int = 0


@functools.lru_cache(maxsize=65536)  # a few rule-id tuples, read for every leaf
def branch_of(code: str, rule_ids: tuple[str, ...]) -> tuple[str, bool]:
    """The branch of item ``code`` among the rule ids that fired for its fact (each rule is
    named ``code#branch``), and whether its evidence gate fired too."""
    gate = f"{code}#evidence_gate" in rule_ids
    branches = [r.split("#", 1)[1] for r in rule_ids if r != f"{code}#evidence_gate"]
    if len(branches) != 1:
        raise EngineError(f"item {code}: expected exactly one branch to hold, got {branches}")
    return branches[0], gate


def can_fork() -> bool:
    """Whether worker processes can be forked here (they inherit the parent's memory)."""
    return "fork" in multiprocessing.get_all_start_methods()


_SHARES: tuple[RuleEngine, list[list[FactKey]]] | None = None  # set just before a fork


def _decide_share(j: int) -> list[tuple[str, ...]]:
    """In a forked worker: decide share ``j`` of the new facts; their rule ids, in order."""
    gc.freeze()  # what the fork shared stays shared: no collection rewrites its headers
    assert _SHARES is not None
    engine, shares = _SHARES
    engine._decide_new(shares[j])
    return [engine._decisions[k] for k in shares[j]]


class _QuietHost(dengine.Host):  # type: ignore[misc]  # durable ships no type hints
    def _run(self) -> None:  # no polling threads: every action runs inside assert_facts
        pass

    def unregister(self, name: str) -> None:
        rs = self._ruleset_directory.pop(name)
        self._ruleset_list.remove(rs)
        dre.delete_ruleset(rs._handle)


_names = itertools.count(1)


def _bounds(b: Branch) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if b.lo is not None:
        out.append({"$gte" if b.lo_incl else "$gt": {"v": b.lo}})
    if b.hi is not None:
        out.append({"$lte" if b.hi_incl else "$lt": {"v": b.hi}})
    return out


class RuleEngine:
    """One index compiled to one durable-rules ruleset."""

    def __init__(
        self,
        tag: str,
        decisions: Mapping[str, Sequence[Branch]],
        gates: Iterable[str] = (),
        checks: Iterable[CheckSpec] = (),
    ) -> None:
        self.name = f"par_{tag}_{next(_names)}"
        self._fired: list[tuple[str, str]] = []
        self._memo: dict[FactKey, tuple[str, ...]] = {}  # every fact asked about
        self._decisions: dict[FactKey, tuple[str, ...]] = {}  # what durable-rules decided
        # share one decision per piece of the value line (see the module docstring); False
        # decides every exact value (tests compare the two)
        self.pieces = True
        self._cuts: dict[tuple[str, str], list[int]] = {}
        for code, branches in decisions.items():
            for b in branches:
                cuts = self._cuts.setdefault((code, b.status), [])
                cuts.extend(x for x in (b.lo, b.hi) if x is not None)
        for key, cuts in self._cuts.items():
            self._cuts[key] = sorted(set(cuts))
        # outcomes of leaves (branch, gate, points) per fact and exact value: filled by the
        # scorer, kept here because they live exactly as long as the ruleset's decisions
        self.outcomes: dict[Any, Any] = {}
        self._lock = threading.Lock()
        self._sessions = itertools.count(1)
        rules: dict[str, dict[str, Any]] = {}
        for code, branches in decisions.items():
            for b in branches:
                cond = [{"t": "in"}, {"code": code}, {"s": b.status}, *_bounds(b)]
                rules[f"{code}#{b.id}"] = {"all": [{"m": {"$and": cond}}]}
        for code in gates:
            cond = [{"t": "in"}, {"code": code}, {"e": 0}]
            rules[f"{code}#evidence_gate"] = {"all": [{"m": {"$and": cond}}]}
        for chk in checks:
            base = [{"t": "chk"}, {"code": chk.code}]
            if chk.kind == "not_greater":
                ok: Any = {"$lte": {"l": {"$m": "r"}}}
                bad: Any = {"$gt": {"l": {"$m": "r"}}}
            else:
                ok = {"$and": [{"$gte": {"v": chk.lo}}, {"$lte": {"v": chk.hi}}]}
                bad = {"$or": [{"$lt": {"v": chk.lo}}, {"$gt": {"v": chk.hi}}]}
            rules[f"{chk.code}#ok"] = {"all": [{"m": {"$and": [*base, ok]}}]}
            rules[f"{chk.code}#violated"] = {"all": [{"m": {"$and": [*base, bad]}}]}
        if len(rules) > MAX_RULES:
            raise EngineError(f"{len(rules)} rules; durable-rules allows {MAX_RULES}")
        if len(decisions) > MAX_SIBLINGS:
            raise EngineError(f"{len(decisions)} scored items; the engine allows {MAX_SIBLINGS}")
        self.rule_count = len(rules)
        self._rules = rules
        # what a fact may be: anything else would raise MessageNotHandled inside durable
        self._known: set[tuple[str, ...]] = {
            ("in", code, b.status) for code, bs in decisions.items() for b in bs
        }
        self._known |= {("chk", chk.code) for chk in checks}
        self._host = self._register()

    def _register(self) -> _QuietHost:
        host = _QuietHost()
        # durable consumes the definition it is given: build a fresh one, actions included
        rules = {
            rid: {**rule, "cap": CAP, "run": self._action(rid)} for rid, rule in self._rules.items()
        }
        try:
            host.register_rulesets({self.name: rules})
        except Exception as exc:  # durable raises bare Exception
            raise EngineError(f"durable-rules refused the ruleset: {exc}") from exc
        return host

    def _action(self, rid: str) -> Callable[[Any], None]:
        fired = self._fired

        def act(c: Any) -> None:  # exactly one parameter, or durable makes it async
            matched = c.m  # a capped rule gets the list of the facts it matched
            if isinstance(matched, list):
                fired.extend((m["id"], rid) for m in matched)
            else:
                fired.append((matched.id, rid))

        return act

    def decide(self, keys: Iterable[FactKey]) -> dict[FactKey, tuple[str, ...]]:
        """The rule ids that fire for each fact key (memoised per engine)."""
        wanted = list(dict.fromkeys(keys))
        with self._lock:
            self._decide_keys(wanted, 1)
            return {k: self._memo[k] for k in wanted}

    def decided(self, keys: Iterable[FactKey], jobs: int = 1) -> Mapping[FactKey, tuple[str, ...]]:
        """Every decision so far, after deciding the keys not seen yet (for batches: no
        per-call copy of what was asked). Read it, never change it.

        With ``jobs`` > 1 and many new keys, forked processes decide shares of them, each in
        its own copy of the ruleset, and send the decisions back: every distinct fact is
        still decided once, by durable-rules (which holds the GIL, so threads would not help).
        """
        with self._lock:
            self._decide_keys(keys, jobs)
            return self._memo

    @property
    def facts_decided(self) -> int:
        """How many distinct facts durable-rules has decided since the memo was cleared."""
        return len(self._decisions)

    def piece(self, key: FactKey) -> FactKey:
        """The representative of ``key``'s piece: the same fact with a value that every branch
        bound of its (item, status) compares to exactly as it compares to ``key``'s value."""
        if key[0] != "in" or key[3] is None:
            return key
        cuts = self._cuts.get((key[1], key[2]))  # type: ignore[arg-type]
        if not cuts:
            rep = 0  # no bound tests the value: any value is decided alike
        else:
            v: int = key[3]  # type: ignore[assignment]
            i = bisect.bisect_left(cuts, v)
            if i < len(cuts) and cuts[i] == v:
                return key  # on a bound: a piece of its own
            # strictly between cuts[i-1] and cuts[i] (or beyond an end): integers, so
            # cuts[i-1] + 1 is in the same open stretch
            rep = cuts[i - 1] + 1 if i > 0 else cuts[0] - 1
        if rep == key[3]:
            return key
        return (key[0], key[1], key[2], rep, *key[4:])

    def _decide_keys(self, keys: Iterable[FactKey], jobs: int) -> None:
        memo, decisions = self._memo, self._decisions
        new = list(dict.fromkeys(k for k in keys if k not in memo))
        if not new:
            return
        reps = [self.piece(k) for k in new] if self.pieces else new
        todo = list(dict.fromkeys(r for r in reps if r not in decisions))
        if jobs > 1 and len(todo) >= PARALLEL_FACTS and can_fork():
            self._decide_forked(todo, jobs)
        else:
            self._decide_new(todo)
        for k, r in zip(new, reps, strict=True):
            memo[k] = decisions[r]

    def _decide_forked(self, keys: list[FactKey], jobs: int) -> None:
        global _SHARES
        jobs = min(jobs, os.cpu_count() or 1)
        if jobs < 2:
            self._decide_new(keys)
            return
        cuts = [len(keys) * j // jobs for j in range(jobs + 1)]
        _SHARES = (self, [keys[cuts[j] : cuts[j + 1]] for j in range(jobs)])
        try:
            with multiprocessing.get_context("fork").Pool(jobs - 1) as pool:
                pending = pool.map_async(_decide_share, range(1, jobs), chunksize=1)
                self._decide_new(_SHARES[1][0])
                for j, rule_ids in enumerate(pending.get(), start=1):
                    self._decisions.update(zip(_SHARES[1][j], rule_ids, strict=True))
        finally:
            _SHARES = None

    def _decide_new(self, keys: list[FactKey]) -> None:
        for start in range(0, len(keys), BATCH):
            self._run(keys[start : start + BATCH])

    def _run(self, keys: list[FactKey]) -> None:
        for key in keys:
            if key[:3] not in self._known and key[:2] not in self._known:
                raise EngineError(f"no rule for fact {key!r}: the index and its facts disagree")
        sid = f"s{next(self._sessions)}"
        facts = []
        for i, key in enumerate(keys):
            fact: dict[str, Any] = {"sid": sid, "id": f"f{i}", "t": key[0], "code": key[1]}
            if key[0] == "in":
                fact["s"] = key[2]
                if key[3] is not None:
                    fact["v"] = key[3]
                if key[4] is not None:
                    fact["e"] = key[4]
            else:
                fact.update({"l": key[2], "r": key[3]} if key[3] is not None else {"v": key[2]})
            facts.append(fact)
        self._fired.clear()
        try:
            state = self._host.assert_facts(self.name, facts)
        except Exception as exc:  # MessageNotHandledException and C errors are bare
            # deleting a session whose batch failed aborts the process inside durable's C core
            # (seen in CI), so leave that session behind and start over on a fresh ruleset
            self.name = f"{self.name.rsplit('_', 1)[0]}_{next(_names)}"
            self._host = self._register()
            raise EngineError(f"durable-rules failed on {len(facts)} facts: {exc}") from exc
        self._host.delete_state(self.name, sid)
        if isinstance(state, dict) and state.get("exception"):
            raise EngineError(f"a rule action failed: {state['exception']}")
        by_fact: dict[str, list[str]] = {}
        for fid, rid in self._fired:
            by_fact.setdefault(fid, []).append(rid)
        for i, key in enumerate(keys):
            self._decisions[key] = tuple(sorted(by_fact.get(f"f{i}", ())))

    def clear_memo(self) -> None:
        """Forget every decision (benchmarks use it to measure the engine, not the cache)."""
        with self._lock:
            self._memo.clear()
            self._decisions.clear()
            self.outcomes.clear()

    def close(self) -> None:
        """Free the ruleset in the C core (durable has no public call for it)."""
        with contextlib.suppress(KeyError):
            self._host.unregister(self.name)
