"""Check that a refactor left results unchanged: compare a fresh run with the saved references.

Runs baseline and plan2024 with this checkout's ``sim`` and compares with
``tests/data/reference/`` (written by ``scripts/make_reference_results.py``):

- every data variable and coordinate of ``results.nc``: same names, dimensions, shapes and
  dtypes; numbers equal to 1e-12 relative (``|a - b| <= 1e-12 · max(|a|, |b|)``, NaN where NaN);
  other values (strings, dates) exactly equal;
- ``summary.json``: equal as parsed JSON, key for key.

Exit code 0 when everything matches, 1 with one line per difference otherwise::

    .venv/bin/python scripts/refactor_check.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_reference_results import HERE, REFERENCE_DIR, SCENARIOS, reference_results

RTOL = 1e-12


def _values_differ(a: np.ndarray, b: np.ndarray) -> str | None:
    if a.shape != b.shape:
        return f"shape {b.shape} != reference {a.shape}"
    if a.dtype.kind in "fc" or b.dtype.kind in "fc":
        a64, b64 = a.astype(np.float64), b.astype(np.float64)
        both_nan = np.isnan(a64) & np.isnan(b64)
        scale = np.maximum(np.abs(a64), np.abs(b64))
        ok = both_nan | (np.abs(a64 - b64) <= RTOL * scale)
        if not ok.all():
            worst = np.nanmax(np.where(ok, 0.0, np.abs(a64 - b64) / np.where(scale, scale, 1)))
            return f"{int((~ok).sum())} values differ (worst relative {worst:.3g})"
        return None
    if not np.array_equal(a, b):
        return f"{int(np.sum(a != b))} values differ"
    return None


def compare_datasets(ref: Any, new: Any) -> list[str]:
    """Differences between two datasets (data variables and coordinates), one line each."""
    problems = []
    for kind, r_items, n_items in (
        ("variable", ref.data_vars, new.data_vars),
        ("coordinate", ref.coords, new.coords),
    ):
        for name in sorted(set(r_items) ^ set(n_items)):
            where = "missing" if name in r_items else "new"
            problems.append(f"{kind} {name}: {where}")
        for name in sorted(set(r_items) & set(n_items)):
            r, n = r_items[name], n_items[name]
            if r.dims != n.dims:
                problems.append(f"{kind} {name}: dims {n.dims} != reference {r.dims}")
                continue
            why = _values_differ(np.asarray(r.values), np.asarray(n.values))
            if why:
                problems.append(f"{kind} {name}: {why}")
    return problems


def compare_summaries(ref: Any, new: Any, path: str = "summary") -> list[str]:
    """Differences between two parsed JSON documents, one line per differing leaf."""
    if isinstance(ref, dict) and isinstance(new, dict):
        out = [
            f"{path}.{k}: {'missing' if k in ref else 'new'}" for k in sorted(set(ref) ^ set(new))
        ]
        for k in ref:
            if k in new:
                out += compare_summaries(ref[k], new[k], f"{path}.{k}")
        return out
    if isinstance(ref, list) and isinstance(new, list) and len(ref) == len(new):
        return [
            p
            for i, (a, b) in enumerate(zip(ref, new, strict=True))
            for p in compare_summaries(a, b, f"{path}[{i}]")
        ]
    return [] if ref == new else [f"{path}: {new!r} != reference {ref!r}"]


def main() -> int:
    """Compare every reference scenario; print the differences; return the exit code."""
    import xarray as xr

    failed = False
    for name in SCENARIOS:
        with xr.open_dataset(REFERENCE_DIR / f"{name}.nc", engine="h5netcdf") as ds:
            ref_ds = ds.load()
        ref_summary = json.loads((REFERENCE_DIR / f"{name}.summary.json").read_text("utf-8"))
        new_ds, new_summary = reference_results(HERE, name)
        problems = compare_datasets(ref_ds, new_ds) + compare_summaries(ref_summary, new_summary)
        n_vars = len(ref_ds.data_vars)
        if problems:
            failed = True
            print(f"{name}: {len(problems)} differences from the reference")
            for line in problems:
                print(f"  {line}")
        else:
            print(f"{name}: {n_vars} data variables equal to {RTOL:g} relative; summary.json equal")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
