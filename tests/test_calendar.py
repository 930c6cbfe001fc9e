from __future__ import annotations

from datetime import datetime

import numpy as np

from sim.calendar import Calendar


def test_2024_has_8784_hours(year_2024: Calendar) -> None:
    assert year_2024.n_hours == 8784
    assert len(year_2024.days) == 366


def test_2024_public_holidays_and_makeup_days(year_2024: Calendar) -> None:
    # State Council notice 国办发明电〔2023〕7号: 28 days off in holiday blocks
    # (1 + 8 + 3 + 5 + 1 + 3 + 7) and 8 make-up working days.
    assert year_2024.public_holiday.sum() // 24 == 28
    assert year_2024.makeup_workday.sum() // 24 == 8
    # 366 days - 115 days off = 251 working days in 2024.
    assert year_2024.workday.sum() // 24 == 251


def test_seasons(year_2024: Calendar) -> None:
    # heating 15 Nov - 15 Mar: 47 + 31 + 29 + 15 = 122 days; flood Jun-Sep 122; ozone May-Sep 153
    assert year_2024.heating_season.sum() // 24 == 122
    assert year_2024.flood_season.sum() // 24 == 122
    assert year_2024.ozone_season.sum() // 24 == 153


def test_weekend_makeup_day_is_a_workday(year_2024: Calendar) -> None:
    h = int(year_2024.hours_since_start(datetime(2024, 2, 4)))  # Sunday, worked
    assert year_2024.weekend[h]
    assert year_2024.workday[h]
    h = int(year_2024.hours_since_start(datetime(2024, 10, 3)))  # Thursday, holiday
    assert not year_2024.workday[h]


def test_daily_mean_averages_each_day() -> None:
    cal = Calendar(datetime(2024, 1, 1), datetime(2024, 1, 3))
    hourly = np.concatenate([np.full(24, 2.0), np.arange(24.0)])
    np.testing.assert_allclose(cal.daily_mean(hourly), [2.0, 11.5])
