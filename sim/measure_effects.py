"""What each measure buys on its own: in-year and full-year reductions, PM2.5, cost-effectiveness.

For one measure, the run's emissions are compared with the same run with that measure's own
recorded state changes taken out (:mod:`sim.provenance`; no new simulation; measures acting
through a source's random events are simulated without). Two reductions are reported
(docs/costs.md):

- **in-year** (``reduction_t``): what the run's year gained, the figure the plan's targets count;
- **full-year-equivalent** (``full_year_reduction_t``): the annual effect once the measure is in
  place. For a measure that builds up (``effect="ramp"`` in :data:`sim.costs.COST_MODELS`), each
  source's relative cut in the run's last month is applied to that source's hours of the whole
  year; for an episodic measure (alerts, patrols) it is the in-year effect over the share of the
  year the measure was active.

The PM2.5 change (µg/m³, annual mean) comes from the air model's response to the full-year
emission change, through :func:`sim.outcomes.air.pm25_response`. Cost-effectiveness is annualised
cost (:mod:`sim.costs`) over the full-year effect.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from sim.costs import DISCOUNT_RATE, SENSITIVITY_RATE, MeasureCosts, cost_model, measure_costs
from sim.sources.base import POLLUTANTS

if TYPE_CHECKING:
    from sim.engine import RunState

__all__ = ["MeasureEffect", "full_year_delta_kg_h", "measure_effects", "month_index"]

F64 = NDArray[np.float64]
_PM25 = POLLUTANTS.index("PM2.5")
#: Families whose measures change air emissions (water and soil measures do not).
AIR_FAMILIES: tuple[str, ...] = ("vehicles", "voc", "dust", "coal", "household", "emergency")


def month_index(state: RunState) -> NDArray[np.int64]:
    """Month of every hour, 0-based from the run's first month."""
    periods = state.calendar.times.to_period("M")
    codes = np.asarray(periods.asi8, dtype=np.int64)
    return codes - codes.min()


def full_year_delta_kg_h(
    run: RunState, other: Mapping[str, F64], *, episodic: bool, active_share: float
) -> tuple[F64, F64]:
    """In-year and full-year hourly emission reductions of the district, kg/h ``(n_hours, 7)``.

    ``other`` holds the source emissions (kg/h) without the measure(s). Ramp: per source and
    pollutant, the reduction's share of ``other``'s emissions in the last month, times
    ``other``'s hourly emissions. Where the last month has no emission of a pollutant, or for
    episodic measures, the in-year reduction over ``active_share``.
    """
    months = month_index(run)
    last = months == months.max()
    in_year = np.zeros((run.calendar.n_hours, len(POLLUTANTS)))
    full = np.zeros_like(in_year)
    scale = 1.0 / active_share if active_share > 0 else 0.0
    for key, cf in other.items():
        own = run.source_emissions.get(key, np.zeros_like(cf))
        if own is cf:  # a source the measure left alone adds nothing (exactly 0)
            continue
        delta = cf - own
        in_year += delta
        if episodic:
            full += delta * scale
            continue
        e_last, r_last = cf[last].sum(axis=0), delta[last].sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(e_last > 0, r_last / e_last, np.nan)
        full += np.where(np.isnan(ratio), delta * scale, cf * np.nan_to_num(ratio))
    return in_year, full


@dataclass(frozen=True)
class MeasureEffect:
    """Effects and costs of one measure (or one family)."""

    name: str
    costs: MeasureCosts | None
    #: t, shape (pollutants,).
    reduction_t: F64
    full_year_reduction_t: F64
    #: annual-mean PM2.5 reduction, µg/m³ (in-year emissions; full-year emissions).
    pm25_ug_m3: float = float("nan")
    pm25_full_year_ug_m3: float = float("nan")
    #: good-days ratio gained, percentage points (full-year emissions).
    good_days_points: float = float("nan")

    @property
    def annualised_cost_cny(self) -> float:
        return self.costs.annualised_cny() if self.costs else 0.0

    def summary(self) -> dict[str, Any]:
        """The ``by_measure.<measure>`` entry of summary.json."""
        cost = self.annualised_cost_cny
        fy = self.full_year_reduction_t
        with np.errstate(divide="ignore", invalid="ignore"):
            per_t = np.where(fy > 1e-9, cost / fy, np.nan)
        per_ug = cost / self.pm25_full_year_ug_m3 if self.pm25_full_year_ug_m3 > 1e-9 else None
        per_gd = cost / self.good_days_points if self.good_days_points > 1e-9 else None
        c = self.costs
        return {
            "annualised_cost_cny": round(cost, 2),
            "annualised_cost_cny_at_5pct": round(c.annualised_cny(SENSITIVITY_RATE), 2)
            if c
            else 0.0,
            "fiscal_outlay_cny": round(c.fiscal_outlay_cny, 2) if c else 0.0,
            "transfers_cny": round(c.transfer_cny, 2) if c else 0.0,
            "booked_cny": round(c.booked_cny, 2) if c else 0.0,
            "lifetime_years": c.model.lifetime_years if c else None,
            "reduction_t": _by_pollutant(self.reduction_t),
            "full_year_reduction_t": _by_pollutant(fy),
            "pm25_ug_m3": _round(self.pm25_ug_m3),
            "pm25_full_year_ug_m3": _round(self.pm25_full_year_ug_m3),
            "good_days_points": _round(self.good_days_points),
            "cost_per_t": {
                p: None if np.isnan(per_t[j]) else round(float(per_t[j]), 2)
                for j, p in enumerate(POLLUTANTS)
            },
            "cost_per_ug_m3": None if per_ug is None else round(per_ug, 2),
            "cost_per_good_day_point": None if per_gd is None else round(per_gd, 2),
        }


