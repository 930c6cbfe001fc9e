"""Commands beyond run/validate/schema, one module each, imported only when invoked.

A module ``sim.commands.<name>`` defines ``command``, a click command or group, that is thin: it
parses, calls the API, prints, and raises SimErrors (use ``sim.cli.guarded`` and ``verbosity``).
"""
