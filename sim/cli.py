"""The ``sim`` command: thin — parse, call the API, print, map errors to exit codes.

Exit codes: 0 success; 2 bad input (scenario, file, option, output folder), nothing written; 3 a
target not met (with ``--check-targets``); 4 a run that produced NaN or infinite numbers, nothing
written; 1 only for an internal error (a bug: "please report it").
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from sim.errors import SimError

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario
    from sim.targets import Scorecard

F = TypeVar("F", bound=Callable[..., Any])

log = logging.getLogger("sim")


def _configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING
    if quiet:
        level = logging.ERROR
    elif verbose == 1:
        level = logging.INFO
    elif verbose > 1:
        level = logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)
    for noisy in ("matplotlib", "h5py", "fsspec", "distributed", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def verbosity(func: F) -> F:
    """Add -v/--verbose and -q/--quiet to a command."""

    @click.option("-v", "--verbose", count=True, help="Progress messages (-vv for debug detail).")
    @click.option("-q", "--quiet", is_flag=True, help="Only errors; no summary table.")
    @functools.wraps(func)
    def wrapper(*args: Any, verbose: int, quiet: bool, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        obj = ctx.find_root().obj or {}
        verbose = verbose or obj.get("verbose", 0)
        quiet = quiet or obj.get("quiet", False)
        _configure_logging(verbose, quiet)
        ctx.meta["sim.verbose"] = verbose
        ctx.meta["sim.quiet"] = quiet
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _fail(exc: SimError) -> None:
    for line in exc.problems:
        click.echo(f"error: {line}", err=True)
    sys.exit(exc.exit_code)


def guarded(func: F) -> F:
    """Turn SimErrors into one line per problem and their exit code; never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SimError as exc:
            _fail(exc)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:  # output piped into e.g. `head`, which closed early
            sys.stderr.close()
            sys.exit(0)
        except click.exceptions.Exit:
            raise
        except (click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if click.get_current_context().meta.get("sim.verbose"):
                raise
            from sim.errors import truncate_line

            click.echo(
                truncate_line(f"internal error: {type(exc).__name__}: {exc}")
                + " (run with -v for the traceback; please report it)",
                err=True,
            )
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


#: Further commands, each a click command ``command`` in ``sim.commands.<name>``, imported only
#: when it is invoked (so ``sim --help`` stays fast).
EXTRA_COMMANDS: dict[str, str] = {
    "calibrate": "Fit response parameters to observations (calibration/*.yaml).",
    "compare": "Run bundles side by side with common random numbers.",
    "sweep": "Run thousands of scenarios (local pool or Dask), resumable.",
    "report": "Rebuild report.html from a saved run or comparison folder.",
    "forecast": "Are we on track? Re-forecast the year from observed data to date.",
    "optimise": "Least-cost bundle meeting targets with a chosen probability.",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *EXTRA_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name not in EXTRA_COMMANDS:
            return command
        import importlib

        module = importlib.import_module(f"sim.commands.{cmd_name}")
        found: click.Command = module.command
        return found

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            if name in EXTRA_COMMANDS:
                rows.append((name, EXTRA_COMMANDS[name]))
            else:
                cmd = super().get_command(ctx, name)
                if cmd is not None and not cmd.hidden:
                    rows.append((name, cmd.get_short_help_str(limit=70)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="Progress messages (-vv for debug detail).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors; no summary table.")
@click.version_option(package_name="sim", prog_name="sim")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """sim — will this bundle of measures meet this year's air and water targets?

    Simulates a district's year hour by hour: discrete events (retirements, retrofits, inspections,
    rain) in SimPy, hourly emissions computed vectorised from the ledger of state changes.
    """
    ctx.obj = {"verbose": verbose, "quiet": quiet}


def _overrides_option(func: F) -> F:
    return click.option(
        "--set",
        "overrides",
        multiple=True,
        metavar="PATH=VALUE",
        help="Override one scenario value, e.g. --set run.seed=7 (repeatable).",
    )(func)


#: Largest ``--member`` index and ``--ensemble`` size (each member's seed is spawned in order).
MAX_MEMBERS = 100_000
#: Seeds are 63-bit non-negative integers (``run.seed``).
SEED_RANGE = click.IntRange(min=0, max=2**63 - 1)


@cli.command()
@click.argument("scenario_file", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Output folder (default: outputs/<scenario name>).",
)
@click.option("--seed", type=SEED_RANGE, default=None, help="Root seed (default: run.seed).")
@_overrides_option
@click.option(
    "--overwrite", is_flag=True, help="Replace an existing output folder (only one sim wrote)."
)
@click.option(
    "--ensemble",
    "ensemble",
    type=click.IntRange(min=1, max=MAX_MEMBERS),
    default=None,
    help="Run N members with independent weather and uncertain inputs (default: run.ensemble).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: all cores; capped by cores and memory).",
)
@click.option(
    "--member",
    type=click.IntRange(min=0, max=MAX_MEMBERS - 1),
    default=None,
    help="Run member K of the ensemble alone (same numbers as in the ensemble).",
)
@click.option("--check-targets", is_flag=True, help="Exit with code 3 when a target is not met.")
@click.option("--no-figures", is_flag=True, help="Skip figures/*.png (the report has none).")
@click.option(
    "--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
    help="Language of the report, figures and printed summary.",
)  # fmt: skip
@verbosity
@guarded
def run(
    scenario_file: Path,
    output: Path | None,
    seed: int | None,
    overrides: tuple[str, ...],
    overwrite: bool,
    ensemble: int | None,
    jobs: int | None,
    member: int | None,
    check_targets: bool,
    no_figures: bool,
    lang: str,
) -> None:
    """Simulate one scenario-year (or an ensemble) and write its results folder."""
    from sim.api import load_scenario
    from sim.outfolder import OutputFolder
    from sim.report_text import scorecard_lines, verdict_lines

    scenario = load_scenario(scenario_file, overrides)
    target = output if output is not None else Path("outputs") / scenario.name
    quiet = bool(click.get_current_context().meta.get("sim.quiet"))
    root = scenario.run.seed if seed is None else seed
    size = ensemble if ensemble is not None else scenario.run.ensemble
    if member is not None:
        from sim.ensemble import member_scenario, member_seed

        seed, size = member_seed(root, member), 1
        # the member's own draw of the fitted parameters, as inside the ensemble
        scenario, drawn = member_scenario(scenario, seed)
        log.info("member %d of root seed %d: seed %d, parameters %s", member, root, seed, drawn)
    # the folder is checked, locked and its temporary sibling made before simulating
    with OutputFolder(target, overwrite=overwrite) as out:
        if size > 1:
            card, summaries = _run_ensemble(
                scenario, out.tmp, size, root, jobs, quiet, not no_figures, lang
            )
        else:
            card, summaries = _run_single(scenario, out.tmp, seed, quiet, not no_figures, lang)
        folder = out.commit()
    if not quiet:
        for line in [*scorecard_lines(card, lang), "", *verdict_lines(card, summaries, lang)]:
            click.echo(line)
        click.echo(f"results written to {folder}/")
    if check_targets and not card.all_met:
        click.echo(f"targets not met: {', '.join(card.not_met)}", err=True)
        sys.exit(3)


def _run_ensemble(
    scenario: Scenario, folder: Path, size: int, root: int, jobs: int | None, quiet: bool,
    figures: bool, lang: str,
) -> tuple[Scorecard, list[dict[str, Any]]]:  # fmt: skip
    """Run ``size`` members and write the ensemble's files into ``folder``."""
    from sim.ensemble import cap_jobs, run_ensemble
    from sim.report import write_run_outputs

    jobs = cap_jobs(jobs, size)
    ens = run_ensemble(scenario, size, jobs=jobs, seed=root, progress=not quiet)
    ens.save(folder)
    card = write_run_outputs(
        folder,
        scenario=scenario,
        dataset=ens.dataset,
        summaries=ens.summaries,
        figures=figures,
        lang=lang,
    )
    return card, ens.summaries


def _run_single(
    scenario: Scenario, folder: Path, seed: int | None, quiet: bool, figures: bool, lang: str
) -> tuple[Scorecard, list[dict[str, Any]]]:
    """Run one scenario-year and write its files into ``folder``."""
    from sim.api import run as run_scenario
    from sim.report import write_run_outputs
    from sim.report_run_text import run_lines
    from sim.report_text import totals_table

    log.info("running %s (seed %s)", scenario.name, seed if seed is not None else scenario.run.seed)
    result = run_scenario(scenario, seed=seed)
    result.write_files(folder)
    card = write_run_outputs(
        folder,
        scenario=scenario,
        dataset=result.dataset,
        summaries=[result.summary],
        events=result.events,
        figures=figures,
        lang=lang,
    )
    if not quiet:
        click.echo(totals_table(result.summary, lang))
        for line in run_lines(result.summary, lang):
            click.echo(line)
    return card, [result.summary]


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--provenance", is_flag=True, help="List every input with no source (and the assumed ones)."
)
@_overrides_option
@verbosity
@guarded
def validate(files: tuple[Path, ...], provenance: bool, overrides: tuple[str, ...]) -> None:
    """Check scenario files; with --provenance, list unsourced inputs."""
    from sim.scenario import load_scenario
    from sim.scenario.provenance import list_inputs

    problems: list[str] = []
    for file in files:
        try:
            scenario = load_scenario(file, overrides)
        except SimError as exc:
            problems.extend(exc.problems)
            continue
        if not provenance:
            click.echo(f"{file}: valid (scenario {scenario.name}, hash {scenario.scenario_hash})")
            continue
        inputs = list_inputs(scenario.raw)
        counts = {
            s: sum(1 for i in inputs if i.status == s)
            for s in ("sourced", "assumed", "calibrated", "unsourced")
        }
        click.echo(
            f"{file}: valid; {len(inputs)} numeric inputs: "
            + ", ".join(f"{n} {s}" for s, n in counts.items())
        )
        for status in ("unsourced", "assumed", "calibrated"):
            for item in (i for i in inputs if i.status == status):
                note = f"  [{item.source}]" if item.source else ""
                click.echo(f"  {status:<10} {item.path} = {item.value}{note}")
    if problems:
        raise _UsageError(*problems)


@cli.command()
@click.option("--indent", type=int, default=2, show_default=True, help="JSON indentation.")
@click.option(
    "--markdown", is_flag=True, help="Print the scenario reference (docs/scenario.md) instead."
)
@guarded
def schema(indent: int, markdown: bool) -> None:
    """Print the JSON Schema of scenario files (or the Markdown reference)."""
    if markdown:
        from sim.scenario.reference import scenario_reference

        click.echo(scenario_reference(), nl=False)
        return
    import json

    from sim.scenario.schema import Scenario

    click.echo(json.dumps(Scenario.model_json_schema(), indent=indent, ensure_ascii=False))


class _UsageError(SimError):
    exit_code = 2


def main() -> None:
    """Console entry point."""
    cli(prog_name="sim")
