"""The placement's default time limit, in a module of its own so that a command's
`--help` can show it without loading the engine (NumPy, HiGHS)."""

DEFAULT_TIME_LIMIT = 10.0
