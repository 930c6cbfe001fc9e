"""Section observations for the water calibration: one documented long CSV format.

A file of section observations has one row per observed value::

    section,start,end,species,value,unit,source
    haihe_sancha,2024-01,2024-01,nh3n,0.62,mg/L,"CNEMC weekly report 2024-W03 (mean of weeks)"
    haihe_sancha,2024-01,2024-12,tp,0.18,mg/L,"Tianjin bulletin 2024"

``section`` is a monitoring section of the scenario; ``start`` and ``end`` are months (YYYY-MM,
inclusive: a month, a season, a year); ``species`` is one of the GB 3838 items the model
reports (``do, codmn, cod, bod5, nh3n, tp``); ``value`` is the mean over the period in
``unit`` (mg/L only); ``source`` says where it comes from. :func:`observation_specs` turns the
file into the calibration's observation entries (``period: range``, one per section and
species, compared with ``sim.outcomes.water:section_mean``), so the water calibration fits the
upstream boundaries and rates to whatever periods are given and reports NSE, PBIAS and RSR with
the Moriasi verdicts (:mod:`sim.calibration.output`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from sim.calibration.spec import ColumnSpec, ObservationFileSpec
from sim.errors import CalibrationError

__all__ = ["SECTION_COLUMNS", "SPECIES", "observation_specs", "read_section_observations"]

#: Columns of a section-observation file, in order.
SECTION_COLUMNS = ("section", "start", "end", "species", "value", "unit", "source")

#: Species a file may give (the model's GB 3838 items).
SPECIES = ("do", "codmn", "cod", "bod5", "nh3n", "tp")

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def read_section_observations(path: str | Path) -> pd.DataFrame:
    """Read and check a section-observation file; one-line CalibrationError on the first problem
    (naming the file, the row and what is expected)."""
    p = Path(path)
    try:
        table = pd.read_csv(p, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise CalibrationError(f"{p}: observation file not found") from None
    missing = [c for c in SECTION_COLUMNS if c not in table.columns]
    if missing:
        raise CalibrationError(f"{p}: missing columns {', '.join(missing)}")
    for i, row in table.iterrows():
        where = f"{p}: row {int(str(i)) + 2}"
        if row["species"] not in SPECIES:
            raise CalibrationError(f"{where}: species must be one of {', '.join(SPECIES)}")
        if row["unit"] != "mg/L":
            raise CalibrationError(f"{where}: unit must be mg/L (got {row['unit']!r})")
        if not (_MONTH.match(row["start"]) and _MONTH.match(row["end"])):
            raise CalibrationError(f"{where}: start and end must be months YYYY-MM")
        if row["end"] < row["start"]:
            raise CalibrationError(f"{where}: end is before start")
        try:
            value = float(row["value"])
        except ValueError:
            raise CalibrationError(f"{where}: value must be a number") from None
        if not 0.0 <= value <= 500.0:
            raise CalibrationError(f"{where}: value must be in [0, 500] mg/L")
        if not row["source"].strip():
            raise CalibrationError(f"{where}: source is empty")
    return table


def observation_specs(
    path: str | Path, relative_to: str | Path, sigma_rel: float = 0.1
) -> tuple[ObservationFileSpec, ...]:
    """One calibration observation entry per (section, species) of the file at ``path``; the
    file is named relative to ``relative_to`` (the calibration file's folder)."""
    table = read_section_observations(path)
    name = str(Path(path).resolve().relative_to(Path(relative_to).resolve()))
    pairs = table[["section", "species"]].drop_duplicates().itertuples(index=False)
    return tuple(
        ObservationFileSpec(
            file=name,
            period="range",
            where={"section": section, "species": species},
            columns={
                "value": ColumnSpec(
                    observable="sim.outcomes.water:section_mean",
                    sigma_rel=sigma_rel,
                    kwargs={"section": section, "variable": species},
                )
            },
        )
        for section, species in pairs
    )
