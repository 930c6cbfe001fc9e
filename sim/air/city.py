"""The rest of the city's hourly emissions: an annual inventory given the district's time profiles.

The city's inventory (t/yr by sector and pollutant) is spread over the hours with the district's
own hourly profile of the same sector and pollutant (flat where the district has none), and follows
the district's measures in proportion ``adoption``:

    E_city(t) = I·[(1 - a)·E⁰(t) + a·E(t)] / mean(E⁰) × m,

with ``E⁰`` the district's emissions without measures (the counterfactual), ``E`` with them, ``a``
the adoption share and ``m`` the explicit city-level change factor of that sector and pollutant.
With ``a = 0`` the city ignores the district's measures; with ``a = 1`` every district changes its
emissions by the same relative amount, hour by hour (an emergency curtailment happens city-wide on
the same days).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["HOURS_PER_YEAR", "city_emissions_kg_h"]

#: Hours in a mean year, to turn t/yr into a mean kg/h.
HOURS_PER_YEAR = 8766.0
_KG_PER_T = 1000.0


def city_emissions_kg_h(
    inventory_t_yr: ArrayLike,
    district_without_kg_h: ArrayLike,
    district_with_kg_h: ArrayLike | None = None,
    adoption: float = 1.0,
    change_factor: ArrayLike = 1.0,
) -> NDArray[np.float64]:
    """Hourly city emissions summed over sectors, kg/h (module docstring).

    Parameters
    ----------
    inventory_t_yr
        Annual emissions of the rest of the city, t/yr, shape ``(n_sectors, n_pollutants)``.
    district_without_kg_h
        The district's hourly emissions without measures, kg/h, ``(n_hours, n_sectors,
        n_pollutants)``: the time profiles.
    district_with_kg_h
        The district's hourly emissions with the measures, same shape; None: no measures.
    adoption
        Share of the measures the rest of the city applies, 0-1.
    change_factor
        Explicit multiplicative change, broadcast against ``(n_sectors, n_pollutants)``.

    Returns
    -------
    numpy.ndarray
        kg/h, ``(n_hours, n_pollutants)``.
    """
    if not 0.0 <= adoption <= 1.0:
        raise ValueError(f"adoption(={adoption}) must lie within [0, 1].")
    inv = np.asarray(inventory_t_yr, dtype=np.float64)
    base = np.asarray(district_without_kg_h, dtype=np.float64)
    if base.shape[1:] != inv.shape:
        raise ValueError(f"district shape {base.shape} does not match inventory {inv.shape}.")
    if np.any(inv < 0):
        raise ValueError("inventory_t_yr must be >= 0.")
    rate = inv * _KG_PER_T / HOURS_PER_YEAR * np.asarray(change_factor, dtype=np.float64)
    mean = base.mean(axis=0)
    has_profile = mean > 0.0
    weight = np.where(has_profile, rate / np.where(has_profile, mean, 1.0), 0.0)
    flat = np.where(has_profile, 0.0, rate).sum(axis=0)
    out = np.einsum("tsp,sp->tp", base, weight)
    if district_with_kg_h is not None and adoption > 0.0:
        with_ = np.asarray(district_with_kg_h, dtype=np.float64)
        if with_.shape != base.shape:
            raise ValueError(f"district_with_kg_h shape {with_.shape} != {base.shape}.")
        out = (1.0 - adoption) * out + adoption * np.einsum("tsp,sp->tp", with_, weight)
    return np.asarray(np.maximum(out + flat, 0.0))
