"""Industrial sources: VOC after capture and treatment, operating schedules, ledger state."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from pydantic import ValidationError

from sim.calendar import Calendar
from sim.ledger import Ledger
from sim.scenario.sections.industrial import IndustrialConfig
from sim.sources.base import POLLUTANTS, EmissionContext
from sim.sources.industrial import IndustrialSources
from sim.weather import Weather

VOC = POLLUTANTS.index("VOC")
P = {name: i for i, name in enumerate(POLLUTANTS)}
REPO = Path(__file__).resolve().parents[2]


def constant_weather(n: int) -> Weather:
    return Weather(
        wind_m_s=np.full(n, 2.5),
        mixing_height_m=np.full(n, 600.0),
        temperature_c=np.full(n, 15.0),
        relative_humidity_pct=np.full(n, 50.0),
        solar_w_m2=np.zeros(n),
        rain_mm_h=np.zeros(n),
        stagnant=np.zeros(n, dtype=bool),
    )


def printing(**overrides: Any) -> dict[str, Any]:
    """80 t/yr of ink at 350 g VOC/kg, 50 % captured, 40 % removed, 8-18 h on working days."""
    return {
        "name": "printing",
        "solvent_use_t_yr": 80,
        "voc_content_g_kg": 350,
        "capture_efficiency": 0.5,
        "removal_efficiency": 0.4,
        **overrides,
    }


def build(
    enterprises: list[dict[str, Any]], calendar: Calendar
) -> tuple[IndustrialSources, Ledger, EmissionContext]:
    sources = IndustrialSources(
        IndustrialConfig.model_validate({"enterprises": enterprises}), calendar
    )
    ledger = Ledger(calendar.n_hours)
    sources.start(None, ledger, np.random.default_rng(0))  # type: ignore[arg-type]
    return sources, ledger, EmissionContext(calendar, constant_weather(calendar.n_hours), ledger)


@pytest.fixture
def year_2024() -> Calendar:
    return Calendar(datetime(2024, 1, 1), datetime(2025, 1, 1))


def test_annual_voc_is_use_times_content_times_uncaptured_or_untreated_share(
    year_2024: Calendar,
) -> None:
    sources, _, ctx = build([printing()], year_2024)
    out = sources.emissions(ctx)["printing"]
    # 80 t × 350 g/kg = 28,000 kg; × (1 − 0.5 × 0.4) = 22,400 kg
    assert out[:, VOC].sum() == pytest.approx(22400.0, rel=1e-12)
    assert np.all(np.delete(out, VOC, axis=1) == 0.0)


def test_no_emissions_outside_operating_hours_and_even_spread_inside(year_2024: Calendar) -> None:
    sources, _, ctx = build([printing()], year_2024)
    voc = sources.emissions(ctx)["printing"][:, VOC]
    hod = year_2024.hour_of_day
    on = year_2024.workday & (hod >= 8) & (hod < 18)
    assert np.all(voc[~on] == 0.0)
    # 2024 had 251 working days (State Council notice) × 10 h = 2510 operating hours.
    np.testing.assert_allclose(voc[on], 22400.0 / 2510, rtol=1e-12)


def test_all_days_schedule_runs_on_sundays(year_2024: Calendar) -> None:
    sources, _, ctx = build([printing(days="all", start_hour=9, end_hour=21)], year_2024)
    voc = sources.emissions(ctx)["printing"][:, VOC]
    sunday_noon = int(year_2024.hours_since_start("2024-03-10 12:00"))
    assert voc[sunday_noon] == pytest.approx(22400.0 / (366 * 12), rel=1e-12)


def test_retrofit_midyear_scales_later_hours_by_the_uncontrolled_ratio(
    year_2024: Calendar,
) -> None:
    sources, ledger, ctx = build([printing()], year_2024)
    before = sources.emissions(ctx)["printing"][:, VOC]
    t = year_2024.hours_since_start("2024-07-01")
    ledger.set(t, sources.streams_for("printing").removal_efficiency, 0.95)
    after = sources.emissions(ctx)["printing"][:, VOC]
    k = int(t)
    np.testing.assert_array_equal(after[:k], before[:k])
    # (1 − 0.5 × 0.95) / (1 − 0.5 × 0.4) = 0.525 / 0.8
    np.testing.assert_allclose(after[k:], before[k:] * 0.525 / 0.8, rtol=1e-12)


def test_low_voc_substitution_and_stoppage_act_through_their_streams(year_2024: Calendar) -> None:
    boiler = {"gas_use_m3_yr": 1e6}
    sources, ledger, ctx = build([printing(boiler=boiler)], year_2024)
    s = sources.streams_for("printing")
    ledger.set(0.0, s.voc_content_factor, 0.25)
    out = sources.emissions(ctx)["printing"].sum(axis=0)
    # VOC from materials 22,400 × 0.25 = 5,600 kg; boiler VOC 1,000 × 0.088 kg; NOx 1,000 × 0.80
    assert out[VOC] == pytest.approx(5600.0 + 88.0, rel=1e-12)
    assert out[P["NOx"]] == pytest.approx(800.0, rel=1e-12)
    ledger.set(0.0, s.operating, 0.0)
    assert np.all(sources.emissions(ctx)["printing"] == 0.0)


def test_boiler_emissions_follow_ap42_factors_per_1000_m3(year_2024: Calendar) -> None:
    group = printing(solvent_use_t_yr=0, boiler={"gas_use_m3_yr": 2e6})
    sources, _, ctx = build([group], year_2024)
    out = sources.emissions(ctx)["printing"].sum(axis=0)
    # 2,000 × (PM 0.12, SO2 0.0096, CO 1.35) kg per 1000 m³
    assert out[P["PM2.5"]] == pytest.approx(240.0)
    assert out[P["PM10"]] == pytest.approx(240.0)
    assert out[P["SO2"]] == pytest.approx(19.2)
    assert out[P["CO"]] == pytest.approx(2700.0)


def test_stream_names_and_enterprise_names(year_2024: Calendar) -> None:
    sources, ledger, _ = build([printing(), printing(name="dry_cleaning")], year_2024)
    assert sources.enterprise_names == ("printing", "dry_cleaning")
    s = sources.streams_for("dry_cleaning")
    assert s.removal_efficiency == "industrial.dry_cleaning.removal_efficiency"
    assert float(ledger.current(s.capture_efficiency)) == 0.5
    assert float(ledger.current(s.voc_content_factor)) == 1.0
    with pytest.raises(KeyError):
        sources.streams_for("nope")


def test_config_rejects_bad_names_duplicates_too_many_groups_and_bad_efficiency() -> None:
    with pytest.raises(ValidationError, match="lower-case"):
        IndustrialConfig.model_validate({"enterprises": [printing(name="Auto Repair")]})
    with pytest.raises(ValidationError, match="duplicate"):
        IndustrialConfig.model_validate({"enterprises": [printing(), printing()]})
    many = [printing(name=f"g{i}") for i in range(11)]
    with pytest.raises(ValidationError):
        IndustrialConfig.model_validate({"enterprises": many})
    with pytest.raises(ValidationError):
        IndustrialConfig.model_validate({"enterprises": [printing(removal_efficiency=1.2)]})


def test_baseline_part_totals_match_its_stated_arithmetic(year_2024: Calendar) -> None:
    raw = yaml.safe_load((REPO / "scenarios/baseline.yaml").read_text(encoding="utf-8"))
    sources, _, ctx = build(raw["sources"]["industrial"]["enterprises"], year_2024)
    out = sources.emissions(ctx)
    voc_t = {name: arr[:, VOC].sum() / 1000 for name, arr in out.items()}
    # the file's header: 48×550×0.79, 70×350×0.8, 25×1000×0.85 (t) and a 0.5 Mm³ boiler
    assert voc_t["auto_repair_spraying"] == pytest.approx(20.856, rel=1e-9)
    assert voc_t["printing_packaging"] == pytest.approx(19.6, rel=1e-9)
    assert voc_t["dry_cleaning"] == pytest.approx(21.25, rel=1e-9)
    assert voc_t["metal_surface_coating"] == pytest.approx(60 * 42.8 * 0.28 / 1000 + 0.044)
    assert all(arr.min() >= 0.0 for arr in out.values())
