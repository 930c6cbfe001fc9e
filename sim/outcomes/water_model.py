"""The district's water year from a finished run: the orchestration around the pure physics.

Reads the ``water`` section, the calendar and the weather, draws the uncertain water parameters
and calls the pure kernels in order: sewage (:mod:`sim.water.sewage`), runoff with monthly
evaporation (:mod:`sim.water.catchments`), build-up and wash-off (:mod:`sim.water.system`), the
network and plant (:mod:`sim.water.network`), rivers by day (:mod:`sim.water.river`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from sim.calendar import Calendar
from sim.outcomes.water_draws import BODU_PER_BOD5, draw_river_inputs
from sim.outcomes.water_outlets import OutletLoads, split_outlets
from sim.scenario.distributions import draw, expected
from sim.scenario.sections.water import (
    STATE_STREAMS,
    RiverConfig,
    WaterConfig,
    initial_states,
)
from sim.water.catchments import areas_runoff
from sim.water.network import DrainageInputs, DrainageResult, route_drainage
from sim.water.river import (
    RiverRates,
    RiverSegment,
    plug_flow_tanks,
    reaeration_per_d,
    route_parallel,
)
from sim.water.runoff import Subcatchment
from sim.water.sewage import POLLUTANTS, diurnal_factor
from sim.water.system import daily_sum, hours_per_day, overflow_rule_events, washoff_g_s
from sim.weather import Weather

if TYPE_CHECKING:
    from sim.engine import RunState

__all__ = [
    "ITEMS",
    "SPECIES",
    "WaterRun",
    "simulate_water",
    "state_series",
    "subcatchments",
    "tanks_per_segment",
]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class WaterRun:
    """What one run of the water system produced."""

    drainage: DrainageResult
    section_names: tuple[str, ...]
    national_control: tuple[bool, ...]
    area_names: tuple[str, ...]
    pollutants: tuple[str, ...]
    section_mg_l: Array  # (n_days, n_sections, 6): ITEMS
    remediated_share_district: Array  # (n_hours,)
    offseason_outlet_days: int
    plant_to_river: float
    overflow_rule_events: int = 0
    elapsed_s: float = 0.0
    outlets: OutletLoads | None = None
    #: daily sums by area of every network path, the plant's bypass and the listed outlets'
    #: direct discharges (``direct``): volumes (n_days, n_areas), loads (n_days, n_areas, n_p)
    daily_m3: dict[str, Array] = field(default_factory=dict)
    daily_kg: dict[str, Array] = field(default_factory=dict)

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
    """Draw the wash-off parameters and compute the wash-off loads, g/s, (n_hours, n_areas, 4):
    :data:`SPECIES`."""
    w = cfg.washoff
    cod, nh3n, tp = (float(draw(getattr(w, f"{p}_max_kg_ha"), rng)) for p in POLLUTANTS)
    bmax_ha = _with_bodu((cod, nh3n, tp), w.bod5_per_cod)  # wash-off is linear in the limit
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
            # constant all year: a read-only view, no hourly copy
            series[name] = np.broadcast_to(init[name], (n_t, *init[name].shape))
    cleared: list[tuple[float, Array]] = []
    if state.ledger.has("water.buildup_cleared"):
        st = state.ledger.stream("water.buildup_cleared")
        cleared = [(t, v) for t, v in zip(st.times_h, st.values, strict=True) if np.any(v > 0)]
    return series, cleared


#: Species carried through sewers: COD, its degradable part (ultimate BOD), NH3-N, TP.
SPECIES = ("cod", "bodu", "nh3n", "tp")

#: Items reported at the sections (GB 3838-2002 Table 1): COD, permanganate index, BOD5, NH3-N,
#: TP, DO.
ITEMS = ("cod", "codmn", "bod5", "nh3n", "tp", "do")


def _with_bodu(mg: tuple[float, float, float], bod5_per_cod: float) -> Array:
    """(cod, nh3n, tp) -> (cod, bodu, nh3n, tp): the degradable COD (ultimate BOD) inserted."""
    cod, nh3n, tp = mg
    return np.array([cod, cod * min(bod5_per_cod * BODU_PER_BOD5, 1.0), nh3n, tp])


def _sources(
    cfg: WaterConfig, calendar: Calendar, states: dict[str, Array]
) -> tuple[Array, Array, Array, Array, Array]:
    """Dry-weather sources per hour and area: sewage (domestic, commercial, hospital) flow m³/s
    and load g/s, dumping flow and load, and each area's mean domestic flow (m³/s)."""
    areas = cfg.drainage_areas
    n_t = calendar.n_hours
    s = cfg.sewage
    factor = diurnal_factor(calendar.hour_of_day)
    pop = np.array([a.population for a in areas])
    q_dom = pop * s.per_capita_l_d * (1.0 + s.commercial_share) / 86400e3  # m³/s mean
    conc = _with_bodu((s.cod_mg_l, s.nh3n_mg_l, s.tp_mg_l), s.bod5_per_cod)
    sew_q = factor[:, None] * q_dom[None]
    # loads are built pollutant-major and handed on as (n_hours, n_areas, n_p) views: the
    # network's per-pollutant arithmetic runs on contiguous blocks
    sew_g = np.moveaxis(conc[:, None, None] * sew_q[None], 0, -1)
    h = cfg.hospital
    h_idx = 0 if h.area is None else [a.name for a in areas].index(h.area)
    q_h = h.beds * h.flow_l_per_bed_d / 86400e3
    c_ok = _with_bodu(
        (h.compliant_cod_mg_l, h.compliant_nh3n_mg_l, h.compliant_tp_mg_l), s.bod5_per_cod
    )
    c_raw = _with_bodu((h.raw_cod_mg_l, h.raw_nh3n_mg_l, h.raw_tp_mg_l), s.bod5_per_cod)
    nc = states["water.hospital_noncompliance"].reshape(n_t)
    sew_q[:, h_idx] += q_h
    sew_g[:, h_idx] += q_h * (c_ok[None] + (c_raw - c_ok)[None] * nc[:, None])  # view
    dump_q = np.array([a.dumping_m3_d for a in areas]) / 86400.0 * states["water.dumping_factor"]
    c_dump = _with_bodu(
        (cfg.dumping_cod_mg_l, cfg.dumping_nh3n_mg_l, cfg.dumping_tp_mg_l), cfg.dumping_bod5_per_cod
    )
    dump_g = np.moveaxis(c_dump[:, None, None] * dump_q[None], 0, -1)
    return sew_q, sew_g, dump_q, dump_g, q_dom


