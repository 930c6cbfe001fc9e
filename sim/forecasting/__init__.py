"""Re-forecast the year from observed air data and the measures' progress (``sim forecast``).

:func:`forecast` (also ``sim.forecast``) runs the scenario's year as an ensemble, puts the observed
days in place of the modelled ones and conditions the rest of the year on the anomaly observed so
far; :mod:`sim.forecasting.output` writes forecast.json, forecast.csv and the fan chart. The method
and its validation are in docs/forecast.md.
"""

from __future__ import annotations

from sim.forecasting.observed import Observations, read_observations
from sim.forecasting.run import Forecast, forecast

__all__ = ["Forecast", "Observations", "forecast", "read_observations"]
