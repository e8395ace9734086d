"""The matching engine on plain data: components, hard constraints, the bulk path, the plan."""

import itertools
import random
from datetime import date, timedelta

import numpy as np
import pytest

from spaces.matching import (
    EXCLUDED,
    UTILITY_BITS,
    Busy,
    Need,
    Policy,
    SpaceFacts,
    plan,
    rank_needs,
    rank_spaces,
    score,
    score_matrix,
)

# Fixed dates below: the tests run on this day, whatever the calendar says.
pytestmark = pytest.mark.on_day("2026-12-01")
START = date(2027, 1, 4)
MON_TUE_WED, THU_FRI_SAT = 0b0000111, 0b0111000
WATER, POWER = UTILITY_BITS["has_water"], UTILITY_BITS["has_electricity"]


def space(**changes):
    facts = {
        "id": 1,
        "status": "available",
        "commune_id": 10,
        "province_id": 1,
        "lat": 28.83,
        "lng": -10.09,
        "capacity": 30,
        "floor_area": 120,
        "condition": "ready",
        "utilities": WATER | POWER,
        "crafts": frozenset({5}),
        "families": frozenset({"textiles"}),
    }
    return SpaceFacts(**{**facts, **changes})


def need(**changes):
    facts = {
        "id": 1,
        "commune_id": 10,
        "province_id": 1,
        "lat": 28.83,
        "lng": -10.09,
        "craft_id": 5,
        "family": "textiles",
        "headcount": 20,
        "starts_on": START,
        "ends_on": START + timedelta(days=364),
        "weekdays": MON_TUE_WED,
        "utilities": POWER,
    }
    return Need(**{**facts, **changes})


def test_a_perfect_fit_scores_the_weight_not_spent_on_priorities():
    match = score(space(), need())
    assert match.excluded is None
    assert match.score == pytest.approx(85.0)  # priorities (15 of 100) are not claimed
    assert {c.name: c.value for c in match.components}["priorities"] == 0


def test_priorities_lift_a_women_led_need_for_an_endangered_craft():
    assert score(space(), need(women_led=True, endangered=True)).score == pytest.approx(100.0)


def test_location_prefers_the_same_commune_then_province_then_near():
    same = score(space(), need()).score
    province = score(space(commune_id=11), need()).score
    far = score(space(commune_id=99, province_id=2, lat=29.37, lng=-10.16), need()).score
    very_far = score(space(commune_id=98, province_id=3, lat=35.7, lng=-5.8), need()).score
    assert same > province > far > very_far
    components = {
        c.name: c
        for c in score(
            space(commune_id=99, province_id=2, lat=29.37, lng=-10.16), need()
        ).components
    }
    assert components["location"].reason == "distance"
    assert components["location"].params["km"] == pytest.approx(60, abs=5)


def test_a_need_for_any_commune_of_a_province_is_at_home_anywhere_in_it():
    match = score(space(commune_id=11), need(commune_id=None))
    assert {c.name: c.reason for c in match.components}["location"] == "in_province"


@pytest.mark.parametrize(
    ("space_crafts", "families", "value", "reason"),
    [
        ({5}, {"textiles"}, 1.0, "suits_craft"),
        ({6}, {"textiles"}, 0.6, "suits_family"),
        (set(), set(), 0.3, "crafts_unknown"),
        ({7}, {"leather"}, 0.0, "other_crafts"),
    ],
)
def test_craft_fit(space_crafts, families, value, reason):
    match = score(space(crafts=frozenset(space_crafts), families=frozenset(families)), need())
    craft = next(c for c in match.components if c.name == "craft")
    assert (craft.value, craft.reason) == (value, reason)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"status": "proposed"}, "not_available"),
        ({"status": "rejected"}, "not_available"),
        ({"capacity": 14}, "too_small"),
        ({"floor_area": 19}, "area_too_small"),
        ({"busy": (Busy(START + timedelta(days=100), START + timedelta(days=200), 0b1),)}, "busy"),
    ],
)
def test_hard_constraints_exclude_a_pair_and_say_which(changes, code):
    match = score(space(**changes), need())
    assert (match.excluded, match.score) == (code, 0.0)


def test_a_shared_hall_busy_on_other_days_stays_possible():
    busy = (Busy(START, START + timedelta(days=364), THU_FRI_SAT),)
    assert score(space(busy=busy, status="occupied"), need()).excluded is None


def test_a_need_free_to_choose_its_days_fits_the_free_days_of_a_shared_hall():
    busy = (Busy(START, START + timedelta(days=364), MON_TUE_WED),)
    hall = space(busy=busy, status="occupied")
    assert score(hall, need(weekdays=0, days_per_week=3)).excluded is None
    assert score(hall, need(weekdays=0, days_per_week=4)).excluded is None
    assert score(hall, need(weekdays=0, days_per_week=5)).excluded == "busy"


def test_a_busy_period_that_ended_before_the_need_does_not_count():
    busy = (Busy(START - timedelta(days=400), START - timedelta(days=1), MON_TUE_WED),)
    assert score(space(busy=busy), need()).excluded is None


def test_missing_utilities_are_named():
    match = score(space(utilities=POWER), need(utilities=WATER | POWER))
    utilities = next(c for c in match.components if c.name == "utilities")
    assert (utilities.value, utilities.params["missing"]) == (0.5, ["has_water"])


def test_a_zero_weight_takes_a_component_out():
    policy = Policy(location=0)
    assert score(space(commune_id=99, province_id=2), need(), policy).score == pytest.approx(
        score(space(), need(), policy).score
    )


def test_ranking_spaces_puts_the_excluded_last():
    spaces = [space(id=1, capacity=5), space(id=2, commune_id=11), space(id=3)]
    assert [(m.space_id, m.excluded) for m in rank_spaces(need(), spaces)] == [
        (3, None),
        (2, None),
        (1, "too_small"),
    ]


