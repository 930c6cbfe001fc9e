"""Imported by the forkserver (a preload module): the forkserver exits when its driver dies.

The driver names itself in ``SIM_FORKSERVER_DRIVER`` while it starts the forkserver (and restores
its environment right after); imported anywhere else this module does nothing.
"""

from __future__ import annotations

import os

from sim.watchdog import install

#: Environment variable holding the driver's pid while the forkserver starts.
DRIVER_VAR = "SIM_FORKSERVER_DRIVER"

if os.environ.get(DRIVER_VAR) == str(os.getppid()):
    install()
