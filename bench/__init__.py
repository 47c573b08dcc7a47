"""Benchmarks of the kit, one driver per make target (`python -m bench` is bench.throughput);
what they share is in bench.lib."""
