"""The matching engine: how well a space suits a need, and the best plan for many of them.

Pure functions over plain data (no database, no web, no cooperatives): callers turn spaces,
applications or cohorts into `SpaceFacts` and `Need`, and get back scores from 0 to 100 with
the part each component played, or the hard constraint that excluded the pair. Explanations
are codes with numbers; `spaces/explanations.py` words them in the reader's language.

Two paths give the same numbers: `score()` for one pair with its explanation, and
`score_matrix()` (NumPy) for thousands of pairs at once; a test holds them equal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy.optimize import linear_sum_assignment

EARTH_RADIUS_KM = 6371.0
UTILITY_BITS = {
    "has_electricity": 1,
    "has_water": 2,
    "has_sanitation": 4,
    "has_internet": 8,
    "step_free_access": 16,
}
READINESS = {"ready": 1.0, "minor_works": 0.6, "major_works": 0.2}
# What a craft family needs of a building (a policy default, documented in the README).
FAMILY_UTILITIES = {
    "textiles": UTILITY_BITS["has_electricity"],
    "pottery-ceramics": UTILITY_BITS["has_water"] | UTILITY_BITS["has_electricity"],
    "wood": UTILITY_BITS["has_electricity"],
    "leather": UTILITY_BITS["has_water"] | UTILITY_BITS["has_electricity"],
    "metal-jewellery": UTILITY_BITS["has_electricity"],
    "basketry-plant-fibres": 0,
    "stone-plaster-earth": UTILITY_BITS["has_water"],
    "musical-instruments": UTILITY_BITS["has_electricity"],
    "food-related": UTILITY_BITS["has_water"]
    | UTILITY_BITS["has_electricity"]
    | UTILITY_BITS["has_sanitation"],
    "other": 0,
}
GROUP_NEEDING_TOILETS = 10  # from this many people, toilets are needed whatever the craft


def utilities_needed(family: str, headcount: int) -> int:
    bits = FAMILY_UTILITIES.get(family, 0)
    if headcount >= GROUP_NEEDING_TOILETS:
        bits |= UTILITY_BITS["has_sanitation"]
    return bits


ELIGIBLE_STATUSES = frozenset({"available", "occupied"})  # shared halls: free days still count
EXCLUDED = -1.0  # in a score matrix: the pair is not possible


# The policy's weights, one per component of a score, in the order pages explain them.
WEIGHTS = ("location", "craft", "capacity", "utilities", "readiness", "priorities")


@dataclass(frozen=True)
class Policy:
    """Weights of the components (any positive numbers; the score is their weighted mean
    scaled to 100) and the thresholds of the hard constraints. Staff change them in the admin
    (spaces.MatchingPolicy); these defaults are documented in the README."""

    location: float = 25
    craft: float = 20
    capacity: float = 15
    utilities: float = 15
    readiness: float = 10
    priorities: float = 15
    min_capacity_ratio: float = 0.75  # seats below 75% of the people: excluded
    min_area_per_person: float = 1.0  # m² per person below this: excluded
    distance_horizon_km: float = 250.0  # beyond it, location counts for nothing

    @property
    def total(self) -> float:
        return sum(getattr(self, name) for name in WEIGHTS)


@dataclass(frozen=True)
class Busy:
    """A period during which some weekdays of a space are taken (an active allocation)."""

    starts_on: date
    ends_on: date
    weekdays: int  # bit 0 = Monday … bit 6 = Sunday


@dataclass(frozen=True)
class SpaceFacts:
    id: int
    status: str
    commune_id: int
    province_id: int
    lat: float
    lng: float
    capacity: int
    floor_area: int
    condition: str
    utilities: int = 0  # bits of UTILITY_BITS
    crafts: frozenset[int] = frozenset()
    families: frozenset[str] = frozenset()
    busy: tuple[Busy, ...] = ()


@dataclass(frozen=True)
class Need:
    """What an activity needs: where (a commune, or any commune of a province), which craft,
    how many people, which utilities, when, and the policy priorities it carries."""

    id: int
    province_id: int
    lat: float
    lng: float
    craft_id: int
    family: str
    headcount: int
    starts_on: date
    ends_on: date
    weekdays: int = 0  # fixed days (bits), or 0: any `days_per_week` days that are free
    days_per_week: int = 1
    commune_id: int | None = None  # None: any commune of the province
    utilities: int = 0
    women_led: bool = False
    endangered: bool = False


@dataclass(frozen=True)
class Component:
    name: str  # location, craft, capacity, utilities, readiness, priorities
    value: float  # 0 to 1
    weight: float
    reason: str  # a code, worded by spaces/explanations.py
    params: dict = field(default_factory=dict)

    @property
    def points(self) -> float:
        """What this component adds to the score out of 100 (given the policy's total)."""
        return self.value * self.weight


@dataclass(frozen=True)
class Match:
    space_id: int
    need_id: int
    score: float  # 0 to 100; 0 when excluded
    excluded: str | None = None  # the hard constraint's code
    params: dict = field(default_factory=dict)
    components: tuple[Component, ...] = ()


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def during(busy: Busy, need: Need) -> bool:
    return busy.starts_on <= need.ends_on and need.starts_on <= busy.ends_on


def has_room(taken: int, need: Need) -> bool:
    """Whether a shared hall, with these weekdays already taken in the period, can host the
    need: on its fixed days, or on enough free days of its choosing."""
    if need.weekdays:
        return not taken & need.weekdays
    return 7 - bin(taken & 0b1111111).count("1") >= need.days_per_week


def _exclusion(space: SpaceFacts, need: Need, policy: Policy) -> tuple[str, dict] | None:
    if space.status not in ELIGIBLE_STATUSES:
        return "not_available", {}
    clashes = [busy for busy in space.busy if during(busy, need)]
    taken = 0
    for busy in clashes:
        taken |= busy.weekdays
    if not has_room(taken, need):
        return "busy", {"starts_on": clashes[0].starts_on, "ends_on": clashes[0].ends_on}
    if space.capacity < policy.min_capacity_ratio * need.headcount:
        return "too_small", {"capacity": space.capacity, "headcount": need.headcount}
    if space.floor_area < policy.min_area_per_person * need.headcount:
        return "area_too_small", {"area": space.floor_area, "headcount": need.headcount}
    return None


def _location(space: SpaceFacts, need: Need) -> tuple[float, str, dict]:
    if need.commune_id is not None and space.commune_id == need.commune_id:
        return 1.0, "same_commune", {}
    if space.province_id == need.province_id:
        return (1.0, "in_province", {}) if need.commune_id is None else (0.7, "same_province", {})
    return -1.0, "distance", {}  # worked out by the caller, who knows the horizon


def _capacity_value(capacity: int, headcount: int) -> float:
    ratio = capacity / headcount
    if ratio < 1:
        return ratio
    if ratio <= 2:
        return 1.0
    return max(0.5, 2 / ratio)  # a hall far too big for the group is wasted on it


def score(space: SpaceFacts, need: Need, policy: Policy = Policy()) -> Match:
    """The score of one pair, with each component's part, or why it is excluded."""
    exclusion = _exclusion(space, need, policy)
    if exclusion is not None:
        code, params = exclusion
        return Match(space.id, need.id, 0.0, excluded=code, params=params)

    value, reason, params = _location(space, need)
    if reason == "distance":
        km = distance_km(space.lat, space.lng, need.lat, need.lng)
        value = 0.5 * max(0.0, 1 - km / policy.distance_horizon_km)
        params = {"km": round(km)}
    location = Component("location", value, policy.location, reason, params)

    if need.craft_id in space.crafts:
        craft = Component("craft", 1.0, policy.craft, "suits_craft")
    elif need.family in space.families:
        craft = Component("craft", 0.6, policy.craft, "suits_family")
    elif not space.crafts:
        craft = Component("craft", 0.3, policy.craft, "crafts_unknown")
    else:
        craft = Component("craft", 0.0, policy.craft, "other_crafts")

    capacity = Component(
        "capacity",
        _capacity_value(space.capacity, need.headcount),
        policy.capacity,
        "capacity",
        {"capacity": space.capacity, "headcount": need.headcount},
    )

    required = need.utilities
    present = bin(required & space.utilities).count("1")
    wanted = bin(required).count("1")
    missing = [
        name for name, bit in UTILITY_BITS.items() if required & bit and not space.utilities & bit
    ]
    utilities = Component(
        "utilities",
        present / wanted if wanted else 1.0,
        policy.utilities,
        "utilities" if missing else "utilities_all",
        {"missing": missing},
    )

    readiness = Component(
        "readiness", READINESS.get(space.condition, 0.0), policy.readiness, space.condition
    )

    priority = 0.5 * need.women_led + 0.5 * need.endangered
    priorities = Component(
        "priorities",
        priority,
        policy.priorities,
        "priorities",
        {"women_led": need.women_led, "endangered": need.endangered},
    )

    components = (location, craft, capacity, utilities, readiness, priorities)
    total = sum(c.points for c in components) / policy.total * 100
    return Match(space.id, need.id, round(total, 6), components=components)


def rank_spaces(need: Need, spaces: list[SpaceFacts], policy: Policy = Policy()) -> list[Match]:
    """Every space for one need: the possible ones by score, then the excluded ones."""
    matches = [score(space, need, policy) for space in spaces]
    return sorted(matches, key=lambda m: (m.excluded is not None, -m.score, m.space_id))


def rank_needs(
    space: SpaceFacts, needs: list[Need], policy: Policy = Policy(), limit: int | None = None
) -> list[Match]:
    """The needs for one space, best first (the first `limit`): scored in bulk, then only
    those returned are explained one by one."""
    matrix = score_matrix([space], needs, policy)[:, 0]
    order = np.lexsort((np.arange(len(needs)), -matrix))[:limit]
    return [score(space, needs[i], policy) for i in order]


def score_matrix(spaces: list[SpaceFacts], needs: list[Need], policy: Policy = Policy()):
    """Scores of every need (rows) for every space (columns), EXCLUDED where impossible;
    the same numbers as score(), computed with NumPy for thousands of pairs."""
    n, m = len(needs), len(spaces)
    if not n or not m:
        return np.zeros((n, m))
    s_commune = np.array([s.commune_id for s in spaces])
    s_province = np.array([s.province_id for s in spaces])
    s_lat = np.radians([s.lat for s in spaces])
    s_lng = np.radians([s.lng for s in spaces])
    s_capacity = np.array([s.capacity for s in spaces], dtype=float)
    s_area = np.array([s.floor_area for s in spaces], dtype=float)
    s_utilities = np.array([s.utilities for s in spaces])
    s_ready = np.array([READINESS.get(s.condition, 0.0) for s in spaces])
    s_eligible = np.array([s.status in ELIGIBLE_STATUSES for s in spaces])
    s_no_crafts = np.array([not s.crafts for s in spaces])

    n_commune = np.array([-1 if x.commune_id is None else x.commune_id for x in needs])
    n_any = n_commune == -1
    n_province = np.array([x.province_id for x in needs])
    n_lat = np.radians([x.lat for x in needs])
    n_lng = np.radians([x.lng for x in needs])
    n_head = np.array([x.headcount for x in needs], dtype=float)
    n_utilities = np.array([x.utilities for x in needs])
    n_priority = np.array([0.5 * x.women_led + 0.5 * x.endangered for x in needs])

    # location
    same_commune = (n_commune[:, None] == s_commune[None, :]) & ~n_any[:, None]
    same_province = n_province[:, None] == s_province[None, :]
    dlat = s_lat[None, :] - n_lat[:, None]
    dlng = s_lng[None, :] - n_lng[:, None]
    a = (
        np.sin(dlat / 2) ** 2
        + np.cos(n_lat)[:, None] * np.cos(s_lat)[None, :] * np.sin(dlng / 2) ** 2
    )
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    location = np.where(
        same_commune,
        1.0,
        np.where(
            same_province,
            np.where(n_any[:, None], 1.0, 0.7),
            0.5 * np.maximum(0.0, 1 - km / policy.distance_horizon_km),
        ),
    )

    # craft: one row of values per distinct (craft, family) among the needs
    craft = np.where(s_no_crafts[None, :], 0.3, 0.0).repeat(n, axis=0)
    for craft_id, family in {(x.craft_id, x.family) for x in needs}:
        rows = np.array([(x.craft_id, x.family) == (craft_id, family) for x in needs])
        suits = np.array([craft_id in s.crafts for s in spaces])
        suits_family = np.array([family in s.families for s in spaces])
        value = np.where(suits, 1.0, np.where(suits_family, 0.6, np.where(s_no_crafts, 0.3, 0.0)))
        craft[rows] = value

    # capacity
    ratio = s_capacity[None, :] / n_head[:, None]
    capacity = np.where(ratio < 1, ratio, np.where(ratio <= 2, 1.0, np.maximum(0.5, 2 / ratio)))

    # utilities: bits wanted and present, counted with a table of the 32 possible masks
    popcount = np.array([bin(i).count("1") for i in range(32)])
    wanted = popcount[n_utilities][:, None]
    present = popcount[n_utilities[:, None] & s_utilities[None, :]]
    utilities = np.where(wanted > 0, present / np.maximum(wanted, 1), 1.0)

    weights = (
        policy.location,
        policy.craft,
        policy.capacity,
        policy.utilities,
        policy.readiness,
        policy.priorities,
    )
    total = (
        (
            weights[0] * location
            + weights[1] * craft
            + weights[2] * capacity
            + weights[3] * utilities
            + weights[4] * s_ready[None, :]
            + weights[5] * n_priority[:, None]
        )
        / policy.total
        * 100
    )

    # hard constraints, written as in _exclusion so that both paths agree at the limits
    possible = s_eligible[None, :] & (
        s_capacity[None, :] >= policy.min_capacity_ratio * n_head[:, None]
    )
    possible &= s_area[None, :] >= policy.min_area_per_person * n_head[:, None]
    n_start = np.array([x.starts_on.toordinal() for x in needs])
    n_end = np.array([x.ends_on.toordinal() for x in needs])
    n_fixed = np.array([x.weekdays for x in needs])
    n_count = np.array([x.days_per_week for x in needs])
    free_days = np.array([7 - bin(mask).count("1") for mask in range(128)])
    for j, space in enumerate(spaces):
        if not space.busy:
            continue
        taken = np.zeros(n, dtype=int)
        for busy in space.busy:
            period = (busy.starts_on.toordinal() <= n_end) & (n_start <= busy.ends_on.toordinal())
            taken[period] |= busy.weekdays
        room = np.where(n_fixed != 0, (taken & n_fixed) == 0, free_days[taken & 127] >= n_count)
        possible[:, j] &= room
    return np.where(possible, np.round(total, 6), EXCLUDED)


def plan(
    matrix,
    *,
    locked: list[tuple[int, int]] = (),
    excluded: set[tuple[int, int]] = frozenset(),
) -> list[tuple[int, int, float]]:
    """The assignment of needs (rows) to spaces (columns), at most one each, whose total
    score is the highest possible — a true optimum (Hungarian method), not a greedy pick.

    `locked` pairs are kept as they are and their row and column taken out; `excluded` pairs
    and impossible ones (EXCLUDED) are never chosen. A need may stay unassigned: each row gets
    a "no space" column worth 0, so leaving one out is never forced to pay for another."""
    matrix = np.asarray(matrix, dtype=float)
    n, m = matrix.shape
    if len({i for i, _ in locked}) != len(locked) or len({j for _, j in locked}) != len(locked):
        raise ValueError("a need or a space is locked twice")
    result = [(i, j, float(matrix[i, j])) for i, j in locked]
    rows = [i for i in range(n) if i not in {i for i, _ in locked}]
    cols = [j for j in range(m) if j not in {j for _, j in locked}]
    if not rows or not cols:
        return sorted(result)
    sub = matrix[np.ix_(rows, cols)].copy()
    for i, j in excluded:
        if i in rows and j in cols:
            sub[rows.index(i), cols.index(j)] = EXCLUDED
    impossible = sub < 0
    forbid = 1e9
    cost = np.hstack([np.where(impossible, forbid, -sub), np.zeros((len(rows), len(rows)))])
    row_ind, col_ind = linear_sum_assignment(cost)
    for r, c in zip(row_ind, col_ind, strict=True):
        if c < len(cols) and not impossible[r, c]:
            result.append((rows[r], cols[c], float(sub[r, c])))
    return sorted(result)
