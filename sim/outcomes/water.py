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

from sim.outcomes import Outcome
from sim.outcomes.water_model import WaterRun, simulate_water, state_series
from sim.streams import rng_for
from sim.water.network import area_total
from sim.water.standards import (
    CLASS_NAMES,
    annual_class,
    black_odorous_grade,
    monthly_class,
    share_class_iii_or_better,
    surface_water_class,
)
from sim.water.system import daily_sum

if TYPE_CHECKING:
    from sim.engine import RunState

__all__ = ["compute", "river_load_t", "section_class_annual", "section_mean"]

_ITEMS = ("cod", "nh3n", "tp", "do")


def _var(dims: tuple[str, ...], data: Any, units: str, long_name: str) -> xr.Variable:
    return xr.Variable(dims, data, attrs={"units": units, "long_name": long_name})


def _daily_sum(day_index: NDArray[np.int64], n_days: int, x: NDArray[np.float64]) -> NDArray:
    return daily_sum(x, day_index, n_days)


def build_outcome(run: WaterRun, state: RunState) -> Outcome:
    """Dataset, summary and printed lines of a water run."""
    cal = state.calendar
    days = cal.days
    di, nd = cal.day_index, len(days)
    d = run.drainage
    paths = ("to_plant", "tank_return", "overflow", "rain_outlet", "cross_connection")
    flow = np.stack([_daily_sum(di, nd, area_total(d.water_m3[p])) for p in paths], axis=1)
    load = np.stack([_daily_sum(di, nd, area_total(d.load_kg[p])) for p in paths], axis=1)
    plant_paths = ("effluent", "bypass")
    pflow = np.stack([_daily_sum(di, nd, d.plant_m3[p]) for p in plant_paths], axis=1)
    pload = np.stack([_daily_sum(di, nd, d.plant_kg[p]) for p in plant_paths], axis=1)
    cso = _daily_sum(di, nd, d.water_m3["overflow"])
    conc = run.section_mg_l  # (n_days, n_sections, 4)
    items = {k: conc[..., i] for i, k in enumerate(_ITEMS)}
    daily_cls = surface_water_class(**items)
    months = np.asarray(days.month)
    monthly_cls = monthly_class(months, **items)
    annual_cls = annual_class(**items)
    grade = black_odorous_grade(items["do"], items["nh3n"])
    river_v = flow[:, 2:].sum(axis=1) + pflow.sum(axis=1) * run.plant_to_river
    river_kg = load[:, 2:].sum(axis=1) + pload.sum(axis=1) * run.plant_to_river
    per_day = np.bincount(di, minlength=nd).astype(np.float64)
    remediated = _daily_sum(di, nd, run.remediated_share_district) / per_day
    names = run.section_names
    ds = xr.Dataset(
        {
            "water_flow": _var(
                ("day", "water_path"), np.c_[flow, pflow], "m3 d-1", "daily water volume by path"
            ),
            "water_load": _var(
                ("day", "water_path", "water_pollutant"),
                np.concatenate([load, pload], axis=1),
                "kg d-1",
                "daily pollutant load by path",
            ),
            "cso_volume": _var(("day", "drainage_area"), cso, "m3 d-1", "combined-sewer overflow"),
            "river_inflow_load": _var(
                ("day", "water_pollutant"),
                river_kg,
                "kg d-1",
                "load reaching the rivers from the district",
            ),
            "river_inflow_volume": _var(("day",), river_v, "m3 d-1", "district water to rivers"),
            "outlets_remediated_share": _var(
                ("day",), remediated, "1", "share of outlets remediated"
            ),
            "section_concentration": _var(
                ("day", "section", "water_item"),
                conc,
                "mg L-1",
                "daily mean concentration at monitoring sections",
            ),
            "section_class_daily": _var(
                ("day", "section"),
                daily_cls.astype(np.int8),
                "1",
                "GB 3838-2002 class (6 = worse than V)",
            ),
            "section_class_monthly": _var(
                ("water_month", "section"),
                monthly_cls.astype(np.int8),
                "1",
                "GB 3838-2002 class of the monthly means",
            ),
            "section_class_annual": _var(
                ("section",),
                annual_cls.astype(np.int8),
                "1",
                "GB 3838-2002 class of the annual means",
            ),
            "black_odorous_grade": _var(
                ("day", "section"),
                grade.astype(np.int8),
                "1",
                "black-odorous grade 0 none, 1 light, 2 heavy",
            ),
        },
        coords={
            "day": ("day", days.values, {"long_name": "calendar day"}),
            "water_path": ("water_path", [*paths, *plant_paths], {"long_name": "water path"}),
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
            "section": ("section", list(names), {"long_name": "monitoring section"}),
            "water_item": ("water_item", list(_ITEMS), {"long_name": "water-quality item"}),
            "water_month": ("water_month", np.arange(1, 13), {"long_name": "month of year"}),
        },
    )
    i_cod, i_n = run.pollutants.index("cod"), run.pollutants.index("nh3n")
    cso_days = int(np.count_nonzero(cso.sum(axis=1) > 0.0))
    national = [i for i, n in enumerate(names) if run.national_control[i]] or list(
        range(len(names))
    )
    summary: dict[str, Any] = {
        "sections": {n: CLASS_NAMES[int(c)] for n, c in zip(names, annual_cls, strict=True)},
        "share_class_iii_or_better": round(share_class_iii_or_better(annual_cls[national]), 4),
        "any_worse_than_v": bool(np.any(annual_cls[national] >= 6)),
        "outlet_remediation_share": round(float(run.remediated_share_district[-1]), 4),
        "cod_load_t": round(float(river_kg[:, i_cod].sum()) / 1e3, 4),
        "nh3n_load_t": round(float(river_kg[:, i_n].sum()) / 1e3, 4),
        "cso_volume_m3": round(float(cso.sum()), 1),
        "cso_days": cso_days,
        "black_odorous_days": {
            n: int(np.count_nonzero(grade[:, i] > 0)) for i, n in enumerate(names)
        },
        "offseason_outlet_days": int(run.offseason_outlet_days),
    }
    lines = [
        "Water: annual class by section: "
        + ", ".join(f"{n} {summary['sections'][n]}" for n in names),
        f"  class III or better {100 * summary['share_class_iii_or_better']:.0f} %; outlets "
        f"remediated {100 * summary['outlet_remediation_share']:.1f} %; to rivers COD "
        f"{summary['cod_load_t']:.1f} t, NH3-N {summary['nh3n_load_t']:.2f} t; CSO days {cso_days}",
    ]
    return Outcome(ds, summary, lines)


