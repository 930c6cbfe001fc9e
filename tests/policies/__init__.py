"""Tests of the measure families (helpers: tests/_support/scenarios.py).

The re-export below is a transition for branches written before the helpers moved (other issues'
tests may still write ``from policies import tiny_scenario``); new tests import ``_support``.
The integrator removes it once no test uses it.
"""

from _support.scenarios import FLAT, TINY_INDUSTRY, TINY_MOBILE, tiny_scenario, totals

__all__ = ["FLAT", "TINY_INDUSTRY", "TINY_MOBILE", "tiny_scenario", "totals"]
