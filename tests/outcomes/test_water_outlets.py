"""Outlets one by one (sim.outcomes.water_outlets, remediation order in the scenario section)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.outcomes.water_outlets import OUTLET_COLUMNS, split_outlets
from sim.scenario import load_scenario
from sim.scenario.sections.water import (
    OutletConfig,
    WaterConfig,
    listed_outlets,
    remediation_order,
)

BASELINE = Path(__file__).parents[2] / "scenarios" / "baseline.yaml"


@pytest.fixture(scope="module")
def cfg() -> WaterConfig:
    sc = load_scenario(BASELINE)
    assert sc.water is not None
    return sc.water


def _two_outlets(cfg: WaterConfig, order: str = "listed") -> WaterConfig:
    """Area 0 with two combined outlets (20 and 60 m3/d; the second costs 1 M CNY), the other
    areas without lists."""
    outs = [
        OutletConfig(name="a", kind="combined", dry_weather_m3_d=20.0),
        OutletConfig(name="b", kind="combined", dry_weather_m3_d=60.0, cost_cny=1e6),
    ]
    areas = [cfg.drainage_areas[0].model_copy(update={"outlet_list": outs, "outlets": 2})]
    areas += [a.model_copy(update={"outlet_list": []}) for a in cfg.drainage_areas[1:]]
    return cfg.model_copy(update={"drainage_areas": areas, "outlet_order": order})


def test_outlet_loads_follow_flow_times_concentration_by_hand(cfg: WaterConfig) -> None:
    w = _two_outlets(cfg)
    n_t, n_a = 48, len(w.drainage_areas)
    days = pd.date_range("2024-01-01", periods=2, freq="D")
    day_index = np.repeat(np.arange(2), 24)
    q = np.full((n_t, n_a), 0.5)  # m3/s, 43,200 m3/d
    conc = np.array([300.0, 100.0, 30.0, 4.0])  # g/m3: COD, BODu, NH3-N, TP
    g = q[..., None] * conc
    rem = np.zeros((n_t, 2))
    rem[24:, 1] = 1.0  # outlet b remediated at the start of day 2
    species = ("cod", "bodu", "nh3n", "tp")
    sq, sg, loads = split_outlets(w, days, day_index, (q, g), q.mean(axis=0), rem, species)
    # day 1: a and b discharge 20 + 60 = 80 m3/d; day 2: a alone, 20 m3/d
    assert loads.direct_m3[:, 0].sum() == pytest.approx(80.0 + 20.0)
    assert loads.direct_m3[:, 1:].sum() == 0.0
    # what stays in the sewers plus what leaves = the sewage
    assert (sq * 3600).sum() + loads.direct_m3.sum() == pytest.approx((q * 3600).sum())
    t = loads.table
    assert list(t.columns) == list(OUTLET_COLUMNS)
    # a: 20 m3/d x 2 d x 300 g/m3 = 12 kg = 0.012 t, never remediated
    assert t.loc[0, "cod_before_t"] == pytest.approx(0.012)
    assert t.loc[0, "cod_after_t"] == pytest.approx(0.012)
    assert t.loc[0, "remediated_on"] == ""
    # b: 60 x 2 x 300 = 36 kg before; after: day 1 only, 18 kg; NH3-N 60 x 2 x 30 = 3.6 kg
    assert t.loc[1, "cod_before_t"] == pytest.approx(0.036)
    assert t.loc[1, "cod_after_t"] == pytest.approx(0.018)
    assert t.loc[1, "nh3n_before_t"] == pytest.approx(0.0036)
    assert t.loc[1, "remediated_on"] == "2024-01-02"
    assert (sg[..., 0] * 3600).sum() + loads.direct_kg[..., 0].sum() * 1e3 == pytest.approx(
        (g[..., 0] * 3600).sum()
    )


def test_remediation_order_listed_or_most_load_per_cny(cfg: WaterConfig) -> None:
    assert remediation_order(_two_outlets(cfg), 300_000.0) == [0, 1]
    # per CNY: a 20/300,000 = 6.7e-5; b 60/1e6 = 6.0e-5 -> a first
    assert remediation_order(_two_outlets(cfg, "load_per_cny"), 300_000.0) == [0, 1]
    # at a default cost of 400,000: a 5.0e-5 < b 6.0e-5 -> b first
    assert remediation_order(_two_outlets(cfg, "load_per_cny"), 400_000.0) == [1, 0]


def test_baseline_lists_every_outlet_with_its_kind(cfg: WaterConfig) -> None:
    outs = listed_outlets(cfg)
    assert len(outs) == sum(a.outlets for a in cfg.drainage_areas) == 64
    kinds = [o.kind for _, o in outs]
    assert kinds.count("combined") == 26
    assert sum(o.remediated for _, o in outs) == 15


def test_outlet_list_must_match_the_counts(cfg: WaterConfig) -> None:
    a = cfg.drainage_areas[0]
    with pytest.raises(ValueError, match="outlet_list must have"):
        type(a).model_validate({**a.model_dump(), "outlets": 13})
