"""``sim report``: rebuild report.html from a saved run, ensemble or comparison folder."""

from __future__ import annotations

from pathlib import Path

import click

from sim.cli import guarded, verbosity

__all__ = ["command"]


@click.command(name="report")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--no-figures", is_flag=True, help="Rebuild without figures.")
@click.option(
    "--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
    help="Language of the report and figures.",
)  # fmt: skip
@verbosity
@guarded
def command(folder: Path, no_figures: bool, lang: str) -> None:
    """Rebuild report.html (with scorecard, dispatch and figures) from saved results."""
    from sim.errors import ScenarioError
    from sim.report_rebuild import rebuild_report

    try:
        path = rebuild_report(folder, figures=not no_figures, lang=lang)
    except (OSError, ValueError, KeyError, EOFError) as exc:
        # a truncated results.nc, a damaged summary.json: the folder, not sim, is broken
        detail = str(exc).splitlines()[0][:200] if str(exc) else ""
        raise ScenarioError(
            f"{folder}: cannot read the saved results ({type(exc).__name__}: {detail}); "
            "run the scenario again"
        ) from None
    if not click.get_current_context().meta.get("sim.quiet"):
        click.echo(f"report written to {path}")
