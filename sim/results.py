"""A run's results: one xarray Dataset (CF-1.8), the events table, a summary; writing and reading.

Files of a saved run (``outputs/<name>/``): ``results.nc``, ``events.csv``, ``summary.json``,
``scenario.resolved.yaml``. A run folder is written into a temporary sibling and renamed into place.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr
import yaml

from sim.errors import SimError
from sim.outfolder import make_temp_sibling, require_sim_folder, short_error
from sim.scenario.vocabulary import KG_PER_T, POLLUTANTS, SECTORS

if TYPE_CHECKING:
    from sim.engine import RunState
    from sim.outcomes import Outcome
    from sim.scenario.schema import Scenario
    from sim.targets import Scorecard

__all__ = [
    "RESULT_FILES",
    "Result",
    "build_dataset",
    "build_summary",
    "make_temp_sibling",
    "progress_dataset",
    "sim_version",
]

#: Files every saved run folder holds.
RESULT_FILES = ("results.nc", "events.csv", "summary.json", "scenario.resolved.yaml")

_KG_PER_T = KG_PER_T
#: Ledger streams that track a measure's progress (see sim.policies.base.progress_stream).
PROGRESS_PREFIX = "progress."


def sim_version() -> str:
    """The installed version of sim."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sim")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


def _var(dims: tuple[str, ...], data: Any, units: str, long_name: str, **attrs: Any) -> xr.Variable:
    return xr.Variable(dims, data, attrs={"units": units, "long_name": long_name, **attrs})


def _resolved_yaml(scenario: Scenario) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # the C dumper is ~7x faster
    return yaml.dump(scenario.raw, Dumper=dumper, sort_keys=False, allow_unicode=True)


def build_dataset(state: RunState) -> xr.Dataset:
    """The results Dataset of one run: hourly emissions by sector, totals by source, weather."""
    source_keys = sorted(state.source_emissions)
    months, emission_vars = _emission_vars(state, source_keys)
    data_vars = emission_vars | _weather_vars(state.weather)
    coords = _coords(state, source_keys, months)
    dataset = xr.Dataset(data_vars, coords=coords, attrs=_attrs(state))
    progress = progress_dataset(state)
    return dataset.merge(progress, combine_attrs="override") if progress.data_vars else dataset


def _emission_vars(
    state: RunState, source_keys: list[str]
) -> tuple[pd.DatetimeIndex, dict[str, xr.Variable]]:
    """Hourly rates by sector (kg/h), monthly sums by sector (t), run totals by source (t)."""
    cal = state.calendar
    sector_rate = state.sector_emissions()
    source_totals = (
        np.stack([state.source_emissions[k].sum(axis=0) for k in source_keys]) / _KG_PER_T
        if source_keys
        else np.zeros((0, len(POLLUTANTS)))
    )
    month_start = cal.times.to_period("M").to_timestamp()
    months = pd.DatetimeIndex(month_start.unique())
    month_idx = months.get_indexer(month_start)
    monthly = np.zeros((len(months), len(SECTORS), len(POLLUTANTS)))
    np.add.at(monthly, month_idx, sector_rate)
    return months, {
        "emission_rate": _var(
            ("time", "sector", "pollutant"),
            sector_rate,
            "kg h-1",
            "hourly emission rate by sector",
            cell_methods="time: mean",
        ),
        "monthly_emission": _var(
            ("month", "sector", "pollutant"),
            monthly / _KG_PER_T,
            "t",
            "emission by month and sector",
            cell_methods="time: sum",
        ),
        "source_emission": _var(
            ("source", "pollutant"),
            source_totals,
            "t",
            "emission over the run by source",
            cell_methods="time: sum",
        ),
    }


