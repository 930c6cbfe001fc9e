"""Water outcome: sewage and rain through the drainage network to the rivers and their classes.

Reads the water state streams from the ledger when a measure declared them (``water.*``, see
:mod:`sim.policies.water`), otherwise the configuration's initial values; then, vectorised:
sewage (:mod:`sim.water.sewage`), runoff (:mod:`sim.water.catchments`), build-up and wash-off,
the network and plant (:mod:`sim.water.network`), rivers by day (:mod:`sim.water.river`) and
GB 3838 classes (:mod:`sim.water.standards`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from sim.calendar import Calendar
from sim.errors import SimError
from sim.outcomes import Outcome
from sim.outcomes.water_model import ITEMS, WaterRun, simulate_water, state_series
from sim.streams import rng_for
from sim.water.network import area_total
from sim.water.standards import (
    CLASS_NAMES,
    annual_class,
    black_odorous_grade,
    class_iii_margin,
    deciding_items,
    monthly_class,
    share_class_iii_or_better,
    surface_water_class,
)
from sim.water.system import daily_sum, event_count

if TYPE_CHECKING:
    from sim.engine import RunState

__all__ = [
    "WaterResultInvalid",
    "compute",
    "load_reductions",
    "river_load_t",
    "section_class_annual",
    "section_mean",
]

_ITEMS = ITEMS
_PATHS = ("to_plant", "tank_return", "overflow", "rain_outlet", "cross_connection")
_PLANT_PATHS = ("effluent", "bypass")


class WaterResultInvalid(SimError):
    """The water year produced a concentration that is NaN or infinite: no class can be given
    to a section, so the run's numbers are invalid (exit code 4)."""

    exit_code = 4


def _var(dims: tuple[str, ...], data: Any, units: str, long_name: str) -> xr.Variable:
    return xr.Variable(dims, data, attrs={"units": units, "long_name": long_name})


def _daily_sum(day_index: NDArray[np.int64], n_days: int, x: NDArray[np.float64]) -> NDArray:
    return daily_sum(x, day_index, n_days)


def _daily_paths(run: WaterRun, cal: Calendar) -> dict[str, NDArray[np.float64]]:
    """Daily volumes and loads by path (network and plant), CSO by area, and what reaches the
    rivers: overflows, rain outlets, cross-connections, the plant's bypass always, its effluent
    when the plant discharges to a modelled river."""
    di, nd = cal.day_index, len(cal.days)
    d = run.drainage
    # the run's daily sums by area, then over the areas
    flow = np.stack([run.daily_m3[p].sum(axis=1) for p in _PATHS], axis=1)
    load = np.stack([run.daily_kg[p].sum(axis=1) for p in _PATHS], axis=1)
    pflow = np.stack([_daily_sum(di, nd, d.plant_m3[p]) for p in _PLANT_PATHS], axis=1)
    pload = np.stack([_daily_sum(di, nd, d.plant_kg[p]) for p in _PLANT_PATHS], axis=1)
    river_v = flow[:, 2:].sum(axis=1) + pflow[:, 1] + pflow[:, 0] * run.plant_to_river
    river_kg = load[:, 2:].sum(axis=1) + pload[:, 1] + pload[:, 0] * run.plant_to_river
    if run.outlets is not None:  # listed outlets' dry-weather sewage straight to the rivers
        river_v += run.daily_m3["direct"].sum(axis=1)
        river_kg += run.daily_kg["direct"].sum(axis=1)
    per_day = np.bincount(di, minlength=nd).astype(np.float64)
    return {
        "flow": np.c_[flow, pflow],
        "load": np.concatenate([load, pload], axis=1),
        "cso": run.daily_m3["overflow"],
        "river_v": river_v,
        "river_kg": river_kg,
        "bypass_kg": pload[:, 1],
        "remediated": _daily_sum(di, nd, run.remediated_share_district) / per_day,
    }


