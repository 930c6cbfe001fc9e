"""Save the reference results that ``scripts/refactor_check.py`` compares a refactor against.

For each reference scenario (baseline, plan2024) this runs ``sim.run`` (with the measure
attribution, as ``sim run`` does) and saves

- ``tests/data/reference/<name>.nc``: every data variable and coordinate of ``results.nc``
  (no attributes: they hold the version and the resolved scenario text), zlib-compressed;
- ``tests/data/reference/<name>.summary.json``: ``summary.json`` exactly as a run writes it.

Regenerate the references whenever an issue changes results on purpose, and say so in the commit
message::

    .venv/bin/python scripts/make_reference_results.py

``--repo DIR`` runs the ``sim`` package and the scenarios of another checkout (for instance a
``git archive`` of the commit before a refactor) and still writes here; ``--out DIR`` writes
elsewhere.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
REFERENCE_DIR = HERE / "tests" / "data" / "reference"
SCENARIOS = ("baseline", "plan2024")


def reference_results(repo: Path, name: str) -> tuple[object, dict[str, object]]:
    """Run scenario ``name`` of ``repo``; return (dataset without attributes, summary)."""
    import sim

    result = sim.run(repo / "scenarios" / f"{name}.yaml")
    ds = result.dataset.copy()
    ds.attrs = {}
    for var in ds.variables.values():
        var.attrs = {}
        var.encoding = {}
    summary = json.loads(json.dumps(result.summary, indent=2, ensure_ascii=False))
    return ds, summary


def main(argv: list[str] | None = None) -> int:
    """Write the references; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=HERE, help="checkout whose sim to run")
    parser.add_argument("--out", type=Path, default=REFERENCE_DIR, help="folder to write")
    args = parser.parse_args(argv)
    repo = args.repo.resolve()
    sys.path.insert(0, str(repo))
    for mod in [m for m in sys.modules if m == "sim" or m.startswith("sim.")]:
        del sys.modules[mod]
    args.out.mkdir(parents=True, exist_ok=True)
    for name in SCENARIOS:
        ds, summary = reference_results(repo, name)
        encoding = {
            k: {"zlib": True, "complevel": 9, "shuffle": True}
            for k, v in ds.data_vars.items()
            if v.dtype.kind in "fiu"
        }
        path = args.out / f"{name}.nc"
        ds.to_netcdf(path, engine="h5netcdf", encoding=encoding)
        text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
        (args.out / f"{name}.summary.json").write_text(text, encoding="utf-8")
        print(f"{path}: {len(ds.data_vars)} data variables, {path.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
