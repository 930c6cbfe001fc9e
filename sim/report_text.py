"""Plain-text tables for the terminal, from a run's summary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["totals_table"]


def totals_table(summary: Mapping[str, Any]) -> str:
    """Annual emissions by sector and pollutant (t), as a fixed-width table."""
    sectors: Mapping[str, Mapping[str, float]] = summary["emissions_t"]
    pollutants = list(summary["total_t"])
    head = f"{'t/period':<12}" + "".join(f"{p:>10}" for p in pollutants)
    lines = [
        f"Emissions of {summary['scenario']} (seed {summary['seed']}, "
        f"{summary['period']['start'][:10]} to {summary['period']['end'][:10]})",
        head,
        "-" * len(head),
    ]
    for sector, row in sectors.items():
        lines.append(f"{sector:<12}" + "".join(f"{row[p]:>10.2f}" for p in pollutants))
    lines.append("-" * len(head))
    lines.append(f"{'total':<12}" + "".join(f"{summary['total_t'][p]:>10.2f}" for p in pollutants))
    return "\n".join(lines)
