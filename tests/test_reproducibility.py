"""Same scenario and seed give byte-identical run folders; timings live only in run.json."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import cli

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "scenarios" / "baseline.yaml"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _run(tmp_path: Path, name: str, *extra: str) -> Path:
    out = tmp_path / name
    result = CliRunner().invoke(cli, ["run", str(BASELINE), "-o", str(out), "-q", *extra])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize(
    "extra", [(), ("--ensemble", "2", "--no-figures")], ids=["single", "ensemble"]
)
def test_same_seed_gives_byte_identical_files_except_run_json(
    tmp_path: Path, extra: tuple[str, ...]
) -> None:
    first = _files(_run(tmp_path, "a", *extra))
    second = _files(_run(tmp_path, "b", *extra))
    assert first.keys() == second.keys()
    differing = sorted(name for name in first if first[name] != second[name])
    assert differing == ["run.json"]


def test_timings_and_host_are_in_run_json_not_in_results(tmp_path: Path) -> None:
    out = _run(tmp_path, "a", "--no-figures")
    facts = json.loads((out / "run.json").read_text())
    assert set(facts) >= {"created_utc", "host", "python", "timings_s"}
    assert facts["timings_s"]["engine"] > 0.0
    summary_text = (out / "summary.json").read_text()
    assert "time_s" not in summary_text
    import xarray as xr

    with xr.open_dataset(out / "results.nc", engine="h5netcdf") as ds:
        assert "history" not in ds.attrs


def test_run_folder_mode_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        out = _run(tmp_path, "a", "--no-figures")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
