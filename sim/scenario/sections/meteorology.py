"""Scenario section ``meteorology``: where the hourly weather comes from, and the synthetic climate.

The defaults describe Tianjin (urban stations, recent normals). Every number carries its source and
confidence mark (H/M/L, see DOMAIN.md) or says ``assumed:`` with the reason.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from sim.scenario.base import Section
from sim.scenario.quantity import Q

__all__ = ["MONTHS", "MeteorologyConfig", "monthly"]

#: Month labels, for messages and tables.
MONTHS: tuple[str, ...] = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


def _twelve(values: tuple[float, ...]) -> tuple[float, ...]:
    if len(values) != 12:
        raise ValueError(f"expected 12 monthly values (Jan..Dec), got {len(values)}")
    return values


_NonNeg = Annotated[float, Field(ge=0)]
_Pos = Annotated[float, Field(gt=0)]
_Frac = Annotated[float, Field(ge=0, lt=1)]
_Pct = Annotated[float, Field(ge=0, le=100)]

#: 12 monthly values, each >= 0 / > 0 / in [0, 1) / in [0, 100], or any real number.
MonthlyNonNeg = Annotated[tuple[_NonNeg, ...], AfterValidator(_twelve)]
MonthlyPos = Annotated[tuple[_Pos, ...], AfterValidator(_twelve)]
MonthlyFrac = Annotated[tuple[_Frac, ...], AfterValidator(_twelve)]
MonthlyPct = Annotated[tuple[_Pct, ...], AfterValidator(_twelve)]
MonthlyReal = Annotated[tuple[float, ...], AfterValidator(_twelve)]


def monthly(*values: float) -> tuple[float, ...]:
    """A Jan..Dec tuple (a readable way to write defaults)."""
    return _twelve(tuple(float(v) for v in values))


class MeteorologyConfig(Section):
    """Hourly weather: synthetic (seeded generator with Tianjin defaults) or read from a file.

    Monthly values are climatological means *including* stagnation episodes and rain: the
    generator compensates, so that the expected monthly mean of the hourly series equals them.
    """

    # -- source -----------------------------------------------------------------------------------
    mode: Literal["synthetic", "file"] = Field(
        "synthetic", description="'synthetic': seeded generator below; 'file': observed series."
    )
    path: str | None = Field(
        None,
        description="CSV or NetCDF (.nc) file for mode 'file'; relative to the scenario file.",
    )
    fill: Literal["error", "interpolate"] = Field(
        "error",
        description=(
            "Missing hours or values in a file: 'error', or 'interpolate' gaps of at most "
            "max_gap_h consecutive hours linearly in time (longer gaps are still errors)."
        ),
    )
    max_gap_h: int = Field(
        3,
        ge=1,
        le=24,
        description=(
            "Longest gap (hours) that fill='interpolate' bridges. Source: assumed: a few hours, "
            "shorter than the diurnal cycle that linear interpolation cannot reproduce."
        ),
    )

    # -- monthly climate (Jan..Dec) ---------------------------------------------------------------
    wind_m_s: Annotated[MonthlyPos, Q("m/s")] = Field(
        monthly(2.4, 2.6, 3.0, 3.2, 3.0, 2.5, 2.1, 1.9, 1.9, 2.1, 2.3, 2.3),
        description=(
            "Monthly mean 10 m wind speed. Source: annual mean 2.3-2.5 m/s (DOMAIN §6, H/M; "
            "Tianjin investment bureau 2013: 2.3 m/s); windiest in spring, April 3-3.5 m/s, "
            "calmest summer/autumn ~2 m/s (DOMAIN §6, L). Annual mean of these values 2.44."
        ),
    )
    mixing_height_m: Annotated[MonthlyPos, Q("m")] = Field(
        monthly(380, 450, 600, 720, 780, 760, 700, 660, 600, 480, 400, 360),
        description=(
            "Monthly mean of the daily mean mixing-layer height. Source: Tianjin ceilometer "
            "Oct 2013-Jul 2015, annual mean 546 +/- 197 m, inland stations highest in summer and "
            "lowest in winter (Zhu et al. 2018, ACP 18:4897, H); winter 400-600 m (DOMAIN §6, L). "
            "Monthly shape assumed; annual mean of these values 574 m."
        ),
    )
    temperature_c: Annotated[MonthlyReal, Q("degC")] = Field(
        monthly(-3.5, -0.5, 6.0, 14.0, 20.5, 24.5, 26.5, 25.7, 21.0, 13.8, 5.0, -1.5),
        description=(
            "Monthly mean 2 m air temperature. Source: January -5.4 to -3.0, July 25.9-26.7, "
            "annual 11.4-12.9 degC (Tianjin investment bureau 2013, M); Jan -3.7, Jul 26.5 "
            "(chinadragontours.com climate page, M); Jan-Jun midpoints of mean daily high/low "
            "(chinahighlights.com, M); other months interpolated (L). Annual mean 12.6."
        ),
    )
    relative_humidity_pct: Annotated[MonthlyPct, Q("%")] = Field(
        monthly(58, 56, 52, 50, 55, 64, 76, 78, 70, 65, 64, 60),
        description=(
            "Monthly mean relative humidity. Source: assumed (L): general knowledge of the "
            "Tianjin station normals, dry spring and humid monsoon July-August; replace with "
            "CMA station normals (54527) when available."
        ),
    )
    rain_mm: Annotated[MonthlyNonNeg, Q("mm")] = Field(
        monthly(3, 5, 9, 24, 38, 78, 160, 130, 52, 27, 11, 4),
        description=(
            "Monthly precipitation total (541 mm/yr, 68 % in June-August). Source: DOMAIN §6 "
            "monthly shape (L); annual 550-600 mm, ~75 % in June-August (DOMAIN §6, H)."
        ),
    )
    cloud_cover_fraction: Annotated[MonthlyFrac, Q("1")] = Field(
        monthly(0.35, 0.38, 0.42, 0.45, 0.45, 0.55, 0.68, 0.62, 0.45, 0.40, 0.40, 0.36),
        description=(
            "Monthly mean cloud cover (0-1) for the solar attenuation. Source: assumed: annual "
            "mean 0.46 from the sunshine fraction ~0.58 (2,471-2,769 sunshine hours of ~4,430 "
            "possible; Tianjin investment bureau 2013, M), cloudiest in the July-August "
            "monsoon (L)."
        ),
    )

    # -- diurnal cycles ---------------------------------------------------------------------------
    temperature_diurnal_amplitude_c: Annotated[float, Q("degC")] = Field(
        5.0,
        ge=0,
        description=(
            "Half the daily temperature range; maximum at 14:30. Source: mean daily high minus "
            "low is 10-12 degC in every month (chinahighlights.com table, M)."
        ),
    )
    relative_humidity_diurnal_amplitude_pct: Annotated[float, Q("%")] = Field(
        12.0,
        ge=0,
        description=(
            "Half the daily RH range, minimum at 14:30 (opposite to temperature). Source: "
            "assumed: typical continental range of 20-30 %-points (L)."
        ),
    )
    wind_diurnal_amplitude: Annotated[float, Q("1")] = Field(
        0.25,
        ge=0,
        lt=1,
        description=(
            "Relative amplitude of the daily wind cycle, maximum at 14:00 (daytime mixing brings "
            "momentum down). Source: assumed (L): day/night ratio ~1.7."
        ),
    )
    mixing_height_night_fraction: Annotated[float, Q("1")] = Field(
        0.4,
        gt=0,
        lt=1,
        description=(
            "Night-time mixing height as a fraction of the daily mean; the daytime hump from "
            "08:00 to 21:00 peaks at 14:30 and keeps the daily mean. Source: assumed: 0.3-0.5 "
            "(stable nocturnal layer; Wang et al. 2020, ACP 20:8839, Beijing lidar, M)."
        ),
    )

    # -- day-to-day persistence -------------------------------------------------------------------
    persistence_day: Annotated[float, Q("1")] = Field(
        0.7,
        ge=0,
        lt=1,
        description=(
            "Correlation of weather anomalies 24 h apart (hourly AR(1) with coefficient "
            "persistence_day**(1/24)). Source: assumed: synoptic systems last 3-5 days, "
            "e-folding time 2.8 d."
        ),
    )
    wind_anomaly_log_sd: Annotated[float, Q("1")] = Field(
        0.35,
        ge=0,
        description="Standard deviation of log wind anomalies. Source: assumed (L).",
    )
    mixing_height_anomaly_log_sd: Annotated[float, Q("1")] = Field(
        0.35,
        ge=0,
        description=(
            "Standard deviation of log mixing-height anomalies. Source: Tianjin daily mixing "
            "height 546 +/- 197 m, CV 0.36 (Zhu et al. 2018, H), less the seasonal part (assumed)."
        ),
    )
    wind_mixing_correlation: Annotated[float, Q("1")] = Field(
        0.6,
        ge=-1,
        le=1,
        description=(
            "Correlation of wind and mixing-height anomalies (windy days mix deeper). "
            "Source: assumed (L)."
        ),
    )
    temperature_anomaly_sd_c: Annotated[float, Q("degC")] = Field(
        3.0, ge=0, description="Standard deviation of temperature anomalies. Source: assumed (L)."
    )
    relative_humidity_anomaly_sd_pct: Annotated[float, Q("%")] = Field(
        10.0,
        ge=0,
        description=(
            "Standard deviation of RH anomalies; cloud cover follows them (+0.25 per sd). "
            "Source: assumed (L)."
        ),
    )

    # -- rain events ------------------------------------------------------------------------------
    rain_event_depth_mm: Annotated[MonthlyPos, Q("mm")] = Field(
        monthly(2, 3, 4, 7, 9, 12, 18, 17, 11, 7, 4, 2),
        description=(
            "Mean depth of one rain event by month; events per month = rain_mm / this "
            "(about 49 a year with the defaults). Source: assumed (L): small frontal events in "
            "winter, convective storms in summer."
        ),
    )
    rain_depth_shape: Annotated[float, Q("1")] = Field(
        0.75,
        gt=0,
        description=(
            "Gamma shape of event depths (< 1: heavier tail than exponential, CV 1.15). With "
            "July's 18 mm mean, ~11 % of July events exceed 45 mm, near the 1-year 2-hour "
            "design storm of 43-48 mm (Li 2012, DOMAIN §6, H). Source: assumed."
        ),
    )
    rain_duration_median_h: Annotated[float, Q("h")] = Field(
        4.0,
        gt=0,
        description=(
            "Median event duration (lognormal, 1-48 h); depth is split over the hours by "
            "exponential weights. Source: assumed (L)."
        ),
    )
    rain_duration_log_sd: Annotated[float, Q("1")] = Field(
        0.8, ge=0, description="Log standard deviation of event durations. Source: assumed (L)."
    )
    rain_event_min_dry_h: int = Field(
        6,
        ge=1,
        description=(
            "Minimum inter-event time: wet spells separated by fewer dry hours form one event "
            "(rain_events). Source: 6 h, a common convention in urban-drainage event analysis "
            "(Dunkerley 2008, Hydrol. Process. 22:5024, reviews 15 min-24 h); eastern-China "
            "stations give 7.6-16.6 h by the exponential method (Wang et al. 2019, Trans. ASABE "
            "62:9, H)."
        ),
    )

    # -- stagnation episodes ----------------------------------------------------------------------
    stagnation_fraction: Annotated[MonthlyFrac, Q("1")] = Field(
        monthly(0.18, 0.15, 0.08, 0.03, 0.02, 0.02, 0.02, 0.02, 0.04, 0.12, 0.15, 0.18),
        description=(
            "Expected fraction of hours inside a stagnation episode, by month. Source: assumed, "
            "shaped on the Oct-Feb inversion frequency of 20 % (DOMAIN §6, H)."
        ),
    )
    stagnation_min_days: Annotated[float, Q("d")] = Field(
        2.0, gt=0, description="Shortest episode (uniform length). Source: brief, 2-5 days (L)."
    )
    stagnation_max_days: Annotated[float, Q("d")] = Field(
        5.0, gt=0, description="Longest episode (uniform length). Source: brief, 2-5 days (L)."
    )
    stagnation_wind_factor: Annotated[float, Q("1")] = Field(
        0.4,
        gt=0,
        le=1,
        description=(
            "Wind multiplier inside an episode: winter episodes average ~1.1 m/s. Source: haze "
            "episode 0.97 m/s (DOMAIN §6, H)."
        ),
    )
    stagnation_mixing_height_factor: Annotated[float, Q("1")] = Field(
        0.5,
        gt=0,
        le=1,
        description=(
            "Mixing-height multiplier inside an episode: winter episodes average ~200 m. "
            "Source: haze episode 210 m (DOMAIN §6, H); < 200 m daily mean gives 52 % chance "
            "of heavy pollution (Cai 2018, H)."
        ),
    )
    stagnation_rule_wind_m_s: Annotated[float, Q("m/s")] = Field(
        1.5,
        gt=0,
        description=(
            "Files without a 'stagnant' column: a day is stagnant when its mean wind is below "
            "this AND its mean mixing height below stagnation_rule_mixing_height_m. Source: "
            "assumed: brackets the haze episode 0.97 m/s (DOMAIN §6, H)."
        ),
    )
    stagnation_rule_mixing_height_m: Annotated[float, Q("m")] = Field(
        300.0,
        gt=0,
        description=(
            "See stagnation_rule_wind_m_s. Source: assumed: brackets the haze episode 210 m and "
            "the 200 m heavy-pollution threshold (DOMAIN §6, H)."
        ),
    )

    @model_validator(mode="after")
    def _consistent(self) -> MeteorologyConfig:
        if self.mode == "file" and not self.path:
            raise ValueError("mode 'file' needs a path (CSV or NetCDF)")
        if self.stagnation_max_days < self.stagnation_min_days:
            raise ValueError(
                f"stagnation_max_days(={self.stagnation_max_days}) must be >= "
                f"stagnation_min_days(={self.stagnation_min_days})"
            )
        return self