def _drainage_inputs(
    cfg: WaterConfig,
    calendar: Calendar,
    states: dict[str, Array],
    runoff: Array,
    wash_g: Array,
    rem_share: Array,
) -> tuple[DrainageInputs, OutletLoads]:
    """The network's hourly inputs (sources less what listed outlets discharge directly, runoff
    and wash-off, the state shares, storage) and the listed outlets' direct discharges."""
    areas = cfg.drainage_areas
    sew_q, sew_g, dump_q, dump_g, q_dom = _sources(cfg, calendar, states)
    sew_q, sew_g, direct = split_outlets(
        cfg, calendar.days, calendar.day_index, (sew_q, sew_g), sew_q.mean(axis=0),
        states["water.outlet_remediated"].reshape(len(sew_q), -1), SPECIES,
    )  # fmt: skip
    off = np.where(calendar.flood_season[:, None], 0.0, states["water.offseason_closure"])
    p = cfg.plant
    effluent = np.array(
        [p.effluent_cod_mg_l, p.effluent_bod5_mg_l * BODU_PER_BOD5, p.effluent_nh3n_mg_l,
         p.effluent_tp_mg_l]
    )  # fmt: skip
    area_m2 = np.array([a.area_km2 * 1e6 for a in areas])
    pipes = states["water.combined_fraction"] * (
        area_m2 * np.array([a.pipe_storage_mm for a in areas]) * 1e-3
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
        plant_capacity_m3_s=p.capacity_m3_d / 86400.0,
        effluent_mg_l=effluent,
        pipe_storage_m3=pipes,
    )
    return inputs, direct


#: Network paths summed by day (and, for the rivers, the plant's bypass and the listed outlets).
_DAILY_PATHS = ("overflow", "rain_outlet", "cross_connection", "to_plant", "tank_return")


