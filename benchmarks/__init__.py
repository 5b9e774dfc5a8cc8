"""Benchmarks kept in the repo; each prints JSON and writes it under benchmarks/results/."""
