from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark harness (issue 11): `seed_scale`, `bench_fanout`, and the floor page
    (served only with KENDRA_BENCH=1). No models."""

    name = "bench"
    verbose_name = "Benchmarks"