def _round(x: float) -> float | None:
    return None if not np.isfinite(x) else round(float(x), 6)


def _by_pollutant(values: F64) -> dict[str, float]:
    return {p: round(float(values[j]), 6) for j, p in enumerate(POLLUTANTS)}


def _without(state: RunState, measure: str, without_measures: RunState | None) -> Mapping[str, F64]:
    """Source emissions without ``measure``: from its recorded state changes (no new run); for
    a measure acting through a source's random events, its streams from ``without_measures``
    where no other measure shares them (:func:`sim.provenance.emissions_recombined`); else (or
    for a run that kept no provenance) from the same scenario simulated without it."""
    from sim.engine import simulate_state
    from sim.provenance import emissions_recombined, emissions_without, stream_owners

    found: Mapping[str, F64] | None = None
    if cost_model(measure).counterfactual == "changes":
        found = emissions_without(state, measure)
    elif without_measures is not None:
        if "measure_owners" not in state.memo:
            state.memo["measure_owners"] = stream_owners(state, without_measures, {})
        found = emissions_recombined(state, without_measures, state.memo["measure_owners"], measure)
    if found is not None:
        return found
    policies = state.scenario.policies
    cfg = getattr(policies, measure).model_copy(update={"enabled": False})
    off = state.scenario.model_copy(update={"policies": policies.model_copy(update={measure: cfg})})
    return simulate_state(off, seed=state.seed, pm25_forecast=state.pm25_forecast).source_emissions


def measure_effects(
    state: RunState,
    measures: dict[str, tuple[str, ...]],
    *,
    air: bool = True,
    without_measures: RunState | None = None,
) -> dict[str, MeasureEffect]:
    """Every enabled measure's effect, each against the run without it alone.

    Measures of families that change no air emission (water, soil) get their costs and zero
    reductions without another run. ``air``: evaluate the PM2.5 response (one air evaluation per
    measure and sense). ``without_measures``: the same run without any measure, for the measures
    acting through a source's random events.
    """
    names = [m for ms in measures.values() for m in ms]
    costs = measure_costs(state, tuple(names))
    out: dict[str, MeasureEffect] = {}
    deltas: list[tuple[str, F64, F64]] = []
    zeros = np.zeros(len(POLLUTANTS))
    for family, ms in measures.items():
        for m in ms:
            if family not in AIR_FAMILIES:
                out[m] = MeasureEffect(m, costs[m], zeros, zeros, 0.0, 0.0, 0.0)
                continue
            model, c = cost_model(m), costs[m]
            iy, fy = full_year_delta_kg_h(
                state, _without(state, m, without_measures), episodic=model.effect == "episodic",
                active_share=c.active_share,
            )  # fmt: skip
            out[m] = MeasureEffect(m, c, iy.sum(axis=0) / 1000.0, fy.sum(axis=0) / 1000.0)
            deltas.append((m, iy, fy))
    if air and deltas and state.scenario.air is not None:
        with_air(state, out, deltas)
    return out


def with_air(
    state: RunState, effects: dict[str, MeasureEffect], deltas: list[tuple[str, F64, F64]]
) -> None:
    """Fill the PM2.5 and good-day changes of ``effects`` (in place) from emission deltas."""
    from sim.outcomes.air import pm25_response

    own = state.sector_emissions().sum(axis=1)
    rows = [own] + [own + d for _, iy, fy in deltas for d in (iy, fy)]
    # identical alternatives (a measure with no air effect, or its full year equal to its year)
    # are evaluated once: each alternative's response is computed on its own
    first: dict[bytes, int] = {}
    unique: list[F64] = []
    for r in rows:
        if first.setdefault(r.tobytes(), len(unique)) == len(unique):
            unique.append(r)
    where = [first[r.tobytes()] for r in rows]
    pm25_u, good_u = pm25_response(state, np.stack(unique))
    pm25, good = pm25_u[where], good_u[where]
    for k, (m, _, _) in enumerate(deltas):
        e = effects[m]
        effects[m] = MeasureEffect(
            m, e.costs, e.reduction_t, e.full_year_reduction_t,
            pm25_ug_m3=float(pm25[1 + 2 * k] - pm25[0]),
            pm25_full_year_ug_m3=float(pm25[2 + 2 * k] - pm25[0]),
            good_days_points=float(100.0 * (good[0] - good[2 + 2 * k])),
        )  # fmt: skip


#: Rates reported (the headline and the sensitivity).
RATES = (DISCOUNT_RATE, SENSITIVITY_RATE)
