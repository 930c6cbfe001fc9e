"""Bad inputs, tried as an attacker and a careless user would: each exits with its documented
code (2: bad input), prints one line naming the problem, no traceback, and writes nothing.

The table is the contract of issue 10 (about 70 cases); a case is (id, files, arguments, exit
code, text the error line must contain). ``{tmp}`` in an argument is the test's folder.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import cli

WEEK = "name: tiny\nrun: {start: 2024-01-01, end: 2024-01-08, seed: 3}\n"
PLAN = str(Path(__file__).resolve().parents[1] / "scenarios" / "plan2024.yaml")
EXTENDS_PLAN = f"extends: {PLAN}\nname: p\nrun: {{start: 2024-01-01, end: 2024-01-08}}\n"
HEADER = "time,wind_m_s,mixing_height_m,temperature_c,relative_humidity_pct,solar_w_m2,rain_mm_h"
BOMB = (
    'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
)
SET_BOMB = (
    "description=[&a [x,x,x,x,x,x,x,x,x], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], "
    "&c [*b,*b,*b,*b,*b,*b,*b,*b,*b], &d [*c,*c,*c,*c,*c,*c,*c,*c,*c], "
    "&e [*d,*d,*d,*d,*d,*d,*d,*d,*d], &f [*e,*e,*e,*e,*e,*e,*e,*e,*e], "
    "&g [*f,*f,*f,*f,*f,*f,*f,*f,*f]]"
)


def weather(column: str = "", value: str = "") -> str:
    """A week of hourly weather CSV; ``column`` set to ``value`` in hour 5."""
    cols = HEADER.split(",")
    base = {"wind_m_s": "2", "mixing_height_m": "500", "temperature_c": "0",
            "relative_humidity_pct": "50", "solar_w_m2": "0", "rain_mm_h": "0"}  # fmt: skip
    rows = [HEADER]
    for h in range(7 * 24):
        vals = dict(base)
        if h == 5 and column:
            vals[column] = value
        day, hour = divmod(h, 24)
        rows.append(
            ",".join([f"2024-01-{day + 1:02d}T{hour:02d}:00", *[vals[c] for c in cols[1:]]])
        )
    return "\n".join(rows) + "\n"


def with_weather(path: str) -> str:
    return WEEK + f"meteorology: {{mode: file, path: {path}}}\n"


def run(*extra: str) -> list[str]:
    return ["run", "{tmp}/s.yaml", "-o", "{tmp}/out", "--no-figures", *extra]


def setting(text: str) -> list[str]:
    return run("--set", text)


def plan(*sets: str) -> tuple[dict[str, str | bytes], list[str]]:
    args = run()
    for s in sets:
        args += ["--set", s]
    return {"s.yaml": EXTENDS_PLAN}, args


S = {"s.yaml": WEEK}
# (id, files, args, exit code, expected text)
CASES: list[tuple[str, dict[str, str | bytes], list[str], int, str]] = [
    # -- the file itself ---------------------------------------------------------------------
    ("missing-file", {}, run(), 2, "file not found"),
    ("empty-file", {"s.yaml": ""}, run(), 2, "empty file"),
    ("only-comments", {"s.yaml": "# nothing\n"}, run(), 2, "empty file"),
    ("top-level-list", {"s.yaml": "- a\n- b\n"}, run(), 2, "must be a mapping"),
    ("top-level-text", {"s.yaml": "hello\n"}, run(), 2, "must be a mapping"),
    ("yaml-syntax", {"s.yaml": "name: x\nrun: {start: 2024-01-01\n"}, run(), 2, "YAML syntax"),
    ("duplicate-key", {"s.yaml": WEEK + "name: again\n"}, run(), 2, "duplicate key 'name'"),
    ("binary-file", {"s.yaml": b"name: x\x00\x01\x02"}, run(), 2, "a binary file"),
    ("not-utf8", {"s.yaml": "name: caf\xe9\n".encode("latin-1")}, run(), 2, "not UTF-8"),
    ("alias-bomb", {"s.yaml": BOMB}, run(), 2, "alias bomb"),
    ("deep-nesting", {"s.yaml": "a: " + "[" * 3000 + "]" * 3000}, run(), 2, "nested"),
    ("python-tag", {"s.yaml": "name: !!python/object/apply:os.system [echo hi]\n"}, run(), 2,
     "could not determine a constructor"),
    ("folder-as-file", {"s.yaml/x": "a"}, run(), 2, "a folder; expected a YAML file"),
    ("device-as-file", {}, ["run", "/dev/zero", "-o", "{tmp}/out"], 2, "not a regular file"),
    ("huge-file", {"s.yaml": "#" * (5 * 2**20)}, run(), 2, "larger than"),
    ("non-text-key", {"s.yaml": "1: x\n"}, run(), 2, "keys must be text"),
    ("impossible-date", {"s.yaml": "name: x\nrun: {start: 2024-06-31}\n"}, run(), 2,
     "day is out of range for month"),
    # -- extends -------------------------------------------------------------------------------
    ("extends-missing", {"s.yaml": "extends: nope.yaml\n"}, run(), 2, "file not found"),
    ("extends-device", {"s.yaml": "extends: /dev/zero\n"}, run(), 2, "not a regular file"),
    ("extends-cycle", {"s.yaml": "extends: t.yaml\n", "t.yaml": "extends: s.yaml\n"}, run(), 2,
     "cycle detected"),
    ("extends-number", {"s.yaml": "extends: 3\n"}, run(), 2, "expected a relative file path"),
    ("extends-folder", {"s.yaml": "extends: d\n", "d/x": ""}, run(), 2, "not a regular file"),
    # -- schema ---------------------------------------------------------------------------------
    ("name-dotdot", {"s.yaml": "name: '..'\n"}, ["run", "{tmp}/s.yaml", "--overwrite"], 2,
     "name = '..'"),
    ("unknown-section", {"s.yaml": WEEK + "aire: {}\n"}, run(), 2, "did you mean 'air'"),
    ("unknown-key", {"s.yaml": "name: x\nrun: {strat: 2024-01-01}\n"}, run(), 2,
     "did you mean 'start'"),
    ("seed-text", {"s.yaml": "name: x\nrun: {seed: abc}\n"}, run(), 2, "run.seed = 'abc'"),
    ("end-before-start", {"s.yaml": "name: x\nrun: {start: 2024-03-01, end: 2024-02-01}\n"},
     run(), 2, "must be after start"),
    ("negative-population", {"s.yaml": WEEK + "district: {population: -5}\n"}, run(), 2,
     "district.population = -5"),
    ("wrong-unit", {"s.yaml": WEEK + "district: {area_km2: {value: 21, unit: m2}}\n"}, run(),
     2, "unit 'm2' given, 'km2' expected"),
    ("tiny-area", S, setting("district.area_km2=1e-300"), 2, "area_km2 = 1e-300"),
    ("nan-area", S, setting("district.area_km2=.nan"), 2, "finite number"),
    ("huge-area", S, setting("district.area_km2=1e9"), 2, "area_km2 = 1e+09"),
    ("seed-2**64", S, setting("run.seed=18446744073709551616"), 2,
     "seed = 18446744073709551616"),
    ("seed-negative", S, setting("run.seed=-1"), 2, "run.seed = -1"),
    ("ensemble-zero", S, setting("run.ensemble=0"), 2, "run.ensemble = 0"),
    ("monthly-temp-1e308", S, setting("meteorology.temperature_c=[1e308,0,0,0,0,0,0,0,0,0,0,0]"),
     2, "temperature_c"),
    ("monthly-wind-kmh", S, setting("meteorology.wind_m_s=[90,9,9,9,9,9,9,9,9,9,9,9]"), 2,
     "wind_m_s = 90"),
    ("haze-reduction-whole-layer", S, setting("air.haze_feedback.relative_reduction_ref=1"), 2,
     "relative_reduction_ref = 1"),
    ("haze-reference-negative", S, setting("air.haze_feedback.pm25_ref_ug_m3=-160"), 2,
     "pm25_ref_ug_m3 = -160"),
    ("pace-exponent-2", S, setting("air.region.mixing_pace_exponent=2"), 2,
     "mixing_pace_exponent = 2"),
    ("season-negative", S, run("--set", "air.region.pm25_seasonal_amplitude=0.7",
                               "--set", "air.region.pm25_semiannual_amplitude=0.4"), 2,
     "pm25_semiannual_amplitude must be below 1"),
    ("peak-day-0", S, setting("air.region.pm25_peak_day=0"), 2, "pm25_peak_day = 0"),
    # -- weather files -----------------------------------------------------------------------------
    ("weather-missing", {"s.yaml": with_weather("nowhere.csv")}, run(), 2, "nowhere.csv"),
    ("weather-wind-1e6", {"s.yaml": with_weather("w.csv"), "w.csv": weather("wind_m_s", "1e6")},
     run(), 2, "column 'wind_m_s'"),
    ("weather-wind-inf", {"s.yaml": with_weather("w.csv"), "w.csv": weather("wind_m_s", "inf")},
     run(), 2, "column 'wind_m_s'"),
    ("weather-mixing-km", {"s.yaml": with_weather("w.csv"),
                           "w.csv": weather("mixing_height_m", "0.5")}, run(), 2,
     "column 'mixing_height_m'"),
    ("weather-temp-1e308", {"s.yaml": with_weather("w.csv"),
                            "w.csv": weather("temperature_c", "1e308")}, run(), 2,
     "column 'temperature_c'"),
    ("weather-rain-1e308", {"s.yaml": with_weather("w.csv"),
                            "w.csv": weather("rain_mm_h", "1e308")}, run(), 2,
     "column 'rain_mm_h'"),
    ("weather-rh-150", {"s.yaml": with_weather("w.csv"),
                        "w.csv": weather("relative_humidity_pct", "150")}, run(), 2,
     "column 'relative_humidity_pct'"),
    ("weather-text", {"s.yaml": with_weather("w.csv"), "w.csv": weather("wind_m_s", "calm")},
     run(), 2, "not a number"),
    # -- measures and targets (on the 2024 plan, one week) --------------------------------------
    ("target-misspelled", *plan("targets.items[0].metric=air.pm25_annual_mean_ugm3"), 2,
     "did you mean 'air.pm25_annual_mean_ug_m3'"),
    ("target-unknown-section", *plan("targets.items[0].metric=airr.x"), 2,
     "unknown summary section 'airr'"),
    ("detection-5", *plan("policies.voc_inspection.detection_probability=5"), 2,
     "detection_probability = 5: must be in [0, 1]"),
    ("detection-negative", *plan("policies.voc_inspection.detection_probability=-1"), 2,
     "detection_probability = -1"),
    ("detection-nan", *plan("policies.voc_inspection.detection_probability=.nan"), 2,
     "finite number"),
    ("efficiency-2", *plan("policies.site_dust_control.package_control_efficiency=2.0"), 2,
     "package_control_efficiency = 2"),
    ("compliance-negative", *plan("policies.inuse_supervision.compliance=-2"), 2,
     "compliance = -2"),
    ("count-fraction", *plan("sources.mobile.fleet[0].count=2.5"), 2, "whole number"),
    ("count-1e23", *plan("sources.mobile.fleet[0].count=1e23"), 2, "count = 1e+23"),
    ("count-inf", *plan("sources.mobile.fleet[0].count=.inf"), 2, "finite number"),
    ("triangular-high-below-low",
     *plan("policies.voc_inspection.detection_probability={dist: triangular, low: 0.5, "
           "mode: 0.6, high: 0.3}"), 2, "must be <= high"),
    ("triangular-high-3",
     *plan("policies.voc_inspection.detection_probability={dist: triangular, low: 0.5, "
           "mode: 0.6, high: 3}"), 2, "triangular distribution reaches 3"),
    ("uniform-outside",
     *plan("policies.voc_inspection.detection_probability={dist: uniform, low: -1, high: 0.5}"),
     2, "uniform distribution reaches -1"),
    ("normal-unclipped",
     *plan("policies.voc_inspection.detection_probability={dist: normal, mean: 0.5, sd: 0.1}"),
     2, "needs low and high clipping"),
    ("deadline-impossible", *plan("policies.retire_china3.deadline=2024-06-31"), 2,
     "day is out of range for month"),
    ("deadline-typo-2204", *plan("policies.retire_china3.deadline=2204-06-30"), 2, "a typo?"),
    # -- --set -------------------------------------------------------------------------------------
    ("set-no-equals", S, setting("run.seed"), 2, "expected dotted.path=value"),
    ("set-empty-path", S, setting("=3"), 2, "empty path"),
    ("set-bad-yaml", S, setting("run.seed=[1"), 2, "value [1 is not valid YAML"),
    ("set-alias-bomb", S, setting(SET_BOMB), 2, "alias bomb"),
    ("set-typo", S, setting("run.sed=4"), 2, "did you mean 'seed'"),
    ("set-echoes-typed-date", S, setting("run.end=2023-01-01"), 2,
     "(--set run.end=2023-01-01)"),
    ("set-no-item", *plan("sources.mobile.fleet[bus].count=1"), 2, "no item named 'bus'"),
    ("set-index-range", *plan("sources.mobile.fleet[999].count=1"), 2, "out of range"),
    ("set-long-value", S, setting("run.seed=" + "9" * 100_000), 2, "characters)"),
    # -- options and output folders ----------------------------------------------------------------
    ("member-huge", S, run("--member", "999999999999"), 2, "--member"),
    ("jobs-zero", S, run("-j", "0"), 2, "-j"),
    ("ensemble-option-zero", S, run("--ensemble", "0"), 2, "--ensemble"),
    ("seed-option-negative", S, run("--seed", "-1"), 2, "--seed"),
    ("out-exists", {**S, "out/keep.txt": "x"}, run(), 2, "use --overwrite"),
    ("overwrite-foreign-folder", {**S, "out/sub/important.txt": "x"}, run("--overwrite"), 2,
     "was not written by sim"),
    ("overwrite-a-file", {**S, "out": "precious"}, run("--overwrite"), 2, "is not a folder"),
    ("out-under-a-file", {**S, "f": "x"}, ["run", "{tmp}/s.yaml", "-o", "{tmp}/f/out"], 2,
     "cannot use as output folder"),
    # -- other commands ----------------------------------------------------------------------------
    ("validate-empty", {"s.yaml": ""}, ["validate", "{tmp}/s.yaml"], 2, "empty file"),
    ("compare-binary", {"s.yaml": b"\x00\xff", "t.yaml": WEEK},
     ["compare", "{tmp}/s.yaml", "{tmp}/t.yaml", "-o", "{tmp}/cmp"], 2, "a binary file"),
    ("compare-not-utf8", {"s.yaml": b"name: \xe9\n", "t.yaml": WEEK},
     ["compare", "{tmp}/s.yaml", "{tmp}/t.yaml", "-o", "{tmp}/cmp"], 2, "not UTF-8"),
    ("report-not-a-run", {"d/x.txt": "x"}, ["report", "{tmp}/d"], 2, "not a sim run"),
    ("report-truncated-nc", {"d/results.nc": b"\x89HDF\r\n\x1a\n", "d/events.csv": "time\n",
                             "d/summary.json": "{}", "d/scenario.resolved.yaml": "name: x\n",
                             "d/.sim-run": ""}, ["report", "{tmp}/d"], 2, "damaged run folder"),
]  # fmt: skip

#: Click's own option errors print a usage line before the error line.
CLICK_USAGE = {"member-huge", "jobs-zero", "ensemble-option-zero", "seed-option-negative"}


def _snapshot(folder: Path) -> dict[str, str]:
    """Every path under ``folder`` with a digest of its bytes (folders: '/')."""
    out = {}
    for p in sorted(folder.rglob("*")):
        out[str(p.relative_to(folder))] = (
            "/" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
        )
    return out


def test_the_table_holds_more_than_sixty_cases_with_unique_ids() -> None:
    ids = [c[0] for c in CASES]
    assert len(ids) >= 60
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(("files", "args", "code", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_bad_input_exits_with_its_code_one_line_no_traceback_nothing_written(
    tmp_path: Path, files: dict[str, str | bytes], args: list[str], code: int, expected: str
) -> None:
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    before = _snapshot(tmp_path)
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    lines = [
        line
        for line in result.output.splitlines()
        if line.strip() and not line.startswith("WARNING ")  # warnings are not errors
    ]
    case = next(c[0] for c in CASES if c[2] == args and c[1] == files)
    if case in CLICK_USAGE:
        assert lines[-1].startswith("Error:")
        assert expected in lines[-1]
    else:
        assert len(lines) == 1, result.output
        assert lines[0].startswith("error: ")
        assert expected in lines[0]
        assert len(lines[0]) <= 420
    assert _snapshot(tmp_path) == before