def daily_by_area(
    calendar: Calendar, drainage: DrainageResult, direct: OutletLoads
) -> tuple[dict[str, Array], dict[str, Array]]:
    """Daily sums by area of every path's volume and load, the plant's bypass (``bypass``) and
    the listed outlets' direct discharges (``direct``); the network's were summed while it was
    routed (``route_drainage(days=...)``), otherwise they are summed here."""
    di, n_days = calendar.day_index, len(calendar.days)
    vol = {p: drainage.water_m3[p] for p in _DAILY_PATHS}
    load = {p: drainage.load_kg[p] for p in _DAILY_PATHS}
    vol["bypass"], load["bypass"] = drainage.bypass_m3, drainage.bypass_kg
    vol["direct"], load["direct"] = direct.direct_m3, direct.direct_kg
    done_v, done_m = drainage.daily_m3 or {}, drainage.daily_kg or {}
    return (
        {p: done_v[p] if p in done_v else daily_sum(v, di, n_days) for p, v in vol.items()},
        {p: done_m[p] if p in done_m else daily_sum(m, di, n_days) for p, m in load.items()},
    )


def _offseason_outlet_days(
    calendar: Calendar, daily_m3: dict[str, Array], rem_share: Array, outlets: Array
) -> int:
    """Outlet-days outside the flood season on which an area's rain outlets discharged (the
    share of its outlets not remediated that day counts)."""
    daily = daily_m3["rain_outlet"] + daily_m3["cross_connection"]
    n_days = len(calendar.days)
    di = calendar.day_index
    flood_day = np.zeros(n_days, dtype=bool)
    flood_day[di] = calendar.flood_season
    day_rem = daily_sum(rem_share, di, n_days) / hours_per_day(di, n_days)[:, None]
    offending = (daily > 0.0) & ~flood_day[:, None]
    return int(np.round((offending * (1.0 - day_rem) * outlets[None]).sum()))


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
    evap = np.asarray(cfg.evaporation_mm_d)[np.asarray(calendar.month) - 1]
    runoff = areas_runoff(subcatchments(cfg), weather.rain_mm_h, cfg.runoff_substeps, 3600.0, evap)
    wash_g = _washoff(cfg, runoff, cleared, rng)
    outlets = np.array([max(a.outlets, 1) for a in areas], dtype=np.float64)
    rem_share = np.minimum(states["water.outlets_remediated"] / outlets[None], 1.0)
    inputs, direct = _drainage_inputs(cfg, calendar, states, runoff, wash_g, rem_share)
    drainage = route_drainage(inputs, days=(calendar.day_index, len(calendar.days)))
    daily_m3, daily_kg = daily_by_area(calendar, drainage, direct)
    offseason_days = _offseason_outlet_days(calendar, daily_m3, rem_share, outlets)
    state = _rivers(cfg, calendar, weather, (daily_m3, daily_kg), drainage, rng)
    codmn_per_cod = float(np.clip(draw(cfg.kinetics.codmn_per_cod, rng), 0.01, 1.0))
    cod, bodu = state[..., 0], state[..., 1]
    section_mg_l = np.stack(
        [
            cod,
            cod * codmn_per_cod,
            bodu / BODU_PER_BOD5,
            *np.moveaxis(state[..., 2:], -1, 0),
        ],
        axis=-1,
    )
    district_rem = states["water.outlets_remediated"].sum(axis=1) / float(
        sum(a.outlets for a in areas) or 1
    )
    return WaterRun(
        drainage=drainage,
        section_names=tuple(x.name for x in cfg.sections),
        national_control=tuple(x.national_control for x in cfg.sections),
        area_names=tuple(a.name for a in areas),
        pollutants=SPECIES,
        section_mg_l=section_mg_l,
        remediated_share_district=district_rem,
        offseason_outlet_days=offseason_days,
        plant_to_river=0.0 if cfg.plant.river is None else 1.0,
        overflow_rule_events=overflow_rule_events(np.asarray(weather.rain_mm_h)),
        outlets=direct,
        daily_m3=daily_m3,
        daily_kg=daily_kg,
    )


