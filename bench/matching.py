"""Benchmark of the matching engine on synthetic data (no database): not a test.

    .venv/bin/python bench/matching.py [--repeat 7]

Prints, for 10,000 open applications and 2,000 spaces: ranking every application for one
space, ranking every space for one application, and the optimal plan for 1,000 × 1,000,
each as median, 90th percentile and worst of the runs, and its ratio to the target
(ranking 0.5 s, plan 5 s on a 2-core machine). Timings depend on the machine's load.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from spaces.matching import Busy, Need, SpaceFacts, plan, rank_needs, rank_spaces, score_matrix  # noqa: E402

FAMILIES = ["textiles", "leather", "wood", "metal-jewellery", "pottery-ceramics"]
START = date(2027, 1, 4)


def synthetic_spaces(rng, count):
    return [
        SpaceFacts(
            id=i,
            status=rng.choice(["available", "available", "occupied"]),
            commune_id=rng.randint(1, 53),
            province_id=rng.randint(1, 4),
            lat=rng.uniform(27.2, 29.7),
            lng=rng.uniform(-11.5, -8.9),
            capacity=rng.randint(10, 80),
            floor_area=rng.randint(40, 400),
            condition=rng.choice(["ready", "minor_works", "major_works"]),
            utilities=rng.randint(0, 31),
            crafts=frozenset(rng.sample(range(1, 55), rng.randint(0, 4))),
            families=frozenset(rng.sample(FAMILIES, rng.randint(0, 2))),
            busy=tuple(
                Busy(
                    START + timedelta(days=d), START + timedelta(days=d + 180), rng.randint(1, 127)
                )
                for d in rng.sample(range(0, 300), rng.randint(0, 2))
            ),
        )
        for i in range(count)
    ]


def synthetic_needs(rng, count):
    needs = []
    for i in range(count):
        craft = rng.randint(1, 54)
        start = START + timedelta(days=rng.randint(0, 300))
        needs.append(
            Need(
                id=i,
                commune_id=rng.choice([None, rng.randint(1, 53)]),
                province_id=rng.randint(1, 4),
                lat=rng.uniform(27.2, 29.7),
                lng=rng.uniform(-11.5, -8.9),
                craft_id=craft,
                family=FAMILIES[craft % len(FAMILIES)],
                headcount=rng.randint(5, 40),
                starts_on=start,
                ends_on=start + timedelta(days=365),
                weekdays=rng.randint(1, 127),
                utilities=rng.randint(0, 31),
                women_led=rng.random() < 0.6,
                endangered=rng.random() < 0.3,
            )
        )
    return needs


def measure(label, target, function, repeat):
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    times.sort()
    median = statistics.median(times)
    p90 = times[min(len(times) - 1, round(0.9 * (len(times) - 1)))]
    print(
        f"{label:<48} median {median:7.3f} s   p90 {p90:7.3f} s   worst {times[-1]:7.3f} s"
        f"   median/target {median / target:5.2f}"
    )
    return median


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    spaces = synthetic_spaces(rng, 2000)
    needs = synthetic_needs(rng, 10_000)
    print(f"{len(needs)} applications, {len(spaces)} spaces; {args.repeat} runs each")
    measure(
        "rank 10,000 applications for one space",
        0.5,
        lambda: rank_needs(spaces[0], needs),
        args.repeat,
    )
    measure(
        "rank 2,000 spaces for one application",
        0.5,
        lambda: rank_spaces(needs[0], spaces),
        args.repeat,
    )

    def optimal_plan():
        return plan(score_matrix(spaces[:1000], needs[:1000]))

    measure("optimal plan, 1,000 applications x 1,000 spaces", 5.0, optimal_plan, args.repeat)
    pairs = optimal_plan()
    print(f"the plan assigns {len(pairs)} pairs, total score {sum(s for *_, s in pairs):,.1f}")


if __name__ == "__main__":
    main()
