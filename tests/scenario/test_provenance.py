from __future__ import annotations

from sim.scenario.provenance import list_inputs


def test_inputs_are_classified_by_their_source() -> None:
    raw = {
        "name": "x",
        "run": {"seed": 3},
        "district": {
            "area_km2": {"value": 21.3, "unit": "km2", "source": "census"},
            "population": 5,
        },
        "sources": {
            "fleet": [{"name": "car", "source": "assumed: no data", "count": 10, "km": 5}],
            "bare": {"value": 1.0, "source": "calibrated: fit"},
            "profile": [0.1, 0.2],
            "flag": True,
        },
    }
    status = {i.path: i.status for i in list_inputs(raw)}
    assert status == {
        "district.area_km2": "sourced",
        "district.population": "unsourced",
        "sources.fleet[0].count": "assumed",
        "sources.fleet[0].km": "assumed",
        "sources.bare": "calibrated",
        "sources.profile": "unsourced",
    }