def _lateral_inflows(
    cfg: WaterConfig,
    daily: tuple[dict[str, Array], dict[str, Array]],
    drainage: DrainageResult,
    di: NDArray[np.int64],
) -> dict[str, tuple[Array, Array]]:
    """Daily mean lateral inflows by river and configured segment: m³/s and g/s of
    ``SPECIES`` (+ DO, 0 in sewage). Overflows, rain outlets, cross-connections and the listed
    outlets' discharges enter at each area's segment; the plant's effluent and bypass at the
    plant's, or, when the plant lies outside the modelled rivers, the bypass at the areas' own
    outlets (pumping stations). ``daily``: the daily sums by area (:func:`daily_by_area`)."""
    d_v, d_m = daily
    n_days = d_v["overflow"].shape[0]
    n_k = len(SPECIES) + 1
    lat = {
        r.name: (np.zeros((n_days, len(r.segments))), np.zeros((n_days, len(r.segments), n_k)))
        for r in cfg.rivers
    }

    def add(river: str, seg: int, dv_m3: Array, dm_kg: Array) -> None:
        q, g = lat[river]
        q[:, seg] += dv_m3 / 86400.0
        g[:, seg, : n_k - 1] += dm_kg * 1e3 / 86400.0

    paths = ["overflow", "rain_outlet", "cross_connection", "direct"]
    if cfg.plant.river is None:
        paths.append("bypass")
    v_area = sum((d_v[p] for p in paths[1:]), d_v[paths[0]])
    m_area = sum((d_m[p] for p in paths[1:]), d_m[paths[0]])
    for j, a in enumerate(cfg.drainage_areas):
        add(a.river, a.segment, v_area[:, j], m_area[:, j])
    if cfg.plant.river is not None:
        v = drainage.plant_m3["effluent"] + drainage.plant_m3["bypass"]
        m = drainage.plant_kg["effluent"] + drainage.plant_kg["bypass"]
        add(cfg.plant.river, cfg.plant.segment, daily_sum(v, di, n_days), daily_sum(m, di, n_days))
    return lat


def tanks_per_segment(cfg: WaterConfig, rates: RiverRates) -> dict[str, list[int]]:
    """Tanks per configured segment of every river, so that each river approaches plug flow
    within ``cfg.plug_flow_tolerance`` at its mean flow (the through-flow of a river
    includes the boundary flows of the rivers joining it; district inflows are left out, which
    errs towards more tanks)."""
    through: dict[str, float] = {}
    for r in cfg.rivers:  # upstream first
        through[r.name] = through.get(r.name, 0.0) + r.flow_m3_s
        if r.downstream is not None:
            through[r.downstream] = through.get(r.downstream, 0.0) + through[r.name]
    out: dict[str, list[int]] = {}
    for r in cfg.rivers:
        q = through[r.name] * float(np.mean(r.flow_monthly))
        length = sum(sg.length_m for sg in r.segments)
        if q <= 0.0:
            out[r.name] = [1] * len(r.segments)
            continue
        vol = sum(sg.length_m * sg.width_m * sg.depth_m for sg in r.segments)
        sg0 = r.segments[0]
        ka = max(
            float(reaeration_per_d(q / (sg0.width_m * sg0.depth_m), sg0.depth_m)),
            expected(cfg.kinetics.reaeration_min_per_d),
        )
        tau_d = vol / q / 86400.0
        n = plug_flow_tanks(
            tau_d, rates.k_cod_per_d, rates.k_nh3n_per_d, ka, cfg.plug_flow_tolerance
        )
        out[r.name] = [max(1, math.ceil(n * sg.length_m / length - 1e-9)) for sg in r.segments]
    return out


