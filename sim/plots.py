"""Figures of a run, an ensemble or a comparison (matplotlib, Agg), read from Datasets only.

Figures are built as :class:`~matplotlib.figure.Figure` objects with no pyplot state, so they
render with the Agg canvas and are freed like any object.

Each function returns a :class:`matplotlib.figure.Figure`, or None when the data it needs is
absent (e.g. no ``water:`` section, so no river classes). With a ``member`` dimension, lines are
the ensemble median and bands the 5-95 % range.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

if TYPE_CHECKING:
    from sim.targets import Scorecard

__all__ = [
    "AQI_COLOURS",
    "aqi_calendar",
    "cost_effectiveness",
    "emissions_by_sector",
    "figure_png",
    "measures_timeline",
    "o3_8h",
    "pm25_monthly",
    "probability_by_bundle",
    "river_classes",
    "run_figures",
    "save_figures",
    "scorecard_chart",
]

#: HJ 633-2012 category colours, excellent to severe.
AQI_COLOURS = ("#00e400", "#ffff00", "#ff7e00", "#ff0000", "#99004c", "#7e0023")
AQI_NAMES = ("excellent", "good", "light", "moderate", "heavy", "severe")
#: Source processes (not measures) in the events table.
_SOURCE_PREFIXES = ("mobile.", "industrial.", "coal.", "dust.", "household.")
#: GB 3095-2012 grade II O3 daily maximum 8-h limit, µg/m³.
O3_8H_LIMIT_UG_M3 = 160.0


def _new(title: str, size: tuple[float, float] = (8.0, 4.0)) -> tuple[Figure, Any]:
    fig = Figure(figsize=size, layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(title)
    return fig, ax


def _band(da: xr.DataArray) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    if "member" in da.dims:
        q = da.quantile([0.05, 0.5, 0.95], dim="member").values
        return q[1], q[0], q[2]
    return da.values, None, None


def pm25_monthly(ds: xr.Dataset, target_ug_m3: float | None = None) -> Figure | None:
    """Monthly mean PM2.5 (all scales) against the annual target line, µg/m³."""
    if "pm25_monthly_mean" not in ds:
        return None
    da = ds["pm25_monthly_mean"]
    if "scale" in da.dims:
        da = da.sum("scale")
    mid, lo, hi = _band(da)
    months = pd.DatetimeIndex(ds["month"].values)
    fig, ax = _new("Monthly mean PM2.5")
    x = np.arange(len(months))
    ax.plot(
        x,
        mid,
        marker="o",
        color="tab:blue",
        label="monthly mean (median)" if lo is not None else "monthly mean",
    )
    if lo is not None and hi is not None:
        ax.fill_between(x, lo, hi, color="tab:blue", alpha=0.25, label="5-95 % of members")
    if target_ug_m3 is not None:
        ax.axhline(
            target_ug_m3, color="tab:red", ls="--", label=f"annual target {target_ug_m3:g} µg/m³"
        )
    ax.set_xticks(x, [m.strftime("%b") for m in months])
    ax.set_xlabel("month")
    ax.set_ylabel("PM2.5 (µg/m³)")
    ax.legend(loc="upper center")
    return fig


def aqi_calendar(ds: xr.Dataset) -> Figure | None:
    """Calendar heat-map of daily AQI categories (HJ 633-2012); ensembles: median category."""
    if "aqi_category" not in ds:
        return None
    da = ds["aqi_category"]
    cats = np.rint(da.median("member").values) if "member" in da.dims else da.values
    days = pd.DatetimeIndex(ds["day"].values)
    months = pd.PeriodIndex(days, freq="M").unique()
    grid = np.full((len(months), 31), np.nan)
    for day, cat in zip(days, cats, strict=True):
        grid[list(months).index(day.to_period("M")), day.day - 1] = cat
    fig, ax = _new("Daily air-quality category (AQI, HJ 633-2012)", (10.0, 4.5))
    cmap = ListedColormap(AQI_COLOURS)
    ax.imshow(grid, cmap=cmap, norm=BoundaryNorm(np.arange(-0.5, 6.5), 6), aspect="auto")
    ax.set_yticks(np.arange(len(months)), [m.strftime("%b %Y") for m in months])
    ax.set_xticks(np.arange(0, 31, 5), [str(d) for d in range(1, 32, 5)])
    ax.set_xlabel("day of month")
    ax.set_ylabel("month")
    ax.legend(
        handles=[Patch(color=c, label=n) for c, n in zip(AQI_COLOURS, AQI_NAMES, strict=True)],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        title="category",
    )
    return fig


def emissions_by_sector(ds: xr.Dataset, pollutant: str = "PM2.5") -> Figure | None:
    """Monthly emissions of ``pollutant`` stacked by sector, t."""
    if "monthly_emission" not in ds or pollutant not in ds["pollutant"].values:
        return None
    da = ds["monthly_emission"].sel(pollutant=pollutant)
    if "member" in da.dims:
        da = da.median("member")
    months = pd.DatetimeIndex(ds["month"].values)
    fig, ax = _new(f"Monthly {pollutant} emissions by sector")
    x = np.arange(len(months))
    bottom = np.zeros(len(months))
    for sector in da["sector"].values:
        values = da.sel(sector=sector).values
        ax.bar(x, values, bottom=bottom, label=str(sector))
        bottom = bottom + values
    ax.set_xticks(x, [m.strftime("%b") for m in months])
    ax.set_xlabel("month")
    ax.set_ylabel(f"{pollutant} emission (t per month)")
    ax.legend(title="sector", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def o3_8h(ds: xr.Dataset) -> Figure | None:
    """Daily maximum 8-h O3 against the 160 µg/m³ limit (GB 3095-2012 grade II)."""
    if "o3_mda8" not in ds:
        return None
    mid, lo, hi = _band(ds["o3_mda8"])
    days = pd.DatetimeIndex(ds["day"].values)
    fig, ax = _new("Daily maximum 8-h ozone")
    ax.plot(
        days,
        mid,
        color="tab:purple",
        lw=1,
        label="O3 max 8-h" + (" (median)" if lo is not None else ""),
    )
    if lo is not None and hi is not None:
        ax.fill_between(days, lo, hi, color="tab:purple", alpha=0.2, label="5-95 % of members")
    ax.axhline(O3_8H_LIMIT_UG_M3, color="tab:red", ls="--", label="limit 160 µg/m³")
    ax.set_xlabel("date")
    ax.set_ylabel("O3 max 8-h (µg/m³)")
    ax.legend(loc="upper left")
    return fig


def river_classes(ds: xr.Dataset) -> Figure | None:
    """Surface-water class (GB 3838-2002) of each monitoring section by month."""
    if "section_class_monthly" not in ds:
        return None
    da = ds["section_class_monthly"]
    if "member" in da.dims:
        da = da.max("member")
    month_dim = next(d for d in da.dims if d != "section")
    da = da.transpose("section", month_dim)
    fig, ax = _new("River sections: water-quality class by month (worst member)", (9.0, 3.5))
    colours = ("#1f77b4", "#2ca02c", "#98df8a", "#ffbb78", "#ff7f0e", "#d62728")
    ax.imshow(
        da.values,
        cmap=ListedColormap(colours),
        norm=BoundaryNorm(np.arange(0.5, 7.5), 6),
        aspect="auto",
    )
    ax.set_yticks(np.arange(da.sizes["section"]), [str(s) for s in da["section"].values])
    ax.set_xticks(np.arange(da.sizes[month_dim]), [str(m) for m in da[month_dim].values])
    ax.set_xlabel("month")
    ax.set_ylabel("section")
    names = ("I", "II", "III", "IV", "V", "worse than V")
    ax.legend(
        handles=[Patch(color=c, label=n) for c, n in zip(colours, names, strict=True)],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        title="class",
    )
    return fig


def measures_timeline(events: pd.DataFrame | None) -> Figure | None:
    """When each measure acted: one row per measure, one mark per event (from the events)."""
    if events is None or events.empty:
        return None
    rows = events[~events["process"].astype(str).str.startswith(_SOURCE_PREFIXES)]
    rows = rows[rows["kind"] != "cost"]
    if rows.empty:
        return None
    processes = sorted(rows["process"].unique())
    fig, ax = _new("Timeline of measures", (9.0, 1.0 + 0.45 * len(processes)))
    for i, name in enumerate(processes):
        sub = rows[rows["process"] == name]
        ax.scatter(pd.to_datetime(sub["time"]), np.full(len(sub), i), marker="|", s=120, label=None)
    ax.set_yticks(np.arange(len(processes)), processes)
    ax.set_xlabel("date")
    ax.set_ylabel("measure")
    return fig


def scorecard_chart(card: Scorecard) -> Figure | None:
    """Probability of meeting each target (a single run: 1 met, 0 not; grey: not evaluated)."""
    if not card.targets:
        return None
    names = [t.name for t in card.targets]
    probs, colours = [], []
    for t in card.targets:
        if t.probability_met is not None:
            p = t.probability_met
        elif t.status == "not evaluated":
            p = 0.0
        else:
            p = 1.0 if t.status == "met" else 0.0
        probs.append(p)
        colours.append(
            "lightgrey" if t.status == "not evaluated" else ("tab:green" if p >= 0.5 else "tab:red")
        )
    fig, ax = _new(
        f"Targets of {card.scenario}: probability met ({card.members} member(s))",
        (8.0, 1.0 + 0.4 * len(names)),
    )
    y = np.arange(len(names))
    ax.barh(y, probs, color=colours)
    for yi, t in zip(y, card.targets, strict=True):
        if t.status == "not evaluated":
            ax.text(0.01, yi, "not evaluated", va="center", fontsize=8)
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability of meeting the target")
    ax.legend(
        handles=[
            Patch(color="tab:green", label="likely met (≥ 50 %)"),
            Patch(color="tab:red", label="likely missed"),
            Patch(color="lightgrey", label="not evaluated"),
        ],
        loc="lower right",
    )
    return fig


def cost_effectiveness(comparison: xr.Dataset) -> Figure | None:
    """Cost per tonne reduced, per bundle and pollutant (CNY/t); log scale."""
    names = [v for v in comparison.data_vars if str(v).startswith("cost_per_t_")]
    if not names:
        return None
    bundles = [str(b) for b in comparison["bundle"].values]
    fig, ax = _new("Cost-effectiveness: cost per tonne reduced", (9.0, 4.5))
    width = 0.8 / len(names)
    x = np.arange(len(bundles))
    drawn = False
    for i, name in enumerate(names):
        values = comparison[name].values.astype(float)
        ok = np.isfinite(values) & (values > 0)
        if ok.any():
            drawn = True
        ax.bar(x[ok] + i * width, values[ok], width, label=str(name).removeprefix("cost_per_t_"))
    ax.set_xticks(x + 0.4 - width / 2, bundles)
    ax.set_xlabel("bundle")
    ax.set_ylabel("cost per tonne reduced (CNY/t)")
    if drawn:
        ax.set_yscale("log")
    ax.legend(title="pollutant")
    return fig


def probability_by_bundle(comparison: xr.Dataset) -> Figure | None:
    """Probability of meeting each target, bundles side by side."""
    if "probability_met" not in comparison:
        return None
    da = comparison["probability_met"]
    bundles = [str(b) for b in da["bundle"].values]
    targets = [str(t) for t in da["target"].values]
    fig, ax = _new("Probability of meeting each target, by bundle", (9.0, 1.5 + 0.5 * len(targets)))
    height = 0.8 / len(bundles)
    y = np.arange(len(targets))
    for i, b in enumerate(bundles):
        values = da.sel(bundle=b).values.astype(float)
        ax.barh(y + i * height, np.nan_to_num(values), height, label=b)
        for yi in (y + i * height)[np.isnan(values)]:
            ax.text(0.01, yi, "not evaluated", va="center", fontsize=7, color="grey")
    ax.set_yticks(y + 0.4 - height / 2, targets)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability of meeting the target (not evaluated: 0)")
    ax.legend(title="bundle", loc="lower right")
    return fig


def run_figures(
    ds: xr.Dataset,
    events: pd.DataFrame | None = None,
    scorecard: Scorecard | None = None,
    pm25_target_ug_m3: float | None = None,
) -> dict[str, Figure]:
    """Every figure of a run or ensemble whose data is present, by file stem."""
    figs: dict[str, Figure | None] = {
        "pm25_monthly": pm25_monthly(ds, pm25_target_ug_m3),
        "aqi_calendar": aqi_calendar(ds),
        "emissions_by_sector": emissions_by_sector(ds),
        "o3_8h": o3_8h(ds),
        "river_classes": river_classes(ds),
        "measures_timeline": measures_timeline(events),
        "scorecard": scorecard_chart(scorecard) if scorecard is not None else None,
    }
    return {k: v for k, v in figs.items() if v is not None}


def figure_png(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def save_figures(figs: Mapping[str, Figure], folder: str | Path) -> dict[str, Path]:
    """Write ``<folder>/<name>.png`` for each figure; returns the paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, fig in figs.items():
        path = out / f"{name}.png"
        path.write_bytes(figure_png(fig))
        paths[name] = path
    return paths
