"""Errors that reach the user as one clear line (the CLI exits 2 on them)."""


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
