"""Verification: the best bundle, frontier bundles and the base re-run with fresh members.

The search's members are few and the best of many candidates is selected on them, so its P(met)
is optimistic. Each verified bundle is run with ``verify.ensemble`` members whose seeds the search
never used; P(met) of each target and of all at once is reported with its Wilson interval (and the
Clopper–Pearson interval), and a bundle is called feasible only if every verified lower bound
reaches its constraint and its median cost is within the budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.ensemble import member_seed
from sim.optimise.evaluate import Evaluation, Evaluator
from sim.optimise.search import SearchResult, feasible, frontier
from sim.optimise.spec import OptimiseSpec
from sim.optimise.stats import clopper_pearson, wilson

__all__ = ["Verified", "verify", "verify_seeds"]


@dataclass
class Verified:
    """One bundle's verified figures beside its search figures."""

    label: str  # best | frontier | base
    verified: Evaluation
    searched: Evaluation | None
    confidence: float
    feasible: bool
    search_feasible: bool | None

    def target(self, name: str) -> dict[str, Any]:
        """``p_met``, ``p_low``, ``p_high`` (Wilson), Clopper–Pearson bounds and ``members``."""
        ev = self.verified
        k, n = ev.k(name), ev.members
        low, high = wilson(k, n, self.confidence)
        cp_low, cp_high = clopper_pearson(k, n, self.confidence)
        return {
            "p_met": k / n if n else None,
            "p_low": low,
            "p_high": high,
            "p_low_clopper_pearson": cp_low,
            "p_high_clopper_pearson": cp_high,
            "members": n,
            "met": k,
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures of this bundle."""
        ev = self.verified
        k_all = ev.k_all()
        low, high = wilson(k_all, ev.members, self.confidence)
        return {
            "label": self.label,
            "levers": ev.values,
            "annualised_cost_cny": ev.cost_cny(),
            "fiscal_outlay_cny": ev.fiscal_cny(),
            "confidence": self.confidence,
            "targets": {t: self.target(t) for t in ev.targets},
            "all": {"p_met": ev.p_all(), "p_low": low, "p_high": high, "members": ev.members},
            "feasible": self.feasible,
            "search": None
            if self.searched is None
            else {
                "members": self.searched.members,
                "p_met": {t: self.searched.p(t) for t in ev.targets},
                "p_all_met": self.searched.p_all(),
                "feasible": self.search_feasible,
            },
        }


def verify_seeds(spec: OptimiseSpec) -> list[int]:
    """Fresh members' seeds: children of the same root after the search's, never used by it."""
    start = spec.search.members
    return [member_seed(spec.search.seed, start + k) for k in range(spec.verify.ensemble)]


def _chosen(spec: OptimiseSpec, found: SearchResult) -> list[tuple[str, Evaluation]]:
    picks: list[tuple[str, Evaluation]] = []
    if found.best is not None:
        picks.append(("best", found.best))
    front = [e for e in frontier(found.archive.values()) if e is not found.best]
    n = min(spec.verify.frontier_points, len(front))
    if n:
        step = (len(front) - 1) / max(1, n - 1)
        idx = sorted({round(i * step) for i in range(n)})
        picks += [("frontier", front[i]) for i in idx]
    return picks


def verify(spec: OptimiseSpec, found: SearchResult, evaluator: Evaluator) -> list[Verified]:
    """Re-run the best bundle, frontier bundles and the base (levers as written), fresh members."""
    picks = _chosen(spec, found)
    batch = [ev.overrides for _, ev in picks] + [{}]
    values = [ev.values for _, ev in picks] + [{}]
    evs = evaluator.evaluate(batch, verify_seeds(spec), "v", values)
    c_search, c_verify = spec.search.confidence, spec.verify.confidence
    out = []
    for (label, searched), ev in zip(picks, evs[:-1], strict=True):
        out.append(
            Verified(
                label,
                ev,
                searched,
                c_verify,
                feasible(spec, ev, c_verify),
                feasible(spec, searched, c_search),
            )
        )
    out.append(Verified("base", evs[-1], None, c_verify, feasible(spec, evs[-1], c_verify), None))
    return out


def disagreements(verified: list[Verified]) -> tuple[int, int]:
    """(bundles whose search and verified feasibility differ, bundles compared)."""
    pairs = [v for v in verified if v.search_feasible is not None]
    return sum(v.search_feasible != v.feasible for v in pairs), len(pairs)
