"""Mobile sources: fleet cohorts, cold correction, km conservation, ledger-driven state."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from pydantic import ValidationError

from sim.calendar import Calendar
from sim.errors import ScenarioError
from sim.ledger import Ledger
from sim.scenario.sections.mobile import MobileConfig
from sim.sources.base import POLLUTANTS, EmissionContext
from sim.sources.mobile import MobileSources, annual_hour_shares, profile_weights
from sim.sources.vehicle_factors import road_factors_g_km, standard_rank
from sim.weather import Weather

P = {name: i for i, name in enumerate(POLLUTANTS)}
FLAT = {"workday": [1.0] * 24, "day_off": [1.0] * 24}
REPO = Path(__file__).resolve().parents[2]


def weather(temperature_c: np.ndarray) -> Weather:
    """Weather with the given temperatures and every other variable constant."""
    n = temperature_c.shape[0]
    return Weather(
        wind_m_s=np.full(n, 2.5),
        mixing_height_m=np.full(n, 600.0),
        temperature_c=temperature_c.astype(np.float64),
        relative_humidity_pct=np.full(n, 50.0),
        solar_w_m2=np.zeros(n),
        rain_mm_h=np.zeros(n),
        stagnant=np.zeros(n, dtype=bool),
    )


def build(config: dict[str, Any], calendar: Calendar) -> tuple[MobileSources, Ledger]:
    sources = MobileSources(MobileConfig.model_validate(config), calendar)
    ledger = Ledger(calendar.n_hours)
    sources.start(None, ledger, np.random.default_rng(0))  # type: ignore[arg-type]
    return sources, ledger


def tiny_fleet() -> dict[str, Any]:
    """100 China V cars (10,000 km, all in district), 10 China IV heavy trucks (50,000 km, half)."""
    return {
        "profiles": {"flat": FLAT},
        "classes": {
            "car": {"annual_km": 10000, "district_fraction": 1.0, "profile": "flat"},
            "heavy_truck": {"annual_km": 50000, "district_fraction": 0.5, "profile": "flat"},
            "taxi": {"annual_km": 1, "profile": "flat"},
            "bus": {"annual_km": 1, "profile": "flat"},
            "light_truck": {"annual_km": 1, "profile": "flat"},
            "medium_truck": {"annual_km": 1, "profile": "flat"},
        },
        "evaporative": {"gasoline_throughput_t_yr": 0, "profile": "flat"},
        "fleet": [
            {"name": "cars", "vehicle_class": "car", "standard": "china5", "count": 100},
            {"name": "trucks", "vehicle_class": "heavy_truck", "standard": "china4", "count": 10},
        ],
    }


@pytest.fixture
def year_2024() -> Calendar:
    return Calendar(datetime(2024, 1, 1), datetime(2025, 1, 1))


def test_tiny_fleet_annual_emissions_equal_count_times_km_times_mee_factor(
    year_2024: Calendar,
) -> None:
    sources, ledger = build(tiny_fleet(), year_2024)
    warm = weather(np.full(year_2024.n_hours, 20.0))
    total = sources.on_road(EmissionContext(year_2024, warm, ledger)).sum(axis=0)
    # MEE 2014 car China V: NOx 0.147, PM2.5 0.006, HC 0.107 g/km;
    # heavy diesel China IV: NOx 5.554, PM2.5 0.138, HC 0.129 g/km. 100×10,000 km; 10×25,000 km.
    assert total[P["NOx"]] == pytest.approx((1e6 * 0.147 + 2.5e5 * 5.554) / 1000, rel=1e-12)
    assert total[P["PM2.5"]] == pytest.approx((1e6 * 0.006 + 2.5e5 * 0.138) / 1000, rel=1e-12)
    assert total[P["VOC"]] == pytest.approx((1e6 * 0.107 + 2.5e5 * 0.129) / 1000, rel=1e-12)


def test_cold_january_raises_gasoline_voc_and_heavy_diesel_pm_by_mee_factors(
    year_2024: Calendar,
) -> None:
    sources, ledger = build(tiny_fleet(), year_2024)
    temps = np.full(year_2024.n_hours, 20.0)
    temps[:744] = 0.0  # January 2024 (31 days) below 10 °C
    total = sources.on_road(EmissionContext(year_2024, weather(temps), ledger)).sum(axis=0)
    cold_share = 744 / 8784  # flat profile: every hour of 2024 carries 1/8784 of the km
    car_voc = 1e6 * 0.107 / 1000 * (1 + 0.47 * cold_share)
    truck_voc = 2.5e5 * 0.129 / 1000  # diesel HC has no cold factor
    assert total[P["VOC"]] == pytest.approx(car_voc + truck_voc, rel=1e-12)
    truck_pm = 2.5e5 * 0.138 / 1000 * (1 + 0.7 * cold_share)
    assert total[P["PM2.5"]] == pytest.approx(1e6 * 0.006 / 1000 + truck_pm, rel=1e-12)
    car_co = 1e6 * 1.98 / 1000 * (1 + 0.36 * cold_share)
    assert total[P["CO"]] == pytest.approx(car_co + 2.5e5 * 2.2 / 1000, rel=1e-12)


def test_cold_correction_can_be_switched_off(year_2024: Calendar) -> None:
    sources, ledger = build({**tiny_fleet(), "cold_correction": False}, year_2024)
    cold = weather(np.full(year_2024.n_hours, -5.0))
    total = sources.on_road(EmissionContext(year_2024, cold, ledger)).sum(axis=0)
    assert total[P["VOC"]] == pytest.approx((1e6 * 0.107 + 2.5e5 * 0.129) / 1000, rel=1e-12)


@pytest.mark.parametrize("year", [2023, 2024])
def test_default_profiles_conserve_annual_km_exactly(year: int) -> None:
    cal = Calendar(datetime(year, 1, 1), datetime(year + 1, 1, 1))
    sources = MobileSources(MobileConfig(), cal)
    np.testing.assert_allclose(sources.km_shares.sum(axis=0), 1.0, rtol=1e-12)


def test_hour_shares_follow_the_profile_ratio_and_day_type(year_2024: Calendar) -> None:
    workday = [1.0] * 24
    workday[8] = 5.0
    profile = MobileConfig.model_validate(
        {
            "profiles": {
                "p": {"workday": workday, "day_off": [2.0] * 24},
                "light_duty": FLAT,
                "truck": FLAT,
                "bus": FLAT,
            }
        }
    ).profiles["p"]
    share = annual_hour_shares(year_2024, [profile_weights(profile)])[:, 0]
    # 2024: 251 working days (State Council notice), 115 days off. Year weight:
    # 251 × (23 + 5) + 115 × 48 = 12,548.
    assert share.sum() == pytest.approx(1.0, rel=1e-12)
    tue_8h = year_2024.hours_since_start("2024-03-05 08:00")  # an ordinary Tuesday
    sun_8h = year_2024.hours_since_start("2024-03-10 08:00")
    assert share[int(tue_8h)] == pytest.approx(5.0 / 12548, rel=1e-12)
    assert share[int(sun_8h)] == pytest.approx(2.0 / 12548, rel=1e-12)


def test_a_short_run_gets_its_part_of_the_year() -> None:
    january = Calendar(datetime(2024, 1, 1), datetime(2024, 2, 1))
    sources, ledger = build(tiny_fleet(), january)
    total = sources.on_road(EmissionContext(january, weather(np.full(744, 20.0)), ledger))
    expected_nox = (1e6 * 0.147 + 2.5e5 * 5.554) / 1000 * 744 / 8784
    assert total[:, P["NOx"]].sum() == pytest.approx(expected_nox, rel=1e-12)


def test_count_change_at_t0_scales_emissions_exactly(year_2024: Calendar) -> None:
    sources, ledger = build(tiny_fleet(), year_2024)
    ctx = EmissionContext(year_2024, weather(np.full(year_2024.n_hours, 5.0)), ledger)
    before = sources.on_road(ctx)
    ledger.set(0.0, MobileSources.FLEET_COUNT, ledger.current(MobileSources.FLEET_COUNT) * 3)
    np.testing.assert_allclose(sources.on_road(ctx), 3 * before, rtol=1e-12)


def test_retiring_china3_and_older_at_midyear_halves_their_emissions(year_2024: Calendar) -> None:
    config = tiny_fleet()
    config["fleet"].append(
        {"name": "old_trucks", "vehicle_class": "heavy_truck", "standard": "china3", "count": 4}
    )
    sources, ledger = build(config, year_2024)
    old = sources.cohort_indices(max_rank=standard_rank("china3"))
    assert [
        sources.cohorts[i].standard
        for i in old
        if sources.cohorts[i].vehicle_class == "heavy_truck"
    ] == ["pre", "china1", "china2", "china3"]
    ledger.set(4392.0, MobileSources.FLEET_COUNT, 0.0, index=old)  # 2024-07-02 00:00
    ctx = EmissionContext(year_2024, weather(np.full(year_2024.n_hours, 20.0)), ledger)
    nox = sources.on_road(ctx)[:, P["NOx"]].sum()
    # China III heavy NOx 7.934 g/km; 4 trucks × 25,000 km, half the (flat) year: 4392/8784.
    full = (1e6 * 0.147 + 2.5e5 * 5.554 + 1e5 * 7.934) / 1000
    assert nox == pytest.approx(full - 1e5 * 7.934 / 1000 * 0.5, rel=1e-12)


def test_emission_multiplier_from_midyear_scales_one_cohort_and_pollutant(
    year_2024: Calendar,
) -> None:
    sources, ledger = build(tiny_fleet(), year_2024)
    truck = sources.cohort_index("heavy_truck", "china4")
    ledger.set(4392.0, MobileSources.FLEET_MULTIPLIER, 4.0, index=(truck, P["NOx"]))
    ctx = EmissionContext(year_2024, weather(np.full(year_2024.n_hours, 20.0)), ledger)
    total = sources.on_road(ctx).sum(axis=0)
    truck_nox = 2.5e5 * 5.554 / 1000
    assert total[P["NOx"]] == pytest.approx(147.0 + truck_nox * (0.5 + 4 * 0.5), rel=1e-12)
    assert total[P["PM2.5"]] == pytest.approx((1e6 * 0.006 + 2.5e5 * 0.138) / 1000, rel=1e-12)


def test_cohort_index_points_at_the_named_cohort(year_2024: Calendar) -> None:
    sources = MobileSources(MobileConfig(), year_2024)
    i = sources.cohort_index("taxi", "china4")
    assert (sources.cohorts[i].vehicle_class, sources.cohorts[i].standard) == ("taxi", "china4")
    assert len(sources.cohorts) == 6 * 8
    with pytest.raises(ValueError, match="vehicle_class"):
        sources.cohort_index("tractor", "china4")


def test_factor_table_derivations() -> None:
    f = road_factors_g_km(fuel_sulfur_mg_kg=10.0)
    car, bus, heavy = 0, 2, 5
    china5, china6, nev = 5, 6, 7
    # China VI heavy-duty NOx: real-world ratio 1.42/3.89 of China V (Wang et al. 2022).
    assert f[heavy, china6, P["NOx"]] == pytest.approx(4.721 * 1.42 / 3.89)
    assert f[heavy, china6, P["PM2.5"]] == pytest.approx(0.027)
    np.testing.assert_allclose(f[bus], f[heavy] * np.array([1, 1, 1, 35 / 30, 1, 1, 1]), rtol=1e-12)
    np.testing.assert_array_equal(f[:, nev], 0.0)
    # SO2 = 2 × 10 mg/kg × (7.5 L/100 km × 0.74 kg/L) = 2 × 1e-5 × 55.5 g/km
    assert f[car, china5, P["SO2"]] == pytest.approx(2 * 1e-5 * 55.5)
    assert f[car, china6, P["NH3"]] == pytest.approx(0.004)
    assert f[heavy, china5, P["NH3"]] == 0.0


def test_non_road_emissions_are_energy_times_factor_in_working_daytime(
    year_2024: Calendar,
) -> None:
    config = {
        "non_road": [
            {
                "name": "excavators",
                "fuel": "diesel",
                "stage": "stage2",
                "count": 10,
                "power_kw": 100,
                "load_factor": 0.4,
                "annual_hours": 1000,
            },
            {
                "name": "e_forklifts",
                "fuel": "electric",
                "count": 50,
                "power_kw": 20,
                "load_factor": 0.3,
                "annual_hours": 1500,
            },
        ]
    }
    sources, ledger = build(config, year_2024)
    out = sources.non_road(EmissionContext(year_2024, weather(np.full(8784, 20.0)), ledger))
    # 10 × 100 kW × 0.4 × 1000 h = 400,000 kWh; stage II NOx 7.0, PM 0.4 g/kWh (GB 20891-2007).
    assert out[:, P["NOx"]].sum() == pytest.approx(2800.0, rel=1e-12)
    assert out[:, P["PM10"]].sum() == pytest.approx(160.0, rel=1e-12)
    working_day = year_2024.workday & (year_2024.hour_of_day >= 7) & (year_2024.hour_of_day < 19)
    assert np.all(out[~working_day] == 0.0)
    # 251 working days × 12 h = 3012 operating hours share the 2800 kg evenly.
    np.testing.assert_allclose(out[working_day, P["NOx"]], 2800.0 / 3012, rtol=1e-12)


def test_non_road_hours_beyond_the_schedule_are_rejected(year_2024: Calendar) -> None:
    config = MobileConfig.model_validate(
        {
            "non_road": [
                {
                    "name": "x",
                    "fuel": "diesel",
                    "count": 1,
                    "power_kw": 50,
                    "load_factor": 0.5,
                    "annual_hours": 4000,
                }
            ]
        }
    )
    with pytest.raises(ScenarioError, match="annual_hours"):
        MobileSources(config, year_2024)


def test_evaporative_voc_is_throughput_times_losses_less_vapour_recovery(
    year_2024: Calendar,
) -> None:
    config = {
        "evaporative": {
            "gasoline_throughput_t_yr": 740,
            "density_kg_l": 0.74,
            "control_efficiency": 0.8,
        }
    }
    sources, ledger = build(config, year_2024)
    ctx = EmissionContext(year_2024, weather(np.full(8784, 20.0)), ledger)
    # 1e6 L × ((880 + 120 + 1320) mg/L × (1 − 0.8) + 80 mg/L spillage) = 544 kg
    assert sources.evaporative(ctx)[:, P["VOC"]].sum() == pytest.approx(544.0, rel=1e-12)
    ledger.set(0.0, MobileSources.EVAP_CONTROL, 0.95)
    assert sources.evaporative(ctx)[:, P["VOC"]].sum() == pytest.approx(196.0, rel=1e-12)


def test_config_rejects_a_repeated_cohort_and_an_unknown_profile() -> None:
    cohort = {"vehicle_class": "car", "standard": "china5", "count": 1}
    with pytest.raises(ValidationError, match="repeats"):
        MobileConfig.model_validate({"fleet": [{"name": "a", **cohort}, {"name": "b", **cohort}]})
    with pytest.raises(ValidationError, match="not defined"):
        MobileConfig.model_validate({"classes": {"car": {"annual_km": 1, "profile": "nope"}}})
    with pytest.raises(ValidationError):
        MobileConfig.model_validate({"fleet": [{"name": "a", **cohort, "count": -5}]})


def test_count_may_carry_its_source() -> None:
    cfg = MobileConfig.model_validate(
        {
            "fleet": [
                {
                    "name": "a",
                    "vehicle_class": "car",
                    "standard": "china5",
                    "count": {"value": 12.0, "unit": "vehicles", "source": "test"},
                }
            ]
        }
    )
    assert cfg.fleet[0].count == 12.0


def test_baseline_part_has_the_census_fleet_and_no_negative_emissions(year_2024: Calendar) -> None:
    raw = yaml.safe_load((REPO / "scenarios/baseline.yaml").read_text(encoding="utf-8"))
    sources, ledger = build(raw["sources"]["mobile"], year_2024)
    # 483,130 residents × 190 vehicles per 1,000 = 91,795 (DOMAIN.md §3, §5)
    assert sum(c.count for c in sources.config.fleet) == pytest.approx(483130 * 0.19, rel=0.001)
    temps = np.where(np.isin(year_2024.month, [1, 2, 12]), -2.0, 18.0)
    for name, arr in sources.emissions(EmissionContext(year_2024, weather(temps), ledger)).items():
        assert arr.shape == (8784, len(POLLUTANTS)), name
        assert arr.min() >= 0.0, name


def test_a_class_given_in_part_keeps_its_other_defaults() -> None:
    cfg = MobileConfig.model_validate({"classes": {"heavy_truck": {"annual_km": 70000}}})
    assert cfg.classes.heavy_truck.annual_km == 70000
    assert cfg.classes.heavy_truck.district_fraction == 0.1
    assert cfg.classes.heavy_truck.profile == "truck"
