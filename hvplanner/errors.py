"""Errors that reach the user as one clear line (the CLI exits 2 on them)."""

# Echoed user text (an id, a path, a cell) is cut to this many characters in messages, and
# a message lists at most this many problems before giving the count of the rest.
ECHO_CHARS = 80
LISTED_PROBLEMS = 10


def echo(text: object, limit: int = ECHO_CHARS) -> str:
    """`text` as it may appear in a message: printable characters only, cut to `limit`."""
    s = str(text)
    shown = "".join(c if c.isprintable() else "\N{REPLACEMENT CHARACTER}" for c in s[:limit])
    return f"{shown}… ({len(s):,} characters)" if len(s) > limit else shown


def quoted(text: object, limit: int = ECHO_CHARS) -> str:
    """`echo` in quotes, as ids are shown in messages."""
    return f"'{echo(text, limit)}'"


def capped(problems: list[str], limit: int = LISTED_PROBLEMS) -> str:
    """The first `limit` problems joined with '; ', then how many more there are."""
    more = len(problems) - limit
    shown = problems[:limit] + ([f"and {more:,} more"] if more > 0 else [])
    return "; ".join(shown)


class InputError(Exception):
    """Bad input from the user: a field, an argument or a file. The message names it."""


class PlanLoadError(InputError):
    """A plan file that cannot be read; the message names the file and the field or line."""


class CatalogError(Exception):
    """A catalog data file that does not validate: a defect of the installation."""


class UnknownHypervisorError(InputError):
    """A hypervisor key that the catalog does not hold."""


class PlacementInputError(InputError):
    """A plan that no placement can satisfy; the message names the VM, host or group."""
