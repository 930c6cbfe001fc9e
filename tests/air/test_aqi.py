"""HJ 633-2012 AQI and HJ 663-2013 daily statistics against the standard's table and hand sums."""

from __future__ import annotations

import numpy as np
import pytest

from sim.air.aqi import (
    BREAKPOINTS,
    CATEGORY_NAMES,
    IAQI_LEVELS,
    aqi,
    category,
    daily_max_8h,
    daily_means,
    good_day,
    iaqi,
    o3_8h_percentile,
    round_concentration,
)

ROWS = [
    (key, bp, level)
    for key, bps in BREAKPOINTS.items()
    for bp, level in zip(bps, IAQI_LEVELS, strict=False)  # O3 8 h and SO2 1 h tables are short
]


@pytest.mark.parametrize(("pollutant", "concentration", "expected"), ROWS)
def test_every_breakpoint_maps_to_its_iaqi(
    pollutant: str, concentration: float, expected: float
) -> None:
    assert iaqi(pollutant, concentration) == expected


def test_one_hour_tables_are_those_of_hj633_table1() -> None:
    assert BREAKPOINTS["so2_1h"] == (0, 150, 500, 650, 800)
    assert BREAKPOINTS["no2_1h"] == (0, 100, 200, 700, 1200, 2340, 3090, 3840)
    assert BREAKPOINTS["co_1h"] == (0, 5, 10, 35, 60, 90, 120, 150)


@pytest.mark.parametrize(
    ("pollutant", "concentration", "expected"),
    [
        ("pm25_24h", 50.0, 69.0),  # 50/40·15 + 50 = 68.75
        ("pm10_24h", 200.0, 125.0),  # 50/100·50 + 100
        ("co_24h", 3.1, 78.0),  # 50/2·1.1 + 50 = 77.5
        ("no2_24h", 100.0, 110.0),  # 50/100·20 + 100
        ("o3_8h", 180.0, 119.0),  # 50/55·20 + 100 = 118.18
        ("so2_24h", 300.0, 124.0),  # 50/325·150 + 100 = 123.08
        ("o3_1h", 250.0, 125.0),  # 50/100·50 + 100
    ],
)
def test_values_between_breakpoints_are_interpolated_and_rounded_up(
    pollutant: str, concentration: float, expected: float
) -> None:
    assert iaqi(pollutant, concentration) == expected


def test_rounding_goes_up_but_exact_breakpoints_stay() -> None:
    np.testing.assert_array_equal(iaqi("pm25_24h", [35.0, 35.01, 75.0, 74.99]), [50, 51, 100, 100])


def test_above_the_top_breakpoint_is_500_except_where_the_standard_defers() -> None:
    assert iaqi("pm25_24h", 650.0) == 500.0
    assert iaqi("co_1h", 151.0) == 500.0
    assert np.isnan(iaqi("so2_1h", 801.0))
    assert np.isnan(iaqi("o3_8h", 801.0))
    assert iaqi("o3_8h", 800.0) == 300.0


def test_missing_concentration_stays_missing_and_negative_is_an_error() -> None:
    assert np.isnan(iaqi("no2_24h", np.nan))
    with pytest.raises(ValueError, match="must be >= 0"):
        iaqi("no2_24h", -1.0)
    with pytest.raises(ValueError, match="pollutant"):
        iaqi("pm2.5", 10.0)


def test_aqi_is_the_largest_iaqi_with_its_primary_pollutant() -> None:
    result = aqi(pm25_24h=50.0, pm10_24h=60.0, so2_24h=10.0, no2_24h=30.0, co_24h=0.8, o3_8h=90.0)
    assert result.aqi == 69.0  # PM2.5, from the hand sum above
    assert result.primary == "PM2.5"
    assert result.category == 1
    assert result.category_name == "good"
    assert bool(result.good)


def test_no_primary_pollutant_when_aqi_is_at_most_50() -> None:
    result = aqi(pm25_24h=20.0, pm10_24h=30.0, so2_24h=5.0, no2_24h=20.0, co_24h=0.5, o3_8h=60.0)
    assert result.aqi == 30.0  # O3: 60/100·50
    assert result.primary == ""


def test_tied_pollutants_are_both_primary() -> None:
    result = aqi(pm25_24h=75.0, pm10_24h=150.0, so2_24h=5.0, no2_24h=20.0, co_24h=0.5, o3_8h=60.0)
    assert result.aqi == 100.0
    assert result.primary == "PM2.5,PM10"


def test_o3_8h_above_800_uses_the_1h_value() -> None:
    common = {"pm25_24h": 10.0, "pm10_24h": 10.0, "so2_24h": 5.0, "no2_24h": 10.0, "co_24h": 0.3}
    with_1h = aqi(**common, o3_8h=900.0, o3_1h=1100.0)
    assert with_1h.aqi == 450.0  # 1-h table: 100/200·100 + 400
    assert with_1h.primary == "O3"
    without_1h = aqi(**common, o3_8h=900.0)
    assert without_1h.aqi == 350.0  # 1-h table applied to 900: 100/200·100 + 300


