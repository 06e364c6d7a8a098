"""The placement's default time limit, in a module of its own so that a command's
`--help` can show it without loading the engine (NumPy, HiGHS).

The work budgets (`engine.placement.budget`) are set for this limit; the limit itself is
a wall-clock safety net that a default run should never reach, even at 300,000 VMs on a
busy 2-core machine, so that the answer does not depend on the machine's load.
"""

DEFAULT_TIME_LIMIT = 30.0
