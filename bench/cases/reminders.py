"""One reminder scan over 10,000 due objects (``bench_reminders``'s measurement)."""

from bench.management.commands import bench_reminders

from .results import Row

GROUP = "reminders"


def run(*, runs: int, objects: int = 10_000) -> list[Row]:
    r = bench_reminders.measure(runs=runs, objects=objects)
    return [
        Row(
            group=GROUP,
            case=f"reminder scan, {r['objects']:,} due objects",
            median_ms=r["median_s"] * 1000,
            p95_ms=r["p95_s"] * 1000,
            queries=r["queries"],
            measured=f"{r['recorded']:,} reminders, {r['batches']} batches",
            target=f"median ≤{r['target_s']:g} s",
            passed=r["median_s"] <= r["target_s"],
        )
    ]