def _classes(run: WaterRun, months: NDArray[np.int64]) -> dict[str, NDArray[np.int64]]:
    """Daily, monthly and annual GB 3838 classes of the sections and black-odorous grades."""
    conc = run.section_mg_l
    if not np.all(np.isfinite(conc)):
        raise WaterResultInvalid(
            "water: a section concentration is NaN or infinite; sections cannot be classified"
        )
    items = {k: conc[..., i] for i, k in enumerate(_ITEMS)}
    return {
        "daily": surface_water_class(**items),
        "monthly": monthly_class(months, **items),
        "annual": annual_class(**items),
        "grade": black_odorous_grade(items["do"], items["nh3n"]),
    }


def _outlet_variables(run: WaterRun) -> tuple[dict[str, xr.Variable], dict[str, Any]]:
    """One variable per column of ``outlets.csv`` over the ``outlet`` dimension (listed
    outlets), and the ``outlet`` coordinate; none without listed outlets."""
    if run.outlets is None or run.outlets.table.empty:
        return {}, {}
    t = run.outlets.table
    out = {
        f"outlet_{c}": _var(("outlet",), t[c].to_numpy(dtype=np.float64), "t", f"{c} (annual)")
        for c in ("cod_before_t", "cod_after_t", "nh3n_before_t", "nh3n_after_t")
    }
    for c in ("area", "kind", "remediated_on"):
        out[f"outlet_{c}"] = _var(("outlet",), t[c].astype(str).to_numpy(), "1", f"outlet {c}")
    return out, {"outlet": ("outlet", t["outlet"].astype(str).to_numpy())}


def _dataset(run: WaterRun, cal: Calendar, p: dict[str, Any], c: dict[str, Any]) -> xr.Dataset:
    """The water variables of ``results.nc``, built in one call (the listed outlets' first)."""
    outlet_vars, outlet_coords = _outlet_variables(run)
    variables, coords = _water_variables(run, cal, p, c)
    return xr.Dataset({**outlet_vars, **variables}, coords={**outlet_coords, **coords})


def _water_variables(
    run: WaterRun, cal: Calendar, p: dict[str, Any], c: dict[str, Any]
) -> tuple[dict[str, xr.Variable], dict[str, Any]]:
    """The network, river and class variables and their coordinates."""
    return (
        {
            "water_flow": _var(
                ("day", "water_path"), p["flow"], "m3 d-1", "daily water volume by path"
            ),
            "water_load": _var(
                ("day", "water_path", "water_pollutant"),
                p["load"],
                "kg d-1",
                "daily pollutant load by path",
            ),
            "cso_volume": _var(
                ("day", "drainage_area"), p["cso"], "m3 d-1", "combined-sewer overflow"
            ),
            "river_inflow_load": _var(
                ("day", "water_pollutant"),
                p["river_kg"],
                "kg d-1",
                "load reaching the rivers from the district (with the plant's bypass)",
            ),
            "river_inflow_volume": _var(
                ("day",), p["river_v"], "m3 d-1", "district water to rivers"
            ),
            "outlets_remediated_share": _var(
                ("day",), p["remediated"], "1", "share of outlets remediated"
            ),
            "section_concentration": _var(
                ("day", "section", "water_item"),
                run.section_mg_l,
                "mg L-1",
                "daily mean concentration at monitoring sections",
            ),
            "section_class_daily": _var(
                ("day", "section"),
                c["daily"].astype(np.int8),
                "1",
                "GB 3838-2002 class (6 = worse than V, 0 = not classifiable)",
            ),
            "section_class_monthly": _var(
                ("water_month", "section"),
                c["monthly"].astype(np.int8),
                "1",
                "GB 3838-2002 class of the monthly means",
            ),
            "section_class_annual": _var(
                ("section",),
                c["annual"].astype(np.int8),
                "1",
                "GB 3838-2002 class of the annual means",
            ),
            "black_odorous_grade": _var(
                ("day", "section"),
                c["grade"].astype(np.int8),
                "1",
                "black-odorous grade 0 none, 1 light, 2 heavy",
            ),
        },
        {
            "day": ("day", cal.days.values, {"long_name": "calendar day"}),
            "water_path": ("water_path", [*_PATHS, *_PLANT_PATHS], {"long_name": "water path"}),
            "water_pollutant": (
                "water_pollutant",
                list(run.pollutants),
                {"long_name": "pollutant"},
            ),
            "drainage_area": (
                "drainage_area",
                list(run.area_names),
                {"long_name": "drainage area"},
            ),
            "section": ("section", list(run.section_names), {"long_name": "monitoring section"}),
            "water_item": ("water_item", list(_ITEMS), {"long_name": "water-quality item"}),
            "water_month": ("water_month", np.arange(1, 13), {"long_name": "month of year"}),
        },
    )


