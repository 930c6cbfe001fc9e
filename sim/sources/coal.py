"""Coal sources: scattered household coal for heating, and re-burning (复烧) after conversion.

Households heat only in the heating season (15 Nov - 15 Mar). Each one burns the configured coal
per season, spread over the season's hours in proportion to a diurnal stoking profile times the
heating degree-hours of the weather, so that colder hours burn more and a whole season burns
exactly the configured amount. Re-burning episodes are discrete SimPy events: converted households
that go back to coal for a while, until inspectors find them or the season ends.

Ledger streams
--------------
``coal.households``
    Vector over :attr:`CoalSources.coal_type_names`: households burning each coal. A measure
    converting ``n`` households of one coal does
    ``ledger.add(t, "coal.households", -n, index=sources.type_index("bituminous_chunk"))``.
``coal.reburning_households``
    Scalar: households burning in re-burning episodes (raised and lowered by this module).
``coal.reburning_rate_factor``
    Scalar in [0, 1], initially 1: the share of would-be re-burning episodes that happen. A
    prevention measure lowers it; candidate episodes are drawn the same way whatever its value
    (common random numbers), and one is kept when its uniform draw is below the factor.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sim.scenario.vocabulary import HOURS_PER_MONTH
from sim.sources.base import EmissionContext, pollutant_row

if TYPE_CHECKING:
    import simpy

    from sim.calendar import Calendar
    from sim.ledger import Ledger
    from sim.scenario.sections.coal import CoalConfig

__all__ = ["HOURS_PER_MONTH", "CoalSources", "heating_coal_kg_h", "heating_segment_ends"]


HOUSEHOLDS = "coal.households"
REBURNING = "coal.reburning_households"
REBURNING_RATE_FACTOR = "coal.reburning_rate_factor"
PROCESS = "coal.reburning"


def _season_bounds(start_year: int) -> tuple[datetime, datetime]:
    """Start (15 Nov) and exclusive end (16 Mar) of the season that begins in ``start_year``."""
    return datetime(start_year, 11, 15), datetime(start_year + 1, 3, 16)


def heating_coal_kg_h(
    calendar: Calendar,
    temperature_c: NDArray[np.float64],
    diurnal_profile: tuple[float, ...] | NDArray[np.float64],
    *,
    base_temperature_c: float,
    coal_t_per_season: float,
) -> NDArray[np.float64]:
    """Coal burned by one household in each hour, kg/h, shape ``(n_hours,)``.

    Within each heating season the hourly weight is ``profile[hour of day] * max(base - T, 0)``
    (heating degree-hours; the plain profile if the season's hours in the run are all warmer than
    the base). The weights are scaled so that the hours of one season in the run sum to
    ``coal_t_per_season * 1000 * (season hours in run / season hours)``: a whole season burns
    exactly the configured coal, a season cut by the run's start or end burns its share.

    Parameters
    ----------
    calendar
        The run's hourly axis; ``calendar.heating_season`` marks the hours.
    temperature_c
        Hourly air temperature, °C.
    diurnal_profile
        24 relative weights by local hour.
    base_temperature_c
        Base of the heating degree-hours, °C.
    coal_t_per_season
        Coal per household per whole season, t.
    """
    profile = np.asarray(diurnal_profile, dtype=np.float64)
    heating = np.asarray(calendar.heating_season, dtype=bool)
    out = np.zeros(calendar.n_hours)
    if not heating.any() or coal_t_per_season == 0.0:
        return out
    years = np.asarray(calendar.times.year, dtype=np.int64)
    season_year = np.where(calendar.month >= 11, years, years - 1)
    weight_profile = profile[calendar.hour_of_day]
    degree_h = np.maximum(base_temperature_c - np.asarray(temperature_c, dtype=np.float64), 0.0)
    for year in np.unique(season_year[heating]):
        mask = heating & (season_year == year)
        start, end = _season_bounds(int(year))
        season_hours = (pd.Timestamp(end) - pd.Timestamp(start)) / pd.Timedelta(hours=1)
        weights = weight_profile[mask] * degree_h[mask]
        if weights.sum() <= 0.0:
            weights = weight_profile[mask]
        share = mask.sum() / season_hours
        out[mask] = coal_t_per_season * 1000.0 * share * weights / weights.sum()
    return out


def heating_segment_ends(heating: NDArray[np.bool_]) -> NDArray[np.int64]:
    """For each hour, the first hour at or after it that is outside the heating season.

    Hours outside the season map to themselves; the end of the run is ``len(heating)``.
    """
    n = len(heating)
    ends = np.empty(n, dtype=np.int64)
    nxt = n
    for h in range(n - 1, -1, -1):
        if not heating[h]:
            nxt = h
        ends[h] = nxt
    return ends


class CoalSources:
    """Scattered household coal and re-burning episodes (sector ``coal``).

    Sources: ``households`` (the remaining coal households, stream ``coal.households``) and
    ``reburning`` (episode households, stream ``coal.reburning_households``).

    Parameters
    ----------
    config
        The ``sources.coal`` section.
    calendar
        The run's hourly axis.
    """

    sector: ClassVar[str] = "coal"
    HOUSEHOLDS_STREAM: ClassVar[str] = HOUSEHOLDS
    REBURNING_STREAM: ClassVar[str] = REBURNING
    REBURNING_RATE_FACTOR_STREAM: ClassVar[str] = REBURNING_RATE_FACTOR

    def __init__(self, config: CoalConfig, calendar: Calendar) -> None:
        self.config = config
        self.calendar = calendar

    # -- index helpers -------------------------------------------------------------------------
    @property
    def coal_type_names(self) -> tuple[str, ...]:
        """Names of the coal types, the order of the ``coal.households`` vector."""
        return tuple(t.name for t in self.config.coal_types)

    def type_index(self, name: str) -> int:
        """Position of coal type ``name`` in the ``coal.households`` vector."""
        try:
            return self.coal_type_names.index(name)
        except ValueError:
            raise KeyError(f"coal type {name!r} unknown; known: {self.coal_type_names}") from None

    @property
    def emission_factors_kg_kg(self) -> NDArray[np.float64]:
        """Emission factors, kg pollutant per kg coal, shape ``(n_types, len(POLLUTANTS))``."""
        rows = [
            pollutant_row(
                PM2_5=t.pm25_g_kg,
                PM10=t.pm25_g_kg / t.pm25_pm10_ratio,
                NOx=t.nox_g_kg,
                SO2=t.so2_g_kg,
                VOC=t.voc_g_kg,
                CO=t.co_g_kg,
            )
            / 1000.0
            for t in self.config.coal_types
        ]
        return np.stack(rows)

    # -- SimPy ---------------------------------------------------------------------------------
    def start(self, env: simpy.Environment, ledger: Ledger, rng: np.random.Generator) -> None:
        """Declare the coal streams and register the re-burning process."""
        ledger.declare(
            HOUSEHOLDS,
            [t.households for t in self.config.coal_types],
            unit="households",
            long_name="households burning scattered coal, by coal type",
        )
        ledger.declare(
            REBURNING, 0.0, unit="households", long_name="households in re-burning episodes"
        )
        ledger.declare(
            REBURNING_RATE_FACTOR,
            1.0,
            unit="1",
            long_name="share of candidate re-burning episodes that happen",
        )
        if self.config.reburning_episodes_per_month > 0:
            env.process(self._reburning(env, ledger, rng))

    def _reburning(
        self, env: simpy.Environment, ledger: Ledger, rng: np.random.Generator
    ) -> Generator[Any, Any, None]:
        """Draw candidate episodes as a Poisson process, keep those in the heating season."""
        cfg = self.config
        mean_gap_h = HOURS_PER_MONTH / cfg.reburning_episodes_per_month
        heating = np.asarray(self.calendar.heating_season, dtype=bool)
        seg_end = heating_segment_ends(heating)
        n_hours = self.calendar.n_hours
        number = 0
        while True:
            gap_h = float(rng.exponential(mean_gap_h))
            households = 1 + int(rng.poisson(cfg.reburning_households_mean - 1.0))
            duration_h = float(rng.exponential(cfg.reburning_duration_days_mean * 24.0))
            draw = float(rng.random())
            if env.now + gap_h >= n_hours:
                return
            yield env.timeout(gap_h)
            hour = int(env.now)
            if not heating[hour]:
                continue
            factor = float(np.clip(ledger.current(REBURNING_RATE_FACTOR), 0.0, 1.0))
            if draw >= factor:
                continue
            number += 1
            end_h = min(env.now + duration_h, float(seg_end[hour]))
            env.process(
                self._episode(env, ledger, f"episode-{number}", households, end_h - env.now)
            )

    def _episode(
        self,
        env: simpy.Environment,
        ledger: Ledger,
        subject: str,
        households: int,
        duration_h: float,
    ) -> Generator[Any, Any, None]:
        """One re-burning episode: ``households`` burn coal for ``duration_h`` hours."""
        ledger.add(env.now, REBURNING, households)
        ledger.record(
            env.now, PROCESS, "start", subject, households=households, duration_h=duration_h
        )
        yield env.timeout(duration_h)
        ledger.add(env.now, REBURNING, -households)
        ledger.record(env.now, PROCESS, "end", subject, households=households)

    # -- emissions -----------------------------------------------------------------------------
    def coal_kg_h_per_household(self, ctx: EmissionContext) -> NDArray[np.float64]:
        """Coal burned by one household in each hour of the run, kg/h."""
        cfg = self.config
        return heating_coal_kg_h(
            ctx.calendar,
            ctx.weather.temperature_c,
            cfg.diurnal_profile,
            base_temperature_c=cfg.heating_base_temperature_c,
            coal_t_per_season=cfg.coal_t_per_household_season,
        )

    def emissions(self, ctx: EmissionContext) -> Mapping[str, NDArray[np.float64]]:
        """Hourly emissions of ``households`` and ``reburning``, kg/h, shape ``(n_hours, 7)``."""
        per_household = self.coal_kg_h_per_household(ctx)
        ef = self.emission_factors_kg_kg
        households = np.maximum(ctx.ledger.hourly(HOUSEHOLDS), 0.0)
        coal_by_type = households * per_household[:, None]
        reburning = np.maximum(ctx.ledger.hourly(REBURNING), 0.0) * per_household
        ef_reburn = ef[self.type_index(self.config.reburning_coal_type)]
        return {
            "households": np.asarray(coal_by_type @ ef, dtype=np.float64),
            "reburning": reburning[:, None] * ef_reburn[None, :],
        }
