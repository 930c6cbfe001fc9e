"""Twin experiments for ``sim forecast``: does the 90 % band cover the truth 90 % of the time?

One ensemble of ``members + truths`` whole-year runs of a scenario is run once; the first
``members`` are the forecast's members, each of the last ``truths`` in turn plays the "truth" (a
seed not among the members) whose days before the as-of date are the observations (daily rows,
all six pollutants). For as-of dates 1 March, 1 June, 1 September and 1 November the table gives
the coverage of the truth's year-end PM2.5 annual mean and good-days ratio by the forecast's 5-95 %
band, and the band's median width. With ``truths`` T the coverage of a calibrated band is
binomial: its standard error is sqrt(0.9*0.1/T) (0.036 for T = 70), so 0.83-0.97 is within 2 SE.

Usage::

    python validation/twin_experiments.py [scenario] [--members 30] [--truths 70] [-j 2]
                                          [--cache FILE.npy] [--prior-sd-log TAU]

Members and truths draw weather, uncertain inputs and the fitted air parameters; they share the
model's structure, so this checks the conditioning and the spread, not the structural error.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
AS_OF = ((3, 1), (6, 1), (9, 1), (11, 1))


def _band(values: np.ndarray) -> tuple[float, float]:
    return float(np.percentile(values, 5)), float(np.percentile(values, 95))


def twin_table(
    daily: np.ndarray, members: int, year: int, prior_sd_log: float | None
) -> list[dict]:
    """Coverage and band width by as-of date; ``daily`` (runs, days, 6), truths after members."""
    from sim.forecasting.observed import from_daily_array
    from sim.forecasting.yearend import year_end

    model, truths = daily[:members], daily[members:]
    rows = []
    for month, day in AS_OF:
        as_of = date(year, month, day)
        n = (as_of - date(year, 1, 1)).days
        hit_pm = hit_good = 0
        widths_pm, widths_good = [], []
        for k, truth in enumerate(truths):
            obs = from_daily_array(truth[:n], date(year, 1, 1))
            full = from_daily_array(truth, date(year, 1, 1))
            ye = year_end(model, obs, np.random.default_rng(k), prior_sd_log, 0.0)
            lo, hi = _band(ye.pm25_annual_mean_ug_m3)
            hit_pm += int(lo <= full.pm25_mean_ug_m3 <= hi)
            widths_pm.append(hi - lo)
            glo, ghi = _band(ye.good_days_ratio)
            true_ratio = (full.good_days or 0.0) / full.days
            hit_good += int(glo - 1e-9 <= true_ratio <= ghi + 1e-9)
            widths_good.append(ghi - glo)
        t = len(truths)
        rows.append(
            {
                "as_of": as_of.isoformat(),
                "observed_days": n,
                "coverage_pm25": hit_pm / t,
                "width_pm25_ug_m3": float(np.median(widths_pm)),
                "coverage_good_days": hit_good / t,
                "width_good_days_ratio": float(np.median(widths_good)),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run the twin experiments and print the table (markdown)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(REPO / "scenarios" / "plan2024.yaml"))
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--truths", type=int, default=70)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--prior-sd-log", type=float, default=None,
                        help="Prior sd of the persistent anomaly (default: fitted on the members; "
                        "no structural part, the truths share the model)")  # fmt: skip
    parser.add_argument("--cache", type=Path, help="Save the members' daily means here (.npy); "
                        "reuse them when the file exists")  # fmt: skip
    args = parser.parse_args(argv)

    from sim.api import load_scenario
    from sim.ensemble import run_ensemble
    from sim.forecasting.run import members_daily, whole_year

    scen = load_scenario(args.scenario)
    year = scen.run.start.year
    scen = whole_year(scen, year)
    if args.cache is not None and args.cache.is_file():
        daily = np.load(args.cache)
    else:
        ens = run_ensemble(
            scen, args.members + args.truths, jobs=args.jobs, progress=True, attribution=False
        )
        daily = members_daily(ens.dataset)
        if args.cache is not None:
            np.save(args.cache, daily)
    rows = twin_table(daily, args.members, year, args.prior_sd_log)
    tau = "fitted" if args.prior_sd_log is None else args.prior_sd_log
    print(f"{scen.name}: {args.members} members, {args.truths} truths (seed {scen.run.seed}), "
          f"prior {tau}")  # fmt: skip
    print("| as of | days observed | coverage PM2.5 | band width PM2.5 (ug/m3) "
          "| coverage good days | band width good days |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['as_of']} | {r['observed_days']} | {r['coverage_pm25']:.2f} | "
            f"{r['width_pm25_ug_m3']:.2f} | {r['coverage_good_days']:.2f} | "
            f"{r['width_good_days_ratio']:.3f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
