"""A compact fingerprint of a water year's outcome, for the equivalence test against a stored one.

``python tests/water/_year_fingerprint.py`` (from the worktree root) writes
``tests/water/year_reference.json`` with the fingerprints of the baseline year (seeds 42 and 7)
and of plan2024 (its run and, through ``cod_reduction_t``, its run without measures). The stored
file was first produced by the water code of commit 4c0eef8, before the water year was made
faster (issue 13 point 6), and the faster code matched it; it was regenerated once with that
verified code when air part 2 changed the synthetic weather. It is not to be regenerated unless
the model or its inputs are meant to change.

A fingerprint holds the water summary's numbers, the daily GB 3838 classes and black-odorous
grades as digit strings, and for every daily float variable of the Dataset three checksums per
column (the non-day dimensions flattened): the annual sum, a sum weighted by
``1 + 0.5·sin(0.37·d)`` over day d (order-sensitive) and the maximum; and the listed outlets'
table (annual COD and NH3-N before and after remediation, the day remediated).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

import sim
from sim.engine import simulate_state
from sim.outcomes import Outcome

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = Path(__file__).with_name("year_reference.json")

#: (name, scenario file, seed or None for the scenario's own)
CASES = (
    ("baseline", "scenarios/baseline.yaml", None),
    ("baseline_seed7", "scenarios/baseline.yaml", 7),
    ("plan2024", "scenarios/plan2024.yaml", None),
)
FLOAT_VARIABLES = (
    "water_flow", "water_load", "cso_volume", "river_inflow_load", "river_inflow_volume",
    "section_concentration", "outlets_remediated_share",
)  # fmt: skip
OUTLET_VARIABLES = (
    "outlet_cod_before_t",
    "outlet_cod_after_t",
    "outlet_nh3n_before_t",
    "outlet_nh3n_after_t",
    "outlet_area",
    "outlet_kind",
    "outlet_remediated_on",
)
CLASS_VARIABLES = ("section_class_daily", "black_odorous_grade")


def fingerprint(outcome: Outcome) -> dict[str, Any]:
    """The fingerprint of one water outcome (see the module docstring)."""
    ds = outcome.dataset
    out: dict[str, Any] = {"summary": _numbers(outcome.summary)}
    for name in FLOAT_VARIABLES:
        x = np.asarray(ds[name].values, dtype=np.float64)
        x = x.reshape(x.shape[0], -1)
        w = 1.0 + 0.5 * np.sin(0.37 * np.arange(x.shape[0]))
        out[name] = {
            "sum": x.sum(axis=0).tolist(),
            "weighted": (w @ x).tolist(),
            "max": x.max(axis=0).tolist(),
        }
    for name in CLASS_VARIABLES:
        v = np.asarray(ds[name].values)
        out[name] = ["".join(str(int(c)) for c in v[:, i]) for i in range(v.shape[1])]
    for name in OUTLET_VARIABLES:  # per listed outlet, as in outlets.csv
        out[name] = np.asarray(ds[name].values).tolist()
    out["section_class_monthly"] = np.asarray(ds["section_class_monthly"].values).tolist()
    out["section_class_annual"] = np.asarray(ds["section_class_annual"].values).tolist()
    return out


def _numbers(summary: dict[str, Any]) -> dict[str, Any]:
    """The summary's numbers and names, nested dicts kept (JSON-safe)."""
    return json.loads(json.dumps(summary))


def case_outcome(scenario: str, seed: int | None) -> Outcome:
    """The water outcome of a case, with the run without measures handed over as the api does."""
    from sim.outcomes import water

    state = simulate_state(sim.load_scenario(ROOT / scenario), seed=seed)
    return water.compute(state, without_measures=state.without_measures())


def main() -> None:
    ref = {name: fingerprint(case_outcome(sc, seed)) for name, sc, seed in CASES}
    REFERENCE.write_text(json.dumps(ref, indent=1, sort_keys=True) + "\n")
    print(f"wrote {REFERENCE}")


if __name__ == "__main__":
    main()
