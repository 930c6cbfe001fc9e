"""``sim calibrate FILE``: fit response parameters to observations (see :mod:`sim.calibrate`)."""

from __future__ import annotations

from pathlib import Path

import click

from sim.cli import guarded, verbosity

__all__ = ["command"]


@click.command(name="calibrate")
@click.argument("calibration_file", type=click.Path(path_type=Path))
@click.option("--no-figure", is_flag=True, help="Do not draw the observed-vs-simulated figure.")
@click.option("--dry-run", is_flag=True, help="Fit and print, but write no file.")
@verbosity
@guarded
def command(calibration_file: Path, no_figure: bool, dry_run: bool) -> None:
    """Fit the free parameters named in CALIBRATION_FILE and write the fitted file."""
    from sim.calibration import calibrate

    result = calibrate(calibration_file, write=not dry_run, figure=not no_figure)
    if click.get_current_context().meta.get("sim.quiet"):
        return
    click.echo(f"calibration: {result.message} ({result.evaluations} evaluations)")
    click.echo(f"objective 0.5·Σ(weighted normalised residual²) = {result.cost:.4g}")
    click.echo(f"{'parameter':<42}{'value':>12}{'std. error':>12}")
    for name, value in result.parameters.items():
        se = result.standard_errors[name]
        click.echo(f"{name:<42}{value:>12.4g}{'n/a' if se is None else f'{se:.3g}':>12}")
    click.echo(f"{'observable':<20}{'n':>4}{'NMB':>9}{'NME':>9}{'r':>8}  verdict")
    for name, st in result.statistics.items():
        r = "n/a" if st["r"] is None else f"{st['r']:.2f}"
        click.echo(
            f"{name:<20}{st['n']:>4}{st['nmb']:>9.1%}{st['nme']:>9.1%}{r:>8}  {st['verdict']}"
        )
    if not dry_run:
        click.echo(f"fitted parameters written to {result.output}")
        if result.figure is not None:
            click.echo(f"figure written to {result.figure}")
