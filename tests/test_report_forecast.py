"""The forecast section of report.html (sim.report_forecast): lights and both languages."""

from __future__ import annotations

from typing import Any

import pytest

from sim.report_forecast import forecast_section, light


@pytest.mark.parametrize(
    ("p", "key"),
    [(0.95, "light_green"), (0.8, "light_green"), (0.79, "light_amber"), (0.5, "light_amber"),
     (0.49, "light_red"), (0.0, "light_red"), (None, "light_none")],
)  # fmt: skip
def test_light_thresholds_are_80_and_50_percent(p: float | None, key: str) -> None:
    assert light(p)[0] == key


def _forecast() -> dict[str, Any]:
    target = {"p_met": 0.6, "median": 0.68, "p05": 0.65, "p95": 0.72}
    return {
        "as_of": "2024-11-01",
        "observed_days": 305,
        "members": 20,
        "observed": {
            "kind": "periods",
            "first_day": "2024-01-01",
            "end_day": "2024-11-01",
            "pm25_mean_ug_m3": 39.0,
        },
        "pm25_annual_mean_ug_m3": {"median": 43.9, "p05": 41.8, "p95": 46.3},
        "good_days_ratio": {"median": 0.678, "p05": 0.65, "p95": 0.721},
        "targets": {"good_days_ratio": target},
        "still_needed": {
            "remaining_days": 61,
            "pm25_mean_remaining_days_to_reach_target_ug_m3": 45.0,
            "pm25_mean_remaining_days_forecast_ug_m3": 68.4,
            "good_days_still_needed": 37,
            "measures_behind_schedule": [
                {
                    "progress": "retire_china3.vehicles_retired",
                    "reported": 100.0,
                    "scheduled": 200.0,
                    "behind_by": 100.0,
                    "behind": True,
                },
            ],
        },
        "anomaly": {"mean_log": 0.137, "level_log": 0.11, "prior_sd_log": 0.184},
        "notes": ["progress: reported"],
    }


def test_section_in_english_states_what_is_needed_and_what_is_behind() -> None:
    html = forecast_section(_forecast(), "<svg></svg>", "en")
    assert "PM2.5 must average 45.0 µg/m³ over the remaining 61 days" in html
    assert "37 more good days are needed" in html
    assert (
        "Behind schedule: retire_china3.vehicles_retired — reported 100.0, scheduled 200.0" in html
    )
    assert "color:#e0a100" in html  # P = 0.6: amber
    assert "period means (bulletins), not daily values" in html


def test_a_late_project_is_behind_by_days() -> None:
    d = _forecast()
    d["still_needed"]["measures_behind_schedule"] = [
        {"progress": "first_flush_tanks.sancha_tank.commissioned", "reported": "not yet",
         "scheduled": "2024-07-05", "behind_by": 119, "behind": True},
    ]  # fmt: skip
    html = forecast_section(d, "<svg></svg>", "en")
    assert "reported not yet, scheduled 2024-07-05 (behind by 119 days)" in html
    assert "滞后119天" in forecast_section(d, "<svg></svg>", "zh")


def test_section_in_chinese() -> None:
    html = forecast_section(_forecast(), "<svg></svg>", "zh")
    assert "截至2024-11-01的预测" in html
    assert "剩余61天中还需37个优良天" in html
    assert "存在风险" in html
