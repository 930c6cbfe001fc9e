"""``sim forecast``: are we on track? Re-forecast the year from the observations to date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from sim.cli import guarded, verbosity
from sim.errors import ScenarioError

__all__ = ["command"]


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ScenarioError(f"--as-of: expected a date YYYY-MM-DD, got {text!r}") from None


@click.command(name="forecast")
@click.argument("scenario_file", type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", required=True, help="First day not observed (YYYY-MM-DD).")
@click.option(
    "--observed",
    required=True,
    type=click.Path(path_type=Path),
    help="Observed air data CSV: daily rows or period rows (docs/forecast.md).",
)
@click.option("--progress", type=click.Path(path_type=Path), help="Progress to date (YAML).")
@click.option("--ensemble", "members", type=int, default=20, show_default=True, help="Members.")
@click.option("-j", "--jobs", type=int, default=1, show_default=True, help="Worker processes.")
@click.option("--seed", type=int, help="Root seed (default: the scenario's run.seed).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Output folder.")
@click.option("--overwrite", is_flag=True, help="Replace an existing output folder.")
@click.option("--weekly", is_flag=True, help="Also re-forecast at each week's end: P(met) by week.")
@click.option("--attribution", is_flag=True, help="Attribute reductions (targets on measures.*).")
@click.option(
    "--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
    help="Language of report.html.",
)  # fmt: skip
@verbosity
@guarded
def command(
    scenario_file: Path,
    as_of: str,
    observed: Path,
    progress: Path | None,
    members: int,
    jobs: int,
    seed: int | None,
    output: Path | None,
    overwrite: bool,
    weekly: bool,
    attribution: bool,
    lang: str,
) -> None:
    """P(year-end target met) from the observations before --as-of and the measures' progress."""
    from sim.api import load_scenario
    from sim.forecasting import forecast, read_observations
    from sim.forecasting.output import lines, write
    from sim.outfolder import OutputFolder

    day = _as_of(as_of)
    scenario = load_scenario(scenario_file)
    obs = read_observations(observed, day)  # validated before any run
    folder = output or Path("outputs") / f"forecast_{scenario.name}_{day.isoformat()}"
    with OutputFolder(folder, overwrite=overwrite) as out:
        fc = forecast(scenario, day, obs, progress=progress, ensemble=members, jobs=jobs,
                      seed=seed, attribution=attribution)  # fmt: skip
        if weekly:
            from sim.forecasting.weekly import weekly_table

            fc.weekly = weekly_table(fc)
        write(fc, out.tmp, lang)
        out.commit()
    if not click.get_current_context().meta.get("sim.quiet"):
        for line in lines(fc):
            click.echo(line)
        click.echo(f"written to {folder}")
