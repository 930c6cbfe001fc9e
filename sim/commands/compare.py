"""``sim compare``: bundles side by side with common random numbers."""

from __future__ import annotations

import re
from pathlib import Path

import click

from sim.cli import guarded, verbosity

__all__ = ["command"]


def _default_folder(files: tuple[Path, ...]) -> Path:
    stems = [f.name if f.is_dir() else f.stem for f in files]
    name = "-".join(re.sub(r"[^A-Za-z0-9_.]+", "_", s) for s in stems)
    return Path("outputs") / f"compare-{name[:120]}"


@click.command(name="compare")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--ensemble",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Members per bundle (the same seeds for every bundle).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: all cores).",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=None,
    help="Root seed for every bundle (default: the first file's run.seed).",
)
@click.option(
    "--rank-by",
    "criterion",
    default="cost_per_t_PM2.5",
    show_default=True,
    help="Ranking of bundles: cost, pm25, cost_per_ug_m3, p_all_met, cost_per_t_<P>, "
    "reduction_<P> (P: PM2.5, VOC, NOx, COD), booked_cost, targets_met.",
)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="PATH=VALUE",
    help="Override a scenario value in every bundle, e.g. --set run.seed=7 (repeatable).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Output folder (default: outputs/compare-<names>).",
)
@click.option("--overwrite", is_flag=True, help="Replace an existing output folder.")
@click.option("--no-figures", is_flag=True, help="Skip the figures.")
@click.option(
    "--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
    help="Language of the report, figures and printed tables.",
)  # fmt: skip
@click.option(
    "--no-attribution",
    is_flag=True,
    help="Skip the per-family counterfactual runs (faster; measures.* targets not evaluated).",
)
@verbosity
@guarded
def command(
    files: tuple[Path, ...],
    ensemble: int,
    jobs: int | None,
    seed: int | None,
    criterion: str,
    output: Path | None,
    overwrite: bool,
    no_figures: bool,
    no_attribution: bool,
    lang: str,
    overrides: tuple[str, ...] = (),
) -> None:
    """Run bundles (YAML files or saved run folders) side by side; the first is the reference."""
    from sim.cli import _UsageError, _write_folder
    from sim.compare import compare
    from sim.report_compare import write_comparison_report
    from sim.report_text import comparison_lines

    target = output if output is not None else _default_folder(files)
    if target.exists() and not overwrite:
        raise _UsageError(f"{target}: output folder exists; use --overwrite to replace it")
    quiet = bool(click.get_current_context().meta.get("sim.quiet"))
    result = compare(
        list(files),
        ensemble=ensemble,
        jobs=jobs,
        seed=seed,
        criterion=criterion,
        progress=not quiet,
        attribution=not no_attribution,
        overrides=overrides,
    )

    def save(path: Path) -> None:
        result.save(path)
        write_comparison_report(result, path, figures=not no_figures, lang=lang)

    folder = _write_folder(target, overwrite, save)
    if not quiet:
        for line in comparison_lines(result, lang):
            click.echo(line)
        click.echo(f"comparison written to {folder}/")
