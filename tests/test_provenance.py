"""Provenance: a measure's recorded changes taken out equal a run without that measure."""

from __future__ import annotations

import numpy as np
from policies import tiny_scenario

from sim.engine import simulate_state
from sim.provenance import emissions_without, touched_by

RETIRE = {
    "retire_china3": {"start": "2024-01-01", "deadline": "2024-02-15", "target_fraction": 0.8}
}
FORKLIFTS = {"forklift_electric": {"start": "2024-01-01", "replacement_per_year": 0.5}}


def test_changes_are_tagged_with_the_measure_that_made_them() -> None:
    state = simulate_state(tiny_scenario({**RETIRE, **FORKLIFTS}, months=2))
    assert "mobile.fleet.count" in touched_by(state.ledger, "retire_china3")
    assert "mobile.non_road.count" in touched_by(state.ledger, "forklift_electric")
    assert "mobile.non_road.count" not in touched_by(state.ledger, "retire_china3")
    assert {c.writer for c in state.ledger.changes} == {"retire_china3", "forklift_electric"}


def test_taking_out_a_lone_measure_equals_the_run_without_it() -> None:
    state = simulate_state(tiny_scenario(RETIRE, months=2))
    plain = simulate_state(tiny_scenario(months=2))
    found = emissions_without(state, "retire_china3")
    assert found is not None
    assert set(found) == set(plain.source_emissions)
    for key, arr in plain.source_emissions.items():
        np.testing.assert_allclose(found[key], arr, rtol=1e-12, atol=1e-12)


def test_taking_out_one_of_two_independent_measures_keeps_the_other() -> None:
    both = simulate_state(tiny_scenario({**RETIRE, **FORKLIFTS}, months=2))
    forklifts_only = simulate_state(tiny_scenario(FORKLIFTS, months=2))
    found = emissions_without(both, "retire_china3")
    assert found is not None
    for key, arr in forklifts_only.source_emissions.items():
        np.testing.assert_allclose(found[key], arr, rtol=1e-12, atol=1e-12)
