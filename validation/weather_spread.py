"""Weather-only spread of the baseline's annual PM2.5 against Tianjin's year-to-year scatter.

Usage: python validation/weather_spread.py [--scenario scenarios/baseline.yaml] [--members 50]
[--write]

Issue 14, point 3: over ``--members`` members in which only the weather varies (the emission
sources' draws and every parameter stay those of the scenario's own seed), the coefficient of
variation of annual PM2.5 must lie within 3.5-6.5 % (Tianjin's detrended year-to-year scatter is
about 5 %, ±30 %) and the heavy-pollution days within 2-14 (observed 4-11 a year, DOMAIN.md §4,
widened by a year's sampling spread), checked on the members' 5-95 % range (all members are
reported beside it). Member ``k`` takes the weather stream of
``member_seeds(seed, n)[k]`` (:mod:`sim.streams`); every other stream keeps the scenario seed, so
the spread is the weather's alone. ``--write`` puts the table in docs/model.md between its
markers. Exit code 1 when a check fails.
"""

from __future__ import annotations

import argparse
import re
import statistics
from pathlib import Path
from unittest import mock

import numpy as np

ROOT = Path(__file__).parents[1]
START, END = "<!-- weather spread: start -->", "<!-- weather spread: end -->"
CV_RANGE_PCT = (3.5, 6.5)
HEAVY_RANGE_D = (2, 14)


def weather_only_members(
    scenario_path: str, members: int, sets: list[str] | None = None
) -> list[dict[str, float]]:
    """Annual PM2.5 (µg/m³) and heavy days of each weather-only member."""
    import sim.engine
    from sim.outcomes import air
    from sim.scenario import load_scenario
    from sim.streams import member_seeds, rng_for

    scenario = load_scenario(scenario_path, sets or [])
    base = scenario.run.seed
    out = []
    for weather_seed in member_seeds(base, members):

        def streams(seed: int, name: str, _w: int = weather_seed) -> np.random.Generator:
            return rng_for(_w if name == "weather" else seed, name)

        with mock.patch.object(sim.engine, "rng_for", streams):
            state = sim.engine.simulate_state(scenario, seed=base)
        summary = air.compute(state, counterfactual=None).summary
        out.append(
            {
                "pm25": float(summary["pm25_annual_mean_ug_m3"]),
                "heavy": float(summary["heavy_pollution_days"]),
            }
        )
    return out


def table(rows: list[dict[str, float]], scenario_path: str) -> tuple[str, bool]:
    """The markdown comparison and whether both checks pass."""
    pm = np.array([r["pm25"] for r in rows])
    heavy = np.array([r["heavy"] for r in rows])
    cv = 100.0 * float(pm.std(ddof=1) / pm.mean())
    ok_cv = CV_RANGE_PCT[0] <= cv <= CV_RANGE_PCT[1]
    p5, p95 = np.percentile(pm, [5, 95])
    h5, h95 = np.percentile(heavy, [5, 95])
    ok_heavy = HEAVY_RANGE_D[0] <= h5 and h95 <= HEAVY_RANGE_D[1]
    lines = [
        f"{len(rows)} members of {Path(scenario_path).name}, only the weather varying "
        "(`python validation/weather_spread.py --write`).",
        "",
        "| quantity | model | observed / required | check |",
        "|---|---|---|---|",
        f"| annual PM2.5 mean, µg/m³ | {pm.mean():.1f} (median {statistics.median(pm):.1f}; "
        f"5–95 % {p5:.1f}–{p95:.1f}) | – | – |",
        f"| CV of annual PM2.5 | {cv:.1f} % | Tianjin detrended year-to-year about 5 %; "
        f"required {CV_RANGE_PCT[0]}–{CV_RANGE_PCT[1]} % | {'pass' if ok_cv else 'FAIL'} |",
        f"| heavy-pollution days a year | 5–95 % {h5:.0f}–{h95:.0f} (all members "
        f"{heavy.min():.0f}–{heavy.max():.0f}; mean {heavy.mean():.1f}) | observed 4–11; "
        f"required (5–95 %) {HEAVY_RANGE_D[0]}–{HEAVY_RANGE_D[1]} | "
        f"{'pass' if ok_heavy else 'FAIL'} |",
    ]
    return "\n".join(lines), ok_cv and ok_heavy


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "baseline.yaml"))
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--set", action="append", default=[], help="a --set override")
    parser.add_argument("--write", action="store_true", help="update docs/model.md")
    args = parser.parse_args()
    rows = weather_only_members(args.scenario, args.members, args.set)
    text, ok = table(rows, args.scenario)
    print(text)
    print("members (annual PM2.5 µg/m³, heavy days), sorted:", sorted(
        (round(r["pm25"], 1), int(r["heavy"])) for r in rows
    ))
    if args.write:
        doc = ROOT / "docs" / "model.md"
        body = doc.read_text(encoding="utf-8")
        pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
        if not pattern.search(body):
            raise SystemExit(f"{doc}: markers {START} ... {END} not found")
        doc.write_text(pattern.sub(lambda _: f"{START}\n{text}\n{END}", body), encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
