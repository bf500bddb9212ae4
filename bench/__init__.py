"""Benchmarks, run by hand (`make bench`); results go in the README."""
