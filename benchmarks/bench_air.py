"""Benchmark the air outcome of one scenario-year in-process (medians, side by side).

Usage: python benchmarks/bench_air.py [scenario ...] [--repeat N]
The engine run and its run without measures are made once beforehand (they are shared with the
water outcome); what is timed is ``sim.outcomes.air.compute(state, counterfactual=...)``: every
coalition of the acting actors, the Shapley split and the Dataset. Issue 12 asks for <= 50 ms.
Beside it, interleaved, one air response and its daily AQI (what a run without the split costs).
"""

from __future__ import annotations

import argparse
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenarios", nargs="*",
                        default=["scenarios/baseline.yaml", "scenarios/plan2024.yaml"])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    import sim
    from sim.air.response import air_response
    from sim.engine import simulate_state
    from sim.outcomes import air

    for path in args.scenarios:
        state = simulate_state(sim.load_scenario(path))
        counterfactual = state.without_measures()
        out = air.compute(state, counterfactual=counterfactual)  # warm-up
        params = air.air_params(state.scenario)
        met = air.met_arrays(state.calendar, state.weather)
        district = state.sector_emissions().sum(axis=1)
        city = air.actor_emissions(state.scenario.air.city, state.calendar)
        times, single = [], []
        for _ in range(args.repeat):  # interleaved: the machine's load falls on both alike
            t0 = time.perf_counter()
            air.compute(state, counterfactual=counterfactual)
            times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            air.daily_table(air_response(district, city, met, params).total, state.calendar)
            single.append(time.perf_counter() - t0)
        acting = out.summary["actors_with_measures"]
        print(f"{path:<36} air outcome median {statistics.median(times) * 1e3:6.1f} ms   "
              f"min {min(times) * 1e3:6.1f}   max {max(times) * 1e3:6.1f}   (n={len(times)}, "
              f"{state.calendar.n_hours} h, {2 ** len(acting)} coalition(s): {acting})")
        print(f"{'':<36} one response + AQI {statistics.median(single) * 1e3:6.1f} ms "
              "(the physics of a single run, for scale)")


if __name__ == "__main__":
    main()
