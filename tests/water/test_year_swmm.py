"""The five drainage areas' full year against EPA SWMM 5.2 (pyswmm), with monthly evaporation.

One SWMM run of the baseline scenario's areas under the baseline year's hourly rain (runoff only,
5-min wet steps, ``[EVAPORATION] MONTHLY``), against :func:`sim.water.catchments.areas_runoff` as
the year run calls it: annual volume per area within 3 %, the peaks of the larger events within
10 %. About 10 s (SWMM stepped hourly through pyswmm); one SWMM simulation per process.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim.calendar import Calendar
from sim.outcomes.water_model import subcatchments
from sim.scenario import load_scenario
from sim.streams import rng_for
from sim.water.catchments import areas_runoff
from sim.water.runoff import Subcatchment
from sim.weather import make_weather

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2024, 1, 1)


def _inp(areas: list[Subcatchment], rain_mm_h: np.ndarray, evap: tuple[float, ...]) -> str:
    def stamp(t_s: float) -> str:
        return (START + timedelta(seconds=t_s)).strftime("%m/%d/%Y %H:%M:%S")

    end = stamp(rain_mm_h.size * 3600.0)
    ts = "\n".join(f"RAIN {stamp(k * 3600.0)} {v:.6f}" for k, v in enumerate(rain_mm_h) if v > 0)
    sub = "\n".join(
        f"S{j} RG1 OUT1 {c.area_m2 / 1e4} {c.impervious_fraction * 100} {c.width_m} "
        f"{c.slope * 100} 0"
        for j, c in enumerate(areas)
    )
    subareas = "\n".join(
        f"S{j} {c.n_imperv} {c.n_perv} {c.dstore_imperv_mm} {c.dstore_perv_mm} "
        f"{c.pct_zero_imperv} OUTLET"
        for j, c in enumerate(areas)
    )
    infil = "\n".join(
        f"S{j} {c.horton_max_mm_h} {c.horton_min_mm_h} {c.horton_decay_per_h} {c.horton_dry_days} 0"
        for j, c in enumerate(areas)
    )
    return f"""[OPTIONS]
FLOW_UNITS CMS
INFILTRATION HORTON
FLOW_ROUTING STEADY
IGNORE_ROUTING YES
START_DATE {stamp(0)[:10]}
START_TIME 00:00:00
REPORT_START_DATE {stamp(0)[:10]}
REPORT_START_TIME 00:00:00
END_DATE {end[:10]}
END_TIME {end[11:]}
WET_STEP 00:05:00
DRY_STEP 01:00:00
ROUTING_STEP 00:05:00
REPORT_STEP 01:00:00
[EVAPORATION]
MONTHLY {" ".join(f"{e}" for e in evap)}
DRY_ONLY NO
[RAINGAGES]
RG1 INTENSITY 01:00 1.0 TIMESERIES RAIN
[SUBCATCHMENTS]
{sub}
[SUBAREAS]
{subareas}
[INFILTRATION]
{infil}
[OUTFALLS]
OUT1 0 FREE
[TIMESERIES]
{ts}
"""


def _swmm_hourly(tmp_path: Path, areas: list[Subcatchment], rain: np.ndarray, evap: Any) -> Any:
    """Hourly mean runoff (m³/s) per area from SWMM, sampled every 5 min, and annual volumes."""
    pyswmm = pytest.importorskip("pyswmm", reason="pyswmm (SWMM 5.2 engine) is not installed")
    path = tmp_path / "year.inp"
    path.write_text(_inp(areas, rain, evap))
    n_t = rain.size
    sums = np.zeros((n_t, len(areas)))
    counts = np.zeros(n_t)
    with pyswmm.Simulation(str(path)) as sim:
        subs = [pyswmm.Subcatchments(sim)[f"S{j}"] for j in range(len(areas))]
        sim.step_advance(300)
        for _ in sim:
            t = (sim.current_time - START).total_seconds()
            h = min(int((t - 1e-6) // 3600), n_t - 1)
            sums[h] += [s.runoff for s in subs]
            counts[h] += 1
        volumes = np.array([s.statistics["runoff"] for s in subs])
    return sums / np.maximum(counts, 1)[:, None], volumes


def _events(rain: np.ndarray, gap_h: int = 6) -> list[tuple[int, int]]:
    """(first, last + 1) hour of each rain event; events split by ``gap_h`` dry hours."""
    wet = np.flatnonzero(rain > 0)
    if wet.size == 0:
        return []
    cuts = np.flatnonzero(np.diff(wet) > gap_h)
    starts = np.r_[wet[0], wet[cuts + 1]]
    ends = np.r_[wet[cuts], wet[-1]] + 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def test_baseline_year_of_five_areas_matches_swmm_with_monthly_evaporation(tmp_path: Path) -> None:
    sc = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    cfg = sc.water
    assert cfg is not None
    cal = Calendar(sc.run.start, sc.run.end, sc.run.timezone)
    weather = make_weather(cal, sc.meteorology, rng_for(sc.run.seed, "weather"))
    rain = np.asarray(weather.rain_mm_h, dtype=np.float64)
    areas = subcatchments(cfg)
    evap = np.asarray(cfg.evaporation_mm_d)[np.asarray(cal.month) - 1]
    ours = areas_runoff(areas, rain, cfg.runoff_substeps, 3600.0, evap)
    swmm_q, swmm_vol = _swmm_hourly(tmp_path, areas, rain, cfg.evaporation_mm_d)
    vol = ours.sum(axis=0) * 3600.0
    vol_err = vol / swmm_vol - 1.0
    log.info("annual runoff vs SWMM: %s m3 vs %s (%s)", vol.round(), swmm_vol.round(), vol_err)
    assert np.all(np.abs(vol_err) < 0.03)
    # event peaks of the hourly means, for events with at least 5 mm of runoff in SWMM
    area_m2 = np.array([c.area_m2 for c in areas])
    checked = 0
    for a, b in _events(rain):
        end = min(b + 6, rain.size)
        depth_mm = swmm_q[a:end].sum(axis=0) * 3600.0 / area_m2 * 1e3
        big = depth_mm >= 5.0
        if not big.any():
            continue
        peak_err = ours[a:end].max(axis=0)[big] / swmm_q[a:end].max(axis=0)[big] - 1.0
        log.info("event at hour %d: peak errors %s", a, peak_err)
        assert np.all(np.abs(peak_err) < 0.10)
        checked += 1
    assert checked >= 5
