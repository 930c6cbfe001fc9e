"""What ``sim forecast`` writes: forecast.json, forecast.csv, the fan chart, the lines it prints.

``forecast.json`` holds ``as_of``, ``observed_days``, ``targets.<name>`` (``p_met``, median,
5-95 %), ``pm25_annual_mean_ug_m3`` and ``good_days_ratio`` as ``{median, p05, p95}``, and
``still_needed`` (the mean PM2.5 over the remaining days that reaches the PM2.5 target, the good
days still needed, the measures behind schedule). Same inputs and seed: byte-identical files.
"""

from __future__ import annotations

import csv
import json
import math
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np

from sim.forecasting.run import GOOD_METRIC, PARAMETER_NOTE, PM25_METRIC, Forecast

__all__ = ["fan_chart", "fan_figure", "forecast_dict", "lines", "still_needed", "write"]


def _threshold(fc: Forecast, metric: str) -> float | None:
    for t in fc.scorecard.targets:
        if t.metric == metric:
            return float(t.threshold)
    return None


def still_needed(fc: Forecast) -> dict[str, Any]:
    """The remaining days' mean PM2.5 that reaches the target; good days still needed."""
    ye = fc.yearend
    days = ye.daily_pm25_ug_m3.shape[1]
    remaining = days - ye.observed_days
    out: dict[str, Any] = {"remaining_days": remaining}
    pm_target = _threshold(fc, PM25_METRIC)
    if pm_target is not None and remaining > 0:
        need = (pm_target * days - ye.observed_pm25_sum) / remaining
        out["pm25_mean_remaining_days_to_reach_target_ug_m3"] = round(need, 2)
        out["pm25_mean_remaining_days_forecast_ug_m3"] = round(
            float(np.median(ye.daily_pm25_ug_m3[:, ye.observed_days :].mean(axis=1))), 2
        )
    good_target = _threshold(fc, GOOD_METRIC)
    if good_target is not None and ye.observed_good_days is not None:
        need_days = math.ceil(good_target * days - 1e-9) - ye.observed_good_days
        out["good_days_still_needed"] = round(need_days, 1)
        out["good_days_still_needed_share_of_remaining"] = (
            round(need_days / remaining, 4) if remaining else None
        )
    out["measures_behind_schedule"] = fc.behind
    return out


def forecast_dict(fc: Forecast) -> dict[str, Any]:
    """The content of ``forecast.json``."""
    targets = {
        t.name: {
            "metric": t.metric,
            "p_met": t.probability_met,
            "p_met_or_within_tolerance": t.probability_met_or_within,
            "median": t.value,
            "p05": t.p05,
            "p95": t.p95,
            "status_of_median": t.status,
        }
        for t in fc.scorecard.targets
    }
    ye, obs = fc.yearend, fc.observations
    return {
        "scenario": fc.scenario.name,
        "as_of": fc.as_of.isoformat(),
        "observed_days": ye.observed_days,
        "observed": {
            "kind": obs.kind,
            "first_day": obs.first_day.isoformat(),
            "end_day": obs.end_day.isoformat(),
            "pm25_mean_ug_m3": round(obs.pm25_mean_ug_m3, 3),
            "good_days": obs.good_days,
        },
        "members": int(ye.pm25_annual_mean_ug_m3.size),
        "pm25_annual_mean_ug_m3": fc.band(ye.pm25_annual_mean_ug_m3),
        "good_days_ratio": fc.band(ye.good_days_ratio),
        "targets": targets,
        "still_needed": still_needed(fc),
        "anomaly": {k: round(float(v), 4) for k, v in vars(ye.anomaly).items()},
        "parameter_draws": [
            {k: round(float(v), 6) for k, v in sorted(s.get("parameter_draws", {}).items())}
            for s in fc.summaries
        ],
        "notes": [fc.progress_note, PARAMETER_NOTE],
    }