def _summary(run: WaterRun, p: dict[str, Any], c: dict[str, Any]) -> dict[str, Any]:
    """The water part of ``summary.json``."""
    names = run.section_names
    annual = c["annual"]
    national = [i for i, n in enumerate(names) if run.national_control[i]] or list(
        range(len(names))
    )
    i_cod, i_n = run.pollutants.index("cod"), run.pollutants.index("nh3n")
    return {
        "sections": {n: CLASS_NAMES[int(k)] for n, k in zip(names, annual, strict=True)},
        "share_class_iii_or_better": round(share_class_iii_or_better(annual[national]), 4),
        "any_worse_than_v": bool(np.any(annual[national] >= 6)),
        "outlet_remediation_share": round(float(run.remediated_share_district[-1]), 4),
        "cod_load_t": round(float(p["river_kg"][:, i_cod].sum()) / 1e3, 4),
        "nh3n_load_t": round(float(p["river_kg"][:, i_n].sum()) / 1e3, 4),
        "plant_bypass_cod_t": round(float(p["bypass_kg"][:, i_cod].sum()) / 1e3, 4),
        "plant_bypass_nh3n_t": round(float(p["bypass_kg"][:, i_n].sum()) / 1e3, 4),
        "cso_volume_m3": round(float(p["cso"].sum()), 1),
        "cso_days": int(np.count_nonzero(p["cso"].sum(axis=1) > 0.0)),
        "cso_events": event_count(area_total(run.drainage.water_m3["overflow"])),
        "overflow_rule_events": int(run.overflow_rule_events),
        "black_odorous_days": {
            n: int(np.count_nonzero(c["grade"][:, i] > 0)) for i, n in enumerate(names)
        },
        "offseason_outlet_days": int(run.offseason_outlet_days),
        **_margins(run),
    }


def _margins(run: WaterRun) -> dict[str, Any]:
    """Per section and item, the annual mean's distance to the class III limit (mg/L, positive
    when better), and the item that decides each section's annual class."""
    means = run.section_mg_l.mean(axis=0)  # (n_sec, n_items)
    by_item = {k: means[:, j] for j, k in enumerate(_ITEMS)}
    margins = {k: np.atleast_1d(class_iii_margin(k, v)).tolist() for k, v in by_item.items()}
    names = run.section_names
    margin = {n: {k: round(margins[k][i], 4) for k in _ITEMS} for i, n in enumerate(names)}
    deciding = dict(zip(names, deciding_items(by_item), strict=True))
    return {"section_margin": margin, "deciding_species": deciding}


