"""``sim optimise``: the least-cost bundle meeting targets with a chosen probability.

Python::

    from sim.optimise import load_optimisation, optimise
    spec = load_optimisation("optimise/pm25_goodays_80.yaml", ["search.evaluations=60"])
    report = optimise(spec, "outputs/optimise/pm25_goodays_80", workers=2)
    print("\\n".join(report.lines))

See ``docs/optimise.md``.
"""

from __future__ import annotations

from sim.optimise.run import OptimiseReport, optimise
from sim.optimise.spec import OptimiseSpec, load_optimisation

__all__ = ["OptimiseReport", "OptimiseSpec", "load_optimisation", "optimise"]