def _rivers(
    cfg: WaterConfig,
    calendar: Calendar,
    weather: Weather,
    daily: tuple[dict[str, Array], dict[str, Array]],
    drainage: DrainageResult,
    rng: np.random.Generator,
) -> Array:
    """Route every river by day; daily concentrations at the sections, (n_days, n_sec, 5):
    COD, degradable COD (ultimate BOD), NH3-N, TP, DO."""
    n_days = len(calendar.days)
    di = calendar.day_index
    month = np.asarray(calendar.days.month) - 1
    air = daily_sum(weather.temperature_c, di, n_days) / hours_per_day(di, n_days)
    water_t = np.maximum(1.0, 0.85 * air + 3.0)  # assumed: water follows air, never frozen here
    drawn = draw_river_inputs(cfg, rng)
    rates = drawn.rates
    lat = _lateral_inflows(cfg, daily, drainage, di)
    tanks = tanks_per_segment(cfg, rates)
    keys = (*SPECIES, "do")
    bounds = {
        r.name: {
            key: np.broadcast_to(
                drawn.boundary[r.name][key]
                * (np.asarray(r.quality_monthly)[month] if key != "do" else 1.0),
                (n_days,),
            )
            for key in keys
        }
        for r in cfg.rivers
    }
    results: dict[str, tuple[Array, Array, list[int]]] = {}
    for level in _levels(cfg):  # rivers whose inflows are known, routed side by side
        _pad_tanks(level, tanks)
        chains, q_lats, c_lats = [], [], []
        for r in level:
            chain, q_lat, c_lat = _chain(r, tanks[r.name], lat[r.name])
            chains.append(chain)
            q_lats.append(q_lat)
            c_lats.append(c_lat)
        c_lat_b = np.stack(c_lats, axis=1)
        out = route_parallel(
            chains, 1.0, water_t,
            np.stack(
                [
                    r.flow_m3_s * drawn.flow_factor[r.name] * np.asarray(r.flow_monthly)[month]
                    for r in level
                ],
                axis=1,
            ),
            {key: np.stack([bounds[r.name][key] for r in level], axis=1) for key in keys},
            np.stack(q_lats, axis=1), {key: c_lat_b[..., i] for i, key in enumerate(keys)},
            rates, {key: np.array([bounds[r.name][key][0] for r in level]) for key in keys},
            reaeration_min_per_d=drawn.reaeration_min_per_d,
        )  # fmt: skip
        for r, res in zip(level, out, strict=True):
            out_c = np.stack(
                [res.cod_mg_l, res.bodu_mg_l, res.nh3n_mg_l, res.tp_mg_l, res.do_mg_l], axis=-1
            )
            n_sub = tanks[r.name]
            last = list(np.cumsum(n_sub) - 1)
            results[r.name] = (res.flow_m3_s, out_c, last)
            if r.downstream is not None:
                q_d, g_d = lat[r.downstream]
                q_out = res.flow_m3_s[:, -1]
                q_d[:, 0] += q_out
                g_d[:, 0] += q_out[:, None] * out_c[:, -1]
    sec = np.zeros((n_days, len(cfg.sections), len(keys)))
    for i, s in enumerate(cfg.sections):
        _, conc, last_tank = results[s.river]
        sec[:, i] = conc[:, last_tank[s.segment]]
    return sec


def _levels(cfg: WaterConfig) -> list[list[RiverConfig]]:
    """Rivers grouped so that every river's tributaries are in an earlier group."""
    level: dict[str, int] = {}
    for r in cfg.rivers:  # upstream first (validated)
        level.setdefault(r.name, 0)
        if r.downstream is not None:
            level[r.downstream] = max(level.get(r.downstream, 0), level[r.name] + 1)
    n = max(level.values()) + 1
    return [[r for r in cfg.rivers if level[r.name] == i] for i in range(n)]


def _pad_tanks(level: list[RiverConfig], tanks: dict[str, list[int]]) -> None:
    """Give every river of a group the same number of tanks (routed side by side): a river
    with fewer gets more, one at a time in its segment with the longest tanks (only closer to
    plug flow)."""
    target = max(sum(tanks[r.name]) for r in level)
    for r in level:
        n = tanks[r.name]
        while sum(n) < target:
            j = max(range(len(n)), key=lambda i: r.segments[i].length_m / n[i])
            n[j] += 1


def _chain(
    r: RiverConfig, n_sub: list[int], lateral: tuple[Array, Array]
) -> tuple[list[RiverSegment], Array, Array]:
    """A river's tanks, and its daily lateral inflows (m³/s, mg/L) moved to the first tank of
    each configured segment."""
    q_cfg, g_cfg = lateral
    first = np.r_[0, np.cumsum(n_sub)[:-1]].astype(int)
    n_days, n_k = q_cfg.shape[0], g_cfg.shape[-1]
    q_lat = np.zeros((n_days, sum(n_sub)))
    g_lat = np.zeros((n_days, sum(n_sub), n_k))
    q_lat[:, first], g_lat[:, first] = q_cfg, g_cfg
    with np.errstate(invalid="ignore", divide="ignore"):
        c_lat = np.where(q_lat[..., None] > 0, g_lat / np.where(q_lat > 0, q_lat, 1)[..., None], 0)
    segs = [
        RiverSegment(sg.length_m / n, sg.width_m, sg.depth_m)
        for sg, n in zip(r.segments, n_sub, strict=True)
        for _ in range(n)
    ]
    return segs, q_lat, c_lat
