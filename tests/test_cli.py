"""The command line: exit codes, one-line errors, nothing written on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import cli

MINIMAL = """\
name: tiny
run: {start: 2024-01-01, end: 2024-01-08, seed: 3}
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_run_writes_every_file_and_prints_totals(runner: CliRunner, tmp_path: Path) -> None:
    scenario = write(tmp_path / "tiny.yaml", MINIMAL)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["run", str(scenario), "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = {p.name for p in out.iterdir()}
    assert written >= {"events.csv", "results.nc", "scenario.resolved.yaml", "summary.json"}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["period"]["hours"] == 7 * 24
    assert "total" in result.output


def test_run_refuses_to_overwrite_without_flag(runner: CliRunner, tmp_path: Path) -> None:
    scenario = write(tmp_path / "tiny.yaml", MINIMAL)
    out = tmp_path / "out"
    assert runner.invoke(cli, ["run", str(scenario), "-o", str(out), "-q"]).exit_code == 0
    (out / "keep.txt").write_text("x")
    result = runner.invoke(cli, ["run", str(scenario), "-o", str(out)])
    assert result.exit_code == 2
    assert "use --overwrite" in result.output
    assert (out / "keep.txt").exists()
    result = runner.invoke(cli, ["run", str(scenario), "-o", str(out), "--overwrite", "-q"])
    assert result.exit_code == 0, result.output
    assert not (out / "keep.txt").exists()
    assert (out / "results.nc").exists()


def test_overwrite_never_replaces_a_foreign_folder(runner: CliRunner, tmp_path: Path) -> None:
    scenario = write(tmp_path / "tiny.yaml", MINIMAL)
    out = tmp_path / "mine"
    (out / "sub").mkdir(parents=True)
    (out / "sub" / "important.txt").write_text("keep me")
    result = runner.invoke(cli, ["run", str(scenario), "-o", str(out), "--overwrite"])
    assert result.exit_code == 2
    assert "was not written by sim" in result.output
    assert (out / "sub" / "important.txt").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "tiny.yaml"]


def test_overwrite_never_replaces_a_file(runner: CliRunner, tmp_path: Path) -> None:
    scenario = write(tmp_path / "tiny.yaml", MINIMAL)
    out = write(tmp_path / "notes.txt", "precious")
    result = runner.invoke(cli, ["run", str(scenario), "-o", str(out), "--overwrite"])
    assert result.exit_code == 2
    assert "is not a folder" in result.output
    assert out.read_text() == "precious"


BAD_INPUTS = [
    # (file text or None for a missing file, extra args, expected text in the error line)
    (None, [], "file not found"),
    ("name: x\nrun: {start: 2024-01-01\n", [], "YAML syntax error"),
    ("name: x\nrun: {strat: 2024-01-01}\n", [], "run.strat = '2024-01-01': unknown key"),
    ("name: x\nrun: {seed: abc}\n", [], "run.seed = 'abc':"),
    ("name: x\nrun: {start: 2024-03-01, end: 2024-02-01}\n", [], "must be after start"),
    (
        "name: x\ndistrict: {population: -5}\n",
        [],
        "district.population = -5: Input should be greater",
    ),
    (
        "name: x\ndistrict: {area_km2: {value: 21, unit: m2}}\n",
        [],
        "unit 'm2' given, 'km2' expected",
    ),
    (MINIMAL, ["--set", "run.sed=4"], "(--set run.sed=4): run.sed = 4: unknown key"),
    (MINIMAL, ["--set", "district.population=-1"], "district.population = -1"),
    ("name: x\nmeteorology: {mode: file, path: nowhere.csv}\n", [], "nowhere.csv"),
]


@pytest.mark.parametrize(("text", "args", "expected"), BAD_INPUTS)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    runner: CliRunner, tmp_path: Path, text: str | None, args: list[str], expected: str
) -> None:
    scenario = tmp_path / "s.yaml"
    if text is not None:
        write(scenario, text)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["run", str(scenario), "-o", str(out), *args])
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert all(line.startswith("error: ") for line in lines)
    assert str(scenario.name) in result.output or "--set" in result.output
    assert not out.exists()


def test_validate_lists_unsourced_inputs(runner: CliRunner, tmp_path: Path) -> None:
    scenario = write(
        tmp_path / "s.yaml",
        MINIMAL + "district: {population: 5, area_km2: {value: 2, source: atlas}}\n",
    )
    result = runner.invoke(cli, ["validate", str(scenario), "--provenance"])
    assert result.exit_code == 0, result.output
    assert "unsourced  district.population = 5" in result.output
    assert "district.area_km2" not in result.output


def test_schema_prints_json_schema(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert set(schema["properties"]) >= {
        "name",
        "run",
        "district",
        "meteorology",
        "sources",
        "policies",
    }


def test_scenario_reference_in_docs_is_current() -> None:
    from sim.scenario.reference import scenario_reference

    doc = Path(__file__).parents[1] / "docs" / "scenario.md"
    assert doc.read_text(encoding="utf-8") == scenario_reference(), (
        "docs/scenario.md is stale: regenerate with `sim schema --markdown > docs/scenario.md`"
    )


def test_every_shipped_scenario_is_valid_and_fully_sourced(runner: CliRunner) -> None:
    root = Path(__file__).parents[1] / "scenarios"
    files = [
        root / "baseline.yaml",
        root / "plan2024.yaml",
        *sorted((root / "bundles").glob("*.yaml")),
    ]
    for file in files:
        result = runner.invoke(cli, ["validate", str(file), "--provenance"])
        assert result.exit_code == 0, result.output
        assert " 0 unsourced" in result.output.splitlines()[0], file
