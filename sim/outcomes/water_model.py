"""The district's water year from a finished run: the orchestration around the pure physics.

Reads the ``water`` section, the calendar and the weather, draws the uncertain water parameters
and calls the pure kernels in order: sewage (:mod:`sim.water.sewage`), runoff with monthly
evaporation (:mod:`sim.water.catchments`), build-up and wash-off (:mod:`sim.water.system`), the
network and plant (:mod:`sim.water.network`), rivers by day (:mod:`sim.water.river`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from sim.calendar import Calendar
from sim.scenario.distributions import draw
from sim.scenario.sections.water import STATE_STREAMS, WaterConfig, initial_states
from sim.water.catchments import areas_runoff
from sim.water.network import DrainageInputs, DrainageResult, route_drainage
from sim.water.river import RiverRates, RiverSegment, route_river
from sim.water.runoff import Subcatchment
from sim.water.sewage import POLLUTANTS, diurnal_factor
from sim.water.system import daily_sum, hours_per_day, washoff_g_s
from sim.weather import Weather

if TYPE_CHECKING:
    from sim.engine import RunState

__all__ = ["WaterRun", "simulate_water", "state_series", "subcatchments"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class WaterRun:
    """What one run of the water system produced."""

    drainage: DrainageResult
    section_names: tuple[str, ...]
    national_control: tuple[bool, ...]
    area_names: tuple[str, ...]
    pollutants: tuple[str, ...]
    section_mg_l: Array  # (n_days, n_sections, 4): cod, nh3n, tp, do
    remediated_share_district: Array  # (n_hours,)
    offseason_outlet_days: int
    plant_to_river: float
    elapsed_s: float = 0.0

    def with_elapsed(self, seconds: float) -> WaterRun:
        """A copy with the elapsed time set."""
        return replace(self, elapsed_s=seconds)


def subcatchments(cfg: WaterConfig) -> list[Subcatchment]:
    """The drainage areas as SWMM subcatchments (width from the overland-flow length)."""
    out = []
    for a in cfg.drainage_areas:
        area = a.area_km2 * 1e6
        out.append(
            Subcatchment(
                area,
                a.impervious_fraction,
                a.width_m or area / a.overland_length_m,
                a.slope,
                a.n_imperv,
                a.n_perv,
                a.dstore_imperv_mm,
                a.dstore_perv_mm,
                a.horton_max_mm_h,
                max(min(a.horton_min_mm_h, a.horton_max_mm_h), 0.0),
                a.horton_decay_per_h,
            )
        )
    return out


def _washoff(
    cfg: WaterConfig,
    runoff_m3_s: Array,
    cleared: list[tuple[float, Array]],
    rng: np.random.Generator,
) -> Array:
    """Draw the wash-off parameters and compute the wash-off loads, g/s (n_hours, n_areas, n_p)."""
    w = cfg.washoff
    bmax_ha = np.array([float(draw(getattr(w, f"{p}_max_kg_ha"), rng)) for p in POLLUTANTS])
    rate = float(draw(w.buildup_rate_per_d, rng))
    k_mm = float(draw(w.k_per_mm, rng))
    areas = cfg.drainage_areas
    imp_ha = np.array([a.area_km2 * 100.0 * a.impervious_fraction for a in areas])
    area_m2 = np.array([a.area_km2 * 1e6 for a in areas])
    return washoff_g_s(runoff_m3_s, area_m2, imp_ha, bmax_ha, rate, k_mm, cleared)


def state_series(state: RunState) -> tuple[dict[str, Array], list[tuple[float, Array]]]:
    """Hourly water state series (ledger streams if declared, else initial values) and the
    network-clearing events (hour, share removed per area)."""
    cfg = state.scenario.water
    assert cfg is not None
    n_t = state.calendar.n_hours
    init = initial_states(cfg)
    series: dict[str, Array] = {}
    for name in STATE_STREAMS:
        if state.ledger.has(name):
            series[name] = state.ledger.hourly(name)
        else:
            series[name] = np.broadcast_to(init[name], (n_t, *init[name].shape)).copy()
    cleared: list[tuple[float, Array]] = []
    if state.ledger.has("water.buildup_cleared"):
        st = state.ledger.stream("water.buildup_cleared")
        cleared = [(t, v) for t, v in zip(st.times_h, st.values, strict=True) if np.any(v > 0)]
    return series, cleared


def simulate_water(
    cfg: WaterConfig,
    calendar: Calendar,
    weather: Weather,
    states: dict[str, Array],
    cleared: list[tuple[float, Array]],
    rng: np.random.Generator,
) -> WaterRun:
    """Simulate the water system of one run.

    Parameters
    ----------
    cfg
        The ``water`` section.
    calendar, weather
        The run's hourly axis and weather.
    states
        Hourly series of :data:`STATE_STREAMS`: ``(n_hours, n_areas)`` (``(n_hours,)`` for the
        hospital non-compliance).
    cleared
        Network-clearing events: (hour, share of deposited load removed per area).
    rng
        Stream for the uncertain water parameters (boundary quality, kinetics, wash-off).
    """
    areas = cfg.drainage_areas
    n_t = calendar.n_hours
    s = cfg.sewage
    factor = diurnal_factor(calendar.hour_of_day)
    pop = np.array([a.population for a in areas])
    q_dom = pop * s.per_capita_l_d * (1.0 + s.commercial_share) / 86400e3  # m³/s mean
    conc = np.array([s.cod_mg_l, s.nh3n_mg_l, s.tp_mg_l])
    sew_q = factor[:, None] * q_dom[None]
    # loads are built pollutant-major and handed on as (n_hours, n_areas, n_p) views
    sew_gp = conc[:, None, None] * sew_q[None]
    h = cfg.hospital
    h_idx = 0 if h.area is None else [a.name for a in areas].index(h.area)
    q_h = h.beds * h.flow_l_per_bed_d / 86400e3
    c_ok = np.array([h.compliant_cod_mg_l, h.compliant_nh3n_mg_l, h.compliant_tp_mg_l])
    c_raw = np.array([h.raw_cod_mg_l, h.raw_nh3n_mg_l, h.raw_tp_mg_l])
    nc = states["water.hospital_noncompliance"].reshape(n_t)
    sew_q[:, h_idx] += q_h
    sew_gp[:, :, h_idx] += q_h * (c_ok[:, None] + (c_raw - c_ok)[:, None] * nc[None])
    sew_g = np.moveaxis(sew_gp, 0, -1)
    dump_q = np.array([a.dumping_m3_d for a in areas]) / 86400.0 * states["water.dumping_factor"]
    c_dump = np.array([cfg.dumping_cod_mg_l, cfg.dumping_nh3n_mg_l, cfg.dumping_tp_mg_l])
    dump_g = np.moveaxis(c_dump[:, None, None] * dump_q[None], 0, -1)
    evap = np.asarray(cfg.evaporation_mm_d)[np.asarray(calendar.month) - 1]
    runoff = areas_runoff(subcatchments(cfg), weather.rain_mm_h, cfg.runoff_substeps, 3600.0, evap)
    wash_g = _washoff(cfg, runoff, cleared, rng)
    outlets = np.array([max(a.outlets, 1) for a in areas], dtype=np.float64)
    rem_share = np.minimum(states["water.outlets_remediated"] / outlets[None], 1.0)
    off = np.where(calendar.flood_season[:, None], 0.0, states["water.offseason_closure"])
    effluent = np.array(
        [cfg.plant.effluent_cod_mg_l, cfg.plant.effluent_nh3n_mg_l, cfg.plant.effluent_tp_mg_l]
    )
    inputs = DrainageInputs(
        sewage_m3_s=sew_q,
        sewage_g_s=sew_g,
        runoff_m3_s=runoff,
        runoff_g_s=wash_g,
        dumping_m3_s=dump_q,
        dumping_g_s=dump_g,
        combined_fraction=states["water.combined_fraction"],
        cross_connected_share=states["water.cross_connected_share"],
        remediated_share=rem_share,
        offseason_closure=off,
        tank_m3=states["water.tank_m3"],
        interceptor_m3_s=(1.0 + np.array([a.interception_ratio for a in areas])) * q_dom,
        plant_capacity_m3_s=cfg.plant.capacity_m3_d / 86400.0,
        effluent_mg_l=effluent,
    )
    drainage = route_drainage(inputs)
    # outlet-days outside the flood season on which an area's rain outlets discharged
    to_river = drainage.water_m3["rain_outlet"] + drainage.water_m3["cross_connection"]
    n_days = len(calendar.days)
    di = calendar.day_index
    daily = daily_sum(to_river, di, n_days)
    flood_day = np.zeros(n_days, dtype=bool)
    flood_day[di] = calendar.flood_season
    day_rem = daily_sum(rem_share, di, n_days) / hours_per_day(di, n_days)[:, None]
    offending = (daily > 0.0) & ~flood_day[:, None]
    offseason_days = int(np.round((offending * (1.0 - day_rem) * outlets[None]).sum()))
    section_mg_l = _rivers(cfg, calendar, weather, drainage, rng)
    district_rem = states["water.outlets_remediated"].sum(axis=1) / float(
        sum(a.outlets for a in areas) or 1
    )
    return WaterRun(
        drainage=drainage,
        section_names=tuple(x.name for x in cfg.sections),
        national_control=tuple(x.national_control for x in cfg.sections),
        area_names=tuple(a.name for a in areas),
        pollutants=POLLUTANTS,
        section_mg_l=section_mg_l,
        remediated_share_district=district_rem,
        offseason_outlet_days=offseason_days,
        plant_to_river=0.0 if cfg.plant.river is None else 1.0,
    )


def _rivers(
    cfg: WaterConfig,
    calendar: Calendar,
    weather: Weather,
    drainage: DrainageResult,
    rng: np.random.Generator,
) -> Array:
    """Route every river by day; daily concentrations at the sections, (n_days, n_sec, 4)."""
    n_days = len(calendar.days)
    di = calendar.day_index
    month = np.asarray(calendar.days.month) - 1
    air = daily_sum(weather.temperature_c, di, n_days) / hours_per_day(di, n_days)
    water_t = np.maximum(1.0, 0.85 * air + 3.0)  # assumed: water follows air, never frozen here
    k = cfg.kinetics
    rates = RiverRates(
        float(draw(k.k_cod_per_d, rng)),
        float(draw(k.k_nh3n_per_d, rng)),
        k.theta_cod,
        k.theta_nh3n,
        k.theta_ka,
    )
    up = cfg.upstream
    adoption = float(np.clip(draw(up.adoption, rng), 0.0, 1.0))
    cut = {
        "cod": up.cod_reduction_at_full_adoption,
        "nh3n": up.nh3n_reduction_at_full_adoption,
        "tp": up.tp_reduction_at_full_adoption,
        "do": 0.0,
    }
    # lateral inflows by (river, segment): m³/s and g/s, daily means
    lat: dict[str, tuple[Array, Array]] = {
        r.name: (np.zeros((n_days, len(r.segments))), np.zeros((n_days, len(r.segments), 4)))
        for r in cfg.rivers
    }

    def add(river: str, seg: int, dv_m3: Array, dm_kg: Array) -> None:
        q, g = lat[river]
        q[:, seg] += dv_m3 / 86400.0
        g[:, seg, :3] += dm_kg * 1e3 / 86400.0

    # daily volumes and loads reaching the rivers, per area: (n_days, n_a), (n_days, n_a, 3)
    paths = ("overflow", "rain_outlet", "cross_connection")
    w, ld = drainage.water_m3, drainage.load_kg
    v_area = daily_sum(w[paths[0]] + w[paths[1]] + w[paths[2]], di, n_days)
    m_area = daily_sum(ld[paths[0]] + ld[paths[1]] + ld[paths[2]], di, n_days)
    for j, a in enumerate(cfg.drainage_areas):
        add(a.river, a.segment, v_area[:, j], m_area[:, j])
    if cfg.plant.river is not None:
        v = drainage.plant_m3["effluent"] + drainage.plant_m3["bypass"]
        m = drainage.plant_kg["effluent"] + drainage.plant_kg["bypass"]
        add(cfg.plant.river, cfg.plant.segment, daily_sum(v, di, n_days), daily_sum(m, di, n_days))
    results: dict[str, tuple[Array, Array]] = {}
    keys = ("cod", "nh3n", "tp", "do")
    for r in cfg.rivers:
        base = {key: float(draw(getattr(r, f"{key}_mg_l"), rng)) for key in keys}
        qf, cf = np.asarray(r.flow_monthly)[month], np.asarray(r.quality_monthly)[month]
        bound = {
            key: base[key] * (1.0 - adoption * cut[key]) * (cf if key != "do" else 1.0)
            for key in keys
        }
        q_lat, g_lat = lat[r.name]
        with np.errstate(invalid="ignore", divide="ignore"):
            c_lat = np.where(
                q_lat[..., None] > 0, g_lat / np.where(q_lat > 0, q_lat, 1)[..., None], 0
            )
        lat_mg = {key: c_lat[..., i] for i, key in enumerate(keys)}
        segs = [RiverSegment(s.length_m, s.width_m, s.depth_m) for s in r.segments]
        res = route_river(
            segs,
            1.0,
            water_t,
            r.flow_m3_s * qf,
            bound,
            q_lat,
            lat_mg,
            rates,
            initial_mg_l={key: float(np.ravel(bound[key])[0]) for key in keys},
            reaeration_min_per_d=k.reaeration_min_per_d,
        )
        out_c = np.stack([res.cod_mg_l, res.nh3n_mg_l, res.tp_mg_l, res.do_mg_l], axis=-1)
        results[r.name] = (res.flow_m3_s, out_c)
        if r.downstream is not None:
            q_d, g_d = lat[r.downstream]
            q_out = res.flow_m3_s[:, -1]
            q_d[:, 0] += q_out
            g_d[:, 0] += q_out[:, None] * out_c[:, -1]
    sec = np.zeros((n_days, len(cfg.sections), 4))
    for i, s in enumerate(cfg.sections):
        sec[:, i] = results[s.river][1][:, s.segment]
    return sec
