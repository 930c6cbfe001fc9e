"""The sweep folder: a manifest of runs, one small file per finished run, and the gathered file.

Layout of ``DIR``::

    sweep.json        the sweep (spec, base scenario, hash) and its design (values, unit cube)
    outcomes.json     each outcome's dimensions, coordinates and units (from the pilot run)
    manifest.jsonl    one JSON line per finished attempt: run id, sample, replication, seed,
                      parameters, status (ok | error), attempts, time, worker, error, and the
                      SHA-256 of the run's file (``--resume`` re-runs a file that differs)
    runs/<id>.npz     the outcome values of one finished run
    sweep.nc          gathered: dimension ``run``, parameters as coordinates, outcomes as variables
    analysis/         written by ``sim sweep analyse``

A run's file is written (to a temporary name, then renamed) before its manifest line, and every
manifest line is flushed and fsynced, so a driver killed at any moment loses at most the runs in
flight: ``--resume`` runs exactly those again. The last line of a run wins.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from sim.errors import SweepError
from sim.outfolder import MARKER
from sim.sweep.worker import OutcomeValues

__all__ = ["SweepStore", "read_manifest"]

log = logging.getLogger(__name__)

_TIME_DIMS = frozenset({"time", "month", "day"})


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def read_manifest(path: Path) -> dict[str, dict[str, Any]]:
    """The last record of every run in a manifest (a torn last line is ignored)."""
    records: dict[str, dict[str, Any]] = {}
    if not path.exists():
        return records
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                log.warning("%s: ignoring a torn line (interrupted write)", path)
                continue
            if not isinstance(record, dict) or not isinstance(record.get("run"), str):
                log.warning("%s: ignoring a line without a run id: %.80s", path, line.strip())
                continue
            records[record["run"]] = record
    return records


class SweepStore:
    """A sweep folder, opened for writing (a new sweep or a resumed one) or for reading.

    Parameters
    ----------
    folder
        The sweep folder.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.runs_dir = self.folder / "runs"
        self.manifest_path = self.folder / "manifest.jsonl"
        self._manifest: TextIO | None = None

    # -- creating and resuming ------------------------------------------------------------------
    def create(
        self, meta: dict[str, Any], *, resume: bool = False, overwrite: bool = False
    ) -> set[str]:
        """Create the folder (or check it holds this very sweep) and return the runs done.

        Raises
        ------
        SweepError
            If the folder exists and neither ``resume`` nor ``overwrite`` is given, or if it
            holds a different sweep.
        """
        meta_path = self.folder / "sweep.json"
        if self.folder.is_symlink() or (self.folder.exists() and not self.folder.is_dir()):
            raise SweepError(f"{self.folder}: exists and is not a folder")
        if self.folder.exists() and any(self.folder.iterdir()):
            ours = meta_path.is_file() or (self.folder / MARKER).is_file()
            if not ours:
                raise SweepError(
                    f"{self.folder}: exists and is not a sweep folder (no sweep.json); "
                    "sim replaces or resumes only its own sweep folders"
                )
            if overwrite and not resume:
                shutil.rmtree(self.folder)
            elif not resume:
                raise SweepError(
                    f"{self.folder}: sweep folder exists; use --resume to continue it or "
                    "--overwrite to start again"
                )
            else:
                old = self.meta()
                if old.get("spec_hash") != meta["spec_hash"]:
                    raise SweepError(
                        f"{self.folder}: holds a different sweep (hash {old.get('spec_hash')}, "
                        f"this one {meta['spec_hash']}); use another -o folder"
                    )
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        (self.folder / MARKER).touch()
        if not meta_path.exists():
            self._write_json(meta_path, meta)
        return self.done()

    def done(self) -> set[str]:
        """Ids of runs whose last record is ``ok`` and whose file is intact (its checksum).

        Every other run (missing, errored, corrupt) is run again by ``--resume``.
        """
        done = set()
        for rid, rec in read_manifest(self.manifest_path).items():
            if rec.get("status") != "ok":
                continue
            problem = self.check_run(rid, rec)
            if problem is None:
                done.add(rid)
            else:
                log.warning("%s: %s; it will be run again", rid, problem)
        return done

    def check_run(self, run_id: str, record: dict[str, Any]) -> str | None:
        """None when the run's file is there and matches its checksum, else what is wrong."""
        path = self.runs_dir / f"{run_id}.npz"
        if not path.is_file():
            return "run file missing"
        expected = record.get("sha256")
        if expected is None:
            return None  # a sweep written before checksums: checked when loaded
        if _sha256(path) != expected:
            return "run file corrupt (checksum differs from the manifest)"
        return None

    def _write_json(self, path: Path, data: Any) -> None:
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(
            json.dumps(data, indent=1, ensure_ascii=False, default=_json_default, allow_nan=False),
            encoding="utf-8",
        )
        os.replace(tmp, path)

    def write_outcome_schema(self, schema: dict[str, Any]) -> None:
        """Record each outcome's dimensions, coordinates and units (once, from the pilot)."""
        path = self.folder / "outcomes.json"
        if not path.exists():
            self._write_json(path, schema)

    # -- streaming --------------------------------------------------------------------------------
    def _append(self, record: dict[str, Any]) -> None:
        if self._manifest is None:
            self._manifest = self.manifest_path.open("a", encoding="utf-8")
        self._manifest.write(json.dumps(record, default=_json_default, allow_nan=False) + "\n")
        self._manifest.flush()
        os.fsync(self._manifest.fileno())

    def write_run(self, record: dict[str, Any], outcomes: OutcomeValues) -> None:
        """Write a finished run's file, then its manifest line (status ``ok``)."""
        rid = record["run"]
        tmp = self.runs_dir / f".{rid}.tmp.npz"
        arrays: dict[str, Any] = {name: arr for name, (arr, _, _) in outcomes.items()}
        np.savez(tmp, **arrays)
        digest = _sha256(tmp)
        os.replace(tmp, self.runs_dir / f"{rid}.npz")
        self._append({**record, "status": "ok", "sha256": digest, "finished": _now()})

    def write_failure(self, record: dict[str, Any], error: str) -> None:
        """Record a failed run (status ``error``) with its error text."""
        self._append({**record, "status": "error", "error": error, "finished": _now()})

    def close(self) -> None:
        """Close the manifest."""
        if self._manifest is not None:
            self._manifest.close()
            self._manifest = None

    # -- reading ----------------------------------------------------------------------------------
    def meta(self) -> dict[str, Any]:
        """The sweep's ``sweep.json``."""
        return self._read_json("sweep.json", "not a sweep folder (no sweep.json)")

    def _read_json(self, name: str, missing: str) -> dict[str, Any]:
        path = self.folder / name
        if not path.is_file():
            raise SweepError(f"{self.folder}: {missing}")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SweepError(f"{path}: corrupt ({type(exc).__name__}); cannot continue") from None
        if not isinstance(data, dict):
            raise SweepError(f"{path}: corrupt (not a JSON object); cannot continue")
        return data

    def outcome_schema(self) -> dict[str, Any]:
        """The contents of ``outcomes.json``."""
        return self._read_json("outcomes.json", "no outcomes.json (no run finished yet)")

    def iter_runs(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """(run id, last manifest record) of every recorded run."""
        yield from read_manifest(self.manifest_path).items()

    def load_run(self, run_id: str) -> dict[str, np.ndarray]:
        """The outcome arrays of one finished run."""
        with np.load(self.runs_dir / f"{run_id}.npz") as data:
            return {k: data[k] for k in data.files}

    def gather(self) -> Path:
        """Write ``sweep.nc``: dimension ``run``; parameters as coordinates; outcomes as variables.

        Runs are in run order whatever the order they finished in; a run not (yet) finished has
        NaN outcomes and status ``pending``, ``error`` or ``corrupt``.

        Raises
        ------
        SweepError
            After writing ``sweep.nc`` with every good run, when some run files are corrupt
            (named by id; ``--resume`` runs them again).
        """
        meta = self.meta()
        schema = self.outcome_schema()
        design = meta["design"]
        n_runs = len(design["unit"]) * int(design["replications"])
        run_ids = [f"r{i:06d}" for i in range(n_runs)]
        status, arrays = self._collect(run_ids, schema)
        ds = _dataset(meta, schema, run_ids, status, arrays)
        out = self.folder / "sweep.nc"
        tmp = self.folder / ".sweep.nc.tmp"
        ds.to_netcdf(tmp, engine="h5netcdf")
        os.replace(tmp, out)
        corrupt = [rid for rid, st in zip(run_ids, status, strict=True) if st == "corrupt"]
        if corrupt:
            shown = ", ".join(corrupt[:20]) + (" ..." if len(corrupt) > 20 else "")
            raise SweepError(
                f"{self.folder}: {len(corrupt)} corrupt run files ({shown}); sweep.nc holds "
                f"the {int((status == 'ok').sum())} good runs; `--resume` runs them again"
            )
        return out

    def _collect(
        self, run_ids: list[str], schema: dict[str, Any]
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Status and outcome arrays of every run (NaN where not ok)."""
        n_runs = len(run_ids)
        status = np.full(n_runs, "pending", dtype=object)
        arrays = {
            name: np.full((n_runs, *[len(s["coords"][d]) for d in s["dims"]]), np.nan)
            for name, s in schema.items()
        }
        position = {rid: i for i, rid in enumerate(run_ids)}
        for rid, rec in self.iter_runs():
            i = position.get(rid)
            if i is None:
                continue
            status[i] = rec.get("status", "error") if rec.get("status") == "ok" else "error"
            if status[i] != "ok":
                continue
            values, problem = self._load_checked(rid, rec, arrays)
            if problem is not None:
                log.warning("%s: %s", rid, problem)
                status[i] = "corrupt"
                continue
            for name, arr in arrays.items():
                arr[i] = values[name]
        return status, arrays

    def _load_checked(
        self, rid: str, rec: dict[str, Any], arrays: dict[str, np.ndarray]
    ) -> tuple[dict[str, np.ndarray], str | None]:
        problem = self.check_run(rid, rec)
        if problem is not None:
            return {}, problem
        try:
            values = self.load_run(rid)
        except Exception as exc:  # a damaged zip/npy raises many kinds
            return {}, f"run file unreadable ({type(exc).__name__})"
        for name, arr in arrays.items():
            if name not in values:
                return {}, f"run file lacks outcome {name!r}"
            if values[name].shape != arr.shape[1:]:
                return {}, f"outcome {name} has shape {values[name].shape}, not {arr.shape[1:]}"
        return values, None


def _dataset(
    meta: dict[str, Any],
    schema: dict[str, Any],
    run_ids: list[str],
    status: np.ndarray,
    arrays: dict[str, np.ndarray],
) -> Any:
    """The gathered Dataset of a sweep."""
    import xarray as xr

    design = meta["design"]
    coords, sample = _coords(meta, run_ids, status)
    unit = np.asarray(design["unit"], dtype=np.float64)
    data_vars: dict[str, Any] = {
        "design_unit": (
            ("run", "parameter"),
            unit[sample],
            {"units": "1", "long_name": "design point in the unit cube"},
        )
    }
    for name, s in schema.items():
        dims = tuple(s["dims"])
        for d in dims:
            if d not in coords:
                coords[d] = (d, _labels(d, s["coords"][d]), {"long_name": d})
        data_vars[name] = (
            ("run", *dims),
            arrays[name],
            {"units": s.get("units", ""), "long_name": s.get("long_name", name)},
        )
    ds = xr.Dataset(data_vars, coords=coords)
    ds.attrs = {
        "Conventions": "CF-1.8",
        "title": f"sim sweep {meta['name']}",
        "sweep_name": meta["name"],
        "sweep_hash": meta["spec_hash"],
        "design_method": design["method"],
        "design_seed": int(design["seed"]),
        "replications": int(design["replications"]),
        "levers": " ".join(meta["levers"]),
        "uncertainties": " ".join(meta["uncertainties"]),
        "sweep_spec": json.dumps(meta["spec"], default=str),
        "sim_version": meta.get("sim_version", ""),
    }
    return ds


def _coords(
    meta: dict[str, Any], run_ids: list[str], status: np.ndarray
) -> tuple[dict[str, Any], np.ndarray]:
    """Coordinates along ``run`` (sample, replication, seed, status, parameter values)."""
    design = meta["design"]
    reps = int(design["replications"])
    names: list[str] = design["names"]
    n_runs = len(run_ids)
    sample = np.arange(n_runs) // reps
    coords: dict[str, Any] = {
        "run": ("run", run_ids, {"long_name": "run identifier"}),
        "sample": ("run", sample, {"long_name": "design sample"}),
        "replication": ("run", np.arange(n_runs) % reps, {"long_name": "weather replication"}),
        "seed": ("run", np.asarray(meta["seeds"], dtype=np.int64), {"long_name": "root seed"}),
        "status": ("run", status.astype(str), {"long_name": "ok, error, corrupt or pending"}),
        "parameter": ("parameter", names, {"long_name": "varied input"}),
    }
    kinds = dict(zip(names, design["kinds"], strict=True))
    for name, key in zip(names, design["keys"], strict=True):
        vals = np.asarray(design["values"][name])[sample]
        if kinds[name] != "text":
            vals = vals.astype(np.float64)
        role = "lever" if name in meta["levers"] else "uncertainty"
        coords[name] = ("run", vals, {"long_name": key, "role": role})
    return coords, sample


def _labels(dim: str, labels: list[str]) -> Any:
    if dim in _TIME_DIMS:
        try:
            return np.asarray(labels, dtype="datetime64[ns]")
        except ValueError:
            pass
    return np.asarray(labels)


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