def test_ranking_needs_for_a_space_orders_by_score():
    needs = [need(id=1, commune_id=11), need(id=2, women_led=True), need(id=3, headcount=100)]
    assert [m.need_id for m in rank_needs(space(), needs)] == [2, 1, 3]


def random_space(rng, i):
    return SpaceFacts(
        id=i,
        status=rng.choice(["available", "available", "occupied", "proposed"]),
        commune_id=rng.randint(1, 6),
        province_id=rng.randint(1, 3),
        lat=rng.uniform(27, 30),
        lng=rng.uniform(-12, -8),
        capacity=rng.randint(5, 80),
        floor_area=rng.randint(20, 400),
        condition=rng.choice(["ready", "minor_works", "major_works"]),
        utilities=rng.randint(0, 31),
        crafts=frozenset(rng.sample(range(1, 9), rng.randint(0, 3))),
        families=frozenset(rng.sample(["textiles", "leather", "wood"], rng.randint(0, 2))),
        busy=tuple(
            Busy(
                START + timedelta(days=d),
                START + timedelta(days=d + rng.randint(10, 200)),
                rng.randint(1, 127),
            )
            for d in rng.sample(range(0, 300), rng.randint(0, 2))
        ),
    )


def random_need(rng, i):
    start = START + timedelta(days=rng.randint(0, 300))
    return Need(
        id=i,
        commune_id=rng.choice([None, *range(1, 7)]),
        province_id=rng.randint(1, 3),
        lat=rng.uniform(27, 30),
        lng=rng.uniform(-12, -8),
        craft_id=rng.randint(1, 8),
        family=rng.choice(["textiles", "leather", "wood"]),
        headcount=rng.randint(3, 60),
        starts_on=start,
        ends_on=start + timedelta(days=rng.randint(30, 365)),
        weekdays=rng.randint(1, 127),
        utilities=rng.randint(0, 31),
        women_led=rng.random() < 0.5,
        endangered=rng.random() < 0.3,
    )


@pytest.mark.parametrize("seed", range(30))
def test_the_bulk_path_gives_the_same_scores_as_one_by_one(seed):
    rng = random.Random(seed)
    spaces = [random_space(rng, i) for i in range(12)]
    needs = [random_need(rng, i) for i in range(15)]
    matrix = score_matrix(spaces, needs)
    for i, n in enumerate(needs):
        for j, s in enumerate(spaces):
            match = score(s, n)
            expected = EXCLUDED if match.excluded else match.score
            assert matrix[i, j] == pytest.approx(expected, abs=1e-6), (i, j, match.excluded)


def brute_force(matrix, locked=(), excluded=frozenset()):
    """The best total over every way of giving at most one space to each need."""
    n, m = matrix.shape
    locked_rows = {i for i, _ in locked}
    locked_cols = {j for _, j in locked}
    base = sum(matrix[i, j] for i, j in locked)
    rows = [i for i in range(n) if i not in locked_rows]
    cols = [j for j in range(m) if j not in locked_cols]
    best = 0.0
    options = [None, *cols]
    for choice in itertools.product(options, repeat=len(rows)):
        used = [c for c in choice if c is not None]
        if len(used) != len(set(used)):
            continue
        total = 0.0
        for i, c in zip(rows, choice, strict=True):
            if c is None:
                continue
            if matrix[i, c] < 0 or (i, c) in excluded:
                break
            total += matrix[i, c]
        else:
            best = max(best, total)
    return base + best


@pytest.mark.parametrize("seed", range(240))
def test_the_plan_equals_the_brute_force_optimum(seed):
    rng = np.random.default_rng(seed)
    n, m = rng.integers(1, 6), rng.integers(1, 6)
    matrix = np.round(rng.uniform(0, 100, size=(n, m)), 1)
    matrix[rng.random((n, m)) < 0.3] = EXCLUDED
    excluded = {
        (int(i), int(j)) for i, j in zip(*np.nonzero(rng.random((n, m)) < 0.15), strict=True)
    }
    locked = []
    if seed % 3 == 0:
        valid = [
            (i, j)
            for i in range(n)
            for j in range(m)
            if matrix[i, j] >= 0 and (i, j) not in excluded
        ]
        if valid:
            locked = [valid[int(rng.integers(len(valid)))]]
    result = plan(matrix, locked=locked, excluded=excluded)
    assert sum(score for _, _, score in result) == pytest.approx(
        brute_force(matrix, locked, excluded)
    )
    assert len({i for i, _, _ in result}) == len(result) == len({j for _, j, _ in result})
    assert all(
        matrix[i, j] >= 0 and (i, j) not in excluded for i, j, _ in result if (i, j) not in locked
    )
    assert set(locked) <= {(i, j) for i, j, _ in result}


def test_the_plan_is_not_greedy():
    # Greedy would give need 0 its best space (90) and leave need 1 with nothing.
    matrix = np.array([[90.0, 80.0], [85.0, EXCLUDED]])
    assert plan(matrix) == [(0, 1, 80.0), (1, 0, 85.0)]


def test_the_bulk_and_single_paths_agree_at_the_capacity_limit():
    policy = Policy(min_capacity_ratio=1.1)
    hall, group = space(capacity=110, floor_area=1000), need(headcount=100)
    single = score(hall, group, policy)
    bulk = score_matrix([hall], [group], policy)[0, 0]
    assert (single.excluded is None) == (bulk >= 0)


def test_a_space_locked_twice_is_refused():
    with pytest.raises(ValueError):
        plan(np.ones((2, 2)), locked=[(0, 0), (1, 0)])
