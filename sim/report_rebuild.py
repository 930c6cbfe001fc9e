"""``sim report``: rebuild the report of a saved run, ensemble or comparison folder.

The one module that knows both pages (:mod:`sim.report` for runs and ensembles,
:mod:`sim.report_compare` for comparisons), so neither imports the other.
"""

from __future__ import annotations

from pathlib import Path

from sim.errors import SimError
from sim.report import write_run_outputs
from sim.report_compare import rebuild_comparison_report

__all__ = ["rebuild_report"]


def rebuild_report(folder: str | Path, *, figures: bool = True, lang: str = "en") -> Path:
    """Rebuild ``report.html`` (and scorecard, dispatch, figures) of a saved run, ensemble or
    comparison folder."""
    path = Path(folder)
    if (path / "ensemble.nc").exists():
        from sim.ensemble import Ensemble

        ens = Ensemble.load(path)
        write_run_outputs(
            path,
            scenario=ens.scenario,
            dataset=ens.dataset,
            summaries=ens.summaries,
            figures=figures,
            lang=lang,
        )
    elif (path / "results.nc").exists():
        from sim.results import Result

        result = Result.load(path)
        write_run_outputs(
            path,
            scenario=result.scenario,
            dataset=result.dataset,
            summaries=[result.summary],
            events=result.events,
            figures=figures,
            lang=lang,
        )
    elif (path / "comparison.csv").exists() and (path / "bundles").is_dir():
        return rebuild_comparison_report(path, figures=figures, lang=lang)
    else:
        raise _NotAResultError(f"{path}: not a sim run, ensemble or comparison folder")
    return path / "report.html"


class _NotAResultError(SimError):
    exit_code = 2
