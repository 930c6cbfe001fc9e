"""``sim optimise FILE``: the least-cost (or surest) bundle under probability constraints."""

from __future__ import annotations

from pathlib import Path

import click

from sim.cli import guarded, verbosity

__all__ = ["command"]


@click.command(
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Search the levers of an optimisation file (optimise/*.yaml) for the least-cost bundle "
    "meeting each target with the required probability; verify it with fresh members.\n\n"
    "  sim optimise optimise/pm25_goodays_80.yaml -o outputs/optimise/pm25 -j 2\n\n"
    "  sim optimise optimise/pm25_goodays_80.yaml --set search.evaluations=60 --resume",
)
@click.argument("optimise_file", type=click.Path(path_type=Path))
@click.option("-j", "--workers", type=int, default=None, help="Local worker processes.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Output folder (default: outputs/optimise/<name>).",
)
@click.option("--resume", is_flag=True, help="Continue in the folder; runs done are read back.")
@click.option("--overwrite", is_flag=True, help="Delete an existing folder and start again.")
@click.option("--scheduler", default=None, metavar="ADDR", help="Dask scheduler tcp://host:8786.")
@click.option(
    "--scheduler-file", type=click.Path(path_type=Path), default=None, help="Dask scheduler file."
)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="PATH=VALUE",
    help="Override a value of the optimisation file, e.g. --set search.members=16 (repeatable).",
)
@click.option(
    "--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
    help="Language of report.html and the frontier figure.",
)  # fmt: skip
@verbosity
@guarded
def command(
    optimise_file: Path,
    workers: int | None,
    output: Path | None,
    resume: bool,
    overwrite: bool,
    scheduler: str | None,
    scheduler_file: Path | None,
    overrides: tuple[str, ...],
    lang: str,
) -> None:
    """Run the optimisation FILE."""
    from sim.optimise import load_optimisation, optimise

    spec = load_optimisation(optimise_file, overrides)
    target = output if output is not None else Path("outputs") / "optimise" / spec.name
    quiet = bool(click.get_current_context().meta.get("sim.quiet"))

    def progress(done: int, total: int) -> None:
        if not quiet:
            click.echo(f"  {done}/{total} bundles evaluated", err=True)

    report = optimise(
        spec,
        target,
        workers=workers,
        resume=resume,
        overwrite=overwrite,
        scheduler=scheduler,
        scheduler_file=str(scheduler_file) if scheduler_file else None,
        progress=progress,
        lang=lang,
    )
    if not quiet:
        for line in report.lines:
            click.echo(line)
        click.echo(
            f"{report.runs_now} runs now, {report.runs_reused} read back; {report.wall_s:.0f} s; "
            f"written to {target}/"
        )
