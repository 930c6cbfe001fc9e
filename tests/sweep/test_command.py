"""The command line: `sim sweep FILE`, `sim sweep gather DIR`, `sim sweep analyse DIR`."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from _support.sweep import write_sweep
from sim.cli import cli


def test_gather_and_analyse_subcommands_run_on_a_folder(
    reference_sweep: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(reference_sweep.parent, folder)
    runner = CliRunner()
    result = runner.invoke(cli, ["sweep", "gather", str(folder)])
    assert result.exit_code == 0, result.output
    assert f"written {folder / 'sweep.nc'}" in result.output
    result = runner.invoke(cli, ["sweep", "analyse", str(folder), "--no-figures"])
    assert result.exit_code == 0, result.output
    assert "24/24 runs ok" in result.output
    assert not (folder / "analysis" / "figures" / "probability_met.png").exists()


def test_a_sweep_file_as_first_argument_runs_it(tmp_path: Path) -> None:
    path = write_sweep(tmp_path, design={"method": "lhs", "n": 2, "seed": 1}, replications=1)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["sweep", str(path), "-j", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "small: 2 runs (0 done before, 2 now, 0 failed)" in result.output
    assert (out / "sweep.nc").exists()


def test_a_bad_sweep_file_exits_2_with_one_line(tmp_path: Path) -> None:
    path = write_sweep(tmp_path, replications=0)
    result = CliRunner().invoke(cli, ["sweep", str(path)])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"error: {path}: replications = 0: Input should be greater than or equal to 1"
    )
