"""What a measure costs society and the bureau: annuities, transfers, fiscal outlay.

The ledger books cash as it is spent (``kind="cost"`` events with ``capital_cny``,
``operating_cny`` and ``transfer_cny``). This module turns those bookings into the figures an
economist reports (docs/costs.md):

- **annualised resource cost** = capital × capital recovery factor (lifetime per measure, discount
  rate :data:`DISCOUNT_RATE`) + full-year operating cost (O&M and output lost, booked as
  ``operating_cny``, scaled from the part of the year the measure acted to a whole year);
- **transfers** (subsidies, fines, compensation; ``transfer_cny``) move money between parties and
  are not resource costs;
- **fiscal outlay** = public cash spent in the run: transfers paid by the budget plus the public
  share of capital and operating cash.

References
----------
National Development and Reform Commission and Ministry of Construction, 建设项目经济评价方法与参数
(3rd ed., 2006): social discount rate 8 %. SL 72—2013: 6 % allowed for public-welfare water works,
50-year calculation period for water works. DOMAIN.md §8.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from sim.engine import RunState
    from sim.ledger import Event

__all__ = [
    "COST_MODELS",
    "DISCOUNT_RATE",
    "SENSITIVITY_RATE",
    "CostModel",
    "MeasureCosts",
    "annualised_cost",
    "capital_recovery_factor",
    "costs_summary",
    "measure_costs",
]

#: Social discount rate of Chinese project appraisal (建设项目经济评价方法与参数, 3rd ed.).
DISCOUNT_RATE = 0.08
#: Documented sensitivity: a lower rate, as used in the issue's first re-estimate and in
#: much of the international cost-effectiveness literature.
SENSITIVITY_RATE = 0.05


def capital_recovery_factor(rate: float, years: float) -> float:
    """Annual payment per unit of capital over ``years`` at ``rate``: r / (1 − (1 + r)^−L).

    ``rate`` = 0 gives 1/L (straight line). ``years`` must be > 0.
    """
    if years <= 0:
        raise ValueError(f"years(={years}) must be > 0.")
    if rate < 0:
        raise ValueError(f"rate(={rate}) must be >= 0.")
    if rate == 0:
        return 1.0 / years
    return rate / (1.0 - (1.0 + rate) ** (-years))


def annualised_cost(
    capital_cny: float, operating_cny_per_year: float, rate: float, years: float
) -> float:
    """Capital × capital recovery factor + yearly operating cost, CNY/yr."""
    return capital_cny * capital_recovery_factor(rate, years) + operating_cny_per_year


@dataclass(frozen=True)
class CostModel:
    """How one measure's bookings become an annual cost and a full-year effect.

    Attributes
    ----------
    lifetime_years
        Service life of the measure's capital (years); for a retirement, the years of service
        brought forward.
    public_share
        Share of the resource cash (capital and operating) paid from the public budget.
    effect
        ``"ramp"``: the measure builds up to a lasting state; its full-year effect is the rate
        reached in the run's last month applied to a whole year. ``"episodic"``: it acts in
        episodes through its active period (alerts, patrols); its full-year effect is the in-year
        effect over the share of the year it was active.
    recurring_capital
        Capital booked every year as part of a programme (plot surveys), not an asset:
        counted like operating cost.
    source
        Where the lifetime and the public share come from.
    counterfactual
        ``"changes"`` or ``"rerun"`` (see the attribute's comment).
    """

    lifetime_years: float
    public_share: float
    effect: Literal["ramp", "episodic"] = "ramp"
    recurring_capital: bool = False
    source: str = ""
    #: How the measure's effect alone is found: ``"changes"`` takes its recorded state changes
    #: out (sim.provenance); ``"rerun"`` simulates without it, for measures that act through a
    #: source's own random events (deterrence lowers the rate of burning episodes).
    counterfactual: Literal["changes", "rerun"] = "changes"


_PUB = "public: the bureau or district pays (inspections, patrols, public works)"
_PRIV = "private: enterprises or owners pay"

#: Cost model of every measure (a measure not listed: 10 years, public, ramp).
COST_MODELS: dict[str, CostModel] = {
    # vehicles
    "retire_china3": CostModel(
        5,
        0.0,
        source="China III vehicles (2008-13) retired 2024 with ~5 years of service left "
        "(机动车强制报废标准规定 2012: 15 yr heavy trucks, 10-12 yr buses); residual value lost "
        "by owners; the subsidy is a transfer",
    ),
    "inuse_supervision": CostModel(1, 1.0, "episodic", source=_PUB),
    "public_fleet_nev": CostModel(
        8,
        1.0,
        source="battery-bus and e-taxi life ~8 yr (battery warranty; 8-yr taxi scrapping "
        "rule of 机动车强制报废标准规定 2012); public fleets",
    ),
    "forklift_electric": CostModel(
        10, 0.0, source="forklift service life 7-15 yr (scenario note); owners pay"
    ),
    "nonroad_registration": CostModel(1, 1.0, source=_PUB),
    "fuel_quality": CostModel(1, 1.0, "episodic", source=_PUB),
    "vapour_recovery": CostModel(1, 1.0, source=_PUB),
    # emergency: output lost by stopped sites and workshops (private), plus enforcement
    "emergency_response": CostModel(
        1, 0.1, "episodic", source="assumed: ~90 % of the alert-day cost is output lost by firms"
    ),
    # voc
    "voc_retrofit": CostModel(
        10,
        0.0,
        source="treatment plant design life >= 10 yr (HJ 2000-2010 general technical "
        "guideline for air pollution control projects; assumed at its lower end); firms pay",
    ),
    "voc_inspection": CostModel(
        1,
        0.1,
        "episodic",
        source="inspection 500 CNY (public) vs carbon replacement 5,000 CNY "
        "(firm) per enterprise: ~10 % public",
    ),
    "low_voc_coatings": CostModel(1, 0.0, source=_PRIV),
    "high_voc_restriction": CostModel(1, 1.0, source=_PUB),
    # dust
    "site_dust_control": CostModel(
        5, 0.5, source="monitors ~5 yr; sites buy monitors, the bureau runs inspections (assumed)"
    ),
    "muck_truck_enclosure": CostModel(1, 1.0, source=_PUB),
    "bare_land_cover": CostModel(
        2, 1.0, source="dust netting lasts 1-3 years outdoors (assumed 2); public land"
    ),
    "road_cleaning": CostModel(1, 1.0, source=_PUB),
    "prefabricated_buildings": CostModel(1, 0.0, source=_PRIV),
    "open_burning_patrol": CostModel(1, 1.0, "episodic", source=_PUB, counterfactual="rerun"),
    # coal
    "reburning_prevention": CostModel(1, 1.0, "episodic", source=_PUB, counterfactual="rerun"),
    "coal_conversion": CostModel(
        15,
        1.0,
        source="air-source heat pumps ~15 yr; coal-to-electricity equipment paid by "
        "the district (Tianjin programme); the running electricity subsidy is a transfer",
    ),
    # household
    "restaurant_fumes": CostModel(
        5, 0.0, source="electrostatic purifiers ~5 yr (assumed); restaurants pay"
    ),
    "restaurant_siting": CostModel(1, 1.0, source=_PUB),
    # water: 50-year calculation period for water works (SL 72-2013)
    "rain_sewage_separation": CostModel(50, 1.0, source="SL 72-2013: 50-yr period; public works"),
    "cross_connection_repair": CostModel(1, 1.0, source=_PUB),
    "outlet_remediation": CostModel(30, 1.0, source="assumed: pipe plugs and connections ~30 yr"),
    "first_flush_tanks": CostModel(50, 1.0, source="SL 72-2013: 50-yr period; public works"),
    "network_clearing": CostModel(1, 1.0, source=_PUB),
    "dumping_patrols": CostModel(1, 1.0, "episodic", source=_PUB),
    "hospital_wastewater": CostModel(1, 1.0, "episodic", source=_PUB),
    "rain_outlet_rule": CostModel(1, 1.0, source=_PUB),
    # soil: surveys and risk control of each plot are a yearly programme, not an asset
    "construction_land": CostModel(1, 1.0, recurring_capital=True, source=_PUB),
}

_DEFAULT = CostModel(10, 1.0, source="default: 10 years, public")


def cost_model(measure: str) -> CostModel:
    """The :class:`CostModel` of ``measure`` (a default for one not listed)."""
    return COST_MODELS.get(measure, _DEFAULT)


@dataclass(frozen=True)
class MeasureCosts:
    """Cash booked by one measure in the run, and the share of the year it acted."""

    measure: str
    capital_cny: float
    operating_cny: float
    transfer_cny: float
    active_share: float

    @property
    def model(self) -> CostModel:
        """The measure's :class:`CostModel`."""
        return cost_model(self.measure)

    @property
    def operating_cny_per_year(self) -> float:
        """Full-year operating cost: booked operating cash over the share of the year active."""
        booked = self.operating_cny + (self.capital_cny if self.model.recurring_capital else 0.0)
        return booked / self.active_share if self.active_share > 0 else 0.0

    def annualised_cny(self, rate: float = DISCOUNT_RATE) -> float:
        """Annualised resource cost, CNY/yr (transfers excluded)."""
        capital = 0.0 if self.model.recurring_capital else self.capital_cny
        return annualised_cost(
            capital, self.operating_cny_per_year, rate, self.model.lifetime_years
        )

    @property
    def fiscal_outlay_cny(self) -> float:
        """Public cash spent in the run: transfers plus the public share of the resource cash."""
        return self.transfer_cny + self.model.public_share * (self.capital_cny + self.operating_cny)

    @property
    def booked_cny(self) -> float:
        """All cash booked (resource and transfers)."""
        return self.capital_cny + self.operating_cny + self.transfer_cny


def _active_share(state: RunState, measure: str) -> float:
    cfg = getattr(state.scenario.policies, measure, None)
    n = float(state.calendar.n_hours)
    start = getattr(cfg, "start", None)
    end = getattr(cfg, "end", None)
    t0 = 0.0 if start is None else max(0.0, state.calendar.hours_since_start(start))
    t1 = n if end is None else min(n, max(0.0, state.calendar.hours_since_start(end)))
    return max(0.0, min(n, t1) - min(n, t0)) / n


def _sum(events: list[Event], measure: str, key: str) -> float:
    return float(
        sum(e.quantities.get(key, 0.0) for e in events if e.kind == "cost" and e.process == measure)
    )


def measure_costs(
    state: RunState, measures: tuple[str, ...] | None = None
) -> dict[str, MeasureCosts]:
    """The :class:`MeasureCosts` of ``measures`` (default: every measure that booked a cost)."""
    events = [e for e in state.ledger.events if e.kind == "cost"]
    if measures is None:
        measures = tuple(dict.fromkeys(e.process for e in events))
    return {
        m: MeasureCosts(
            m,
            _sum(events, m, "capital_cny"),
            _sum(events, m, "operating_cny"),
            _sum(events, m, "transfer_cny"),
            _active_share(state, m),
        )
        for m in measures
    }


def costs_summary(state: RunState) -> dict[str, Any]:
    """The ``costs`` section of summary.json: the run's totals, annualised and fiscal."""
    found = measure_costs(state)
    return {
        "discount_rate": DISCOUNT_RATE,
        "annualised_cost_cny": round(sum(c.annualised_cny() for c in found.values()), 2),
        "annualised_cost_cny_at_5pct": round(
            sum(c.annualised_cny(SENSITIVITY_RATE) for c in found.values()), 2
        ),
        "fiscal_outlay_cny": round(sum(c.fiscal_outlay_cny for c in found.values()), 2),
        "transfers_cny": round(sum(c.transfer_cny for c in found.values()), 2),
        "booked_cny": round(sum(c.booked_cny for c in found.values()), 2),
    }
