"""Utilization time series of a placed plan, and the host-failure what-if."""
