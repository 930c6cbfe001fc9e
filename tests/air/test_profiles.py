"""Time profiles: MEIC weights in Beijing time, mean 1 over each cycle."""

from __future__ import annotations

import typing

import numpy as np
import pytest

from sim.air.profiles import DAILY_UTC, SUBSECTORS, WEEKLY, daily_weights, hourly_weights
from sim.scenario.sections.air import SubSector


def test_sub_sector_keys_of_the_schema_and_the_profiles_are_the_same_list() -> None:
    assert typing.get_args(SubSector) == SUBSECTORS


def test_weights_average_to_one_over_a_full_week_of_each_month() -> None:
    hours = np.arange(24 * 7)
    w = hourly_weights(np.ones(hours.size), hours // 24, hours % 24)
    # January: the monthly factor alone remains; transport is flat by month
    assert w[:, SUBSECTORS.index("on_road")].mean() == pytest.approx(1.0)
    assert w.shape == (24 * 7, len(SUBSECTORS))


def test_local_hour_reads_the_utc_row_eight_hours_earlier() -> None:
    # Monday 16:00 Beijing = 08:00 UTC: industry weight 24·0.068 × 7·0.162 (January factor 1/mean)
    w = hourly_weights([1], [0], [16])[0, SUBSECTORS.index("industrial_process")]
    month = np.asarray((1.0, 0.8, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.05, 1.05))
    expected = 24 * 0.068 / sum(DAILY_UTC["industry"]) * 7 * 0.162 / sum(WEEKLY["industry"])
    assert w == pytest.approx(expected / month.mean())


def test_whole_days_by_broadcasting_equal_the_hourly_lookup_exactly() -> None:
    days = np.arange(400)
    month, weekday = days // 31 % 12 + 1, (days + 3) % 7
    hours = np.arange(days.size * 24)
    ref = hourly_weights(np.repeat(month, 24), np.repeat(weekday, 24), hours % 24)
    np.testing.assert_array_equal(daily_weights(month, weekday), ref)
