"""Figures: each renders to PNG with the expected title, axes, lines and legend."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from sim import plots
from sim.scenario.sections.targets import Target
from sim.targets import score_ensemble, score_run

SECTORS = ["mobile", "industrial", "coal", "dust", "household"]


def _dataset(members: int | None = None) -> xr.Dataset:
    days = pd.date_range("2024-01-01", "2024-12-31", freq="D")
    months = pd.date_range("2024-01-01", periods=12, freq="MS")
    rng = np.random.default_rng(0)
    lead = () if members is None else ("member",)
    shape = () if members is None else (members,)
    pm = np.broadcast_to(np.linspace(30.0, 52.0, 12)[:, None] / 3.0, (12, 3))
    data = {
        "pm25_monthly_mean": (
            (*lead, "month", "scale"),
            np.broadcast_to(pm, (*shape, 12, 3)) + 0.0,
        ),
        "aqi_category": ((*lead, "day"), rng.integers(0, 6, (*shape, len(days)))),
        "o3_mda8": ((*lead, "day"), rng.uniform(50, 220, (*shape, len(days)))),
        "monthly_emission": (
            (*lead, "month", "sector", "pollutant"),
            np.ones((*shape, 12, 5, 2)),
        ),
        "section_class_monthly": (("water_month", "section"), np.full((12, 2), 3, dtype=np.int8)),
    }
    coords = {
        "day": days,
        "month": months,
        "scale": ["district", "city", "region"],
        "sector": SECTORS,
        "pollutant": ["PM2.5", "NOx"],
        "water_month": np.arange(1, 13),
        "section": ["s1", "s2"],
    }
    return xr.Dataset(data, coords=coords)


def test_monthly_pm25_has_target_line_and_values() -> None:
    fig = plots.pm25_monthly(_dataset(), target_ug_m3=40.0)
    assert fig is not None
    ax = fig.axes[0]
    assert ax.get_title() == "Monthly mean PM2.5"
    assert "µg/m³" in ax.get_ylabel()
    line, target = ax.get_lines()
    np.testing.assert_allclose(line.get_ydata(), np.linspace(30.0, 52.0, 12))  # sum of scales
    assert list(target.get_ydata()) == [40.0, 40.0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "annual target 40 µg/m³" in labels
    assert plots.figure_png(fig).startswith(b"\x89PNG")


def test_ensemble_band_is_drawn() -> None:
    ds = _dataset(members=5)
    ds["pm25_monthly_mean"] = ds["pm25_monthly_mean"] * xr.DataArray(
        np.linspace(0.9, 1.1, 5), dims="member"
    )
    ax = plots.pm25_monthly(ds, 40.0).axes[0]  # type: ignore[union-attr]
    assert len(ax.collections) == 1  # the 5-95 % band
    assert "5-95 % of members" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_aqi_calendar_stacked_emissions_o3_and_river_classes() -> None:
    ds = _dataset()
    cal = plots.aqi_calendar(ds).axes[0]  # type: ignore[union-attr]
    assert cal.get_title().startswith("Daily air-quality category")
    assert len(cal.get_legend().get_texts()) == 6
    assert len(cal.get_images()) == 1
    assert cal.get_images()[0].get_array().shape == (12, 31)
    em = plots.emissions_by_sector(ds, "NOx").axes[0]  # type: ignore[union-attr]
    assert em.get_title() == "Monthly NOx emissions by sector"
    assert len(em.patches) == 12 * 5  # a bar per month and sector
    assert max(p.get_y() + p.get_height() for p in em.patches) == pytest.approx(5.0)
    o3 = plots.o3_8h(ds).axes[0]  # type: ignore[union-attr]
    assert [float(v) for v in o3.get_lines()[1].get_ydata()] == [160.0, 160.0]
    river = plots.river_classes(ds).axes[0]  # type: ignore[union-attr]
    assert river.get_title() == "River sections: water-quality class by month"  # no "worst member"
    both = xr.concat([ds, ds], dim="member")
    title = plots.river_classes(both).axes[0].get_title()  # type: ignore[union-attr]
    assert title.endswith("(worst member)")


def test_absent_data_is_skipped() -> None:
    empty = xr.Dataset()
    assert plots.pm25_monthly(empty) is None
    assert plots.river_classes(empty) is None
    assert plots.measures_timeline(None) is None
    assert set(plots.run_figures(_dataset().drop_vars("section_class_monthly"))) == {
        "pm25_monthly",
        "aqi_calendar",
        "emissions_by_sector",
        "o3_8h",
    }


def test_timeline_keeps_measures_not_sources() -> None:
    events = pd.DataFrame(
        {
            "time": pd.to_datetime(["2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01"]),
            "process": ["retire_china3", "dust.construction", "voc_retrofit", "retire_china3"],
            "kind": ["retired", "opened", "commissioned", "cost"],
        }
    )
    ax = plots.measures_timeline(events).axes[0]  # type: ignore[union-attr]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Retire China III and older vehicles",
        "VOC treatment facility upgrades",
    ]
    assert sum(len(c.get_offsets()) for c in ax.collections) == 2


def test_scorecard_chart_shows_probabilities_and_draws_missed_targets() -> None:
    t = Target(name="x", metric="v", comparison="<=", value=1.0)
    u = Target(name="y", metric="w", comparison="<=", value=1.0)
    card = score_ensemble([t, u], [{"v": 0.0}, {"v": 2.0}, {"v": 0.5}, {"v": 0.2}])
    fig = plots.scorecard_chart(card)
    ax = fig.axes[0]  # type: ignore[union-attr]
    # 3 of 4 members have v <= 1: a bar of 0.75; y is evaluated by no member: no bar, a grey note
    assert [p.get_width() for p in ax.patches] == [pytest.approx(0.75)]
    assert "not evaluated" in [txt.get_text() for txt in ax.texts]
    assert ax.get_legend() is None
    assert len(fig.legends) == 1
    single = plots.scorecard_chart(score_run([t], {"v": 3.0})).axes[0]  # type: ignore[union-attr]
    # missed in a single run: no zero-width bar but a red cross at zero, and "not met" written
    assert len(single.patches) == 0
    (cross,) = single.get_lines()
    assert list(cross.get_xdata()) == [0.0]
    assert cross.get_color() == "tab:red"
    assert any(txt.get_text().startswith("not met") for txt in single.texts)
    assert "probability" not in single.get_title()


def test_chinese_figures_keep_text_as_text_in_svg() -> None:
    fig = plots.pm25_monthly(_dataset(), 40.0, lang="zh")
    assert fig is not None
    assert fig.axes[0].get_title() == "PM2.5月均浓度"
    svg = plots.figure_svg(fig)
    assert svg.startswith("<svg")
    assert "PM2.5月均浓度" in svg
    assert "Date" not in svg
    assert "<dc:date>" not in svg


def test_comparison_figures() -> None:
    ds = xr.Dataset(
        {
            "probability_met": (("bundle", "target"), [[0.2, 1.0], [0.9, np.nan]]),
            "cost_per_t_PM2.5": (("bundle",), [np.nan, 4.0e4]),
            "cost_per_t_VOC": (("bundle",), [np.nan, 1.0e5]),
        },
        coords={"bundle": ["base", "plan"], "target": ["pm25", "voc"]},
    )
    ce = plots.cost_effectiveness(ds).axes[0]  # type: ignore[union-attr]
    assert ce.get_xscale() == "log"
    assert sorted(p.get_width() for p in ce.patches) == [4.0e4, 1.0e5]
    pb = plots.probability_by_bundle(ds).axes[0]  # type: ignore[union-attr]
    assert len(pb.patches) == 4
    assert [t.get_text() for t in pb.texts] == ["not evaluated"]  # plan's voc is NaN
    assert [t.get_text() for t in pb.get_legend().get_texts()] == ["base", "plan"]


def test_chinese_png_text_falls_back_to_an_installed_cjk_font() -> None:
    fonts = plots.installed_cjk_fonts()
    if not fonts:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    figs = plots.run_figures(_dataset(), lang="zh")
    title = figs["pm25_monthly"].axes[0].title
    assert title.get_text() == "PM2.5月均浓度"
    assert fonts[0] in title.get_fontfamily()  # the glyphs DejaVu lacks come from this font