def test_o3_1h_counts_as_an_iaqi_of_its_own_when_given() -> None:
    common = {"pm25_24h": 10.0, "pm10_24h": 10.0, "so2_24h": 5.0, "no2_24h": 10.0, "co_24h": 0.3}
    result = aqi(**common, o3_8h=150.0, o3_1h=300.0)
    assert result.aqi == 150.0  # 1-h 300 -> 150 beats 8-h 150 -> 92


def test_missing_pollutants_are_skipped_and_all_missing_is_nan() -> None:
    nan = np.nan
    result = aqi(
        pm25_24h=[nan, 50.0, nan],
        pm10_24h=[nan, nan, 200.0],
        so2_24h=[nan, nan, nan],
        no2_24h=[nan, 30.0, nan],
        co_24h=[nan, nan, nan],
        o3_8h=[nan, nan, 100.0],
    )
    np.testing.assert_array_equal(result.aqi, [nan, 69.0, 125.0])
    np.testing.assert_array_equal(result.primary, ["", "PM2.5", "PM10"])
    np.testing.assert_array_equal(result.category, [-1, 1, 2])
    np.testing.assert_array_equal(result.good, [False, True, False])


def test_aqi_keeps_the_shape_of_two_dimensional_inputs() -> None:
    pm25 = np.array([[10.0, 50.0, 100.0], [150.0, 250.0, 600.0]])
    zeros = np.zeros_like(pm25)
    result = aqi(pm25, zeros, zeros, zeros, zeros, zeros)
    expected = np.array([[15.0, 69.0, 132.0], [200.0, 300.0, 500.0]])  # 14.29->15, 131.25->132
    np.testing.assert_array_equal(result.aqi, expected)
    assert result.primary.shape == (2, 3)
    assert result.primary[0, 0] == ""
    assert result.primary[1, 2] == "PM2.5"


def test_categories_follow_table2_boundaries() -> None:
    values = [0, 50, 51, 100, 101, 150, 151, 200, 201, 300, 301, 500]
    np.testing.assert_array_equal(category(values), [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
    assert CATEGORY_NAMES[5] == "severely polluted"
    np.testing.assert_array_equal(good_day([100, 101, np.nan]), [True, False, False])


def test_reported_rounding_is_half_to_even_integers_and_co_to_one_decimal() -> None:
    np.testing.assert_array_equal(
        round_concentration("pm25_24h", [34.5, 35.5, 35.49]), [34, 36, 35]
    )
    np.testing.assert_allclose(round_concentration("co_24h", [1.25, 1.26]), [1.2, 1.3])
    result = aqi(35.4, 0.0, 0.0, 0.0, 0.0, 0.0, round_inputs=True)
    assert result.aqi == 50.0  # 35.4 is reported as 35


def test_daily_means_average_whole_days_and_need_20_valid_hours() -> None:
    hourly = np.concatenate([np.full(24, 10.0), np.arange(24.0)])
    np.testing.assert_allclose(daily_means(hourly), [10.0, 11.5])
    gappy = np.arange(24.0)
    gappy[:5] = np.nan  # 19 valid hours
    assert np.isnan(daily_means(gappy)[0])
    gappy[4] = 4.0  # 20 valid hours: the mean of 4..23
    np.testing.assert_allclose(daily_means(gappy), [13.5])
    two_columns = np.stack([hourly, 2 * hourly], axis=1)
    np.testing.assert_allclose(daily_means(two_columns), [[10.0, 20.0], [11.5, 23.0]])


def test_daily_max_8h_uses_windows_inside_the_day() -> None:
    ramp = np.arange(24.0)
    np.testing.assert_allclose(daily_max_8h(ramp), [19.5])  # hours 16..23
    spike = np.zeros(48)
    spike[23] = 240.0  # the last hour of day 1 must not leak into day 2
    np.testing.assert_allclose(daily_max_8h(spike), [30.0, 0.0])


def test_daily_max_8h_validity_rules() -> None:
    day = np.full(24, 100.0)
    day[20:23] = np.nan
    day[23] = 300.0
    # the only window holding hour 23 is [16, 24), with 5 valid hours (< 6): invalid, so the 300
    # is not seen; windows starting at 0..14 are valid (15 >= 14) and all average 100.
    np.testing.assert_allclose(daily_max_8h(day), [100.0])
    sparse = np.full(24, np.nan)
    sparse[:10] = 50.0  # only windows starting at 0..4 have >= 6 valid hours: 5 < 14
    assert np.isnan(daily_max_8h(sparse)[0])


def test_o3_percentile_follows_hj663_interpolation() -> None:
    values = np.arange(1.0, 11.0)
    # k = 1 + 9·0.9 = 9.1, s = 9: X9 + 0.1·(X10 - X9) = 9.1
    assert o3_8h_percentile(values[::-1], 90) == pytest.approx(9.1)
    year = np.arange(365.0)
    # k = 1 + 364·0.9 = 328.6: X328 + 0.6 = 327 + 0.6
    assert o3_8h_percentile(year, 90) == pytest.approx(327.6)
    assert o3_8h_percentile(np.append(values, np.nan), 90) == pytest.approx(9.1)