def compute(state: RunState) -> Outcome:
    """The water outcome of a finished run (the scenario has a ``water`` section)."""
    t0 = time.perf_counter()
    cfg = state.scenario.water
    assert cfg is not None
    series, cleared = state_series(state)
    run = simulate_water(
        cfg, state.calendar, state.weather, series, cleared, rng_for(state.seed, "water.parameters")
    )
    run = run.with_elapsed(time.perf_counter() - t0)
    outcome = build_outcome(run, state)
    cod, nh3n = _reductions_by_water_measures(state, outcome.summary)
    outcome.summary["cod_reduction_t"] = cod
    outcome.summary["nh3n_reduction_t"] = nh3n
    outcome.lines.append(
        f"  reduction by the water measures (key projects): COD {cod:.1f} t, NH3-N {nh3n:.2f} t"
    )
    return outcome


def _reductions_by_water_measures(state: RunState, summary: dict[str, Any]) -> tuple[float, float]:
    """COD and NH3-N loads to rivers removed by the water measures, t over the run.

    The same scenario and seed without the water family (common random numbers) minus this run;
    0 when no water measure is enabled. This is what the plan's "COD and ammonia-nitrogen cuts
    from key projects" target reads.
    """
    from sim.attribution import enabled_measures

    if "water" not in enabled_measures(state.scenario):
        return 0.0, 0.0
    base = state.without_measures()  # shared with the air outcome; water streams are only
    assert base is not None  # written by water measures, so this is the run without them
    cfg = base.scenario.water
    assert cfg is not None
    series, cleared = state_series(base)
    run = simulate_water(
        cfg, base.calendar, base.weather, series, cleared, rng_for(base.seed, "water.parameters")
    )
    without = build_outcome(run, base).summary
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
    vals = {k: section_mean(dataset, start, end, section, k) for k in _ITEMS}
    return float(surface_water_class(**vals))


def river_load_t(dataset: xr.Dataset, start: Any, end: Any, pollutant: str = "cod") -> float:
    """Load reaching the rivers from the district over [start, end), t."""
    days = pd.DatetimeIndex(dataset["day"].values)
    mask = (days >= pd.Timestamp(start)) & (days < pd.Timestamp(end))
    da = dataset["river_inflow_load"].sel(water_pollutant=pollutant)
    return float(da.values[mask].sum()) / 1e3
