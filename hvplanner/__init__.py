"""hvplanner: plan virtualization hosts, placements and hypervisor choices."""

__version__ = "0.1.0"
