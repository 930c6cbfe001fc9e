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
    type=click.IntRange(min=1, max=100_000),
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
    type=click.IntRange(min=0, max=2**63 - 1),
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
@click.option(
    "--overwrite", is_flag=True, help="Replace an existing output folder (only one sim wrote)."
)
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
    from sim.compare import compare
    from sim.ensemble import cap_jobs
    from sim.outfolder import OutputFolder
    from sim.report_compare import write_comparison_report
    from sim.report_text import comparison_lines

    target = output if output is not None else _default_folder(files)
    quiet = bool(click.get_current_context().meta.get("sim.quiet"))
    with OutputFolder(target, overwrite=overwrite) as out:
        result = compare(
            list(files),
            ensemble=ensemble,
            jobs=cap_jobs(jobs, ensemble * len(files)),
            seed=seed,
            criterion=criterion,
            progress=not quiet,
            attribution=not no_attribution,
            overrides=overrides,
        )
        result.save(out.tmp)
        write_comparison_report(result, out.tmp, figures=not no_figures, lang=lang)
        folder = out.commit()
    if not quiet:
        for line in comparison_lines(result, lang):
            click.echo(line)
        click.echo(f"comparison written to {folder}/")
