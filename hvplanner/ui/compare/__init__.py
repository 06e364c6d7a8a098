"""The hypervisor comparison view."""
