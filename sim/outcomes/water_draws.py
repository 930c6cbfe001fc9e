"""The uncertain river inputs of one water year, drawn once per run (ensemble member).

Upstream boundary concentrations and flows of every river and the river kinetics (decay,
nitrification, reaeration floor, sediment oxygen demand) are scenario inputs that may be
distributions (:mod:`sim.scenario.distributions`); each run draws them from its
``water.parameters`` stream, so an ensemble samples them and P(sections at class III or better)
reflects them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.scenario.distributions import draw
from sim.scenario.sections.water import WaterConfig
from sim.water.river import RiverRates

__all__ = ["BODU_PER_BOD5", "RiverDraws", "draw_river_inputs"]

#: Ultimate BOD per BOD5: 1/(1 - exp(-5·k1)) with the bottle rate k1 = 0.23/d (Chapra 2008,
#: ch. 19, typical of municipal wastewater, M). Degradable COD is taken as ultimate BOD.
BODU_PER_BOD5 = 1.0 / (1.0 - math.exp(-5.0 * 0.23))


@dataclass(frozen=True)
class RiverDraws:
    """The uncertain river inputs of one run, drawn once: kinetics, the reaeration floor, each
    river's flow factor and boundary concentrations (mg/L; ``bodu`` is ultimate BOD, after
    the upstream districts' adoption of the plan)."""

    rates: RiverRates
    reaeration_min_per_d: float
    flow_factor: dict[str, float]
    boundary: dict[str, dict[str, float]]


def draw_river_inputs(cfg: WaterConfig, rng: np.random.Generator) -> RiverDraws:
    """Draw the uncertain river inputs in a fixed order (kinetics, adoption, then each river as
    listed: COD, NH3-N, TP, DO, BOD5; then SOD, the reaeration floor and each flow factor).
    Plain numbers consume no random numbers."""
    k, up = cfg.kinetics, cfg.upstream
    k_cod, k_n = float(draw(k.k_cod_per_d, rng)), float(draw(k.k_nh3n_per_d, rng))
    adoption = float(np.clip(draw(up.adoption, rng), 0.0, 1.0))
    cut = {
        "cod": up.cod_reduction_at_full_adoption,
        "bodu": up.cod_reduction_at_full_adoption,
        "nh3n": up.nh3n_reduction_at_full_adoption,
        "tp": up.tp_reduction_at_full_adoption,
        "do": 0.0,
    }
    boundary: dict[str, dict[str, float]] = {}
    for r in cfg.rivers:
        base = {key: max(0.0, float(draw(getattr(r, f"{key}_mg_l"), rng))) for key in _BOUNDARY}
        base["bodu"] = min(max(0.0, float(draw(r.bod5_mg_l, rng))) * BODU_PER_BOD5, base["cod"])
        boundary[r.name] = {key: v * (1.0 - adoption * cut[key]) for key, v in base.items()}
    sod = max(0.0, float(draw(k.sod_g_m2_d, rng)))
    floor = max(0.0, float(draw(k.reaeration_min_per_d, rng)))
    flow = {r.name: max(0.0, float(draw(r.flow_factor, rng))) for r in cfg.rivers}
    rates = RiverRates(
        k_cod, k_n, k.theta_cod, k.theta_nh3n, k.theta_ka, sod_g_m2_d=sod, theta_sod=k.theta_sod
    )
    return RiverDraws(rates, floor, flow, boundary)


_BOUNDARY = ("cod", "nh3n", "tp", "do")
