"""Observed hourly weather read from CSV or NetCDF, checked hour by hour."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sim.errors import ScenarioError
from sim.weather.hourly import COLUMNS, Weather

if TYPE_CHECKING:
    from sim.calendar import Calendar
    from sim.scenario.sections.meteorology import MeteorologyConfig

__all__ = ["derive_stagnant", "read_weather", "weather_frame"]

F64 = NDArray[np.float64]

# -- observed series -----------------------------------------------------------------------------
_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"
_STAGNANT_TEXT = {"0": 0.0, "1": 1.0, "0.0": 0.0, "1.0": 1.0, "false": 0.0, "true": 1.0}
#: What each column must hold: (low, high) and the description for messages, with the reason
#: of each bound. Values outside are refused (they are units or typos, not weather): wind in km/h
#: or mixing height in km would otherwise run, and one hour at 1e6 m/s gives absurd PM2.5.
_BOUNDS: dict[str, tuple[float, float, str]] = {
    # 10-m wind: calm to 60 m/s (typhoon records are ~60-70 m/s gusts; hourly means far less)
    "wind_m_s": (0.0, 60.0, "wind speed in m/s, 0-60 (above is a typhoon record; km/h?)"),
    # mixing-layer height: 10 m (stable night) to 6000 m (the deepest convective boundary layers,
    # over deserts; sim's own synthetic weather reaches ~5400 m on summer afternoons)
    "mixing_height_m": (10.0, 6000.0, "mixing height in m, 10-6000 (km instead of m?)"),
    # air temperature at 2 m: the records on populated plains lie within -50..55 degC
    "temperature_c": (-50.0, 55.0, "temperature in degC, -50 to 55 (Kelvin or Fahrenheit?)"),
    # relative humidity is a percentage
    "relative_humidity_pct": (0.0, 100.0, "relative humidity in %, 0-100"),
    # global horizontal irradiance: the solar constant (1361 W/m2) bounds it at the ground
    "solar_w_m2": (0.0, 1500.0, "irradiance in W/m2, 0-1500"),
    # hourly rain: the world's 1-hour record is ~305 mm
    "rain_mm_h": (0.0, 300.0, "rain in mm/h, 0-300 (above the world's hourly record)"),
}
_VALID: dict[str, tuple[Any, str]] = {
    col: (lambda x, lo=lo, hi=hi: np.isfinite(x) & (x >= lo) & (x <= hi), text)
    for col, (lo, hi, text) in _BOUNDS.items()
}


def weather_frame(weather: Weather, calendar: Calendar) -> pd.DataFrame:
    """The weather as a table in the file layout that :func:`read_weather` reads."""
    table = {"time": calendar.times.strftime("%Y-%m-%dT%H:%M")}
    table.update({c: getattr(weather, c) for c in COLUMNS})
    table["stagnant"] = weather.stagnant.astype(np.int64)
    return pd.DataFrame(table)


def derive_stagnant(
    calendar: Calendar, wind_m_s: F64, mixing_height_m: F64, config: MeteorologyConfig
) -> NDArray[np.bool_]:
    """Stagnant hours of an observed series, by a daily rule.

    Every hour of a day is stagnant when the day's mean wind is below
    ``config.stagnation_rule_wind_m_s`` and its mean mixing height below
    ``config.stagnation_rule_mixing_height_m`` (1.5 m/s and 300 m by default, bracketing the
    DOMAIN §6 haze episode of 0.97 m/s and 210 m).
    """
    day = (calendar.daily_mean(wind_m_s) < config.stagnation_rule_wind_m_s) & (
        calendar.daily_mean(mixing_height_m) < config.stagnation_rule_mixing_height_m
    )
    return np.asarray(day[calendar.day_index])


def _load_table(path: Path) -> pd.DataFrame:
    """The file as a raw table (CSV cells as text; NetCDF variables on the ``time`` dimension)."""
    if not path.is_file():
        raise ScenarioError(f"{path}: weather file not found")
    if path.suffix.lower() in {".nc", ".nc4", ".netcdf", ".cdf"}:
        import xarray as xr

        try:
            with xr.open_dataset(path) as ds:
                if "time" not in ds.dims:
                    raise ScenarioError(f"{path}: column 'time': no 'time' dimension")
                names = [v for v in (*COLUMNS, "stagnant") if v in ds.data_vars]
                wrong = [f"{path}: column '{v}': expected dimension ('time',), got {ds[v].dims}"
                         for v in names if ds[v].dims != ("time",)]  # fmt: skip
                if wrong:
                    raise ScenarioError(*wrong)
                return pd.DataFrame({"time": ds["time"].values, **{v: ds[v].values for v in names}})
        except (OSError, ValueError) as exc:
            raise ScenarioError(f"{path}: cannot read as NetCDF: {exc}") from exc
    try:
        return pd.read_csv(path, dtype=str, skipinitialspace=True, comment="#")
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise ScenarioError(f"{path}: cannot read as CSV: {exc}") from exc


def _show(value: object) -> str:
    """A cell as written: numbers plainly, text quoted."""
    return f"{value:g}" if isinstance(value, float | np.floating) else repr(str(value))


def _first(labels: pd.Series | pd.Index, mask: NDArray[np.bool_], values: Any = None) -> str:
    """``N ..., first: a, b, c`` for the rows in ``mask``."""
    idx = np.flatnonzero(mask)[:3]
    shown = [
        str(labels[i]) if values is None else f"{_show(values[i])} at {labels[i]}" for i in idx
    ]
    return f"{int(mask.sum())} (first: " + "; ".join(shown) + ")"


def _parse_times(raw: pd.Series, where: str, timezone: str) -> tuple[pd.DatetimeIndex, list[str]]:
    """Local naive times of the ``time`` column and the problems found in it."""
    if pd.api.types.is_datetime64_any_dtype(raw):
        times = pd.DatetimeIndex(raw)
    else:
        text = raw.astype(str).str.strip()
        has_offset = text.str.contains(_OFFSET, regex=True).to_numpy()
        if has_offset.any() and not has_offset.all():
            return pd.DatetimeIndex([]), [f"{where}: column 'time': mixes times with and "
                                          "without a UTC offset"]  # fmt: skip
        times = pd.DatetimeIndex(
            pd.to_datetime(text, format="ISO8601", errors="coerce", utc=bool(has_offset.any()))
        )
    if times.tz is not None:
        times = times.tz_convert(timezone).tz_localize(None)
    labels = raw.astype(str)
    problems = []
    bad = np.asarray(times.isna())
    if bad.any():
        problems.append(f"{where}: column 'time': expected local ISO times such as "
                        f"2024-01-01T00:00; unreadable: {_first(labels, bad, labels)}")  # fmt: skip
    ok = ~bad
    off_hour = ok & np.asarray(times != times.floor("h"))
    if off_hour.any():
        problems.append(f"{where}: column 'time': expected whole hours; {_first(labels, off_hour)}")
    dup = ok & np.asarray(times.duplicated())
    if dup.any():
        problems.append(f"{where}: column 'time': duplicated hours; {_first(labels, dup)}")
    return times, problems


def _parse_values(raw: pd.DataFrame, where: str) -> tuple[dict[str, F64], list[str]]:
    """Numeric columns (NaN where empty) and the problems found in them."""
    labels = raw["time"].astype(str)
    out: dict[str, F64] = {}
    problems: list[str] = []
    for col in COLUMNS:
        if col not in raw:
            problems.append(f"{where}: column '{col}': missing; expected {_VALID[col][1]}")
            continue
        cells = raw[col]
        values = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=np.float64)
        text = np.isnan(values) & cells.notna().to_numpy()
        if text.any():
            problems.append(f"{where}: column '{col}': expected numbers ({_VALID[col][1]}); "
                            f"not a number: {_first(labels, text, cells.to_numpy())}")  # fmt: skip
        finite = ~np.isnan(values)
        bad = finite & ~np.asarray(_VALID[col][0](np.where(finite, values, 0.0)))
        if bad.any():
            problems.append(f"{where}: column '{col}': expected {_VALID[col][1]}; "
                            f"out of range: {_first(labels, bad, values)}")  # fmt: skip
        out[col] = values
    if "stagnant" in raw:
        cells = raw["stagnant"]
        flags = cells.astype(str).str.strip().str.lower().map(_STAGNANT_TEXT)
        values = pd.to_numeric(flags, errors="coerce").to_numpy(dtype=np.float64)
        bad = np.isnan(values) & cells.notna().to_numpy()
        if bad.any():
            problems.append(f"{where}: column 'stagnant': expected 0/1 or true/false; "
                            f"found {_first(labels, bad, cells.to_numpy())}")  # fmt: skip
        out["stagnant"] = values
    return out, problems


def _runs(mask: NDArray[np.bool_]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """First and last index of every run of True in ``mask``."""
    edges = np.diff(np.r_[0, mask.astype(np.int8), 0])
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1


def read_weather(path: Path, calendar: Calendar, config: MeteorologyConfig) -> Weather:
    """Read observed hourly weather for the run from CSV or NetCDF.

    A CSV has columns ``time`` (local ISO time of the hour's start; an explicit UTC offset is
    converted to ``calendar.timezone``) and :data:`COLUMNS`, optionally ``stagnant`` (0/1 or
    true/false); other columns are ignored. A NetCDF file has the same variables on a ``time``
    dimension. Every hour of the run must be present; with ``config.fill == "interpolate"``
    gaps (missing rows or empty cells) of at most ``config.max_gap_h`` hours are interpolated
    linearly from their neighbours (for ``stagnant``: the nearer neighbour's flag). Without a
    ``stagnant`` column, :func:`derive_stagnant` decides.

    Raises
    ------
    ScenarioError
        One line per problem, each naming the file and the column.
    """
    where = str(path)
    raw = _load_table(path)
    if "time" not in raw:
        raise ScenarioError(f"{where}: column 'time': missing; expected local ISO hour starts")
    times, problems = _parse_times(raw["time"], where, calendar.timezone)
    values, value_problems = _parse_values(raw, where)
    problems += value_problems
    if problems:
        raise ScenarioError(*problems)

    n = calendar.n_hours
    pad = config.max_gap_h if config.fill == "interpolate" else 0
    axis = pd.date_range(calendar.times[0] - pd.Timedelta(hours=pad), periods=n + 2 * pad, freq="h")
    table = pd.DataFrame(values, index=times).reindex(axis)
    present = np.asarray(axis.isin(times))
    inner = slice(pad, pad + n)
    labels = pd.Index(axis.strftime("%Y-%m-%dT%H:%M"))
    if config.fill == "error":
        missing = ~present[inner]
        if missing.any():
            problems.append(f"{where}: column 'time': hours of the run missing: "
                            f"{_first(labels[inner], missing)}")  # fmt: skip
        for col in table.columns:
            empty = np.isnan(table[col].to_numpy()[inner]) & present[inner]
            if empty.any():
                problems.append(f"{where}: column '{col}': empty cells in the run: "
                                f"{_first(labels[inner], empty)}")  # fmt: skip
    else:
        for col in table.columns:
            series = table[col].to_numpy(dtype=np.float64).copy()
            gap = np.isnan(series)
            for a, b in zip(*_runs(gap), strict=True):
                if b < pad or a >= pad + n:
                    continue  # outside the run
                if b - a + 1 <= config.max_gap_h and a > 0 and b < series.size - 1:
                    continue
                name = "time" if not present[a : b + 1].any() else col
                problems.append(f"{where}: column '{name}': {b - a + 1} hours without a value "
                                f"from {labels[a]}; fill='interpolate' bridges at most "
                                f"{config.max_gap_h} h between two values")  # fmt: skip
            ok = ~gap
            if ok.any():
                x = np.arange(series.size)
                series[gap] = np.interp(x[gap], x[ok], series[ok])
            table[col] = series
    if problems:
        raise ScenarioError(*dict.fromkeys(problems))
    arrays = {c: table[c].to_numpy(dtype=np.float64)[inner].copy() for c in table.columns}
    stagnant = (
        arrays["stagnant"] >= 0.5
        if "stagnant" in arrays
        else derive_stagnant(calendar, arrays["wind_m_s"], arrays["mixing_height_m"], config)
    )
    return Weather(**{c: arrays[c] for c in COLUMNS}, stagnant=np.asarray(stagnant))
