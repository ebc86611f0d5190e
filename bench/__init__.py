"""The benchmark: a synthetic national-scale graph generator and engines measured side by side.

`python -m bench.generate` writes a graph; `python -m bench.run` (what `make bench` runs)
measures loading, reasoning and the named queries on it. Output goes to `bench/out/`.
"""
