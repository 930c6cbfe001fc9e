"""Bundles side by side: targets, probability of meeting them, reductions, costs, cost per tonne.

Every bundle runs with the same root seed and ensemble size as the first (the baseline), so member
``k`` of every bundle shares its weather and exogenous draws (common random numbers): the paired
member differences are the bundles' effects, free of weather noise. A bundle identical to the
baseline compares as zero difference.

Reductions are paired member differences against the first bundle, median over members:
``total_t[first] − total_t[bundle]`` for air pollutants (t), ``water.cod_load_t`` for COD. Cost is
the measures' booked cost (``measure_costs_cny``, or the attribution's ``measures.*.cost_cny``);
cost per tonne is the *incremental* annualised cost over that reduction (:mod:`sim.increments`;
docs/costs.md), so a bundle is not charged the whole plan's cost for its extra tonnes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from sim.ensemble import Ensemble, assemble, reduce_result, run_ensembles
from sim.increments import bundle_economics, incremental_cost
from sim.targets import Scorecard, lookup, scenario_targets, score_ensemble

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

__all__ = ["COST_POLLUTANTS", "CRITERIA", "Comparison", "compare", "load_bundle"]

log = logging.getLogger(__name__)

#: Pollutants whose cost per tonne is reported, with the summary path of their annual amount.
COST_POLLUTANTS: dict[str, str] = {
    "PM2.5": "total_t.PM2.5",
    "VOC": "total_t.VOC",
    "NOx": "total_t.NOx",
    "COD": "water.cod_load_t",
}
#: Ranking criteria: column of the bundle table and whether small is better.
CRITERIA: dict[str, tuple[str, bool]] = {
    **{f"cost_per_t_{p}": (f"cost_per_t_{p}", True) for p in COST_POLLUTANTS},
    **{f"reduction_{p}": (f"reduction_t_{p}", False) for p in COST_POLLUTANTS},
    "cost": ("annualised_cost_cny", True),
    "booked_cost": ("cost_cny", True),
    "pm25": ("pm25_ug_m3", True),
    "cost_per_ug_m3": ("incremental_cost_per_ug_m3", True),
    "p_all_met": ("p_all_met", False),
    "targets_met": ("expected_targets_met", False),
}


def _cost(summary: dict[str, Any]) -> float:
    booked = summary.get("measure_costs_cny")
    if isinstance(booked, dict) and booked:
        return float(sum(booked.values()))
    measures = summary.get("measures")
    if isinstance(measures, dict):
        return float(
            sum(float(m.get("cost_cny", 0.0)) for m in measures.values() if isinstance(m, dict))
        )
    return 0.0


def _number(summary: dict[str, Any], path: str) -> float:
    value = lookup(summary, path)
    return float(value) if isinstance(value, (int, float)) else float("nan")


@dataclass
class Comparison:
    """The bundles' ensembles, scorecards and the side-by-side tables."""

    names: list[str]
    ensembles: list[Ensemble]
    scorecards: list[Scorecard]
    criterion: str = "cost_per_t_PM2.5"
    extras: dict[str, Any] = field(default_factory=dict)

    def targets_table(self) -> pd.DataFrame:
        """Per bundle and target: median value, status, probability met, change vs the first."""
        rows = []
        first = {t.name: t for t in self.scorecards[0].targets}
        for name, card in zip(self.names, self.scorecards, strict=True):
            for t in card.targets:
                base = first.get(t.name)
                change = (
                    None
                    if t.value is None or base is None or base.value is None
                    else t.value - base.value
                )
                rows.append(
                    {
                        "bundle": name,
                        "target": t.name,
                        "comparison": t.comparison,
                        "threshold": t.threshold,
                        "unit": t.unit,
                        "value": t.value,
                        "p05": t.p05,
                        "p95": t.p95,
                        "status": t.status,
                        "probability_met": t.probability_met,
                        "change_vs_first": change,
                    }
                )
        return pd.DataFrame(rows)

    def bundles_table(self) -> pd.DataFrame:
        """Per bundle: reductions vs the first, cost, cost per tonne; ranked by the criterion."""
        base = self.ensembles[0].summaries
        rows = []
        for name, ens, card in zip(self.names, self.ensembles, self.scorecards, strict=True):
            row: dict[str, Any] = {"bundle": name, "members": ens.size}
            costs = np.array([_cost(s) for s in ens.summaries])
            row["cost_cny"] = float(np.median(costs))
            row.update(bundle_economics(base, ens.summaries, card))
            extra = incremental_cost(base, ens.summaries, _cost)
            for pol, path in COST_POLLUTANTS.items():
                diff = np.array(
                    [
                        _number(b, path) - _number(s, path)
                        for b, s in zip(base, ens.summaries, strict=False)
                    ]
                )
                red = float(np.median(diff)) if np.isfinite(diff).any() else float("nan")
                row[f"reduction_t_{pol}"] = red
                row[f"cost_per_t_{pol}"] = (
                    extra / red if np.isfinite(red) and red > 1e-9 else float("nan")
                )
            probs = [t.probability_met for t in card.targets if t.probability_met is not None]
            row["expected_targets_met"] = float(sum(probs))
            row["targets_evaluated"] = len(probs)
            rows.append(row)
        frame = pd.DataFrame(rows)
        column, ascending = CRITERIA[self.criterion]
        frame = frame.sort_values(column, ascending=ascending, na_position="last", kind="stable")
        frame.insert(1, "rank", np.arange(1, len(frame) + 1))
        return frame.reset_index(drop=True)

    def families_table(self) -> pd.DataFrame:
        """Attributable reductions, costs and cost per tonne by measure family, medians.

        From the attribution (``measures``); cost per tonne is the median cost over the median
        reduction, for PM2.5, VOC and NOx where the reduction is positive.
        """
        rows = []
        for name, ens in zip(self.names, self.ensembles, strict=True):
            families: dict[tuple[str, str], list[float]] = {}
            for s in ens.summaries:
                for fam, m in (s.get("measures") or {}).items():
                    if not isinstance(m, dict):
                        continue
                    for pol, v in (m.get("reduction_t") or {}).items():
                        families.setdefault((fam, f"reduction_t_{pol}"), []).append(float(v))
                    families.setdefault((fam, "cost_cny"), []).append(float(m.get("cost_cny", 0)))
            medians = {k: float(np.median(v)) for k, v in families.items()}
            for fam in sorted({f for f, _ in medians}):
                cost = medians.get((fam, "cost_cny"), 0.0)
                for pol in ("PM2.5", "VOC", "NOx"):
                    red = medians.get((fam, f"reduction_t_{pol}"), 0.0)
                    if red > 1e-6 and cost > 0:
                        medians[(fam, f"cost_per_t_{pol}")] = cost / red
            for (fam, what), value in sorted(medians.items()):
                rows.append(
                    {
                        "bundle": name,
                        "family": fam,
                        "quantity": what,
                        "median": value,
                    }
                )
        return pd.DataFrame(rows, columns=["bundle", "family", "quantity", "median"])

    def dataset(self) -> xr.Dataset:
        """``comparison.nc``: targets by bundle, bundle table columns, with units."""
        targets = self.targets_table()
        names = list(dict.fromkeys(targets["target"]))

        def grid(col: str) -> np.ndarray:
            out = np.full((len(self.names), len(names)), np.nan)
            for _, r in targets.iterrows():
                v = r[col]
                if v is not None and not (isinstance(v, float) and np.isnan(v)):
                    out[self.names.index(r["bundle"]), names.index(r["target"])] = float(v)
            return out

        bundles = self.bundles_table().set_index("bundle").loc[self.names]
        data = {
            "target_value": (
                ("bundle", "target"),
                grid("value"),
                {"units": "see target_unit", "long_name": "median value"},
            ),
            "probability_met": (
                ("bundle", "target"),
                grid("probability_met"),
                {"units": "1", "long_name": "probability the target is met"},
            ),
            "change_vs_first": (
                ("bundle", "target"),
                grid("change_vs_first"),
                {
                    "units": "see target_unit",
                    "long_name": "change of the median against the first bundle",
                },
            ),
            "cost": (
                ("bundle",),
                bundles["cost_cny"].to_numpy(float),
                {"units": "CNY", "long_name": "cost of the measures, median"},
            ),
        }
        for pol in COST_POLLUTANTS:
            data[f"reduction_{pol}"] = (
                ("bundle",),
                bundles[f"reduction_t_{pol}"].to_numpy(float),
                {
                    "units": "t",
                    "long_name": f"{pol} reduction against the first bundle (paired median)",
                },
            )
            data[f"cost_per_t_{pol}"] = (
                ("bundle",),
                bundles[f"cost_per_t_{pol}"].to_numpy(float),
                {"units": "CNY t-1", "long_name": f"cost per tonne of {pol} reduced"},
            )
        units = [targets.loc[targets["target"] == n, "unit"].iloc[0] for n in names]
        return xr.Dataset(
            data,
            coords={
                "bundle": ("bundle", self.names),
                "target": ("target", names),
                "target_unit": ("target", units),
            },
            attrs={
                "Conventions": "CF-1.8",
                "title": "sim comparison of bundles",
                "criterion": self.criterion,
                "members": self.ensembles[0].size,
                "seed": self.ensembles[0].seed,
            },
        )

    def save(self, folder: str | Path, *, figures: bool = True) -> Path:
        """Write ``comparison.nc``, ``comparison.csv``, ``bundles.csv``, ``families.csv``, bundles.

        The report is written by the caller (:func:`sim.report_compare.write_comparison_report`);
        ``figures`` is accepted for compatibility and ignored here.
        """
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        self.dataset().to_netcdf(out / "comparison.nc", engine="h5netcdf")
        self.targets_table().to_csv(out / "comparison.csv", index=False)
        self.bundles_table().to_csv(out / "bundles.csv", index=False)
        self.families_table().to_csv(out / "families.csv", index=False)
        (out / "bundles.json").write_text(json.dumps(self.names))
        for name, ens in zip(self.names, self.ensembles, strict=True):
            ens.save(out / "bundles" / name)
            self.scorecards[self.names.index(name)].write(out / "bundles" / name / "scorecard.json")
        return out


