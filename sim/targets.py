"""The plan's targets checked against a run (or an ensemble of runs): the Scorecard.

Each target of the scenario's ``targets:`` section reads one value of the run summary by its dotted
path (``metric``) and compares it with its threshold. Status:

- ``met``: the comparison holds;
- ``within tolerance``: it fails, but by no more than the target's tolerance band (the plan's
  "about 40 µg/m³");
- ``not met``: it fails by more;
- ``not evaluated``: the run has no such value (e.g. no ``water:`` section) — never counted as met;
- ``partial year``: the run covers less than a whole calendar year, so an annual target
  (``period: year``, the default) is not judged: its value is shown, it is neither met nor not
  met (``sim forecast`` judges the year); a ``period: run`` target is judged on any period.

Targets read the run summary only (a JSON-ready mapping, or a :class:`sim.results.Result`'s
``summary``), never the engine's state; plan facts no outcome computes (measure costs, the share
of large sites monitored) are added to the summary by :mod:`sim.outcomes.plan`.

The margin is signed so that a positive margin is slack: ``threshold − value`` for ``<=``,
``value − threshold`` for ``>=``, ``−|value − threshold|`` for ``==``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from sim.scenario.sections.targets import Target

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

__all__ = [
    "MET",
    "NOT_EVALUATED",
    "NOT_MET",
    "PARTIAL",
    "WITHIN",
    "Scorecard",
    "TargetScore",
    "evaluate",
    "is_partial_year",
    "lookup",
    "scenario_targets",
    "score_ensemble",
    "score_run",
]

Status = Literal["met", "within tolerance", "not met", "not evaluated", "partial year"]
MET: Status = "met"
WITHIN: Status = "within tolerance"
NOT_MET: Status = "not met"
NOT_EVALUATED: Status = "not evaluated"
PARTIAL: Status = "partial year"

#: Surface-water classes (GB 3838-2002) as numbers, so that "no section worse than V" is max <= 5.
WATER_CLASSES = {"I": 1.0, "II": 2.0, "III": 3.0, "IV": 4.0, "V": 5.0, "worse than V": 6.0}
_EPS = 1e-9


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        out = float(value)
        return None if math.isnan(out) else out
    if isinstance(value, str):
        key = value.strip()
        for name, number in WATER_CLASSES.items():
            if key.lower() in (name.lower(), name.lower().replace(" ", "_")):
                return number
        if key in ("劣V", "劣Ⅴ", ">V"):
            return 6.0
    return None


def lookup(summary: Mapping[str, Any], path: str) -> Any:
    """The value at dotted ``path`` of ``summary``, or None.

    Keys may themselves hold dots (``PM2.5``): at each level the longest key matching the start of
    the remaining path is taken.
    """
    node: Any = summary
    rest = path
    while rest:
        if not isinstance(node, Mapping):
            return None
        match = next(
            (
                k
                for k in sorted(map(str, node), key=len, reverse=True)
                if rest == k or rest.startswith(k + ".")
            ),
            None,
        )
        if match is None:
            return None
        node = node[match]
        rest = rest[len(match) + 1 :]
    return node


def _reduce(found: Any, how: str) -> float | None:
    if isinstance(found, Mapping):
        found = list(found.values())
    if isinstance(found, (list, tuple)):
        numbers = [_as_number(v) for v in found]
        if not numbers or any(n is None for n in numbers) or how == "none":
            return None
        arr = np.asarray(numbers, dtype=float)
        if how == "min":
            return float(arr.min())
        if how == "max":
            return float(arr.max())
        return float(arr.sum() if how == "sum" else arr.mean())
    return _as_number(found)


def evaluate(target: Target, value: float | None) -> tuple[Status, float | None]:
    """Status and margin (positive: slack) of ``value`` against ``target``."""
    if value is None or not math.isfinite(value):
        return NOT_EVALUATED, None
    if target.comparison == "<=":
        margin = target.value - value
    elif target.comparison == ">=":
        margin = value - target.value
    else:
        margin = -abs(value - target.value)
    if margin >= -_EPS:
        return MET, margin
    if margin >= -target.tolerance - _EPS:
        return WITHIN, margin
    return NOT_MET, margin


@dataclass
class TargetScore:
    """One target's line of the scorecard (ensemble fields are None for a single run)."""

    name: str
    description: str
    metric: str
    comparison: str
    threshold: float
    tolerance: float
    unit: str
    value: float | None
    status: Status
    margin: float | None
    members: int = 1
    evaluated: int = 0
    probability_met: float | None = None
    probability_met_or_within: float | None = None
    p05: float | None = None
    p95: float | None = None
    values: list[float | None] = field(default_factory=list)
    #: Air targets: ``{value, status}`` with the district's measures alone (summary
    #: ``air.district_alone``: the city and the region as in the baseline); None otherwise.
    district_alone: dict[str, Any] | None = None
    #: The assumption that decides the result, in words (the target's ``decided_by``), and in
    #: Chinese.
    decided_by: str = ""
    decided_by_zh: str = ""


