"""The uncertain river inputs drawn once per run (sim.outcomes.water_draws)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from sim.outcomes.water_draws import BODU_PER_BOD5, draw_river_inputs
from sim.scenario import load_scenario
from sim.scenario.sections.water import WaterConfig

BASELINE = Path(__file__).parents[2] / "scenarios" / "baseline.yaml"


@pytest.fixture(scope="module")
def cfg() -> WaterConfig:
    sc = load_scenario(BASELINE)
    assert sc.water is not None
    return sc.water


def _plain(cfg: WaterConfig, adoption: float) -> WaterConfig:
    rivers = [
        r.model_copy(
            update={"cod_mg_l": 20.0, "bod5_mg_l": 3.0, "nh3n_mg_l": 0.8, "tp_mg_l": 0.15,
                    "do_mg_l": 7.0, "flow_factor": 0.7}
        )
        for r in cfg.rivers
    ]  # fmt: skip
    kin = cfg.kinetics.model_copy(
        update={"k_cod_per_d": 0.2, "k_nh3n_per_d": 0.1, "sod_g_m2_d": 1.5,
                "reaeration_min_per_d": 0.8, "codmn_per_cod": 0.3}
    )  # fmt: skip
    up = cfg.upstream.model_copy(update={"adoption": adoption})
    return cfg.model_copy(update={"rivers": rivers, "kinetics": kin, "upstream": up})


def test_plain_numbers_are_used_as_given_and_consume_no_random_numbers(cfg: WaterConfig) -> None:
    rng = np.random.default_rng(1)
    d = draw_river_inputs(_plain(cfg, adoption=0.5), rng)
    # the generator is untouched: its next draw equals a fresh generator's first
    assert rng.random() == np.random.default_rng(1).random()
    # hand: adoption 0.5 of cuts COD 0.2, NH3-N 0.3, TP 0.2 (the UpstreamConfig defaults)
    b = d.boundary["ziya"]
    assert b["cod"] == pytest.approx(20.0 * 0.9)
    assert b["nh3n"] == pytest.approx(0.8 * 0.85)
    assert b["tp"] == pytest.approx(0.15 * 0.9)
    assert b["do"] == pytest.approx(7.0)
    # BODu = BOD5 / (1 - e^(-5 x 0.23)) = 3 x 1.463351 (e^-1.15 = 0.316637), then the COD cut
    assert pytest.approx(1.0 / (1.0 - math.exp(-1.15))) == BODU_PER_BOD5
    assert b["bodu"] == pytest.approx(3.0 * 1.463351 * 0.9, rel=1e-6)
    assert d.flow_factor == {r.name: 0.7 for r in cfg.rivers}
    assert d.rates.sod_g_m2_d == 1.5
    assert d.reaeration_min_per_d == 0.8


def test_the_baseline_samples_boundaries_flows_and_rates_within_their_ranges(
    cfg: WaterConfig,
) -> None:
    draws = [draw_river_inputs(cfg, np.random.default_rng(s)) for s in range(200)]
    k_cod = np.array([d.rates.k_cod_per_d for d in draws])
    tp = np.array([d.boundary["south_canal"]["tp"] for d in draws])
    flow = np.array([d.flow_factor["ziya"] for d in draws])
    # declared: k_COD U(0.1, 0.3), TP tri(0.12, 0.15, 0.18), flow tri(0.7, 1, 1.3)
    assert k_cod.min() >= 0.1
    assert k_cod.max() <= 0.3
    assert k_cod.mean() == pytest.approx(0.2, abs=0.015)  # sd of the mean 0.0577/sqrt(200)=0.004
    assert tp.min() >= 0.12
    assert tp.max() <= 0.18
    assert tp.std() > 0.005
    assert flow.min() >= 0.7
    assert flow.max() <= 1.3
    assert flow.mean() == pytest.approx(1.0, abs=0.03)  # tri sd 0.122, sd of mean 0.009
    # each river draws its own boundary
    assert not np.allclose(tp, [d.boundary["ziya"]["tp"] for d in draws])