def _weather_vars(w: Any) -> dict[str, xr.Variable]:
    """The run's hourly weather, CF-named."""
    return {
        "wind_speed": _var(
            ("time",), w.wind_m_s, "m s-1", "wind speed at 10 m", standard_name="wind_speed"
        ),
        "mixing_height": _var(("time",), w.mixing_height_m, "m", "mixing-layer height"),
        "air_temperature": _var(
            ("time",),
            w.temperature_c,
            "degC",
            "air temperature at 2 m",
            standard_name="air_temperature",
        ),
        "relative_humidity": _var(
            ("time",),
            w.relative_humidity_pct,
            "%",
            "relative humidity",
            standard_name="relative_humidity",
        ),
        "solar_irradiance": _var(
            ("time",),
            w.solar_w_m2,
            "W m-2",
            "global horizontal irradiance",
            standard_name="surface_downwelling_shortwave_flux_in_air",
        ),
        "precipitation_rate": _var(("time",), w.rain_mm_h, "mm h-1", "precipitation rate"),
        "stagnant": _var(
            ("time",),
            w.stagnant.astype(np.int8),
            "1",
            "stagnation episode flag",
            flag_values="0 1",
            flag_meanings="no yes",
        ),
    }


def _coords(state: RunState, source_keys: list[str], months: pd.DatetimeIndex) -> dict[str, Any]:
    cal = state.calendar
    return {
        "time": (
            "time",
            cal.times.values,
            {"long_name": "start of hour, local time", "timezone": cal.timezone},
        ),
        "sector": ("sector", list(SECTORS), {"long_name": "source category"}),
        "pollutant": (
            "pollutant",
            list(POLLUTANTS),
            {
                "long_name": "pollutant",
                "comment": "NOx as NO2-equivalent mass; VOC as non-methane VOC mass",
            },
        ),
        "source": ("source", source_keys, {"long_name": "source, as <sector>.<name>"}),
        "source_sector": (
            "source",
            [k.split(".", 1)[0] for k in source_keys],
            {"long_name": "sector of the source"},
        ),
        "month": ("month", months.values, {"long_name": "first day of the month"}),
    }


def _attrs(state: RunState) -> dict[str, Any]:
    scenario = state.scenario
    return {
        "Conventions": "CF-1.8",
        "title": f"sim run of scenario {scenario.name}",
        "institution": "sim",
        "source": f"sim {sim_version()}",
        "scenario_name": scenario.name,
        "scenario_hash": scenario.scenario_hash,
        "seed": int(state.seed),
        "sim_version": sim_version(),
        "district": scenario.district.name,
    }


def progress_dataset(state: RunState) -> xr.Dataset:
    """Every scalar ``progress.<measure>.<what>`` ledger stream, end of each day.

    One variable ``progress`` (day × progress_stream) with the stream names and their units as
    coordinates; empty when no measure tracks progress.
    """
    ledger, cal = state.ledger, state.calendar
    names = [
        n
        for n in ledger.stream_names
        if n.startswith(PROGRESS_PREFIX) and ledger.stream(n).shape == ()
    ]
    if not names:
        return xr.Dataset()
    last_hour = np.r_[np.flatnonzero(np.diff(cal.day_index)), cal.n_hours - 1]
    data = np.column_stack([ledger.hourly(n)[last_hour] for n in names])
    return xr.Dataset(
        {
            "progress": _var(
                ("day", "progress_stream"),
                data,
                "various (see progress_unit)",
                "measure progress, end of day",
            )
        },
        coords={
            "day": ("day", cal.days.values, {"long_name": "calendar day, local time"}),
            "progress_stream": ("progress_stream", names, {"long_name": "progress stream"}),
            "progress_unit": (
                "progress_stream",
                [ledger.stream(n).unit for n in names],
                {"long_name": "unit of the stream"},
            ),
        },
    )


def _events_frame(state: RunState, families: Mapping[str, str]) -> pd.DataFrame:
    table = state.ledger.events_table()
    frame = pd.DataFrame(table)
    start = pd.Timestamp(state.calendar.start)
    frame.insert(0, "time", start + pd.to_timedelta(frame["time_h"], unit="h"))
    frame["family"] = [families.get(p, "") for p in frame["process"]]
    return frame