def lines(fc: Forecast) -> list[str]:
    """What the command prints."""
    d = forecast_dict(fc)
    pm, good = d["pm25_annual_mean_ug_m3"], d["good_days_ratio"]
    out = [
        f"Forecast of {d['scenario']} as of {d['as_of']} ({d['observed_days']} days observed, "
        f"{d['members']} members)",
        f"  PM2.5 annual mean {pm['median']:.1f} ug/m3 (5-95 %: {pm['p05']:.1f}-{pm['p95']:.1f})",
        f"  good days ratio   {good['median']:.1%} (5-95 %: {good['p05']:.1%}-{good['p95']:.1%})",
    ]
    for name, t in d["targets"].items():
        p = "-" if t["p_met"] is None else f"{t['p_met']:.0%}"
        out.append(f"  P(met) {name:<34} {p}")
    for k, v in d["still_needed"].items():
        if k != "measures_behind_schedule":
            out.append(f"  {k}: {v}")
    for m in d["still_needed"]["measures_behind_schedule"]:
        out.append(f"  behind schedule: {m}")
    out += [f"  note: {n}" for n in d["notes"]]
    return out


def _csv(fc: Forecast, path: Path) -> None:
    ye = fc.yearend
    pm = ye.daily_pm25_ug_m3
    first = fc.observations.first_day
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["date", "observed", "pm25_median_ug_m3", "pm25_p05_ug_m3", "pm25_p95_ug_m3"])
        for k in range(pm.shape[1]):
            col = pm[:, k]
            w.writerow([
                (first + timedelta(days=k)).isoformat(), int(k < ye.observed_days),
                f"{np.median(col):.3f}", f"{np.percentile(col, 5):.3f}",
                f"{np.percentile(col, 95):.3f}",
            ])  # fmt: skip


def fan_chart(fc: Forecast, path: Path) -> str:
    """Write the fan chart's PNG to ``path``; return it as inline SVG (for report.html)."""
    from sim.plots import figure_svg

    fig = fan_figure(fc)
    fig.savefig(path, dpi=100, metadata={"Software": None})
    return figure_svg(fig)


def fan_figure(fc: Forecast) -> Any:
    """Cumulative year-to-date PM2.5 mean: observed, then the forecast median and 5-95 %."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    ye = fc.yearend
    pm = ye.daily_pm25_ug_m3
    running = np.cumsum(pm, axis=1) / np.arange(1, pm.shape[1] + 1)
    x = np.arange(1, pm.shape[1] + 1)
    n = ye.observed_days
    fig = Figure(figsize=(8, 4))
    FigureCanvasAgg(fig)  # no pyplot: the caller's backend and figure registry are untouched
    ax = fig.add_subplot()
    ax.plot(x[:n], running[0, :n], color="black", label="observed (running mean)")
    ax.fill_between(x[n:], np.percentile(running[:, n:], 5, axis=0),
                    np.percentile(running[:, n:], 95, axis=0), alpha=0.3,
                    label="forecast 5-95 %")  # fmt: skip
    ax.plot(x[n:], np.median(running[:, n:], axis=0), label="forecast median")
    target = _threshold(fc, PM25_METRIC)
    if target is not None:
        ax.axhline(target, color="red", linestyle="--", label=f"target {target:g}")
    ax.set_xlabel("day of year")
    ax.set_ylabel("PM2.5 mean since 1 January (ug/m3)")
    ax.set_title(f"{fc.scenario.name}: forecast as of {fc.as_of}")
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    return fig


def write(fc: Forecast, folder: str | Path, lang: str = "en") -> Path:
    """Write forecast.json, forecast.csv, figures/forecast_fan.png and report.html."""
    out = Path(folder)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    text = json.dumps(forecast_dict(fc), indent=2, ensure_ascii=False)
    (out / "forecast.json").write_text(text + "\n", encoding="utf-8")
    _csv(fc, out / "forecast.csv")
    svg = fan_chart(fc, out / "figures" / "forecast_fan.png")
    from sim.report_forecast import write_report

    run = {"scenario": fc.scenario, "summaries": fc.summaries, "scorecard": fc.scorecard}
    write_report(out, forecast_dict(fc), svg, run, lang)
    if fc.weekly:
        from sim.forecasting.weekly import write_weekly

        write_weekly(fc, fc.weekly, out / "dispatch.csv")
    return out
