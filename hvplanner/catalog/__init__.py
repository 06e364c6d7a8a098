"""The hypervisor catalog: data files under resources/hypervisors, validated at load."""

from hvplanner.catalog.loader import Catalog, load_catalog

__all__ = ["Catalog", "load_catalog"]