def build_summary(state: RunState, dataset: xr.Dataset) -> dict[str, Any]:
    """Annual totals by sector and pollutant, run facts; JSON-ready."""
    totals = dataset["emission_rate"].sum("time").values / _KG_PER_T
    by_sector = {
        s: {p: round(float(totals[i, j]), 6) for j, p in enumerate(POLLUTANTS)}
        for i, s in enumerate(SECTORS)
    }
    by_source = {
        str(src): {p: round(float(v), 6) for p, v in zip(POLLUTANTS, row, strict=True)}
        for src, row in zip(
            dataset["source"].values, dataset["source_emission"].values, strict=True
        )
    }
    return {
        "scenario": state.scenario.name,
        "scenario_hash": state.scenario.scenario_hash,
        "seed": int(state.seed),
        "sim_version": sim_version(),
        "period": {
            "start": state.calendar.start.isoformat(),
            "end": state.calendar.end.isoformat(),
            "hours": state.calendar.n_hours,
        },
        "units": {"emissions_t": "t over the run"},
        "emissions_t": by_sector,
        "total_t": {p: round(float(totals[:, j].sum()), 6) for j, p in enumerate(POLLUTANTS)},
        "sources_t": by_source,
        "events": len(state.ledger.events),
    }


@dataclass
class Result:
    """The outcome of one run: ``dataset`` (xarray), ``events`` (pandas), ``summary`` (dict)."""

    dataset: xr.Dataset
    events: pd.DataFrame
    summary: dict[str, Any]
    scenario: Scenario
    extras: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def assemble(
        cls,
        state: RunState,
        outcomes: Mapping[str, Outcome],
        facts: Mapping[str, Any],
        families: Mapping[str, str] | None = None,
    ) -> Result:
        """Assemble a Result from an engine run, its computed outcomes and its plan facts.

        ``outcomes[name]`` adds its variables to the Dataset and its summary as
        ``summary[name]``; ``facts`` (:func:`sim.outcomes.plan.plan_facts`) go to the summary's
        top level; ``families`` maps each measure to its family for ``events.csv`` (the api
        passes :func:`sim.policies.measure_families`). Nothing is computed here but the emission
        tables.
        """
        dataset = build_dataset(state)
        summary = build_summary(state, dataset)
        lines: list[str] = []
        for name, outcome in outcomes.items():
            summary[name] = outcome.summary
            lines.extend(outcome.lines)
        if outcomes:  # one merge for all outcomes (the run's attributes kept)
            parts = [dataset, *(o.dataset for o in outcomes.values())]
            dataset = xr.merge(parts, combine_attrs="override")
        summary.update(facts)
        result = cls(dataset, _events_frame(state, families or {}), summary, state.scenario)
        result.extras["timings_s"] = {"engine": round(state.elapsed_s, 4)} | {
            name: round(outcome.elapsed_s, 4) for name, outcome in outcomes.items()
        }
        result.extras["lines"] = lines
        result.extras["state"] = state
        return result

    @property
    def scorecard(self) -> Scorecard:
        """The scenario's targets scored on this run's summary (:func:`sim.targets.score_run`)."""
        from sim.targets import scenario_targets, score_run

        return score_run(scenario_targets(self.scenario), self.summary)

    def attach_measures(
        self, dataset: xr.Dataset, summary: dict[str, Any], lines: list[str]
    ) -> None:
        """Add the measure attribution (see :mod:`sim.attribution`): its variables, the
        summary's ``measures`` section and its printed lines."""
        self.dataset = self.dataset.merge(dataset, combine_attrs="override")
        self.summary["measures"] = summary
        self.extras.setdefault("lines", []).extend(lines)

    def save(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Write the run folder ``path`` atomically; refuse to replace one unless ``overwrite``.

        See :class:`sim.outfolder.OutputFolder`: the folder is written in a temporary sibling
        under a lock and renamed into place; ``overwrite`` replaces only a folder sim wrote.

        Raises
        ------
        SimError
            If ``path`` exists and ``overwrite`` is False, is not a folder sim wrote, or is being
            written by another process (exit code 2 at the command line); or if a scored value
            is NaN or infinite (exit code 4).
        """
        from sim.outfolder import OutputFolder
        from sim.validity import check_summary

        check_summary(self.summary, self.scenario.name)
        with OutputFolder(path, overwrite=overwrite) as out:
            self.write_files(out.tmp)
            return out.commit()

    def write_files(self, folder: Path) -> None:
        """Write every result file into an existing ``folder``.

        The resolved scenario goes into ``results.nc`` (global attribute ``scenario_resolved``)
        and ``scenario.resolved.yaml``; it is rendered here, not for every run in memory.
        """
        resolved = _resolved_yaml(self.scenario)
        dataset = self.dataset.assign_attrs(scenario_resolved=resolved)
        dataset.to_netcdf(folder / "results.nc", engine="h5netcdf")
        self.events.to_csv(folder / "events.csv", index=False)
        (folder / "summary.json").write_text(
            json.dumps(self.summary, indent=2, ensure_ascii=False, allow_nan=False)
        )
        (folder / "scenario.resolved.yaml").write_text(resolved, encoding="utf-8")
        write_run_facts(folder, self.extras.get("timings_s", {}))

    @classmethod
    def load(cls, path: str | Path) -> Result:
        """Read a saved run folder back.

        Raises
        ------
        SimError
            (exit code 2) When ``path`` is not a complete run folder written by sim (no marker
            file, a missing file) or a file in it cannot be read.
        """
        from sim.scenario import scenario_from_mapping

        folder = Path(path)
        require_sim_folder(folder, RESULT_FILES)
        try:
            with xr.open_dataset(folder / "results.nc", engine="h5netcdf") as ds:
                dataset = ds.load()
            events = pd.read_csv(folder / "events.csv", parse_dates=["time"], keep_default_na=False)
            summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
            raw = yaml.safe_load((folder / "scenario.resolved.yaml").read_text(encoding="utf-8"))
        except (OSError, ValueError, yaml.YAMLError, UnicodeDecodeError) as exc:
            raise _ExistsError(f"{folder}: damaged run folder: {short_error(exc)}") from None
        scenario = scenario_from_mapping(raw, origin=str(folder / "scenario.resolved.yaml"))
        return cls(dataset, events, summary, scenario)


def daily_emission(dataset: xr.Dataset) -> xr.DataArray | None:
    """Emissions by day and sector, t/d, from the hourly ``emission_rate`` (kg/h)."""
    if "emission_rate" not in dataset:
        return None
    rate = dataset["emission_rate"]
    times = pd.DatetimeIndex(rate["time"].values)
    if len(times) and times[0].hour == 0 and len(times) % 24 == 0:
        n_days = len(times) // 24
        values = rate.values.reshape(n_days, 24, *rate.shape[1:]).sum(axis=1) / _KG_PER_T
        daily = xr.DataArray(
            values,
            dims=("day", *rate.dims[1:]),
            coords={"day": times[::24].values, **{d: rate[d].values for d in rate.dims[1:]}},
        )
    else:
        daily = (rate.resample(time="1D").sum() / _KG_PER_T).rename(time="day")
    daily.attrs = {"units": "t d-1", "long_name": "emission by day and sector"}
    return daily


RUN_FACTS_FILE = "run.json"


def write_run_facts(folder: Path, timings_s: dict[str, float]) -> None:
    """Write ``run.json``: what differs between two runs of the same scenario and seed.

    Wall times (s), the time of writing (UTC), the host and the Python version live here and
    nowhere else, so every other file of a run folder is byte-identical for the same scenario
    and seed.
    """
    import platform

    facts = {
        "created_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "host": platform.node(),
        "python": platform.python_version(),
        "sim_version": sim_version(),
        "timings_s": timings_s,
    }
    (folder / RUN_FACTS_FILE).write_text(json.dumps(facts, indent=2, allow_nan=False) + "\n")


class _ExistsError(SimError):
    exit_code = 2