def _parts(run: WaterRun, cal: Calendar) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The daily paths, the classes and the summary of a water run."""
    paths = _daily_paths(run, cal)
    classes = _classes(run, np.asarray(cal.days.month))
    return paths, classes, _summary(run, paths, classes)


def build_outcome(run: WaterRun, state: RunState) -> Outcome:
    """Dataset, summary and printed lines of a water run."""
    cal = state.calendar
    paths, classes, summary = _parts(run, cal)
    names = run.section_names
    lines = [
        "Water: annual class by section: "
        + ", ".join(f"{n} {summary['sections'][n]}" for n in names),
        f"  class III or better {100 * summary['share_class_iii_or_better']:.0f} %; outlets "
        f"remediated {100 * summary['outlet_remediation_share']:.1f} %; to rivers COD "
        f"{summary['cod_load_t']:.1f} t, NH3-N {summary['nh3n_load_t']:.2f} t (plant bypass "
        f"{summary['plant_bypass_cod_t']:.1f} t COD); CSO days {summary['cso_days']} "
        f"({summary['cso_events']} events; {summary['overflow_rule_events']} rain events meet "
        "the overflow-start rule)",
    ]
    return Outcome(_dataset(run, cal, paths, classes), summary, lines)


def _water_year(state: RunState) -> WaterRun:
    cfg = state.scenario.water
    assert cfg is not None
    series, cleared = state_series(state)
    rng = rng_for(state.seed, "water.parameters")
    return simulate_water(cfg, state.calendar, state.weather, series, cleared, rng)


def compute(state: RunState, without_measures: RunState | None = None) -> Outcome:
    """The water outcome of a finished run (the scenario has a ``water`` section).

    Parameters
    ----------
    state
        The finished run.
    without_measures
        The same scenario and seed run without any measure (the api's counterfactual), for the
        loads removed by the water measures; only read when a water measure is enabled. None:
        the reductions are not computed (``None`` in the summary; targets that read them are
        then not evaluated). Outcomes never run the engine themselves.
    """
    t0 = time.perf_counter()
    run = _water_year(state).with_elapsed(time.perf_counter() - t0)
    outcome = build_outcome(run, state)
    cod: float | None = 0.0
    nh3n: float | None = 0.0
    if state.ledger.has("water.combined_fraction"):  # a water measure declared the streams
        base = without_measures
        if base is None:
            cod = nh3n = None
        else:
            # only the counterfactual's summary is read: no Dataset for it
            without = _parts(_water_year(base), base.calendar)[2]
            cod, nh3n = load_reductions(outcome.summary, without)
    outcome.summary["cod_reduction_t"] = cod
    outcome.summary["nh3n_reduction_t"] = nh3n
    if cod is not None and nh3n is not None:
        outcome.lines.append(
            f"  reduction by the water measures (key projects): COD {cod:.1f} t, NH3-N {nh3n:.2f} t"
        )
    return outcome


def load_reductions(summary: dict[str, Any], without: dict[str, Any]) -> tuple[float, float]:
    """COD and NH3-N loads to rivers removed by the water measures, t: the counterfactual's
    summary (no measures, same seed: common random numbers) minus this run's. This is what the
    plan's "COD and ammonia-nitrogen cuts from key projects" target reads."""
    return (
        round(without["cod_load_t"] - summary["cod_load_t"], 4),
        round(without["nh3n_load_t"] - summary["nh3n_load_t"], 4),
    )


# -- observables for calibration: (dataset, start, end, **kwargs) -> float ---------------------
def section_mean(
    dataset: xr.Dataset, start: Any, end: Any, section: str, variable: str = "nh3n"
) -> float:
    """Mean concentration (mg/L) of ``variable`` at ``section`` over days [start, end)."""
    days = pd.DatetimeIndex(dataset["day"].values)
    mask = (days >= pd.Timestamp(start)) & (days < pd.Timestamp(end))
    da = dataset["section_concentration"].sel(section=section, water_item=variable)
    return float(da.values[mask].mean())


def section_class_annual(dataset: xr.Dataset, start: Any, end: Any, section: str) -> float:
    """GB 3838 class (1-6) of the mean concentrations at ``section`` over [start, end)."""
    present = [str(k) for k in dataset["water_item"].values]
    vals = {k: section_mean(dataset, start, end, section, k) for k in present}
    return float(surface_water_class(**vals))


def river_load_t(dataset: xr.Dataset, start: Any, end: Any, pollutant: str = "cod") -> float:
    """Load reaching the rivers from the district over [start, end), t."""
    days = pd.DatetimeIndex(dataset["day"].values)
    mask = (days >= pd.Timestamp(start)) & (days < pd.Timestamp(end))
    da = dataset["river_inflow_load"].sel(water_pollutant=pollutant)
    return float(da.values[mask].sum()) / 1e3