def load_bundle(path: Path) -> Ensemble | None:
    """A saved ensemble or run folder as an Ensemble; None if ``path`` is not a folder."""
    from sim.results import Result

    if not path.is_dir():
        return None
    if (path / "ensemble.nc").exists():
        return Ensemble.load(path)
    result = Result.load(path)
    summary, ds = reduce_result(result)
    seed = int(summary.get("seed", result.scenario.run.seed))
    return assemble(result.scenario, seed, [seed], [(summary, ds)])


def compare(
    bundles: Sequence[str | Path | Scenario],
    *,
    ensemble: int = 1,
    jobs: int | None = None,
    seed: int | None = None,
    criterion: str = "cost_per_t_PM2.5",
    progress: bool = False,
    attribution: bool = True,
    overrides: Sequence[str] = (),
) -> Comparison:
    """Run (or load) every bundle with common random numbers and compare them.

    Parameters
    ----------
    bundles
        Scenario files, saved run/ensemble folders, or scenarios; the first is the reference.
    ensemble
        Members per bundle (the same for all).
    jobs
        Worker processes (default: all cores).
    seed
        Root seed for every bundle (default: the first scenario's ``run.seed``).
    criterion
        Ranking of the bundle table, a key of :data:`CRITERIA`.
    attribution
        Attribute reductions to measure families in every member (slower: one more run per
        family); without it targets reading ``measures.*`` are not evaluated.
    overrides
        ``--set`` overrides (``path=value``) applied to every bundle given as a scenario file.
    """
    from sim.errors import ScenarioError

    if criterion not in CRITERIA:
        raise ScenarioError(f"criterion {criterion!r}: expected one of {', '.join(CRITERIA)}")
    if not bundles:
        raise ScenarioError("compare needs at least one bundle")
    slots, root = _load_bundles(bundles, overrides, seed)
    to_run = [s for s in slots if not isinstance(s, Ensemble)]
    ran = iter(
        run_ensembles(
            to_run,
            ensemble,
            jobs=jobs,
            seed=int(root or 0),
            progress=progress,
            attribution=attribution,
        )
        if to_run
        else []
    )
    ensembles = [s if isinstance(s, Ensemble) else next(ran) for s in slots]
    sizes = {e.size for e in ensembles}
    if len(sizes) > 1:
        log.warning("bundles have different ensemble sizes %s; members are paired by index", sizes)
    targets = scenario_targets(ensembles[0].scenario)
    names = _unique_names([e.scenario.name for e in ensembles])
    cards = [
        score_ensemble(scenario_targets(e.scenario) or targets, e.summaries, n)
        for e, n in zip(ensembles, names, strict=True)
    ]
    return Comparison(names, ensembles, cards, criterion)


def _load_bundles(
    bundles: Sequence[str | Path | Scenario], overrides: Sequence[str], seed: int | None
) -> tuple[list[Ensemble | Scenario], int | None]:
    """Saved folders loaded, scenario files validated (with ``overrides``); the root seed."""
    from sim.errors import ScenarioError
    from sim.scenario import load_scenario
    from sim.scenario.schema import Scenario as ScenarioModel

    slots: list[Ensemble | Scenario] = []
    root = seed
    for item in bundles:
        loaded = load_bundle(Path(item)) if not isinstance(item, ScenarioModel) else None
        if loaded is not None:
            if overrides:
                raise ScenarioError(f"{item}: --set applies to scenario files, not saved runs")
            slots.append(loaded)
            root = loaded.seed if root is None else root
            continue
        scenario = item if isinstance(item, ScenarioModel) else load_scenario(item, overrides)
        root = scenario.run.seed if root is None else root
        slots.append(scenario)
    return slots, root


def _unique_names(names: Sequence[str]) -> list[str]:
    """Bundle names made unique by appending ``_`` to repeats."""
    out: list[str] = []
    for name in names:
        while name in out:
            name += "_"
        out.append(name)
    return out
