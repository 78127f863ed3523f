"""Benchmarks: a synthetic lineage-graph generator and a pluggable harness.

Run them with ``python -m bench.run``; see README.md, "The benchmark harness".
"""
