"""Industrial sources: VOC from coating, printing, adhesives and cleaning, and small gas boilers.

Each enterprise group of the scenario is one source (its name is the source key). Its state lives
in four scalar ledger streams, which measures change (a retrofit raises removal, low-VOC
substitution lowers content, a stoppage lowers operation):

``industrial.<name>.capture_efficiency``
    Share of the VOC collected (0-1).
``industrial.<name>.removal_efficiency``
    Share of the collected VOC removed by the treatment unit (0-1).
``industrial.<name>.operating``
    Production as a share of normal (0-1); scales VOC and boiler emissions.
``industrial.<name>.voc_content_factor``
    Multiplier on the VOC content of the materials used (1 by default).

VOC (kg/h) = use × content × share of the year's operating hours × content factor × operating ×
(1 − capture × removal). Activated carbon beds: real removal < 80 %, 20-50 % once saturated;
adsorption + catalytic combustion and RTO: > 90 % (DOMAIN.md §5).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from numpy.typing import NDArray

from sim.sources.base import POLLUTANTS, EmissionContext, pollutant_row
from sim.sources.mobile import annual_hour_shares, schedule_weights

if TYPE_CHECKING:
    import simpy

    from sim.calendar import Calendar
    from sim.ledger import Ledger
    from sim.scenario.sections.industrial import Boiler, EnterpriseGroup, IndustrialConfig

__all__ = ["EnterpriseStreams", "IndustrialSources", "boiler_kg_yr"]


@dataclass(frozen=True)
class EnterpriseStreams:
    """Names of the ledger streams of one enterprise group."""

    capture_efficiency: str
    removal_efficiency: str
    operating: str
    voc_content_factor: str


def boiler_kg_yr(boiler: Boiler | None) -> NDArray[np.float64]:
    """Annual boiler emissions, kg/yr over :data:`POLLUTANTS` (AP-42 §1.4 factors per 1000 m³).

    PM is taken as all PM2.5 (AP-42: gas-combustion PM is < 1 µm).
    """
    if boiler is None:
        return np.zeros(len(POLLUTANTS))
    k = boiler.gas_use_m3_yr / 1000.0
    pm = k * boiler.pm_kg_per_1000m3
    return pollutant_row(
        PM2_5=pm,
        PM10=pm,
        NOx=k * boiler.nox_kg_per_1000m3,
        SO2=k * boiler.so2_kg_per_1000m3,
        CO=k * boiler.co_kg_per_1000m3,
        VOC=k * boiler.voc_kg_per_1000m3,
    )


class IndustrialSources:
    """The industrial category; one source per enterprise group.

    Parameters
    ----------
    config
        The scenario's ``sources.industrial`` section.
    calendar
        The run's hourly axis.
    """

    sector: ClassVar[str] = "industrial"

    def __init__(self, config: IndustrialConfig, calendar: Calendar) -> None:
        self.config = config
        self.calendar = calendar
        self._groups: dict[str, EnterpriseGroup] = {e.name: e for e in config.enterprises}
        groups = config.enterprises
        #: Share of the year's operation in each hour: shape (n_hours, n_groups).
        self.operating_shares = (
            annual_hour_shares(
                calendar, [schedule_weights(e.start_hour, e.end_hour, e.days) for e in groups]
            )
            if groups
            else np.zeros((calendar.n_hours, 0))
        )

    @property
    def enterprise_names(self) -> tuple[str, ...]:
        """Group names, which are also the source keys, in configuration order."""
        return tuple(self._groups)

    def streams_for(self, name: str) -> EnterpriseStreams:
        """The ledger stream names of group ``name``."""
        if name not in self._groups:
            raise KeyError(f"no enterprise group {name!r}; have {self.enterprise_names}")
        prefix = f"industrial.{name}"
        return EnterpriseStreams(
            capture_efficiency=f"{prefix}.capture_efficiency",
            removal_efficiency=f"{prefix}.removal_efficiency",
            operating=f"{prefix}.operating",
            voc_content_factor=f"{prefix}.voc_content_factor",
        )

    def uncontrolled_voc_kg_yr(self, name: str) -> float:
        """VOC a group would emit in a normal year without capture: use × content, kg/yr."""
        e = self._groups[name]
        return e.solvent_use_t_yr * e.voc_content_g_kg  # t × g/kg = kg

    def start(self, env: simpy.Environment, ledger: Ledger, rng: np.random.Generator) -> None:
        """Declare each group's four streams at t = 0 (no processes of its own)."""
        for e in self.config.enterprises:
            s = self.streams_for(e.name)
            ledger.declare(
                s.capture_efficiency,
                e.capture_efficiency,
                long_name=f"VOC capture efficiency, {e.name}",
            )
            ledger.declare(
                s.removal_efficiency,
                e.removal_efficiency,
                long_name=f"VOC removal efficiency of treatment, {e.name}",
            )
            ledger.declare(s.operating, 1.0, long_name=f"production fraction, {e.name}")
            ledger.declare(
                s.voc_content_factor,
                1.0,
                long_name=f"VOC content multiplier (low-VOC substitution), {e.name}",
            )

    def emissions(self, ctx: EmissionContext) -> dict[str, NDArray[np.float64]]:
        """Hourly kg/h of each enterprise group (keys: group names)."""
        if ctx.calendar.n_hours != self.calendar.n_hours:
            raise ValueError("ctx.calendar differs from the calendar the sources were built for.")
        out: dict[str, NDArray[np.float64]] = {}
        voc = POLLUTANTS.index("VOC")
        for i, e in enumerate(self.config.enterprises):
            s = self.streams_for(e.name)
            capture = ctx.ledger.hourly(s.capture_efficiency)
            removal = ctx.ledger.hourly(s.removal_efficiency)
            operating = ctx.ledger.hourly(s.operating)
            content = ctx.ledger.hourly(s.voc_content_factor)
            share = self.operating_shares[:, i] * operating
            arr = np.outer(share, boiler_kg_yr(e.boiler))
            arr[:, voc] += (
                self.uncontrolled_voc_kg_yr(e.name) * share * content * (1.0 - capture * removal)
            )
            out[e.name] = arr
        return out
