"""``sim sweep FILE`` (run a sweep), ``sim sweep gather DIR``, ``sim sweep analyse DIR``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from sim.cli import guarded, verbosity
from sim.errors import SweepError

__all__ = ["command"]


class _SweepGroup(click.Group):
    """A group whose first argument, when it is not a subcommand, is the sweep FILE to run."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "FILE [OPTIONS] | gather DIR | analyse DIR")


@click.group(
    cls=_SweepGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Run a sweep file (levers x uncertainties x replications) on this machine or a Dask "
    "cluster, streamed to DIR and resumable; then gather and analyse it.\n\n"
    "  sim sweep sweeps/plan_uncertainty.yaml -j 2 -o outputs/sweeps/plan\n\n"
    "  sim sweep gather outputs/sweeps/plan\n\n"
    "  sim sweep analyse outputs/sweeps/plan",
)
def command() -> None:
    """Sweeps."""


@command.command("run")
@click.argument("sweep_file", type=click.Path(path_type=Path))
@click.option(
    "-j",
    "--workers",
    type=int,
    default=None,
    help="Local worker processes (default: CPUs this process may use).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Sweep folder (default: outputs/sweeps/<name>).",
)
@click.option("--resume", is_flag=True, help="Continue the sweep in the folder; skip runs done.")
@click.option("--overwrite", is_flag=True, help="Delete an existing sweep folder and start again.")
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Further attempts of a failed run.",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDR",
    help="Dask scheduler, e.g. tcp://host:8786 (or DASK_SCHEDULER_ADDRESS).",
)
@click.option(
    "--scheduler-file",
    type=click.Path(path_type=Path),
    default=None,
    help="Scheduler file written by `dask scheduler --scheduler-file`.",
)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="PATH=VALUE",
    help="Override a sweep-file value, e.g. --set design.n=64 (repeatable).",
)
@click.option("--analyse", "then_analyse", is_flag=True, help="Analyse when the sweep ends.")
@verbosity
@guarded
def run_command(
    sweep_file: Path,
    workers: int | None,
    output: Path | None,
    resume: bool,
    overwrite: bool,
    retries: int,
    scheduler: str | None,
    scheduler_file: Path | None,
    overrides: tuple[str, ...],
    then_analyse: bool,
) -> None:
    """Run the sweep FILE."""
    from sim.sweep import analyse, load_sweep, run_sweep

    if resume and overwrite:
        raise SweepError("--resume and --overwrite exclude each other")
    spec = load_sweep(sweep_file, overrides)
    target = output if output is not None else Path("outputs") / "sweeps" / spec.name
    quiet = bool(click.get_current_context().meta.get("sim.quiet"))
    report = run_sweep(
        spec,
        target,
        workers=workers,
        resume=resume,
        overwrite=overwrite,
        retries=retries,
        scheduler=scheduler,
        scheduler_file=str(scheduler_file) if scheduler_file else None,
        progress=not quiet,
    )
    if not quiet:
        click.echo(
            f"{spec.name}: {report.n_runs} runs ({report.n_skipped} done before, "
            f"{report.n_run_now - report.n_failed} now, {report.n_failed} failed) on "
            f"{report.workers} workers in {report.wall_s:.1f} s "
            f"({report.runs_per_s:.2f} runs/s)"
        )
        click.echo(f"results: {report.gathered}")
    if then_analyse:
        _echo_analysis(analyse(target), quiet)
    if report.n_failed:
        raise SweepError(
            f"{report.n_failed} runs failed; see {target}/manifest.jsonl (--resume runs them again)"
        )


@command.command("gather")
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
@verbosity
@guarded
def gather_command(folder: Path) -> None:
    """Write DIR/sweep.nc from the runs finished so far."""
    from sim.sweep import gather

    path = gather(folder)
    if not click.get_current_context().meta.get("sim.quiet"):
        click.echo(f"written {path}")


@command.command("analyse")
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option(
    "--probability",
    type=click.FloatRange(0, 1, min_open=True),
    default=None,
    help="Probability of meeting all targets sought (default: the sweep file's).",
)
@click.option("--delta", is_flag=True, help="Also Borgonovo's delta indices (slow).")
@click.option("--no-figures", is_flag=True, help="Skip the PNG figures.")
@verbosity
@guarded
def analyse_command(folder: Path, probability: float | None, delta: bool, no_figures: bool) -> None:
    """Sensitivity, probability of meeting targets, discovery box, figures -> DIR/analysis/."""
    from sim.sweep import analyse

    out = analyse(folder, probability=probability, delta=delta, figures=not no_figures)
    _echo_analysis(out, bool(click.get_current_context().meta.get("sim.quiet")))


def _echo_analysis(out: Path, quiet: bool) -> None:
    import json

    if quiet:
        return
    summary: dict[str, Any] = json.loads((out / "summary.json").read_text())
    click.echo(f"{summary['sweep']}: {summary['runs_ok']}/{summary['runs']} runs ok")
    for outcome, sens in summary.get("sensitivity", {}).items():
        ranked = sorted(
            ((k, v) for k, v in sens.items() if k not in ("method", "index")),
            key=lambda kv: -abs(kv[1]),
        )
        shown = ", ".join(f"{k} {v:.3f}" for k, v in ranked)
        click.echo(f"  {outcome}: {sens['method']} {sens['index']}: {shown}")
    for target, p in summary.get("p_met", {}).items():
        click.echo(f"  P(met) {target}: {p:.2f}")
    disc = summary.get("discovery")
    if disc:
        click.echo(
            f"  samples meeting all targets with p >= {summary['probability_sought']}: "
            f"{int(disc['n_met'])}/{int(disc['n_samples'])}; box density "
            f"{disc['density']:.2f}, coverage {disc['coverage']:.2f}"
        )
        for row in disc["box"]:
            click.echo(
                f"    {row['lever']}: [{row['box_low']:.4g}, {row['box_high']:.4g}] "
                f"(swept [{row['all_low']:.4g}, {row['all_high']:.4g}])"
            )
    click.echo(f"analysis written to {out}/")
