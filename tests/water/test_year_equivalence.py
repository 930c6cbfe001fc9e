"""The water year against the stored outcome of the code before it was made faster (issue 13.6).

``year_reference.json`` holds fingerprints (``_year_fingerprint.py``) of the water outcome of the
baseline year (seeds 42 and 7) and of plan2024 with its run without measures, produced by the
water code of commit 4c0eef8: the summary (COD, NH3-N and the plant's bypass to the rivers, CSO
days, events and volume, section classes, black-odorous days, margins, the reduction by the
water measures), the daily GB 3838 classes and grades, and per column of every daily float
variable its annual sum, an order-sensitive weighted sum and its maximum. The faster code gave
the same numbers to 1e-9 relative and the same classes (branch ``waterspeed``, commit 6ecda21).
Air part 2 then changed the synthetic weather (stagnation episodes), which changes every water
year's inputs; the fingerprints were regenerated once then with the same water code (commit
after the merge of both), and now guard that water code against unintended change.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from water._year_fingerprint import CASES, REFERENCE, case_outcome, fingerprint

RTOL = 1e-9


def _close(a: Any, b: Any, path: str, atol: float) -> list[str]:
    """Differences between two JSON-like trees (floats to RTOL, rounded summary figures to the
    last printed digit, everything else exactly)."""
    if isinstance(b, dict):
        assert isinstance(a, dict), path
        assert a.keys() == b.keys(), path
        return [m for k in b for m in _close(a[k], b[k], f"{path}.{k}", atol)]
    if isinstance(b, list):
        assert isinstance(a, list), path
        assert len(a) == len(b), path
        scale = max((abs(x) for x in b if isinstance(x, float)), default=0.0)
        return [m for i, (x, y) in enumerate(zip(a, b, strict=True))
                for m in _close(x, y, f"{path}[{i}]", max(atol, RTOL * scale))]  # fmt: skip
    if isinstance(b, float) and not isinstance(a, bool):
        if math.isclose(a, b, rel_tol=RTOL, abs_tol=atol):
            return []
        return [f"{path}: {a!r} != {b!r}"]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


@pytest.mark.parametrize(("name", "scenario", "seed"), CASES, ids=[c[0] for c in CASES])
def test_water_year_equals_the_stored_outcome_of_the_verified_code(
    name: str, scenario: str, seed: int | None
) -> None:
    ref = json.loads(REFERENCE.read_text())[name]
    got = json.loads(json.dumps(fingerprint(case_outcome(scenario, seed))))
    # summary figures are rounded to 4 decimals (1 for volumes): one unit of the last digit
    problems = _close(got["summary"], ref["summary"], "summary", 1e-4)
    problems += _close({k: v for k, v in got.items() if k != "summary"},
                       {k: v for k, v in ref.items() if k != "summary"}, name, 0.0)  # fmt: skip
    assert not problems, "\n".join(problems[:20])
