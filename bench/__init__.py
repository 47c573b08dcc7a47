"""Benchmarks of the kit: `python -m bench` measures the mock's throughput (see bench.run)."""
