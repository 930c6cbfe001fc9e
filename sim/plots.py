"""Figures of a run, an ensemble or a comparison (matplotlib, Agg), read from Datasets only.

Figures are built as :class:`~matplotlib.figure.Figure` objects with no pyplot state, so they
render with the Agg canvas and are freed like any object. Titles and labels follow ``lang``
(``en`` or ``zh``); :func:`figure_svg` keeps text as text (``svg.fonttype: none``) so that the
report's CSS font stack draws Chinese in any browser, and :func:`figure_png` falls back to an
installed CJK font (Noto Sans CJK, WenQuanYi, ...) for Chinese glyphs.

Each function returns a :class:`matplotlib.figure.Figure`, or None when the data it needs is
absent (e.g. no ``water:`` section, so no river classes). With a ``member`` dimension, lines are
the ensemble median and bands the 5-95 % range.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib import font_manager, rc_context
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.display_names import check_lang, display
from sim.plots_targets import (
    cost_effectiveness,
    new_figure,
    probability_by_bundle,
    scorecard_chart,
)

if TYPE_CHECKING:
    from sim.targets import Scorecard

__all__ = [
    "AQI_COLOURS",
    "aqi_calendar",
    "cost_effectiveness",
    "emissions_by_sector",
    "figure_png",
    "figure_svg",
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
AQI_NAMES_ZH = ("优", "良", "轻度污染", "中度污染", "重度污染", "严重污染")
#: Source processes (not measures) in the events table.
_SOURCE_PREFIXES = ("mobile.", "industrial.", "coal.", "dust.", "household.")
#: GB 3095-2012 grade II O3 daily maximum 8-h limit, µg/m³.
O3_8H_LIMIT_UG_M3 = 160.0
#: Fonts tried for Chinese glyphs in PNGs, Linux first (the first installed ones are used).
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
)
#: Figure words: id -> (English, Chinese).
WORDS: dict[str, tuple[str, str]] = {
    "pm25_title": ("Monthly mean PM2.5", "PM2.5月均浓度"),
    "monthly_mean": ("monthly mean", "月均值"),
    "median": (" (median)", "（中位数）"),
    "band": ("5-95 % of members", "成员5%–95%区间"),
    "annual_target": ("annual target {v:g} µg/m³", "年均目标 {v:g} 微克/立方米"),
    "month": ("month", "月份"),
    "pm25_axis": ("PM2.5 (µg/m³)", "PM2.5（微克/立方米）"),
    "aqi_title": (
        "Daily air-quality category (AQI, HJ 633-2012)",
        "每日空气质量级别（AQI，HJ 633-2012）",
    ),
    "day_of_month": ("day of month", "日"),
    "category": ("category", "级别"),
    "emis_title": ("Monthly {p} emissions by sector", "各排放源{p}月排放量"),
    "emis_axis": ("{p} emission (t per month)", "{p}排放量（吨/月）"),
    "sector": ("sector", "排放源"),
    "o3_title": ("Daily maximum 8-h ozone", "臭氧日最大8小时平均浓度"),
    "o3_line": ("O3 max 8-h", "O3日最大8小时"),
    "o3_limit": ("limit 160 µg/m³", "限值 160 微克/立方米"),
    "date": ("date", "日期"),
    "o3_axis": ("O3 max 8-h (µg/m³)", "O3日最大8小时（微克/立方米）"),
    "river_title": ("River sections: water-quality class by month", "河流断面逐月水质类别"),
    "worst": (" (worst member)", "（最差成员）"),
    "section": ("section", "断面"),
    "class": ("class", "类别"),
    "worse_than_v": ("worse than V", "劣Ⅴ"),
    "timeline_title": (
        "Timeline of measures (one tick per action)",
        "措施时间线（每个刻度为一次行动）",
    ),
    "measure": ("measure", "措施"),
}


def word(key: str, lang: str = "en", **fields: Any) -> str:
    """The figure word ``key`` in ``lang``."""
    pair = WORDS[key]
    text = pair[1] if check_lang(lang) == "zh" else pair[0]
    return text.format(**fields) if fields else text


@lru_cache(maxsize=1)
def installed_cjk_fonts() -> tuple[str, ...]:
    """The fonts of :data:`CJK_FONTS` that matplotlib finds on this machine.

    A CJK font installed after matplotlib built its font cache is not in the cache; the system's
    font files whose names look CJK are then registered (``addfont``) once.
    """
    manager = font_manager.fontManager
    names = {f.name for f in manager.ttflist}
    if not names.intersection(CJK_FONTS):
        for path in font_manager.findSystemFonts():
            if any(k in Path(path).name for k in ("CJK", "wqy", "SourceHanSans")):
                try:
                    manager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        names = {f.name for f in manager.ttflist}
    return tuple(f for f in CJK_FONTS if f in names)


@contextmanager
def _style() -> Iterator[None]:
    """Fonts with a CJK fallback and reproducible SVG ids while a figure is built and drawn.

    The fallback works per family of ``font.family`` (not within the ``sans-serif`` alias), so
    the families are listed there; text takes its fonts when it is created, so figures are built
    inside this context too.
    """
    fonts = ["DejaVu Sans", *installed_cjk_fonts()]
    with warnings.catch_warnings():
        # without any CJK font, Chinese PNG text is boxes; the report's SVG text is unaffected
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        with rc_context(
            {
                "font.family": fonts,  # a list: matplotlib falls back glyph by glyph
                "svg.fonttype": "none",
                "svg.hashsalt": "sim",
                "axes.unicode_minus": False,
            }
        ):
            yield


def _month_labels(months: pd.DatetimeIndex, lang: str) -> list[str]:
    if lang == "zh":
        return [f"{m.month}月" for m in months]
    return [m.strftime("%b") for m in months]


_new = new_figure


def _band(da: xr.DataArray) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    if "member" in da.dims:
        q = da.quantile([0.05, 0.5, 0.95], dim="member").values
        return q[1], q[0], q[2]
    return da.values, None, None


def pm25_monthly(
    ds: xr.Dataset, target_ug_m3: float | None = None, lang: str = "en"
) -> Figure | None:
    """Monthly mean PM2.5 (all scales) against the annual target line, µg/m³."""
    if "pm25_monthly_mean" not in ds:
        return None
    da = ds["pm25_monthly_mean"]
    if "scale" in da.dims:
        da = da.sum("scale")
    mid, lo, hi = _band(da)
    months = pd.DatetimeIndex(ds["month"].values)
    fig, ax = _new(word("pm25_title", lang))
    x = np.arange(len(months))
    label = word("monthly_mean", lang) + (word("median", lang) if lo is not None else "")
    ax.plot(x, mid, marker="o", color="tab:blue", label=label)
    if lo is not None and hi is not None:
        ax.fill_between(x, lo, hi, color="tab:blue", alpha=0.25, label=word("band", lang))
    if target_ug_m3 is not None:
        ax.axhline(
            target_ug_m3,
            color="tab:red",
            ls="--",
            label=word("annual_target", lang, v=target_ug_m3),
        )
    ax.set_xticks(x, _month_labels(months, lang))
    ax.set_xlabel(word("month", lang))
    ax.set_ylabel(word("pm25_axis", lang))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def aqi_calendar(ds: xr.Dataset, lang: str = "en") -> Figure | None:
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
    fig, ax = _new(word("aqi_title", lang), (10.0, 4.5))
    cmap = ListedColormap(AQI_COLOURS)
    ax.imshow(grid, cmap=cmap, norm=BoundaryNorm(np.arange(-0.5, 6.5), 6), aspect="auto")
    labels = [f"{m.year}年{m.month}月" if lang == "zh" else m.strftime("%b %Y") for m in months]
    ax.set_yticks(np.arange(len(months)), labels)
    ax.set_xticks(np.arange(0, 31, 5), [str(d) for d in range(1, 32, 5)])
    ax.set_xlabel(word("day_of_month", lang))
    ax.set_ylabel(word("month", lang))
    names = AQI_NAMES_ZH if lang == "zh" else AQI_NAMES
    ax.legend(
        handles=[Patch(color=c, label=n) for c, n in zip(AQI_COLOURS, names, strict=True)],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        title=word("category", lang),
    )
    return fig


def emissions_by_sector(
    ds: xr.Dataset, pollutant: str = "PM2.5", lang: str = "en"
) -> Figure | None:
    """Monthly emissions of ``pollutant`` stacked by sector, t."""
    if "monthly_emission" not in ds or pollutant not in ds["pollutant"].values:
        return None
    da = ds["monthly_emission"].sel(pollutant=pollutant)
    if "member" in da.dims:
        da = da.median("member")
    months = pd.DatetimeIndex(ds["month"].values)
    fig, ax = _new(word("emis_title", lang, p=pollutant))
    x = np.arange(len(months))
    bottom = np.zeros(len(months))
    for sector in da["sector"].values:
        values = da.sel(sector=sector).values
        ax.bar(x, values, bottom=bottom, label=display("sector", str(sector), lang))
        bottom = bottom + values
    ax.set_xticks(x, _month_labels(months, lang))
    ax.set_xlabel(word("month", lang))
    ax.set_ylabel(word("emis_axis", lang, p=pollutant))
    ax.legend(title=word("sector", lang), loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def o3_8h(ds: xr.Dataset, lang: str = "en") -> Figure | None:
    """Daily maximum 8-h O3 against the 160 µg/m³ limit (GB 3095-2012 grade II)."""
    if "o3_mda8" not in ds:
        return None
    mid, lo, hi = _band(ds["o3_mda8"])
    days = pd.DatetimeIndex(ds["day"].values)
    fig, ax = _new(word("o3_title", lang))
    label = word("o3_line", lang) + (word("median", lang) if lo is not None else "")
    ax.plot(days, mid, color="tab:purple", lw=1, label=label)
    if lo is not None and hi is not None:
        ax.fill_between(days, lo, hi, color="tab:purple", alpha=0.2, label=word("band", lang))
    ax.axhline(O3_8H_LIMIT_UG_M3, color="tab:red", ls="--", label=word("o3_limit", lang))
    ax.set_xlabel(word("date", lang))
    ax.set_ylabel(word("o3_axis", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def river_classes(ds: xr.Dataset, lang: str = "en") -> Figure | None:
    """Surface-water class (GB 3838-2002) of each monitoring section by month.

    An ensemble shows the worst member's class (and says so); a single run shows its own.
    """
    if "section_class_monthly" not in ds:
        return None
    da = ds["section_class_monthly"]
    title = word("river_title", lang)
    if "member" in da.dims:
        da = da.max("member")
        title += word("worst", lang)
    month_dim = next(d for d in da.dims if d != "section")
    da = da.transpose("section", month_dim)
    fig, ax = _new(title, (9.0, 1.5 + 0.45 * da.sizes["section"]))
    colours = ("#1f77b4", "#2ca02c", "#98df8a", "#ffbb78", "#ff7f0e", "#d62728")
    ax.imshow(
        da.values,
        cmap=ListedColormap(colours),
        norm=BoundaryNorm(np.arange(0.5, 7.5), 6),
        aspect="auto",
    )
    sections = [display("section", str(s), lang) for s in da["section"].values]
    ax.set_yticks(np.arange(da.sizes["section"]), sections)
    ax.set_xticks(np.arange(da.sizes[month_dim]), [str(m) for m in da[month_dim].values])
    ax.set_xlabel(word("month", lang))
    names = ("I", "II", "III", "IV", "V", word("worse_than_v", lang))
    ax.legend(
        handles=[Patch(color=c, label=n) for c, n in zip(colours, names, strict=True)],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        title=word("class", lang),
    )
    return fig


def measures_timeline(events: pd.DataFrame | None, lang: str = "en") -> Figure | None:
    """When each measure acted: one row per measure, one tick per action (from the events)."""
    if events is None or events.empty:
        return None
    rows = events[~events["process"].astype(str).str.startswith(_SOURCE_PREFIXES)]
    rows = rows[rows["kind"] != "cost"]
    if rows.empty:
        return None
    processes = sorted(rows["process"].unique())
    fig, ax = _new(word("timeline_title", lang), (9.0, 1.2 + 0.4 * len(processes)))
    for i, name in enumerate(processes):
        sub = rows[rows["process"] == name]
        ax.scatter(pd.to_datetime(sub["time"]), np.full(len(sub), i), marker="|", s=120)
    labels = [display("measure", str(p).split(".")[0], lang) for p in processes]
    ax.set_yticks(np.arange(len(processes)), labels)
    ax.set_xlabel(word("date", lang))
    return fig


def run_figures(
    ds: xr.Dataset,
    events: pd.DataFrame | None = None,
    scorecard: Scorecard | None = None,
    pm25_target_ug_m3: float | None = None,
    lang: str = "en",
) -> dict[str, Figure]:
    """Every figure of a run or ensemble whose data is present, by file stem."""
    with _style():
        figs: dict[str, Figure | None] = {
            "scorecard": scorecard_chart(scorecard, lang) if scorecard is not None else None,
            "pm25_monthly": pm25_monthly(ds, pm25_target_ug_m3, lang),
            "aqi_calendar": aqi_calendar(ds, lang),
            "emissions_by_sector": emissions_by_sector(ds, lang=lang),
            "o3_8h": o3_8h(ds, lang),
            "river_classes": river_classes(ds, lang),
            "measures_timeline": measures_timeline(events, lang),
        }
    return {k: v for k, v in figs.items() if v is not None}


def figure_png(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes (Chinese glyphs from an installed CJK font)."""
    buf = io.BytesIO()
    with _style():
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def figure_svg(fig: Figure) -> str:
    """The figure as an SVG element with its text kept as text (no date, stable ids)."""
    buf = io.StringIO()
    with _style():
        fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    return text[text.index("<svg") :]


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
