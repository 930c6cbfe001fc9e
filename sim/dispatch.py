"""Weekly dispatch (调度): one row per ISO week of air quality, emissions, progress and targets.

The plan asks the bureau to dispatch air-quality data, emissions and project progress weekly.
``dispatch.csv`` gives, per ISO week: mean PM2.5, good days so far, emissions by sector, the
measures' progress (``progress.*`` streams: vehicles retired, retrofits commissioned, areas
separated, outlets remediated ...) and the running estimate of each target that can be estimated
from the days so far (annual PM2.5 mean, good-days ratio, construction-land safe use, share of
outlets remediated, VOC cut so far).
For an ensemble every number is the median over members.

Every target of the scenario gets an ``on_track.<target>`` column: ``true``/``false`` where the
weeks so far give a running estimate (a cut so far is on track when it is at least the target's
share for the elapsed part of the year), empty where the number exists only at the end of the year
(COD and NH3-N cuts, river classes, the indicators). Numbers are rounded to what they can claim:
µg/m³ to 0.1, ratios to 0.0001, tonnes to 0.001, progress counts to 0.001.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

if TYPE_CHECKING:
    from sim.scenario.sections.targets import Target

__all__ = ["DISPATCH_POLLUTANTS", "RUNNING_ESTIMATES", "weekly_dispatch"]

#: Pollutants whose sector emissions are dispatched.
DISPATCH_POLLUTANTS = ("PM2.5", "NOx", "VOC")
#: Target paths with a running estimate, and the dispatch column that estimates them.
RUNNING_ESTIMATES = {
    "air.pm25_annual_mean_ug_m3": "estimate_pm25_annual_mean_ug_m3",
    "air.good_days_ratio": "estimate_good_days_ratio",
    "soil.safe_use_rate": "estimate_safe_use_rate",
    "water.outlet_remediation_share": "progress.outlet_remediation.share",
    "measures.voc.reduction_t.VOC": "cut_so_far_t.voc.VOC",
}
#: Running estimates that accumulate over the year (compared pro rata with the target).
CUMULATIVE = ("cut_so_far_t.",)
#: Decimals by column prefix (the rest: 3).
_DECIMALS = {"pm25_": 1, "estimate_pm25": 1, "estimate_": 4, "progress.outlet": 4}


def _daily_emission(ds: xr.Dataset) -> xr.DataArray | None:
    if "daily_emission" in ds:
        return ds["daily_emission"]
    from sim.results import daily_emission

    return daily_emission(ds)


def _member_frame(ds: xr.Dataset) -> pd.DataFrame:
    cols: dict[str, np.ndarray] = {}
    days = None
    if "daily_concentration" in ds:
        days = pd.DatetimeIndex(ds["day"].values)
        cols["pm25"] = ds["daily_concentration"].sel(air_pollutant="PM2.5").values
    if "good_day" in ds:
        days = pd.DatetimeIndex(ds["day"].values)
        cols["good"] = ds["good_day"].values.astype(float)
    emis = _daily_emission(ds)
    if emis is not None:
        days = pd.DatetimeIndex(emis["day"].values)
        for pol in DISPATCH_POLLUTANTS:
            if pol in emis["pollutant"].values:
                for sector in emis["sector"].values:
                    cols[f"emission_t.{sector}.{pol}"] = emis.sel(
                        sector=sector, pollutant=pol
                    ).values
    if "progress" in ds:
        days = pd.DatetimeIndex(ds["day"].values) if days is None else days
        for name in ds["progress_stream"].values:
            cols[str(name)] = ds["progress"].sel(progress_stream=name).values
    if "measure_monthly_reduction" in ds and days is not None:
        cut = ds["measure_monthly_reduction"]
        month_of_day = pd.DatetimeIndex(days).to_period("M").to_timestamp()
        for fam in cut["family"].values:
            monthly = (
                pd.Series(
                    cut.sel(family=fam, pollutant="VOC").values,
                    index=pd.DatetimeIndex(cut["month"].values),
                )
                if "VOC" in cut["pollutant"].values
                else None
            )
            if monthly is not None:
                # spread each month's cut evenly over its days, then accumulate
                per_day = monthly.reindex(month_of_day).to_numpy() / month_of_day.days_in_month
                cols[f"cut_so_far_t.{fam}.VOC"] = np.cumsum(np.nan_to_num(per_day))
    safe_key, unsafe_key = (
        "progress.construction_land.plots_developed_safe",
        "progress.construction_land.plots_developed_unsafe",
    )
    if "soil_plots" in ds:
        soil = ds["soil_plots"]
        cols["soil_safe"] = soil.sel(soil_count="plots_developed_safe").values
        cols["soil_unsafe"] = soil.sel(soil_count="plots_developed_unsafe").values
    elif safe_key in cols and unsafe_key in cols:
        cols["soil_safe"], cols["soil_unsafe"] = cols[safe_key], cols[unsafe_key]
    if days is None:
        return pd.DataFrame()
    n = len(days)
    frame = pd.DataFrame(
        {k: np.asarray(v, dtype=float)[:n] for k, v in cols.items()}, index=days[:n]
    )
    return _weekly(frame)


def _weekly(daily: pd.DataFrame) -> pd.DataFrame:
    iso = daily.index.isocalendar()
    key = iso["year"].astype(str) + "-W" + iso["week"].astype(int).map("{:02d}".format)
    groups = daily.groupby(key.values, sort=False)
    out = pd.DataFrame(index=pd.Index(groups.size().index, name="iso_week"))
    out["week_start"] = groups.apply(lambda g: g.index.min().date().isoformat())
    out["week_end"] = groups.apply(lambda g: g.index.max().date().isoformat())
    out["days"] = groups.size()
    if "pm25" in daily:
        out["pm25_mean_ug_m3"] = groups["pm25"].mean()
        cum = daily["pm25"].expanding().mean()
        out["estimate_pm25_annual_mean_ug_m3"] = cum.groupby(key.values, sort=False).last()
    if "good" in daily:
        so_far = daily["good"].cumsum()
        out["good_days_so_far"] = so_far.groupby(key.values, sort=False).last()
        n_so_far = pd.Series(np.arange(1, len(daily) + 1), index=daily.index)
        ratio = so_far / n_so_far
        out["estimate_good_days_ratio"] = ratio.groupby(key.values, sort=False).last()
    for col in daily.columns:
        if col.startswith("emission_t."):
            out[col] = groups[col].sum()
        elif col.startswith(("progress.", "cut_so_far_t.")):
            out[col] = groups[col].last()
    if "soil_safe" in daily:
        safe = groups["soil_safe"].last()
        unsafe = groups["soil_unsafe"].last()
        total = safe + unsafe
        out["estimate_safe_use_rate"] = np.where(total > 0, safe / total.where(total > 0, 1), 1.0)
    return out


def _on_track(target: Target, estimates: pd.Series, elapsed: pd.Series) -> list[str]:
    from sim.targets import evaluate

    out = []
    for value, share in zip(estimates, elapsed, strict=True):
        if not np.isfinite(value):
            out.append("")
            continue
        if str(estimates.name).startswith(CUMULATIVE):
            ok = value >= target.value * share - 1e-9
        else:
            ok = evaluate(target, float(value))[0] in ("met", "within tolerance")
        out.append("true" if ok else "false")
    return out


def _rounded(table: pd.DataFrame) -> pd.DataFrame:
    for col in table.columns:
        if table[col].dtype.kind == "f":
            places = next((d for k, d in _DECIMALS.items() if col.startswith(k)), 3)
            table[col] = table[col].round(places) + 0.0  # + 0.0 turns -0.0 into 0.0
    return table


def weekly_dispatch(ds: xr.Dataset, targets: Sequence[Target] = ()) -> pd.DataFrame:
    """The dispatch table of a run or ensemble Dataset, one row per ISO week.

    ``targets`` adds, for every target, a column ``on_track.<target>``: ``true``/``false`` where
    a running estimate exists, empty where it does not.
    """
    if "member" in ds.dims:
        frames = [_member_frame(ds.isel(member=k)) for k in range(ds.sizes["member"])]
        frames = [f for f in frames if not f.empty]
        if not frames:
            return pd.DataFrame()
        text = frames[0][["week_start", "week_end", "days"]]
        numeric = pd.concat([f.drop(columns=["week_start", "week_end", "days"]) for f in frames])
        table = text.join(numeric.groupby(level=0, sort=False).median())
    else:
        table = _member_frame(ds)
    if table.empty:
        return table
    elapsed = table["days"].cumsum() / 365.0
    for t in targets:
        col = RUNNING_ESTIMATES.get(t.metric)
        if col is not None and col in table:
            table[f"on_track.{t.name}"] = _on_track(t, table[col], elapsed)
        else:
            table[f"on_track.{t.name}"] = ""
    return _rounded(table).reset_index()
