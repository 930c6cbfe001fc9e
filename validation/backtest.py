"""Backtests of ``sim forecast`` on the real period bulletins in ``calibration/observations/``.

Each case observes the bulletin rows that end before its as-of date (period means, not daily
values) and compares the forecast with what was observed afterwards:

- 2020, as of 1 July (H1: PM2.5 53, 118 good days) and 1 October (H1 + Q3) -> the 2020 annual
  bulletin (PM2.5 48, good days 66.9 %); the baseline scenario run over 2020;
- 2022, as of 1 July (H1: 38, 72.9 %) -> Q3 2022 (25, 67.4 %): the forecast's Jul-Sep mean;
- 2024, as of 1 October (Jan-Sep: 37.5, 186 good days) -> October 2024 (52, 23 good days) and
  Jan-Oct (39, 68.5 %); the plan2024 scenario;
- 2024, as of 1 November (Jan-Oct) -> the year-end forecast (no annual 2024 value in the data).

Usage: ``python validation/backtest.py [--members 20] [-j 2]``; prints a markdown table.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PERIODS = REPO / "calibration" / "observations" / "observations_tianjin_periods.csv"

#: (scenario, as-of, what is compared, observed value, the forecast's days [from, to) of the year)
CASES = (
    ("baseline", date(2020, 7, 1), "2020 annual PM2.5", 48.0, None),
    ("baseline", date(2020, 10, 1), "2020 annual PM2.5", 48.0, None),
    ("baseline", date(2022, 7, 1), "2022 Q3 mean PM2.5", 25.0, (181, 273)),
    ("plan2024", date(2024, 10, 1), "Oct 2024 mean PM2.5", 52.0, (274, 305)),
    ("plan2024", date(2024, 10, 1), "Jan-Oct 2024 mean PM2.5", 39.0, (0, 305)),
    ("plan2024", date(2024, 11, 1), "2024 annual PM2.5 (no observation)", float("nan"), None),
)


def rows_before(as_of: date, folder: Path) -> Path:
    """The bulletin rows of ``as_of``'s year ending before it, as a CSV in ``folder``."""
    out = folder / f"periods_{as_of.isoformat()}.csv"
    with PERIODS.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        keep = [r for r in reader if r["start"].startswith(str(as_of.year))]
    keep = [r for r in keep if f"{r['end']}-28" < as_of.isoformat()]
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(keep[0]))
        w.writeheader()
        w.writerows(keep)
    return out


def main(argv: list[str] | None = None) -> int:
    """Run every case and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--cache", type=Path, help="Folder keeping each year's ensemble (.npy)")
    args = parser.parse_args(argv)
    from sim.forecasting import forecast
    from sim.forecasting.run import Members, run_members

    print("| scenario | as of | observed (days, PM2.5) | compared with | observed | "
          "forecast median (5-95 %) | year-end PM2.5 (5-95 %) | year-end good days | "
          "r | tau |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    model: dict[tuple[str, int], Members] = {}
    longest: dict[int, tuple[int, float, float]] = {}  # year -> (days, excess r^2, tau_m^2)
    with tempfile.TemporaryDirectory() as tmp:
        for name, as_of, what, seen, window in CASES:
            path = rows_before(as_of, Path(tmp))
            key = (name, as_of.year)
            if key not in model:
                model[key] = run_members(REPO / "scenarios" / f"{name}.yaml", as_of.year,
                                         args.members, args.jobs, args.cache)  # fmt: skip
            fc = forecast(REPO / "scenarios" / f"{name}.yaml", as_of, path,
                          ensemble=args.members, jobs=args.jobs, members=model[key])  # fmt: skip
            ye = fc.yearend
            values = ye.pm25_annual_mean_ug_m3
            if window is not None:
                values = ye.daily_pm25_ug_m3[:, window[0] : window[1]].mean(axis=1)
            band = fc.band(values)
            a = ye.anomaly
            noise = a.sigma_log**2 * (1 + a.phi) / (1 - a.phi) / a.days
            tau_m2 = a.prior_sd_log**2 - fc.structural_sd_log**2
            if a.days > longest.get(as_of.year, (0, 0.0, 0.0))[0]:
                longest[as_of.year] = (a.days, a.mean_log**2 - noise, tau_m2)
            pm, good = fc.band(ye.pm25_annual_mean_ug_m3), fc.band(ye.good_days_ratio)
            print(
                f"| {name} | {as_of} | {ye.observed_days} d, {fc.observations.pm25_mean_ug_m3:g} "
                f"| {what} | {seen:g} | {band['median']:.1f} ({band['p05']:.1f}-"
                f"{band['p95']:.1f}) | {pm['median']:.1f} ({pm['p05']:.1f}-{pm['p95']:.1f}) | "
                f"{good['median']:.1%} ({good['p05']:.1%}-{good['p95']:.1%}) | "
                f"{ye.anomaly.mean_log:.3f} | {ye.anomaly.prior_sd_log:.3f} |",
                flush=True,
            )
    excess = [r2 - tau_m2 for _, r2, tau_m2 in longest.values()]
    tau_s = float(max(sum(excess) / len(excess), 0.0)) ** 0.5
    print(f"structural sd (ln): {tau_s:.3f} from the years {sorted(longest)}: mean of "
          "r^2 - sigma^2 g / n - tau_m^2 over each year's longest observed period")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
