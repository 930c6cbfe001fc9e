"""Urban runoff: EPA SWMM 5.2's subcatchment model (Horton infiltration, nonlinear reservoirs).

A subcatchment has three sub-areas, as in SWMM: impervious without depression storage (a share
``pct_zero_imperv`` of the impervious area), impervious with depression storage, and pervious.
Each is a nonlinear reservoir (Rossman & Huber 2016, SWMM Reference Manual Vol. I, ch. 3)::

    dd/dt = i - e - f - q(d),    q(d) = alpha * (d - ds)^(5/3)   for d > ds,
    alpha = (1.0 / n) * W / A_sub * S^(1/2)                      (SI: metres and seconds)

with ``A_sub`` the whole impervious (or pervious) area, as SWMM uses for both impervious sub-areas.
Per time step the model follows SWMM's scheme: losses first, then depression storage filled
without outflow, then the ODE integrated over the rest of the step with an adaptive Cash-Karp
Runge-Kutta (tolerance 1e-4, SWMM's ``ODETOL``); the flow reported for the step is the rate at its
end (SWMM's ``newRunoff``), and the step's outflow volume is that rate times the step.

Horton infiltration uses SWMM's cumulative form: the capacity over a step is the increase of
``F(tp) = fmin*tp + (f0 - fmin)/kd * (1 - exp(-kd*tp))`` along the curve, ``tp`` advancing by the
step or, when rain limits infiltration, to where ``F`` equals the volume actually taken. When the
surface is dry the capacity regenerates: ``1 - exp(-kd*tp)`` is multiplied by ``exp(-kr*t)``, with
``kr = -ln(0.02) / horton_dry_days`` (98 % recovery after ``horton_dry_days``). That product makes
any dry spell a closed form (:func:`recover_dry_spell`), so callers step finely only through rain
events and their recession (:func:`runoff_series`).

Pollutant build-up and wash-off (first flush) live in :mod:`sim.water.washoff`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.water.reservoir import ZERO_M as _ZERO
from sim.water.reservoir import step_subarea as _step_subarea

__all__ = [
    "Subcatchment",
    "SurfaceState",
    "event_runoff",
    "horton_capacity_mm_h",
    "recover_dry_spell",
    "runoff_series",
    "subcatchment_runoff",
]

_MM_H = 1.0e-3 / 3600.0  # 1 mm/h in m/s
#: SWMM's MIN_RUNOFF (0.001 in/h) in m/s: below it a surface counts as not running off.
MIN_RUNOFF_M_S = 0.001 * 0.0254 / 3600.0


@dataclass(frozen=True)
class Subcatchment:
    """Parameters of one SWMM subcatchment (SWMM 5.2 input names in brackets).

    Attributes
    ----------
    area_m2
        Area [Area], m².
    impervious_fraction
        Impervious share, 0-1 [%Imperv / 100].
    width_m
        Characteristic overland-flow width [Width], m.
    slope
        Surface slope, m/m [Slope / 100].
    n_imperv, n_perv
        Manning roughness of impervious and pervious surfaces, s/m^(1/3).
    dstore_imperv_mm, dstore_perv_mm
        Depression storage, mm.
    horton_max_mm_h, horton_min_mm_h
        Horton maximum (f0) and minimum (fmin) infiltration rates, mm/h.
    horton_decay_per_h
        Horton decay constant kd, 1/h.
    horton_dry_days
        Days for a fully saturated soil to dry (98 % regeneration), d [DryTime].
    pct_zero_imperv
        Per cent of the impervious area without depression storage [PctZero]; SWMM default 25.
    evaporation_mm_d
        Evaporation of ponded water, mm/d (SWMM ``[EVAPORATION] CONSTANT``).
    """

    area_m2: float
    impervious_fraction: float
    width_m: float
    slope: float
    n_imperv: float
    n_perv: float
    dstore_imperv_mm: float
    dstore_perv_mm: float
    horton_max_mm_h: float
    horton_min_mm_h: float
    horton_decay_per_h: float
    horton_dry_days: float = 7.0
    pct_zero_imperv: float = 25.0
    evaporation_mm_d: float = 0.0

    def __post_init__(self) -> None:
        checks = {
            "area_m2": self.area_m2 > 0,
            "impervious_fraction": 0 <= self.impervious_fraction <= 1,
            "width_m": self.width_m > 0,
            "slope": self.slope > 0,
            "n_imperv": self.n_imperv >= 0,
            "n_perv": self.n_perv >= 0,
            "dstore_imperv_mm": self.dstore_imperv_mm >= 0,
            "dstore_perv_mm": self.dstore_perv_mm >= 0,
            "horton_min_mm_h": 0 <= self.horton_min_mm_h <= self.horton_max_mm_h,
            "horton_decay_per_h": self.horton_decay_per_h >= 0,
            "horton_dry_days": self.horton_dry_days > 0,
            "pct_zero_imperv": 0 <= self.pct_zero_imperv <= 100,
            "evaporation_mm_d": self.evaporation_mm_d >= 0,
        }
        for name, ok in checks.items():
            if not ok:
                raise ValueError(f"{name}(={getattr(self, name)}) is out of range.")

    @property
    def subarea_fractions(self) -> tuple[float, float, float]:
        """Shares of the area: impervious without storage, impervious with storage, pervious."""
        f_zero = self.pct_zero_imperv / 100.0
        imp = self.impervious_fraction
        return imp * f_zero, imp * (1.0 - f_zero), 1.0 - imp

    @property
    def alphas(self) -> tuple[float, float, float]:
        """Reservoir coefficients alpha = W/A_sub * S^0.5 / n per sub-area, m^(-2/3)/s."""
        a_imp = self.impervious_fraction * self.area_m2
        a_perv = (1.0 - self.impervious_fraction) * self.area_m2

        def alpha(sub_area_m2: float, n: float) -> float:
            if sub_area_m2 <= 0.0 or n <= 0.0:
                return 0.0
            return self.width_m / sub_area_m2 * math.sqrt(self.slope) / n

        a_i = alpha(a_imp, self.n_imperv)
        return a_i, a_i, alpha(a_perv, self.n_perv)


@dataclass(frozen=True)
class SurfaceState:
    """State carried between steps and between events.

    Attributes
    ----------
    depth_m
        Ponded depth on the three sub-areas (no storage, impervious, pervious), m.
    horton_time_s
        Time along the Horton curve ``tp`` (0 = fully dry soil, f = f0), s.
    """

    depth_m: tuple[float, float, float] = (0.0, 0.0, 0.0)
    horton_time_s: float = 0.0


@dataclass(frozen=True)
class _Horton:
    f0: float  # m/s
    fmin: float  # m/s
    kd: float  # 1/s
    kr: float  # 1/s

    @classmethod
    def of(cls, c: Subcatchment) -> _Horton:
        return cls(
            f0=c.horton_max_mm_h * _MM_H,
            fmin=c.horton_min_mm_h * _MM_H,
            kd=c.horton_decay_per_h / 3600.0,
            kr=-math.log(1.0 - 0.98) / c.horton_dry_days / 86400.0,
        )

    def cumulative(self, tp: float) -> float:
        """Cumulative capacity F(tp), m."""
        df = self.f0 - self.fmin
        if tp >= 16.0 / self.kd:
            return self.fmin * tp + df / self.kd
        return self.fmin * tp + df / self.kd * (1.0 - math.exp(-self.kd * tp))

    def infiltrate(self, tp: float, dt: float, available_m_s: float) -> tuple[float, float]:
        """Infiltration rate (m/s) over a step and the new tp (SWMM 5.2 ``horton_getInfil``)."""
        df = self.f0 - self.fmin
        if df == 0.0 or self.kd == 0.0:
            return max(0.0, min(self.f0, available_m_s)), tp
        if available_m_s <= _ZERO:  # dry: capacity regenerates
            return 0.0, self.regenerate(tp, dt)
        t1 = tp + dt
        tlim = 16.0 / self.kd
        f_p = self.cumulative(tp)
        fp = max((self.cumulative(t1) - f_p) / dt, self.fmin) if tp < tlim else self.fmin
        fp = min(fp, available_m_s)
        if t1 > tlim or fp < available_m_s:
            return fp, t1
        target = f_p + fp * dt  # limited by water: find tp with F(tp) = target (Newton)
        t = tp + dt / 2.0
        for _ in range(20):
            ex = math.exp(-min(60.0, self.kd * t))
            r = (self.fmin * t + df / self.kd * (1.0 - ex) - target) / (self.fmin + df * ex)
            t -= r
            if abs(r) <= 0.001 * dt:
                break
        return fp, t

    def regenerate(self, tp: float, dry_s: float) -> float:
        """tp after ``dry_s`` seconds of regeneration (exact for any split of the dry spell)."""
        if self.kd <= 0.0 or self.kr <= 0.0:
            return tp
        x = math.exp(-self.kr * dry_s) * (1.0 - math.exp(-self.kd * tp))
        return -math.log(1.0 - x) / self.kd


def _run(
    c: Subcatchment, rain_m_s: NDArray[np.float64], dt: float, state: SurfaceState
) -> tuple[NDArray[np.float64], SurfaceState]:
    """Step the three sub-areas through a rain series (m/s); runoff in m³/s per step."""
    fracs = c.subarea_fractions
    alphas = c.alphas
    dstores = (0.0, c.dstore_imperv_mm * 1e-3, c.dstore_perv_mm * 1e-3)
    horton = _Horton.of(c)
    evap = c.evaporation_mm_d * 1e-3 / 86400.0
    depths = list(state.depth_m)
    tp = state.horton_time_s
    out = np.zeros(rain_m_s.shape[0])
    for k, rain in enumerate(rain_m_s.tolist()):
        q_total = 0.0
        for s in range(3):
            if fracs[s] <= 0.0:
                continue
            depth = depths[s]
            surf_evap = min(depth / dt, evap)
            infil = 0.0
            if s == 2:
                infil, tp = horton.infiltrate(tp, dt, rain + depth / dt)
            if surf_evap + infil >= depth / dt + rain:
                depths[s] = 0.0
                continue
            depths[s], q = _step_subarea(depth, rain - surf_evap - infil, dt, dstores[s], alphas[s])
            q_total += q * fracs[s]
        out[k] = q_total * c.area_m2
    return out, SurfaceState(depth_m=(depths[0], depths[1], depths[2]), horton_time_s=tp)


def recover_dry_spell(c: Subcatchment, state: SurfaceState, dry_s: float) -> SurfaceState:
    """State after ``dry_s`` seconds without rain, in closed form.

    Ponded water on impervious sub-areas evaporates at ``evaporation_mm_d`` (water above depression
    storage, a residue left when runoff fell below MIN_RUNOFF, stays until the next rain, so no
    water is lost); water ponded on the pervious area first infiltrates along the Horton curve
    (``tp`` advances until F has grown by that depth), then the capacity regenerates for the rest
    of the spell: ``1 - exp(-kd*tp)`` is multiplied by ``exp(-kr*t)`` (SWMM 5.2
    ``horton_getInfil``, dry branch, compounded exactly, so one call equals SWMM's dry steps).
    """
    if dry_s < 0.0:
        raise ValueError(f"dry_s(={dry_s}) must be >= 0.")
    horton = _Horton.of(c)
    evap_m = c.evaporation_mm_d * 1e-3 / 86400.0 * dry_s
    d0, d1, d_perv = state.depth_m
    tp = state.horton_time_s
    t_wet = 0.0
    if d_perv > 0.0 and horton.kd > 0.0:
        target = horton.cumulative(tp) + d_perv
        t_new = tp
        for _ in range(50):  # Newton on F(t) = target
            ex = math.exp(-min(60.0, horton.kd * t_new))
            rate = horton.fmin + (horton.f0 - horton.fmin) * ex
            r = (horton.cumulative(t_new) - target) / rate
            t_new -= r
            if abs(r) < 1e-6:
                break
        t_wet, tp = min(t_new - tp, dry_s), t_new
    elif d_perv > 0.0 and horton.f0 > 0.0:
        t_wet = min(d_perv / horton.f0, dry_s)
    tp = horton.regenerate(tp, dry_s - t_wet)
    return SurfaceState(
        depth_m=(max(d0 - evap_m, 0.0), max(d1 - evap_m, 0.0), 0.0), horton_time_s=tp
    )


def subcatchment_runoff(
    rain_mm_h: ArrayLike,
    dt_s: float,
    area_m2: float,
    impervious_fraction: float,
    width_m: float,
    slope: float,
    n_imperv: float,
    n_perv: float,
    dstore_imperv_mm: float,
    dstore_perv_mm: float,
    horton_max_mm_h: float,
    horton_min_mm_h: float,
    horton_decay_per_h: float,
    horton_dry_days: float = 7.0,
    pct_zero_imperv: float = 25.0,
    evaporation_mm_d: float = 0.0,
) -> NDArray[np.float64]:
    """Runoff (m³/s at the end of each step) of one subcatchment, starting dry (SWMM 5.2).

    Parameters
    ----------
    rain_mm_h
        Rain intensity in each step, mm/h (pad with zeros to follow the recession).
    dt_s
        Step, s (SWMM's WET_STEP; 60-300 s keeps the scheme close to SWMM).
    area_m2, impervious_fraction, width_m, slope, n_imperv, n_perv, dstore_imperv_mm,
    dstore_perv_mm, horton_max_mm_h, horton_min_mm_h, horton_decay_per_h, horton_dry_days,
    pct_zero_imperv, evaporation_mm_d
        See :class:`Subcatchment`.

    Returns
    -------
    numpy.ndarray
        Runoff flow, m³/s; the volume of step k is ``q[k] * dt_s`` (SWMM's booking).
    """
    c = Subcatchment(
        area_m2, impervious_fraction, width_m, slope, n_imperv, n_perv, dstore_imperv_mm,
        dstore_perv_mm, horton_max_mm_h, horton_min_mm_h, horton_decay_per_h, horton_dry_days,
        pct_zero_imperv, evaporation_mm_d,
    )  # fmt: skip
    return event_runoff(c, rain_mm_h, dt_s)[0]


def event_runoff(
    c: Subcatchment,
    rain_mm_h: ArrayLike,
    dt_s: float,
    dry_before_s: float = 0.0,
    state: SurfaceState | None = None,
) -> tuple[NDArray[np.float64], SurfaceState]:
    """Runoff of one event, after a dry spell treated in closed form.

    Parameters
    ----------
    c
        The subcatchment.
    rain_mm_h
        Rain intensity per step through the event and its recession, mm/h.
    dt_s
        Step, s.
    dry_before_s
        Length of the dry spell since the previous event ended, s (see :func:`recover_dry_spell`).
    state
        State at the end of the previous event; None for a dry, fully regenerated surface.

    Returns
    -------
    tuple
        Runoff (m³/s at the end of each step) and the state at the end of the event.
    """
    if dt_s <= 0.0:
        raise ValueError(f"dt_s(={dt_s}) must be > 0.")
    rain = np.asarray(rain_mm_h, dtype=np.float64)
    if rain.ndim != 1 or np.any(rain < 0.0):
        raise ValueError("rain_mm_h must be a 1-D array of values >= 0.")
    start = SurfaceState() if state is None else recover_dry_spell(c, state, dry_before_s)
    return _run(c, rain * _MM_H, dt_s, start)


def horton_capacity_mm_h(c: Subcatchment, state: SurfaceState) -> float:
    """Instantaneous Horton capacity f = fmin + (f0 - fmin)·exp(-kd·tp), mm/h."""
    kd_s = c.horton_decay_per_h / 3600.0
    f = c.horton_min_mm_h + (c.horton_max_mm_h - c.horton_min_mm_h) * math.exp(
        -kd_s * state.horton_time_s
    )
    return float(f)


def runoff_series(
    c: Subcatchment,
    rain_mm_h: ArrayLike,
    step_s: float = 3600.0,
    substeps: int = 12,
    state: SurfaceState | None = None,
) -> tuple[NDArray[np.float64], SurfaceState]:
    """Mean runoff per coarse step (e.g. hourly for a year), fast.

    Steps where it rains, or where the surface still ran off at the end of the previous step
    (above SWMM's MIN_RUNOFF, 0.001 in/h), are split into ``substeps`` fine steps and integrated;
    dry steps are skipped and their total length applied in closed form at the next wet step
    (:func:`recover_dry_spell`).

    Parameters
    ----------
    c
        The subcatchment.
    rain_mm_h
        Rain intensity per coarse step, mm/h (e.g. :attr:`sim.weather.Weather.rain_mm_h`).
    step_s
        Coarse step, s.
    substeps
        Fine steps per coarse step while wet (12 gives SWMM's default 5-min WET_STEP for hours).
    state
        Initial state (None: dry, regenerated).

    Returns
    -------
    tuple
        Mean runoff flow per coarse step, m³/s (volume = value × step_s), and the final state.
    """
    if substeps < 1 or step_s <= 0.0:
        raise ValueError(f"substeps(={substeps}) must be >= 1 and step_s(={step_s}) > 0.")
    rain = np.asarray(rain_mm_h, dtype=np.float64)
    out = np.zeros(rain.shape[0])
    st = SurfaceState() if state is None else state
    dt = step_s / substeps
    threshold = MIN_RUNOFF_M_S * c.area_m2
    dry_s, running = 0.0, False
    for k, r in enumerate(rain.tolist()):
        if r <= 0.0 and not running:
            dry_s += step_s
            continue
        if dry_s > 0.0:
            st, dry_s = recover_dry_spell(c, st, dry_s), 0.0
        q, st = _run(c, np.full(substeps, r * _MM_H), dt, st)
        out[k] = q.mean()
        running = bool(q[-1] > threshold)
    if dry_s > 0.0:
        st = recover_dry_spell(c, st, dry_s)
    return out, st