@dataclass
class Scorecard:
    """Every target's score for one run or one ensemble."""

    scenario: str
    members: int
    targets: list[TargetScore]

    @property
    def all_met(self) -> bool:
        """True when no evaluated target is ``not met`` (``within tolerance`` passes)."""
        return not any(t.status == NOT_MET for t in self.targets)

    @property
    def not_met(self) -> list[str]:
        """Names of the targets not met."""
        return [t.name for t in self.targets if t.status == NOT_MET]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping (per-member values only for ensembles)."""
        rows = []
        for t in self.targets:
            row = asdict(t)
            if self.members == 1:
                for key in ("values", "probability_met_or_within", "p05", "p95"):
                    row.pop(key)
            if row.get("district_alone") is None:
                row.pop("district_alone", None)
            for key in ("decided_by", "decided_by_zh"):
                if not row.get(key):
                    row.pop(key, None)
            rows.append(row)
        return {
            "scenario": self.scenario,
            "members": self.members,
            "all_met": self.all_met,
            "targets": rows,
        }

    def write(self, path: str | Path) -> Path:
        """Write ``scorecard.json`` (or ``path`` if it is a file name)."""
        out = Path(path)
        if out.is_dir():
            out = out / "scorecard.json"
        text = json.dumps(self.to_dict(), indent=2, ensure_ascii=False, allow_nan=False)
        out.write_text(text, encoding="utf-8")
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scorecard:
        """Read back what :meth:`to_dict` wrote."""
        rows = [TargetScore(**dict(row)) for row in data["targets"]]
        return cls(str(data["scenario"]), int(data["members"]), rows)

    def lines(self) -> list[str]:
        """A plain-text table for the terminal."""
        out = [f"Targets of {self.scenario} ({self.members} member(s))"]
        for t in self.targets:
            shown = "-" if t.value is None else f"{t.value:.4g}"
            prob = "" if t.probability_met is None else f"  P(met) {t.probability_met:.0%}"
            if t.district_alone is not None:
                alone = t.district_alone
                p_alone = alone.get("probability_met")
                shown_p = "" if p_alone is None else f", P(met) {p_alone:.0%}"
                prob += f"  (Hongqiao alone {alone['value']:.4g}: {alone['status']}{shown_p})"
            out.append(
                f"  {t.name:<34} {shown:>10} {t.comparison} {t.threshold:<8.4g} {t.unit:<8} "
                f"{t.status}{prob}"
            )
        return out


def scenario_targets(scenario: Scenario) -> tuple[Target, ...]:
    """The targets of ``scenario`` (its ``targets.items``; none if the section has no items)."""
    return tuple(getattr(getattr(scenario, "targets", None), "items", ()) or ())


def target_value(target: Target, summary: Mapping[str, Any]) -> float | None:
    """The number ``target`` reads from ``summary`` (None when absent)."""
    return _reduce(lookup(summary, target.metric), target.reduce)


def _score(
    t: Target, value: float | None, status: Status, margin: float | None, **ensemble: Any
) -> TargetScore:
    """A scorecard line for target ``t`` (``ensemble``: the TargetScore fields of an ensemble)."""
    return TargetScore(
        t.name, t.description, t.metric, t.comparison, t.value, t.tolerance, t.unit,
        value, status, margin, **ensemble, decided_by=t.decided_by, decided_by_zh=t.decided_by_zh,
    )  # fmt: skip


def is_partial_year(summary: Mapping[str, Any]) -> bool:
    """Whether the summary's ``period`` is shorter than whole calendar years.

    A period from 1 January 00:00 to 1 January 00:00 of a later year is whole; anything else
    (a run from 1 September, or to 1 November) is partial. No ``period``: whole (older runs).
    """
    period = summary.get("period")
    if not isinstance(period, Mapping) or "start" not in period or "end" not in period:
        return False
    start, end = (datetime.fromisoformat(str(period[k])) for k in ("start", "end"))
    return not all((d.month, d.day, d.hour, d.minute) == (1, 1, 0, 0) for d in (start, end))


def score_run(targets: Sequence[Target], summary: Mapping[str, Any]) -> Scorecard:
    """The scorecard of one run from its summary (annual targets of a partial year not judged)."""
    rows = []
    partial = is_partial_year(summary)
    for t in targets:
        value = target_value(t, summary)
        judged = not partial or t.period == "run"
        status, margin = evaluate(t, value) if judged else (PARTIAL, None)
        rows.append(
            _score(
                t,
                value,
                status,
                margin,
                evaluated=int(value is not None),
                district_alone=_district_alone(t, summary),
            )
        )
    return Scorecard(str(summary.get("scenario", "")), 1, rows)


def _district_alone(t: Target, summary: Mapping[str, Any]) -> dict[str, Any] | None:
    """An air target's value and status with the district's measures alone, if the run has it."""
    if not t.metric.startswith("air."):
        return None
    value = _reduce(lookup(summary, "air.district_alone." + t.metric[4:]), t.reduce)
    if value is None:
        return None
    return {"value": value, "status": evaluate(t, value)[0]}


def score_ensemble(
    targets: Sequence[Target], summaries: Sequence[Mapping[str, Any]], scenario: str = ""
) -> Scorecard:
    """The scorecard of an ensemble: the median, 5-95 % range, and the probability of meeting.

    The status and margin are those of the median value. Probabilities are over the members where
    the value exists; a target no member evaluates is ``not evaluated`` with no probability.
    """
    rows = []
    partial = bool(summaries) and is_partial_year(summaries[0])
    for t in targets:
        values = [target_value(t, s) for s in summaries]
        found = np.asarray([v for v in values if v is not None], dtype=float)
        unjudged = partial and t.period == "year"
        if found.size == 0 or unjudged:
            median = float(np.median(found)) if found.size else None
            rows.append(
                _score(
                    t,
                    median,
                    PARTIAL if unjudged else NOT_EVALUATED,
                    None,
                    members=len(values),
                    values=values,
                )
            )
            continue
        statuses = [evaluate(t, float(v))[0] for v in found]
        median = float(np.median(found))
        status, margin = evaluate(t, median)
        rows.append(
            _score(
                t,
                median,
                status,
                margin,
                members=len(values),
                evaluated=int(found.size),
                probability_met=statuses.count(MET) / found.size,
                probability_met_or_within=(statuses.count(MET) + statuses.count(WITHIN))
                / found.size,
                p05=float(np.percentile(found, 5)),
                p95=float(np.percentile(found, 95)),
                values=values,
            )
        )
    for t, row in zip(targets, rows, strict=True):
        row.district_alone = _district_alone_ensemble(t, summaries)
    name = scenario or (str(summaries[0].get("scenario", "")) if summaries else "")
    return Scorecard(name, len(summaries), rows)


def _district_alone_ensemble(
    t: Target, summaries: Sequence[Mapping[str, Any]]
) -> dict[str, Any] | None:
    """An air target over the members with the district's measures alone: the median value, its
    status and the share of members meeting the target (None unless every member has it)."""
    alone = [_district_alone(t, s) for s in summaries]
    if not alone or any(a is None for a in alone):
        return None
    values = np.asarray([a["value"] for a in alone if a is not None], dtype=float)
    median = float(np.median(values))
    met = sum(evaluate(t, float(v))[0] == MET for v in values)
    return {
        "value": median,
        "status": evaluate(t, median)[0],
        "probability_met": met / values.size,
    }
