"""What the benchmarks share: the checkout and the bundled seed's key (common), BENCHMARKS.md's
writer and tables (report), starting servers (servers, bare_app) and driving wrk (wrk).

Importing any of it runs nothing: what needs git or a file is a function, asked when a
benchmark runs.
"""
