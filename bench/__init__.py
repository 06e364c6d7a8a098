"""Benchmarks: each module prints its figures and appends them to bench/RESULTS.md."""
