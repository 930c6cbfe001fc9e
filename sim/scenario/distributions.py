"""Uncertain inputs: a number, or a distribution drawn from the run's seeded stream.

A scenario writes an uncertain quantity as a plain number (known) or as a mapping::

    compliance: {dist: triangular, low: 0.6, mode: 0.8, high: 0.95, source: "assumed: ..."}

Supported: ``fixed`` (value), ``uniform`` (low, high), ``triangular`` (low, mode, high),
``normal`` (mean, sd; optional low/high truncation by clipping), ``lognormal`` (median, sigma),
``beta`` (a, b; optional low/high rescaling).
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BeforeValidator, Field, model_validator

from sim.scenario.base import Section
from sim.scenario.quantity import is_sourced_mapping

__all__ = ["Distribution", "Uncertain", "draw", "expected"]


class Distribution(Section):
    """A probability distribution for an uncertain input."""

    dist: Literal["fixed", "uniform", "triangular", "normal", "lognormal", "beta"] = Field(
        description="Family of the distribution."
    )
    value: float | None = Field(None, description="fixed: the value.")
    low: float | None = Field(
        None, description="uniform/triangular: lower bound; normal/beta: clip or rescale."
    )
    mode: float | None = Field(None, description="triangular: the most likely value.")
    high: float | None = Field(
        None, description="uniform/triangular: upper bound; normal/beta: clip or rescale."
    )
    mean: float | None = Field(None, description="normal: mean.")
    sd: float | None = Field(None, ge=0, description="normal: standard deviation.")
    median: float | None = Field(None, gt=0, description="lognormal: median.")
    sigma: float | None = Field(None, ge=0, description="lognormal: sd of the log.")
    a: float | None = Field(None, gt=0, description="beta: first shape parameter.")
    b: float | None = Field(None, gt=0, description="beta: second shape parameter.")
    unit: str | None = Field(None, description="Unit of the drawn value (informative).")
    source: str | None = Field(
        None, description="Where the distribution comes from, or 'assumed: ...'."
    )

    @model_validator(mode="after")
    def _complete(self) -> Distribution:
        need = {
            "fixed": ("value",),
            "uniform": ("low", "high"),
            "triangular": ("low", "mode", "high"),
            "normal": ("mean", "sd"),
            "lognormal": ("median", "sigma"),
            "beta": ("a", "b"),
        }[self.dist]
        missing = [k for k in need if getattr(self, k) is None]
        if missing:
            raise ValueError(f"{self.dist} distribution needs {', '.join(missing)}")
        if self.dist in ("uniform", "triangular") and _f(self.low) > _f(self.high):
            raise ValueError(f"low (={self.low}) must be <= high (={self.high})")
        if self.dist == "triangular" and not _f(self.low) <= _f(self.mode) <= _f(self.high):
            raise ValueError(f"mode (={self.mode}) must lie within [low, high]")
        return self


def _unwrap_sourced(raw: object) -> object:
    """``{value, unit, source}`` (a known number with provenance) -> its value."""
    if is_sourced_mapping(raw):
        assert isinstance(raw, dict)
        return raw["value"]
    return raw


#: A known number (plain or ``{value, unit, source}``) or a distribution.
Uncertain = Annotated[
    float | Distribution, Field(union_mode="left_to_right"), BeforeValidator(_unwrap_sourced)
]


def _f(value: float | None) -> float:
    assert value is not None  # guaranteed by Distribution's validator
    return float(value)


def expected(x: float | Distribution) -> float:
    """The analytic mean of ``x`` (before clipping, for a clipped normal)."""
    if not isinstance(x, Distribution):
        return float(x)
    d = x
    if d.dist == "fixed":
        return _f(d.value)
    if d.dist == "uniform":
        return (_f(d.low) + _f(d.high)) / 2
    if d.dist == "triangular":
        return (_f(d.low) + _f(d.mode) + _f(d.high)) / 3
    if d.dist == "normal":
        return _f(d.mean)
    if d.dist == "lognormal":
        return _f(d.median) * math.exp(_f(d.sigma) ** 2 / 2)
    lo, hi = (d.low or 0.0), (1.0 if d.high is None else d.high)
    return lo + (hi - lo) * _f(d.a) / (_f(d.a) + _f(d.b))


def draw(
    x: float | Distribution, rng: np.random.Generator, size: int | None = None
) -> float | NDArray[np.float64]:
    """Draw ``x``; a plain number is returned as it is, without consuming random numbers."""
    if not isinstance(x, Distribution):
        return float(x) if size is None else np.full(size, float(x))
    d = x
    if d.dist == "fixed":
        out = np.full(size or 1, _f(d.value))
    elif d.dist == "uniform":
        out = rng.uniform(_f(d.low), _f(d.high), size or 1)
    elif d.dist == "triangular":
        lo, mode, hi = _f(d.low), _f(d.mode), _f(d.high)
        out = np.full(size or 1, lo) if lo == hi else rng.triangular(lo, mode, hi, size or 1)
    elif d.dist == "normal":
        out = rng.normal(_f(d.mean), _f(d.sd), size or 1)
        if d.low is not None or d.high is not None:
            out = np.clip(out, d.low, d.high)
    elif d.dist == "lognormal":
        out = _f(d.median) * np.exp(rng.normal(0.0, _f(d.sigma), size or 1))
    else:
        lo, hi = (d.low or 0.0), (1.0 if d.high is None else d.high)
        out = lo + (hi - lo) * rng.beta(_f(d.a), _f(d.b), size or 1)
    arr = np.asarray(out, dtype=np.float64)
    return float(arr[0]) if size is None else arr
